#!/usr/bin/env bash
# Charts and maps (issue 6): size (bytes, gzip bytes) and time of the SVG and PNG downloads of demo tables,
# served by `satudata demo` with the Musi Banyuasin boundaries of shared/reference/boundaries; the first request
# renders (cold), the second comes from the per-version cache (warm). Then the pure render time of a 240-desa map
# and bar chart (satudata-charts example render_bench). Prints Markdown for docs/BENCHMARKS.md.
# Usage: bash bench/charts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p satudata --locked >&2
bin=target/release/satudata
boundaries=$(cd .. && pwd)/shared/reference/boundaries
[ -d "$boundaries" ] || { echo "needs $boundaries" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
port=18086
SATUDATA_BOUNDARIES_DIR="$boundaries" $bin demo --listen 127.0.0.1:$port --data-dir "$work/demo" >"$work/demo.log" 2>&1 & pid=$!
for _ in $(seq 1 3000); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.01; done

echo "| download | bytes | gzip bytes | cold (ms) | warm (ms) |"
echo "|---|---|---|---|---|"
for ds in jumlah-penduduk-desa jumlah-penduduk-menurut-jenis-kelamin luas-wilayah-dan-kepadatan-penduduk; do
  for f in grafik.svg peta.svg grafik.png peta.png; do
    url="http://127.0.0.1:$port/dataset/$ds/data/$f"
    cold=$(curl -fsS -o "$work/out" -w '%{time_total}' "$url")
    warm=$(curl -fsS -o /dev/null -w '%{time_total}' "$url")
    bytes=$(stat -c %s "$work/out")
    gz=$(curl -fsS -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$url")
    printf "| %s/%s | %s | %s | %.1f | %.1f |\n" "$ds" "$f" "$bytes" "$gz" "$(echo "$cold*1000" | bc)" "$(echo "$warm*1000" | bc)"
  done
done
echo
cargo run --release --locked -p satudata-charts --features png --example render_bench -- "$boundaries/16.06-musi-banyuasin-desa.geojson" 2>/dev/null

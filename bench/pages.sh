#!/usr/bin/env bash
# Portal pages (issue 6): weight on the wire and throughput, on the demo instance (SQLite store), release build.
#   - weight: the compressed HTML of a page plus every asset it loads (the stylesheet; charts and maps are inline
#     SVG), as a first visit downloads them (gzip, as curl --compressed asks);
#   - throughput: wrk, 2 threads, 32 connections, on a dataset page with its chart and map, the home page and a
#     desa page; p99 from wrk's latency distribution;
#   - the desa page at the server, one connection (no queueing): p50/p99.
# Prints Markdown for docs/BENCHMARKS.md. Usage: bash bench/pages.sh   (DURATION=20 by default; needs wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20}
PORT=${PORT:-18291}
DATASET=${DATASET:-jumlah-penduduk-desa}
DESA=${DESA:-16.06.01.2001}
work=target/bench-pages
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
cargo build --release -p satudata >&2
rm -rf "$work" && mkdir -p "$work"
SATUDATA_RATE_LIMIT_PER_IP=0 SATUDATA_RATE_LIMIT_PER_TOKEN=0 SATUDATA_LOG=warn \
  target/release/satudata demo --data-dir "$work/demo" --listen "127.0.0.1:$PORT" >"$work/satudata.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT
B="http://127.0.0.1:$PORT"
for _ in $(seq 1 600); do curl -fsS -o /dev/null "$B/healthz" 2>/dev/null && break; sleep 0.1; done
# Warm the catalogue and region indexes once (they are built on first use, then kept until data changes).
curl -fsS -o /dev/null "$B/" && curl -fsS -o /dev/null "$B/wilayah/$DESA"

# weight URL -> "html_bytes_compressed assets_bytes_compressed total_kb"
weight() {
  local page="$1" html assets=0
  html=$(curl -fsS --compressed -o "$work/page.html" -w '%{size_download}' "$page")
  for a in $(grep -oE '(href|src)="/static/[^"]+"' "$work/page.html" | sed -E 's/^(href|src)="//; s/"$//' | sort -u); do
    assets=$((assets + $(curl -fsS --compressed -o /dev/null -w '%{size_download}' "$B$a")))
  done
  awk -v h="$html" -v a="$assets" 'BEGIN { printf "%d %d %.1f\n", h, a, (h + a) / 1024 }'
}
run() { # url connections -> "rps p50ms p99ms"
  local threads=2; [ "$2" -lt 2 ] && threads=1
  wrk -t"$threads" -c"$2" -d"$DURATION"s --latency "$1" >"$work/wrk.out" 2>&1 || true
  awk '
    function ms(v) { if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 } if (v ~ /ms$/) { sub(/ms$/, "", v); return v } sub(/s$/, "", v); return v * 1000 }
    /Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %.1f %.1f\n", rps, p50, p99 }' "$work/wrk.out"
}
grep -q '<svg' <(curl -fsS "$B/dataset/$DATASET") || echo "note: /dataset/$DATASET has no chart" >&2
read -r dh da dkb < <(weight "$B/dataset/$DATASET")
read -r hh ha hkb < <(weight "$B/")
read -r wh wa wkb < <(weight "$B/wilayah/$DESA")
read -r d_rps d_p50 d_p99 < <(run "$B/dataset/$DATASET" 32)
read -r h_rps h_p50 h_p99 < <(run "$B/" 32)
read -r w_rps w_p50 w_p99 < <(run "$B/wilayah/$DESA" 32)
read -r s_rps s_p50 s_p99 < <(run "$B/wilayah/$DESA" 1)
cpu=$(awk -F: '/model name/ { gsub(/^ +/, "", $2); print $2; exit }' /proc/cpuinfo)
echo "Machine: $(nproc) cores ($cpu); satudata $(target/release/satudata --version | awk '{ print $NF }') release build, demo on SQLite; wrk -t2, ${DURATION} s per run."
echo
echo "| page | HTML (gzip) | assets (gzip) | on the wire | target |"
echo "|---|---|---|---|---|"
echo "| dataset page \`/dataset/$DATASET\` (preview, chart, map) | $dh B | $da B | $dkb KB | ≤ 100 KB |"
echo "| home page \`/\` | $hh B | $ha B | $hkb KB | ≤ 150 KB |"
echo "| desa page \`/wilayah/$DESA\` | $wh B | $wa B | $wkb KB | — |"
echo
echo "| request | connections | req/s | p50 | p99 | target |"
echo "|---|---|---|---|---|---|"
echo "| dataset page | 32 | $d_rps | $d_p50 ms | $d_p99 ms | ≥ 1,000 req/s, p99 ≤ 100 ms |"
echo "| home page | 32 | $h_rps | $h_p50 ms | $h_p99 ms | — |"
echo "| desa page | 32 | $w_rps | $w_p50 ms | $w_p99 ms | — |"
echo "| desa page, one at a time (time at the server) | 1 | $s_rps | $s_p50 ms | $s_p99 ms | ≤ 50 ms |"

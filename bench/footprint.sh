#!/usr/bin/env bash
# Footprint of the release binary (issue 2): binary size, idle RSS of `satudata serve`, and the time a restart of
# the demo on an existing data directory takes to answer /healthz. Prints a Markdown table for docs/BENCHMARKS.md.
# Usage: bash bench/footprint.sh   (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p satudata --locked >&2
bin=target/release/satudata
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
port=18080

wait_health() { # prints milliseconds until /healthz answers 200
  local start=$(date +%s%N)
  for _ in $(seq 1 3000); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then
      echo $(( ($(date +%s%N) - start) / 1000000 )); return 0
    fi
    sleep 0.01
  done
  echo "timeout"; return 1
}

size_mb=$(awk "BEGIN { printf \"%.1f\", $(stat -c %s $bin) / 1048576 }")

# First start: seeds the demo.
$bin demo --listen 127.0.0.1:$port --data-dir "$work/demo" >"$work/first.log" 2>&1 & pid=$!
first_ms=$(wait_health)
kill $pid; wait $pid 2>/dev/null || true

# Restart on the existing data directory.
$bin demo --listen 127.0.0.1:$port --data-dir "$work/demo" >"$work/second.log" 2>&1 & pid=$!
restart_ms=$(wait_health)
kill $pid; wait $pid 2>/dev/null || true

# Idle RSS of `satudata serve` on the demo's database, after a few requests and a pause.
SATUDATA_HOME_REGION=16.06 $bin serve --listen 127.0.0.1:$port --data-dir "$work/demo" >"$work/serve.log" 2>&1 & pid=$!
wait_health >/dev/null
for p in /healthz /api/v1/datasets /api/v1/regions/16.06/children /; do curl -fsS -o /dev/null "http://127.0.0.1:$port$p"; done
sleep 3
rss_mb=$(awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' /proc/$pid/status)
kill $pid; wait $pid 2>/dev/null || true

echo "| measure | target | result |"
echo "|---|---|---|"
echo "| release binary size | ≤ 40 MB | $size_mb MB |"
echo "| idle RSS of \`satudata serve\` (demo data, after a few requests) | ≤ 60 MB | $rss_mb MB |"
echo "| first start of the demo (seeding) to /healthz | — | $first_ms ms |"
echo "| restart of the demo on its data directory to /healthz | ≤ 2 s | $restart_ms ms |"

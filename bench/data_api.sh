#!/usr/bin/env bash
# Data API speed (issue 5): satudata and Datasette serving the same 1,000,000-row SQLite table, side by side,
# measured with wrk (32 connections) in the same run; then the CSV export rate and satudata's peak memory.
# Prints a Markdown table for docs/BENCHMARKS.md.
#
# Usage: bash bench/data_api.sh        (ROWS=1000000 DURATION=20 by default; needs wrk: apt-get install wrk)
# Datasette (PyPI) is installed into a venv under target/ on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
DURATION=${DURATION:-20}
CONNS=32
SD_PORT=${SD_PORT:-18281}
DS_PORT=${DS_PORT:-18282}
work=target/bench-data-api
venv=target/bench-venv

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
if [ ! -x "$venv/bin/datasette" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q datasette >&2
fi
cargo build --release -p satudata >&2
cargo build --release -p satudata-store-sqlite --example data_api_bench >&2

# The same deterministic table into satudata (SQLite store) and into a plain SQLite file for Datasette.
mkdir -p "$work"
if [ ! -f "$work/loaded-$ROWS" ]; then
  rm -rf "$work/sd" "$work/plain.db" "$work"/loaded-*
  target/release/examples/data_api_bench "$work/sd" "$work/plain.db" "$ROWS" >&2
  touch "$work/loaded-$ROWS"
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# satudata with the rate limits off (wrk is one client hammering from one address).
SATUDATA_HOME_REGION=16.06 SATUDATA_RATE_LIMIT_PER_IP=0 SATUDATA_RATE_LIMIT_PER_TOKEN=0 SATUDATA_LOG=warn \
  target/release/satudata serve --data-dir "$work/sd" --listen "127.0.0.1:$SD_PORT" >"$work/satudata.log" 2>&1 &
sd_pid=$!; pids+=("$sd_pid")
# Datasette in immutable mode (its fastest), with room for the slow group-by (its default limit is 1 s).
"$venv/bin/datasette" serve -i "$work/plain.db" -h 127.0.0.1 -p "$DS_PORT" \
  --setting sql_time_limit_ms 600000 --setting default_page_size 100 >"$work/datasette.log" 2>&1 &
pids+=("$!")

wait_for() { for _ in $(seq 1 600); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }
wait_for "http://127.0.0.1:$SD_PORT/healthz"
wait_for "http://127.0.0.1:$DS_PORT/-/versions.json"

SD="http://127.0.0.1:$SD_PORT"
DS="http://127.0.0.1:$DS_PORT"
DESA=16.06.01.2001
sd_rows="$SD/api/v1/datasets/bench/rows?kode_desa=$DESA&limit=100&total=false"
sd_rows_total="$SD/api/v1/datasets/bench/rows?kode_desa=$DESA&limit=100"
ds_rows="$DS/plain/bench.json?kode_desa=$DESA&_size=100&_nocount=1&_nofacet=1&_nosuggest=1"
sd_agg="$SD/api/v1/datasets/bench/aggregate?group_by=kode_desa&count&avg=jumlah_0"
ds_agg="$DS/plain.json?sql=select+kode_desa%2C+count(*)%2C+avg(jumlah_0)+from+bench+group+by+kode_desa"

# Both answer the same: 100 rows of the desa (fewer on small tables); 255 groups.
check() { curl -fsS "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print(len(d['rows']))"; }
[ "$(check "$sd_rows")" = "$(check "$ds_rows")" ] || { echo "rows answers differ" >&2; exit 1; }
first_ms() { curl -fsS -o /dev/null -w '%{time_total}' "$1" | awk '{ printf "%.0f", $1 * 1000 }'; }
sd_agg_first=$(first_ms "$sd_agg")   # computes the group-by (then it is cached: the version never changes)
ds_agg_first=$(first_ms "$ds_agg")
[ "$(check "$sd_agg")" = "$(check "$ds_agg")" ] || { echo "group-by answers differ" >&2; exit 1; }

# wrk: requests/s and p99 (ms); a third argument is a wrk Lua script.
run() { # url duration [script] -> "rps p99ms"
  wrk -t2 -c"$CONNS" -d"$2"s --timeout 120s --latency ${3:+-s "$3"} "$1" >"$work/wrk.out" 2>&1 || true
  awk '
    /Requests\/sec/ { rps = $2 }
    $1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 } p99 = v }
    END { printf "%.1f %.1f\n", rps, p99 }' "$work/wrk.out"
}
# Rotating over 2,040 different queries (255 desa × 8 page sizes) defeats satudata's page cache
# (256 pages): what every request costs when it is not a repeat.
rotate() { # prefix-kind -> lua file
  local f="$work/rotate-$1.lua"
  {
    echo "local paths = {}"
    echo "for d = 0, 254 do for l = 93, 100 do"
    echo "  local desa = string.format('16.06.%02d.%d', 1 + d % 15, 2001 + math.floor(d / 15))"
    if [ "$1" = sd ]; then
      echo "  paths[#paths + 1] = '/api/v1/datasets/bench/rows?kode_desa=' .. desa .. '&limit=' .. l .. '&total=false'"
    else
      echo "  paths[#paths + 1] = '/plain/bench.json?kode_desa=' .. desa .. '&_size=' .. l .. '&_nocount=1&_nofacet=1&_nosuggest=1'"
    fi
    echo "end end"
    echo "local i = 0"
    echo "request = function() i = i + 1; return wrk.format('GET', paths[(i * 7919) % #paths + 1]) end"
  } >"$f"
  echo "$f"
}
read -r a_rps a_p99 < <(run "$sd_rows" "$DURATION")
read -r r_rps r_p99 < <(run "$SD" "$DURATION" "$(rotate sd)")
read -r rd_rps rd_p99 < <(run "$DS" "$DURATION" "$(rotate ds)")
read -r at_rps at_p99 < <(run "$sd_rows_total" "$DURATION")
read -r b_rps b_p99 < <(run "$ds_rows" "$DURATION")
read -r c_rps c_p99 < <(run "$sd_agg" "$DURATION")
read -r d_rps d_p99 < <(run "$ds_agg" $((DURATION * 2)))

# CSV export of the whole table, and satudata's peak memory (VmHWM) after it.
read -r bytes secs < <(curl -fsS -o /dev/null -w '%{size_download} %{time_total}\n' "$SD/api/v1/datasets/bench/rows?format=csv")
csv_mbs=$(awk "BEGIN { printf \"%.0f\", $bytes / $secs / 1000000 }")
csv_mb=$(awk "BEGIN { printf \"%.0f\", $bytes / 1000000 }")
hwm=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$sd_pid/status")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "∞"; else printf "%.0f×", a / b }'; }
cpu=$(awk -F: '/model name/ { gsub(/^ +/, "", $2); print $2; exit }' /proc/cpuinfo)
echo "Machine: $(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo) GiB; wrk -t2 -c$CONNS, ${DURATION} s per run (Datasette group-by $((DURATION * 2)) s); $ROWS rows × 20 columns"
echo "Datasette $("$venv/bin/datasette" --version | awk '{ print $NF }') (immutable mode, SQLite $("$venv/bin/python" -c 'import sqlite3; print(sqlite3.sqlite_version)')), satudata $(target/release/satudata --version | awk '{ print $NF }') (release build, SQLite bundled with sqlx)."
echo
echo "| request | satudata req/s | satudata p99 | Datasette req/s | Datasette p99 | ratio |"
echo "|---|---|---|---|---|---|"
echo "| 100 rows of one desa (no total; Datasette \`_nocount=1&_nofacet=1&_nosuggest=1\`) | $a_rps | $a_p99 ms | $b_rps | $b_p99 ms | $(ratio "$a_rps" "$b_rps") |"
echo "| 100 rows of one desa, 2,040 different queries in turn (no cache hits) | $r_rps | $r_p99 ms | $rd_rps | $rd_p99 ms | $(ratio "$r_rps" "$rd_rps") |"
echo "| 100 rows of one desa with the total count (satudata's default) | $at_rps | $at_p99 ms | — | — | $(ratio "$at_rps" "$b_rps") |"
echo "| count and average per desa (group-by; Datasette \`?sql=\`) | $c_rps | $c_p99 ms | $d_rps | $d_p99 ms | $(ratio "$c_rps" "$d_rps") |"
echo
echo "First group-by request (computed, then cached for the immutable version): satudata $sd_agg_first ms, Datasette $ds_agg_first ms."
echo
echo "| export | size | rate | satudata peak RSS (whole run) |"
echo "|---|---|---|---|"
echo "| CSV of all $ROWS rows (\`?format=csv\`) | $csv_mb MB | $csv_mbs MB/s | $hwm MB |"

#!/usr/bin/env bash
# Issue 3 benchmarks, in ONE run: validate throughput against frictionless and the `csv` crate, peak memory
# of validate and import on 1M rows and on a ≥ 5 GB file, and import end to end into SQLite and PostgreSQL.
# Prints a Markdown table for docs/BENCHMARKS.md ("Issue 3").
#
# Usage: bash bench/validate.sh            (RUNS=3 runs per timing; BIG_GB=5.2; SKIP_BIG=1 skips the big file;
#                                          PROFILE=profiling uses that build, the release one with symbols)
# Needs: target/pyenv (bash scripts/test-all.sh builds it), /usr/bin/time (apt install time), PostgreSQL at
# 127.0.0.1:5432 (user postgres, trust) or PG_URL=postgres://…/ (a database bench_<pid> is created there).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
BIG_GB=${BIG_GB:-5.2}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
work=${WORK:-/tmp/satudata-bench-$$}
pgdb="bench_$$"
mkdir -p "$work"
cleanup() {
  rm -rf "$work"
  psql "$PG_URL/postgres" -qc "drop database if exists $pgdb" >/dev/null 2>&1 || true
}
trap cleanup EXIT

PROFILE=${PROFILE:-release}
echo "== building ($PROFILE)" >&2
cargo build --profile "$PROFILE" --locked -p satudata -p satudata-formats --examples --bins >&2
bin=target/$PROFILE/satudata
ex=target/$PROFILE/examples
FR=$PWD/target/pyenv/bin/frictionless
[ -x "$FR" ] || { echo "target/pyenv/bin/frictionless missing: run bash scripts/test-all.sh" >&2; exit 1; }

echo "== generating 1,000,000 rows" >&2
"$ex/gen_household" "$work" 1000000 >&2
csv="$work/household.csv" schema="$work/household.schema.json"
head -n 100001 "$csv" > "$work/household-100k.csv"
# The same schema for frictionless: satudata's dd/mm/yyyy dates and ya/tidak booleans written the
# Frictionless way (its number fields already carry decimalChar/groupChar). Region codes are not
# checked against a registry by frictionless: less work for it, so the ratio is conservative.
"$(dirname "$FR")/python" - "$schema" "$work/household.frictionless.schema.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
for f in s["fields"]:
    if f["name"] == "tanggal_lahir":
        f["format"] = "%d/%m/%Y"
    if f["type"] == "boolean":
        f["trueValues"], f["falseValues"] = ["ya"], ["tidak"]
json.dump(s, open(sys.argv[2], "w"))
PY

# Best (minimum) wall seconds of RUNS runs of a command.
best() {
  local b=""
  for _ in $(seq 1 "$RUNS"); do
    local s=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    local e=$(date +%s.%N)
    local d=$(echo "$e - $s" | bc)
    if [ -z "$b" ] || (( $(echo "$d < $b" | bc) )); then b=$d; fi
  done
  echo "$b"
}
# Peak RSS in MB of one run of a command.
rss() {
  /usr/bin/time -v "$@" 2>"$work/time.txt" >/dev/null || true
  awk '/Maximum resident set size/ { printf "%.1f", $6 / 1024 }' "$work/time.txt"
}
rate() { echo "scale=0; $1 / $2" | bc; }

echo "== satudata validate (1M rows)" >&2
sd_s=$(best "$bin" validate --schema "$schema" "$csv")
sd_rate=$(rate 1000000 "$sd_s")
sd_rss=$(rss "$bin" validate --schema "$schema" "$csv")

echo "== csv crate reading the same file" >&2
# bench_validate's `read` mode reads the file with the csv crate (ByteRecord, then StringRecord) and
# times each loop itself: the best ByteRecord time of RUNS runs.
csv_s=""
for _ in $(seq 1 "$RUNS"); do
  t=$("$ex/bench_validate" "$csv" "$schema" read | sed -n 's/^csv crate read (ByteRecord): *[0-9]* rows in \([0-9.]*\)s.*/\1/p')
  if [ -z "$csv_s" ] || (( $(echo "$t < $csv_s" | bc) )); then csv_s=$t; fi
done
csv_rate=$(rate 1000000 "$csv_s")

echo "== frictionless validate (100,000 rows)" >&2
fr_runs=$RUNS; RUNS=1
# frictionless refuses absolute paths ("path … is not safe") and would fail in a blink: it runs in $work
# with relative ones, and must find the file valid before it is timed.
fr_validate() { (cd "$work" && "$FR" validate --schema household.frictionless.schema.json household-100k.csv >/dev/null); }
fr_validate || { echo "frictionless did not validate the 100k-row file: see its report" >&2; exit 1; }
fr_s=$(best fr_validate)
RUNS=$fr_runs
fr_rate=$(rate 100000 "$fr_s")

echo "== import into SQLite (1M rows)" >&2
import_sqlite() {
  rm -rf "$work/sqlite" && mkdir -p "$work/sqlite"
  "$ex/bench_import_setup" "sqlite://$work/sqlite/satudata.db" "$schema" rumah-tangga >/dev/null
  local s=$(date +%s.%N)
  SATUDATA_HOME_REGION=16.06 SATUDATA_DATABASE_URL="sqlite://$work/sqlite/satudata.db" \
    /usr/bin/time -v "$bin" import --dataset rumah-tangga "$csv" >"$work/import.out" 2>"$work/time.txt"
  local e=$(date +%s.%N)
  echo "$(echo "$e - $s" | bc) $(awk '/Maximum resident set size/ { printf "%.1f", $6 / 1024 }' "$work/time.txt")"
}
sq_best=""; sq_rss=""
for _ in $(seq 1 "$RUNS"); do
  read -r s r < <(import_sqlite)
  sq_rss=$r
  if [ -z "$sq_best" ] || (( $(echo "$s < $sq_best" | bc) )); then sq_best=$s; fi
done
sq_rate=$(rate 1000000 "$sq_best")

echo "== a second version of the same 1M rows into SQLite (staged and merged)" >&2
# The store of the last run above holds version 1: the same file again is compared row by row
# with it (every row kept), which is the merge's memory and time at its largest.
s=$(date +%s.%N)
SATUDATA_HOME_REGION=16.06 SATUDATA_DATABASE_URL="sqlite://$work/sqlite/satudata.db" \
  /usr/bin/time -v "$bin" import --dataset rumah-tangga "$csv" >"$work/import.out" 2>"$work/time.txt"
sq2_s=$(echo "$(date +%s.%N) - $s" | bc)
sq2_rss=$(awk '/Maximum resident set size/ { printf "%.1f", $6 / 1024 }' "$work/time.txt")

echo "== import into PostgreSQL (1M rows)" >&2
pg_best=""; pg_rss=""
for _ in $(seq 1 "$RUNS"); do
  psql "$PG_URL/postgres" -qc "drop database if exists $pgdb with (force)" >/dev/null
  psql "$PG_URL/postgres" -qc "create database $pgdb" >/dev/null
  "$ex/bench_import_setup" "$PG_URL/$pgdb" "$schema" rumah-tangga >/dev/null
  s=$(date +%s.%N)
  SATUDATA_HOME_REGION=16.06 SATUDATA_DATABASE_URL="$PG_URL/$pgdb" \
    /usr/bin/time -v "$bin" import --dataset rumah-tangga "$csv" >"$work/import.out" 2>"$work/time.txt"
  e=$(date +%s.%N)
  d=$(echo "$e - $s" | bc)
  pg_rss=$(awk '/Maximum resident set size/ { printf "%.1f", $6 / 1024 }' "$work/time.txt")
  if [ -z "$pg_best" ] || (( $(echo "$d < $pg_best" | bc) )); then pg_best=$d; fi
done
pg_rate=$(rate 1000000 "$pg_best")

big_line="| validate / import, ≥ 5 GB file | skipped (SKIP_BIG=1) |"
if [ "${SKIP_BIG:-0}" != 1 ]; then
  avail_gb=$(df -BG --output=avail "$work" | tail -1 | tr -dc 0-9)
  need=$(echo "($BIG_GB * 2 + 2) / 1" | bc)
  if [ "$avail_gb" -lt "$need" ]; then
    big_line="| validate / import, ≥ 5 GB file | skipped: ${avail_gb} GB free in $work, ${need} GB needed |"
  else
    echo "== generating a ${BIG_GB} GB file (streaming)" >&2
    rows_big=$(echo "$BIG_GB * 1000000000 / ($(stat -c %s "$csv") / 1000000)" | bc)
    "$ex/gen_household" "$work/big" "$rows_big" >&2
    big="$work/big/household.csv"
    big_gb=$(echo "scale=2; $(stat -c %s "$big") / 1000000000" | bc)
    echo "== validate and import the big file" >&2
    s=$(date +%s.%N)
    big_v_rss=$(rss "$bin" validate --schema "$schema" "$big")
    big_v_s=$(echo "$(date +%s.%N) - $s" | bc)
    rm -rf "$work/sqlite" && mkdir -p "$work/sqlite"
    "$ex/bench_import_setup" "sqlite://$work/sqlite/satudata.db" "$schema" rumah-tangga >/dev/null
    s=$(date +%s.%N)
    big_i_rss=$(SATUDATA_HOME_REGION=16.06 SATUDATA_DATABASE_URL="sqlite://$work/sqlite/satudata.db" rss "$bin" import --dataset rumah-tangga "$big")
    big_i_s=$(echo "$(date +%s.%N) - $s" | bc)
    big_line="| ${big_gb} GB, ${rows_big} rows: peak RSS validate / import (SQLite) | ${big_v_rss} MB ($(rate "$rows_big" "$big_v_s") rows/s) / ${big_i_rss} MB ($(rate "$rows_big" "$big_i_s") rows/s) |"
    rm -rf "$work/big" "$work/sqlite"
  fi
fi

cat <<EOF

Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg), $(rustc --version | cut -d' ' -f1-2), best of $RUNS runs.

| measure | value | target |
|---|---|---|
| satudata validate, 1M rows × 20 columns | $sd_rate rows/s (${sd_s} s) | |
| frictionless validate, 100,000 rows | $fr_rate rows/s (${fr_s} s) | |
| satudata ÷ frictionless | $(echo "scale=0; $sd_rate / $fr_rate" | bc)× | ≥ 100× |
| csv crate merely reading (ByteRecord) | $csv_rate rows/s (${csv_s} s) | |
| satudata ÷ csv crate | $(echo "scale=0; 100 * $sd_rate / $csv_rate" | bc) % | ≥ 40 % |
| import into SQLite, end to end | $sq_rate rows/s (${sq_best} s) | ≥ 250,000 |
| import into PostgreSQL, end to end | $pg_rate rows/s (${pg_best} s) | ≥ 150,000 |
| second version of the same 1M rows into SQLite (merge) | $(rate 1000000 "$sq2_s") rows/s (${sq2_s} s) | |
| peak RSS, 1M rows: validate / import SQLite / import PostgreSQL | $sd_rss / $sq_rss / $pg_rss MB | ≤ 150 MB |
| peak RSS, 1M rows: second version into SQLite | $sq2_rss MB | ≤ 150 MB |
$big_line | ≤ 150 MB |
EOF

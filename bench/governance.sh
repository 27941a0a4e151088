#!/usr/bin/env bash
# Governance benchmark (issue 4): the kemutakhiran dashboard and the walidata's review queue over
# HTTP with 100 OPDs, 1,000 datasets, 20,000 versions and 5,000 Daftar Data items
# (target: <= 100 ms each). Runs the ignored test `governance::bench_dashboard_and_queue` in release
# mode and prints median and p95 of 21 requests per answer.
# Usage: bash bench/governance.sh [sqlite|postgres]
#   postgres: a fresh database on SATUDATA_TEST_POSTGRES_URL
#   (default postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
SATUDATA_BENCH_BACKEND="${1:-sqlite}" \
cargo test --release --locked -p satudata-http --test http -- --ignored --exact \
  governance::bench_dashboard_and_queue --nocapture 2>&1 | grep -E "backend|generated|median|test result|panicked"

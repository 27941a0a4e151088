#!/usr/bin/env bash
# Runs every test: the Rust workspace (the store suite on SQLite AND PostgreSQL, HTTP over real sockets,
# the CLI end to end). PostgreSQL must listen on 127.0.0.1:5432 (user postgres, trust) or
# SATUDATA_TEST_POSTGRES_URL must point at one; the suite fails, never skips, without it.
set -euo pipefail
cd "$(dirname "$0")/.."
export SATUDATA_TEST_POSTGRES_URL="${SATUDATA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
cargo test --workspace --locked --no-fail-fast

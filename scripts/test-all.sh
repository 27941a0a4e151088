#!/usr/bin/env bash
# Runs every test: the Rust workspace (the store suite on SQLite AND PostgreSQL, HTTP over real sockets,
# the CLI end to end, the real external clients), then the pages in headless Chromium (tests/browser:
# Debian's chromium driven by playwright-core from npm; screenshots in target/screenshots/). PostgreSQL must listen on 127.0.0.1:5432 (user
# postgres, trust) or SATUDATA_TEST_POSTGRES_URL must point at one; the suite fails, never skips,
# without it.
set -euo pipefail
cd "$(dirname "$0")/.."
export SATUDATA_TEST_POSTGRES_URL="${SATUDATA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

# The real clients the interoperability tests run (ckanapi, pyshacl, jsonschema, frictionless) live
# in a virtualenv at target/pyenv, built from .ci/requirements.txt and rebuilt only when that file
# changes (its hash is kept in the venv).
PYENV=target/pyenv
want="$(sha256sum .ci/requirements.txt | cut -d' ' -f1)"
if [ ! -x "$PYENV/bin/python" ] || [ "$(cat "$PYENV/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  echo "== Python tools ($PYENV from .ci/requirements.txt)"
  rm -rf "$PYENV"
  python3 -m venv "$PYENV"
  "$PYENV/bin/pip" install --quiet --disable-pip-version-check -r .ci/requirements.txt
  echo "$want" > "$PYENV/.requirements.sha256"
fi
export PATH="$PWD/$PYENV/bin:$PATH"

status=0
cargo test --workspace --locked --no-fail-fast || status=$?

# The browser tests run the binary `cargo test` just built (target/debug/satudata).
echo "== Browser tests (tests/browser, headless Chromium)"
CHROMIUM="${CHROMIUM:-$(command -v chromium || true)}"
if [ -z "$CHROMIUM" ]; then
  echo "Chromium is not installed (Debian: apt-get install chromium chromium-driver): the browser tests cannot run"
  exit 1
fi
export CHROMIUM
cargo build --locked -p satudata
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error && npm test) || status=$?
exit "$status"

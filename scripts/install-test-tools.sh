#!/usr/bin/env bash
# Installs the independent test peers the test suite runs against the API, into
# target/test-tools (idempotent: nothing is fetched when the pinned versions are there):
#   * schemathesis, the OpenAPI fuzzer (PyPI), used by the api crate's `fuzz` test;
#   * curl (Debian), the HTTP/2 client the api crate's `connections` tests drive;
#   * moto's S3-compatible server (PyPI, `moto[server]`), the peer of diffscan's S3 object
#     store test (run on loopback with signature checking on);
#   * Chromium and ChromeDriver (Debian), the browser the console-e2e crate's tests drive.
# They are test tools only, never part of the product.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
MOTO_VERSION=5.2.5
tools=target/test-tools
venv="$tools/venv"

if ! command -v curl >/dev/null; then
  apt-get update -q && apt-get install -y -q curl
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
fi

if [ -x "$venv/bin/schemathesis" ] \
  && "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION" \
  && [ -x "$venv/bin/moto_server" ] \
  && "$venv/bin/pip" show moto 2>/dev/null | grep -q "^Version: $MOTO_VERSION$"; then
  exit 0
fi
mkdir -p "$tools"
if [ ! -x "$venv/bin/pip" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv" || {
    # Debian's python3 ships venv separately.
    apt-get update -q && apt-get install -y -q python3-venv
    rm -rf "$venv" && python3 -m venv "$venv"
  }
fi
"$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" \
  "moto[server]==$MOTO_VERSION"
"$venv/bin/schemathesis" --version
"$venv/bin/moto_server" --help >/dev/null

#!/usr/bin/env bash
# Cold start: from an empty data_dir (initdb, first start, roles, migrations, self-signed
# certificate) to /readyz answering 200. Target: at most 5 s. Also prints a warm restart.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/palisade
data_dir=$(mktemp -d /tmp/palisade-bench-XXXXXX)
chmod 711 "$data_dir"
port=$((20000 + RANDOM % 20000))
pid=""
stop() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=""; }
trap 'stop; rm -rf "$data_dir"' EXIT

# Starts palisade and sets $elapsed to the seconds until /readyz answered 200.
start_and_time() {
  local started
  started=$(date +%s.%N)
  PALISADE_DATA_DIR="$data_dir" PALISADE_LISTEN="127.0.0.1:$port" PALISADE_REDIRECT_LISTEN=off \
    PALISADE_LOG=warn "$bin" serve >>"$data_dir/serve.log" 2>&1 &
  pid=$!
  until curl -skf "https://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$data_dir/serve.log"; exit 1; }
    sleep 0.02
  done
  elapsed=$(echo "$(date +%s.%N) - $started" | bc)
}

start_and_time
cold=$elapsed
stop
start_and_time
warm=$elapsed
printf 'cold start (empty data_dir -> /readyz 200): %.2f s (target <= 5 s)\n' "$cold"
printf 'warm start (existing data_dir -> /readyz 200): %.2f s\n' "$warm"

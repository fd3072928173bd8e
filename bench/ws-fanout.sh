#!/usr/bin/env bash
# Live-feed fan-out: 10,000 WebSocket clients on `palisade serve` (release, plain HTTP on
# loopback, embedded PostgreSQL), events committed through the outbox at 1,000/s, and the
# event->client latency (p50, p99, max) and delivery count. Target: p99 < 100 ms.
# Shape (env): BENCH_CLIENTS (10000), BENCH_TENANTS (100; each event reaches clients/tenants
# sockets, so BENCH_TENANTS=1 is the all-in-one-room worst case), BENCH_RATE (1000 events/s),
# BENCH_SECONDS (10). Server and clients run as two processes, each needing one file descriptor
# per socket.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${BENCH_CLIENTS:-10000}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
limit=$(ulimit -n)
if [ "$limit" != unlimited ] && [ "$limit" -lt $((clients + 512)) ]; then
  clients=$((limit - 512))
  echo "note: the open-file limit is $limit; running $clients clients"
fi
cargo build --release --locked -q -p notify --features bench --example ws_fanout
bin=target/release/palisade
data_dir=$(mktemp -d /tmp/palisade-bench-XXXXXX)
chmod 711 "$data_dir"
port=$((20000 + RANDOM % 20000))
password="fanout-passphrase-$RANDOM$RANDOM"
pid=""
trap '[ -n "$pid" ] && kill -TERM $pid 2>/dev/null && wait $pid 2>/dev/null; rm -rf "$data_dir"' EXIT

unlimited=1000000/s
PALISADE_DATA_DIR="$data_dir" PALISADE_LISTEN="127.0.0.1:$port" PALISADE_TLS_BEHIND_PROXY=true \
  PALISADE_LOG=warn PALISADE_ADMIN_EMAIL=operator@palisade.test PALISADE_ADMIN_PASSWORD="$password" \
  PALISADE_RATE_LIMITS_GENERAL_PER_IP=$unlimited PALISADE_RATE_LIMITS_GENERAL_PER_PRINCIPAL=$unlimited \
  PALISADE_RATE_LIMITS_AUTH_PER_IP=$unlimited PALISADE_DATABASE_MAX_CONNECTIONS=32 \
  "$bin" serve >>"$data_dir/serve.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
  kill -0 $pid 2>/dev/null || { cat "$data_dir/serve.log"; exit 1; }
  sleep 0.05
done

sleep 1
awk '/VmRSS/ {printf "server RSS idle after start: %.0f MB\n", $2 / 1024}' "/proc/$pid/status"
ticks=$(getconf CLK_TCK)
server_cpu() { awk -v t="$ticks" '{printf "%.2f", ($14 + $15) / t}' "/proc/$pid/stat"; }
before=$(server_cpu)
TIMEFORMAT='clients (one process, 10,000 sockets): %U s user + %S s system CPU over %R s'
time BENCH_API="http://127.0.0.1:$port" BENCH_CLIENTS=$clients \
  BENCH_DATABASE_URL="postgres://postgres@localhost/palisade?host=$data_dir/postgres/run" \
  BENCH_ADMIN_EMAIL=operator@palisade.test BENCH_ADMIN_PASSWORD="$password" \
  target/release/examples/ws_fanout
after=$(server_cpu)
echo "server: $(echo "$after - $before" | bc) s CPU during the run; RSS after it: $(awk '/VmRSS/ {printf "%.0f MB", $2 / 1024}' "/proc/$pid/status")"
echo "$(nproc) CPUs shared by the server, the clients and PostgreSQL"

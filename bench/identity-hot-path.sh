#!/usr/bin/env bash
# The hot path every request takes (token check, permission lookup, a tenant-scoped read under
# RLS in one round trip), measured as an authenticated GET /v1/audit-log?limit=25 over 10,000
# audit rows at 16 connections: once with a JWT, once with an API key, and the two refusals (a bad token: 401; a
# key without the permission: 403). In the same run, pgbench replays the statement the server
# runs for that request (the same call, prepared, as the application role, 16 clients, over the
# same Unix socket) and our rate is printed as a share of it: the database's own speed is
# the ceiling. Also prints where the machine's CPU went (server, PostgreSQL, load generator)
# and the server's resident memory idle and under load.
# Target: >= 10,000 req/s with p99 < 20 ms, and >= 0.8x pgbench. For scale, the two original
# implementations of these designs manage 57 and 286 req/s on this machine for a comparable list.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/pgbench | tail -1)")
bin=target/release/palisade
data_dir=$(mktemp -d /tmp/palisade-bench-XXXXXX)
chmod 711 "$data_dir"
port=$((20000 + RANDOM % 20000))
password="hot-path-passphrase-$RANDOM$RANDOM"
seconds=${BENCH_SECONDS:-15}
pid=""
trap '[ -n "$pid" ] && kill -TERM $pid 2>/dev/null && wait $pid 2>/dev/null; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$data_dir"' EXIT

unlimited=1000000/s
PALISADE_DATA_DIR="$data_dir" PALISADE_LISTEN="127.0.0.1:$port" PALISADE_REDIRECT_LISTEN=off \
  PALISADE_LOG=warn PALISADE_ADMIN_EMAIL=operator@palisade.test PALISADE_ADMIN_PASSWORD="$password" \
  PALISADE_RATE_LIMITS_GENERAL_PER_IP=$unlimited PALISADE_RATE_LIMITS_GENERAL_PER_PRINCIPAL=$unlimited \
  PALISADE_RATE_LIMITS_FAILED_CREDENTIALS_PER_IP=$unlimited \
  PALISADE_DATABASE_MAX_CONNECTIONS=32 \
  "$bin" serve >>"$data_dir/serve.log" 2>&1 &
pid=$!
until curl -skf "https://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
  kill -0 $pid 2>/dev/null || { cat "$data_dir/serve.log"; exit 1; }
  sleep 0.05
done
sleep 1
rss() { awk '/VmRSS/ {printf "%.0f MB", $2 / 1024}' "/proc/$pid/status"; }
echo "server RSS idle after start: $(rss)"
api="https://127.0.0.1:$port"
json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
token=$(curl -sk "$api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"operator@palisade.test\",\"password\":\"$password\"}" | json '["access_token"]')
key=$(curl -sk "$api/v1/api-keys" -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"name":"bench","scopes":["AUDIT_VIEW"]}' | json '["key"]')
weak_key=$(curl -sk "$api/v1/api-keys" -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"name":"bench-weak","scopes":["USERS_VIEW"]}' | json '["key"]')
tenant=$(curl -sk "$api/v1/auth/me" -H "authorization: Bearer $token" | json '["tenant"]["id"]')

# 10,000 rows in the tenant's audit log. Written as the superuser with triggers off (this
# cluster is thrown away): the read path is what is measured, not the chaining.
socket_dir="$data_dir/postgres/run"
psql -q -o /dev/null -h "$socket_dir" -U postgres -d palisade -v ON_ERROR_STOP=1 <<SQL
set session_replication_role = replica;
insert into audit_log (tenant_id, seq, prev_hash, hash, link, actor_type, action, target_type,
                       target_id, summary)
select '$tenant', 1000000 + g, '\x00'::bytea, '\x00'::bytea, 'hmac', 'system', 'bench.row',
       'thing', g::text, jsonb_build_object('n', g)
from generate_series(1, 10000) g;
analyze audit_log;
SQL

# CPU seconds (user + system) of a set of processes, from /proc.
ticks=$(getconf CLK_TCK)
cpu_of() { cat "${@/#//proc/}" 2>/dev/null | awk -v t="$ticks" '{s += $14 + $15} END {printf "%.2f", s / t}'; }
postgres_pids() {
  local postmaster
  postmaster=$(head -1 "$data_dir/postgres/data/postmaster.pid")
  { echo "$postmaster"; pgrep -P "$postmaster"; } | sed 's#$#/stat#'
}
machine_cpu() { awk '/^cpu / {printf "%.2f", ($2 + $3 + $4 + $7 + $8) / '"$ticks"'}' /proc/stat; }
report_cpu() {
  local label=$1 server0=$2 pg0=$3 all0=$4
  local server1 pg1 all1
  server1=$(cpu_of "$pid/stat"); pg1=$(cpu_of $(postgres_pids)); all1=$(machine_cpu)
  python3 - "$label" "$server0" "$server1" "$pg0" "$pg1" "$all0" "$all1" "$seconds" "$(nproc)" <<'PY'
import sys
label, s0, s1, p0, p1, a0, a1, secs, cpus = sys.argv[1:]
server, pg, machine = float(s1) - float(s0), float(p1) - float(p0), float(a1) - float(a0)
other = max(machine - server - pg, 0.0)
capacity = float(secs) * int(cpus)
print(f"         CPU during {label}: server {server / capacity:.0%}, PostgreSQL {pg / capacity:.0%}, "
      f"load generator and the rest {other / capacity:.0%} of {cpus} cores")
PY
}

run() {
  local name=$1 credential=$2 expect=$3
  local server0 pg0 all0
  server0=$(cpu_of "$pid/stat"); pg0=$(cpu_of $(postgres_pids)); all0=$(machine_cpu)
  wrk -t2 -c16 -d"${seconds}s" --latency -H "authorization: Bearer $credential" \
    "$api/v1/audit-log?limit=25" >"$data_dir/wrk.txt"
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$data_dir/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$data_dir/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$data_dir/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $4}' "$data_dir/wrk.txt")
  local ratio=""
  [ -n "${pgbench_tps:-}" ] && ratio=$(printf '  %.2fx pgbench' "$(echo "$rps / $pgbench_tps" | bc -l)")
  printf '%-12s GET /v1/audit-log?limit=25 (%s): %8s req/s  p50 %-9s p99 %-9s non-2xx %s%s  (%.0fx 286 req/s)\n' \
    "$name" "$expect" "$rps" "$p50" "$p99" "${non2xx:-0}" "$ratio" "$(echo "$rps / 286" | bc -l)"
  report_cpu "$name" "$server0" "$pg0" "$all0"
  echo "         server RSS under load: $(rss)"
}

# The statement the server runs for this request: one call of the reading function that scopes
# itself to the tenant and reads the page (limit 25 + 1), prepared, as sqlx sends it.
cat >"$data_dir/hot-path.sql" <<SQL
select * from audit_log_page('$tenant', null, null, null, null, null, null, null, null, 26);
SQL
"$pg_bin/pgbench" -n -M prepared -c16 -j2 -T"$seconds" -h "$socket_dir" -U palisade_app -f "$data_dir/hot-path.sql" palisade \
  >"$data_dir/pgbench.txt" 2>&1 || { cat "$data_dir/pgbench.txt"; exit 1; }
pgbench_tps=$(awk '/^tps/ {print $3; exit}' "$data_dir/pgbench.txt")
pgbench_latency=$(awk '/latency average/ {print $4 " " $5}' "$data_dir/pgbench.txt")
printf '%-12s the same statement, 16 clients on the Unix socket: %8.0f tx/s  (mean latency %s)\n' \
  pgbench "$pgbench_tps" "$pgbench_latency"

run JWT "$token" 200
run API-key "$key" 200
run bad-token "not-a-token" 401
run no-permission "$weak_key" 403
echo "target: >= 10000 req/s, p99 < 20ms and >= 0.8x pgbench (16 connections, 2 wrk threads, same $(nproc)-core machine)"

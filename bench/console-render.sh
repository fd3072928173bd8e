#!/usr/bin/env bash
# Server-side render time of the console's dashboard and alert queue with BENCH_ALERTS (default
# 100,000) alerts in the tenant, signed in through the console's own login form. The time is
# curl's time to first byte minus its time to the request being sent (TLS is already up): what
# the server spent on the page, over loopback. 30 loads of each page.
# Target: < 100 ms each.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/server.sh
total=${BENCH_ALERTS:-100000}
key=$(api_key '["ALERTS_INGEST"]')
make_batches "$data_dir/batches" $((total / 1000)) 1000
ls "$data_dir"/batches/*.json | xargs -P 4 -I{} curl -skf -o /dev/null "$api/v1/alerts/ingest" \
  -H "authorization: Bearer $key" -H 'content-type: application/json' --data-binary @{}
stored=$(psql_super -t -A -c "select count(*) from alerts")
psql_super -c "analyze"

jar="$data_dir/cookies.txt"
form=$(curl -sk -c "$jar" "$api/login")
login_token=$(printf '%s' "$form" | sed -n 's/.*name="_login" value="\([0-9a-f]*\)".*/\1/p')
curl -sk -b "$jar" -c "$jar" -o /dev/null -H "origin: $api" "$api/login" \
  --data-urlencode "_login=$login_token" --data-urlencode "email=operator@palisade.test" \
  --data-urlencode "password=$password" --data-urlencode "next=/"
grep -q palisade_session "$jar" || { echo "console sign-in failed"; exit 1; }

measure() {
  local label=$1 path=$2
  for _ in $(seq 1 30); do
    curl -sk -b "$jar" -o /dev/null -w '%{http_code} %{time_pretransfer} %{time_starttransfer}\n' "$api$path"
  done | python3 -c '
import sys
label = sys.argv[1]
rows = [line.split() for line in sys.stdin if line.strip()]
bad = [r[0] for r in rows if r[0] != "200"]
ms = sorted((float(r[2]) - float(r[1])) * 1000 for r in rows)
print(f"{label}: median {ms[len(ms) // 2]:.1f} ms, p95 {ms[int(len(ms) * 0.95)]:.1f} ms, max {ms[-1]:.1f} ms"
      + (f" ({len(bad)} answers not 200: {bad[:3]})" if bad else "") + " (target < 100 ms)")
' "$label"
}
echo "tenant holds $stored alerts"
measure "dashboard /" "/"
measure "dashboard /?days=30" "/?days=30"
measure "alert queue /alerts" "/alerts"
measure "alert queue, open high or worse" "/alerts?status=new,acknowledged,investigating&min_severity=high"

#!/usr/bin/env bash
# Sustained alert ingestion over HTTP: BENCH_ALERTS (default 100,000) distinct alerts in Palisade's
# format, pushed in batches of 1,000 by 4 concurrent clients, each batch durably committed before
# its 200; alerts/s fully committed. Meanwhile a fifth client lists the queue
# (GET /v1/alerts?limit=50) 20 times a second over one connection: its p50/p99. Then, in the same
# run, a raw `COPY` of the same alert rows and their observable rows into twin tables with the
# same indexes, and into twins without indexes: the database's own speed for these rows, the
# ceilings our figure is printed against.
# Target: >= 50 % of raw COPY, list p99 < 50 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/server.sh
total=${BENCH_ALERTS:-100000}
size=1000
batches=$((total / size))
key=$(api_key '["ALERTS_INGEST", "ALERTS_VIEW"]')
make_batches "$data_dir/batches" "$batches" "$size"
# Warm up (plans, pool): one small batch, not counted.
python3 - "$data_dir/warm.json" <<'PY'
import json, sys
json.dump([{"title": "warm-up", "severity": "low", "source": "bench"}], open(sys.argv[1], "w"))
PY
curl -skf "$api/v1/alerts/ingest" -H "authorization: Bearer $key" -H 'content-type: application/json' \
  --data-binary @"$data_dir/warm.json" >/dev/null

# The concurrent list, as a console refreshing over one kept-alive connection: 20 requests a
# second until the ingestion ends. (A new curl and TLS handshake per request, as this bench did
# before, cost the load generator a third of the machine.)
list_url="$api/v1/alerts?limit=50"
list_urls=()
for _ in $(seq 20); do list_urls+=(-o /dev/null "$list_url"); done
(
  while [ ! -e "$data_dir/done" ]; do
    curl -sk --rate 20/s -w '%{time_total}\n' -H "authorization: Bearer $key" "${list_urls[@]}"
  done
) >"$data_dir/list-times.txt" &
lister=$!
start=$(date +%s.%N)
ls "$data_dir"/batches/*.json | xargs -P 4 -I{} curl -sk -o /dev/null -w '%{http_code}\n' \
  "$api/v1/alerts/ingest" -H "authorization: Bearer $key" -H 'content-type: application/json' \
  --data-binary @{} >"$data_dir/codes.txt"
end=$(date +%s.%N)
touch "$data_dir/done"
wait $lister
committed=$(psql_super -t -A -c "select count(*) from alerts where title <> 'warm-up'")
occurrences=$(psql_super -t -A -c "select coalesce(sum(occurrences), 0) from alerts where title <> 'warm-up'")
bad=$(grep -vc '^200$' "$data_dir/codes.txt" || true)

# Raw COPY of the same rows into twins with the same indexes (no triggers, no RLS: the floor of
# what PostgreSQL needs to store them), then into twins without indexes (the floor of the bytes).
columns() {
  psql_super -t -A -c "select string_agg(quote_ident(column_name), ', ' order by ordinal_position)
                         from information_schema.columns
                        where table_name = '$1' and is_generated = 'NEVER'"
}
alert_columns=$(columns alerts)
observable_columns=$(columns alert_observables)
psql_super <<SQL
create table bench_alerts (like alerts including all);
create table bench_observables (like alert_observables including all);
create table bench_alerts_bare (like alerts including generated including compression);
create table bench_observables_bare (like alert_observables);
copy (select $alert_columns from alerts) to '/tmp/palisade-bench-alerts.copy';
copy (select $observable_columns from alert_observables) to '/tmp/palisade-bench-observables.copy';
SQL
copy_start=$(date +%s.%N)
psql_super <<SQL
copy bench_alerts ($alert_columns) from '/tmp/palisade-bench-alerts.copy';
copy bench_observables ($observable_columns) from '/tmp/palisade-bench-observables.copy';
SQL
copy_end=$(date +%s.%N)
psql_super <<SQL
copy bench_alerts_bare ($alert_columns) from '/tmp/palisade-bench-alerts.copy';
copy bench_observables_bare ($observable_columns) from '/tmp/palisade-bench-observables.copy';
SQL
bare_end=$(date +%s.%N)
rm -f /tmp/palisade-bench-alerts.copy /tmp/palisade-bench-observables.copy

python3 - "$committed" "$start" "$end" "$copy_start" "$copy_end" "$data_dir/list-times.txt" "$bad" "$occurrences" "$bare_end" <<'PY'
import sys
committed, start, end, c0, c1, times, bad, occurrences, c2 = sys.argv[1:]
committed, occurrences = int(committed), int(occurrences)
rate = committed / (float(end) - float(start))
print(f"{occurrences} alerts pushed and accepted, stored as {committed} rows (repeats folded by dedup)")
copy_rate = committed / (float(c1) - float(c0))
lat = sorted(float(x) * 1000 for x in open(times) if x.strip())
pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))] if lat else float("nan")
print(f"ingested over HTTP: {committed} alerts committed in {float(end) - float(start):.1f} s = {rate:,.0f} alerts/s "
      f"(batches of 1,000, 4 clients; {bad} non-200 answers)")
bare_rate = committed / (float(c2) - float(c1))
print(f"raw COPY of the same alert and observable rows, same indexes: {copy_rate:,.0f} alerts/s")
print(f"raw COPY of the same rows into tables without indexes: {bare_rate:,.0f} alerts/s")
print(f"ratio: {rate / copy_rate:.2f}x of COPY with the same indexes, {rate / bare_rate:.2f}x of COPY without (target >= 0.50)")
print(f"concurrent list GET /v1/alerts?limit=50: {len(lat)} requests, p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms (target p99 < 50 ms)")
PY

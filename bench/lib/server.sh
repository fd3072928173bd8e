# Shared by benchmarks: starts the release binary on a random loopback port with its embedded
# PostgreSQL in a throwaway data directory, rate limits off, and the first administrator's
# password known. Sets: pid, port, api, data_dir, password, socket_dir. Sourced, not run.
bin=${PALISADE_BIN:-target/release/palisade}
data_dir=$(mktemp -d /tmp/palisade-bench-XXXXXX)
chmod 711 "$data_dir"
port=$((20000 + RANDOM % 20000))
password="bench-passphrase-$RANDOM$RANDOM"
pid=""
trap '[ -n "$pid" ] && kill -TERM $pid 2>/dev/null && wait $pid 2>/dev/null; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$data_dir"' EXIT
unlimited=1000000/s
PALISADE_DATA_DIR="$data_dir" PALISADE_LISTEN="127.0.0.1:$port" PALISADE_REDIRECT_LISTEN=off \
  PALISADE_LOG=warn PALISADE_ADMIN_EMAIL=operator@palisade.test PALISADE_ADMIN_PASSWORD="$password" \
  PALISADE_PUBLIC_URL="https://127.0.0.1:$port" \
  PALISADE_RATE_LIMITS_GENERAL_PER_IP=$unlimited PALISADE_RATE_LIMITS_GENERAL_PER_PRINCIPAL=$unlimited \
  PALISADE_RATE_LIMITS_BULK_PER_PRINCIPAL=$unlimited PALISADE_RATE_LIMITS_AUTH_PER_IP=$unlimited \
  PALISADE_RATE_LIMITS_EXPENSIVE_PER_PRINCIPAL=$unlimited \
  PALISADE_RATE_LIMITS_FAILED_CREDENTIALS_PER_IP=$unlimited \
  PALISADE_DATABASE_MAX_CONNECTIONS=32 \
  "$bin" serve >>"$data_dir/serve.log" 2>&1 &
pid=$!
until curl -skf "https://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
  kill -0 $pid 2>/dev/null || { cat "$data_dir/serve.log"; exit 1; }
  sleep 0.05
done
api="https://127.0.0.1:$port"
socket_dir="$data_dir/postgres/run"
json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
token=$(curl -sk "$api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"operator@palisade.test\",\"password\":\"$password\"}" | json '["access_token"]')
# An API key with `scopes` (a JSON list).
api_key() {
  curl -sk "$api/v1/api-keys" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"name\":\"bench-$RANDOM\",\"scopes\":$1}" | json '["key"]'
}
psql_super() { psql -q -X -h "$socket_dir" -U postgres -d palisade -v ON_ERROR_STOP=1 "$@"; }

# Writes `$2` batch files of `$3` distinct alerts each (Palisade's format, JSON arrays, realistic
# size: observables, ATT&CK tags, a raw-ish description) under directory `$1`.
make_batches() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, os, random, sys
out, batches, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out, exist_ok=True)
severities = ["low", "medium", "high", "critical", "informational"]
techniques = ["T1059.001", "T1078", "T1110", "T1566.001", "T1021.002", "T1003.001"]
rng = random.Random(7)
n = 0
for b in range(batches):
    items = []
    for _ in range(size):
        n += 1
        host = f"host-{rng.randrange(5000)}.corp.example"
        items.append({
            "source_id": f"bench-{n}",
            "title": f"Suspicious activity {n % 977} on {host}",
            "severity": severities[n % len(severities)],
            "source": "edge-sensor",
            "description": "Process tree and network activity matched a behavioural analytic; "
                           "see the raw event for the command line and parent process.",
            "rule": {"id": f"rule-{n % 977}", "name": f"Behavioural analytic {n % 977}"},
            "attacks": [techniques[n % len(techniques)]],
            "observables": [
                {"type": "hostname", "value": host},
                {"type": "ip", "value": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"},
                {"type": "user", "value": f"user{rng.randrange(20000)}"},
                {"type": "file_hash", "value": "%064x" % rng.getrandbits(256)},
            ],
            "raw": {"process": {"command_line": f"powershell -enc {'A' * 40}{n}", "pid": n},
                     "parent": {"name": "winword.exe"}},
        })
    with open(os.path.join(out, f"{b:05d}.json"), "w") as f:
        json.dump(items, f)
PY
}

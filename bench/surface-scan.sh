#!/usr/bin/env bash
# `palisade scan` against nmap on loopback, in the same run:
#  1. Full range: known listeners as ground truth (BENCH_PLAIN, 40: SSH banners, HTTP answers,
#     accept-then-close, silent), then BENCH_RUNS (20) runs each of
#     `palisade scan 127.0.0.1 --ports 1-65535 --no-hints --json` (ports only, like nmap -sT) and
#     `nmap -sT -Pn -n -p- 127.0.0.1`, alternating which goes first. Reports wall time (median,
#     ratio), peak RSS, and false positives and negatives against the listeners the kernel lists
#     before and after each run (so other programs' listeners count as truth too; one that
#     listened only for a moment during a run may be reported). One more run of ours with
#     service hints on.
#  2. TLS grab: BENCH_TLS (1000) TLS listeners, each with its own certificate, scanned with
#     `palisade scan --tls` and with `nmap -sT -Pn -n -p LIST --script +ssl-cert`, BENCH_TLS_RUNS
#     (3) times; reports wall time, peak RSS, and how many certificates each got right (SHA-256
#     for ours, SHA-1 for nmap, both checked against the served DER).
# Targets: <= 0.5x nmap's wall time, <= 50 MB RSS, zero false results. The machine may be shared
# with other work: the load average is printed with the figures.
# nmap and GNU time come from Debian's packages when missing (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${BENCH_RUNS:-20}
plain=${BENCH_PLAIN:-40}
tls_listeners=${BENCH_TLS:-1000}
tls_runs=${BENCH_TLS_RUNS:-3}

if ! command -v nmap >/dev/null || [ ! -x /usr/bin/time ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nmap time >/dev/null
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cargo build --release -q -p palisade --bin palisade
cargo build --release -q -p surface-engine --features bench --example bench_listeners
target=${CARGO_TARGET_DIR:-target}/release
palisade=$target/palisade
listeners=$target/examples/bench_listeners
work=$(mktemp -d /tmp/surface-bench-XXXXXX)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

start_listeners() {
  "$listeners" "$@" --truth "$work/truth" &
  server=$!
  until [ -f "$work/truth" ]; do
    kill -0 "$server" 2>/dev/null || { echo "the listeners did not start" >&2; exit 1; }
    sleep 0.1
  done
}

stop_listeners() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
}

# Ports listening where a connection to 127.0.0.1 reaches them.
listening() {
  ss -Htln | awk '{print $4}' \
    | grep -E '^(127\.0\.0\.1|0\.0\.0\.0|\*|\[::\]|\[::ffff:127\.0\.0\.1\]):[0-9]+$' \
    | sed 's/.*://' | sort -un
}

timed() { # timed NAME OUT COMMAND...: stdout into OUT, wall seconds and peak RSS (KB) into NAME.time
  local name=$1 out=$2
  shift 2
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >"$out" 2>"$work/$name.err" \
    || { cat "$work/$name.err" >&2; exit 1; }
}

# Every host is listed port by port, however many ports are open (1,000 TLS listeners).
ours_flags=(--json --max-open 65535 --max-open-share 100)

echo "== full range of 127.0.0.1: $plain known listeners, $runs runs each"
start_listeners --plain "$plain" --tls 0
for i in $(seq 1 "$runs"); do
  listening >"$work/before.$i"
  # Other programs' listeners may come and go during a run; what the kernel listed at any moment
  # may be reported without being a false positive.
  (while :; do listening; sleep 0.02; done) >"$work/during.$i" &
  sampler=$!
  ours=(timed "ours.$i" "$work/ours.$i" "$palisade" scan 127.0.0.1 --ports 1-65535 --no-hints "${ours_flags[@]}")
  theirs=(timed "nmap.$i" /dev/null nmap -sT -Pn -n -p- 127.0.0.1 -oG "$work/nmap.$i")
  if [ $((i % 2)) -eq 1 ]; then "${ours[@]}"; "${theirs[@]}"; else "${theirs[@]}"; "${ours[@]}"; fi
  kill "$sampler"
  wait "$sampler" 2>/dev/null || true
  listening >"$work/after.$i"
done
timed hints "$work/hints" "$palisade" scan 127.0.0.1 --ports 1-65535 "${ours_flags[@]}"
cp "$work/truth" "$work/truth.plain"
stop_listeners
rm -f "$work/truth"

echo "== TLS grab: $tls_listeners TLS listeners, $tls_runs runs each"
start_listeners --plain 0 --tls "$tls_listeners"
tls_ports=$(awk '$1 == "tls" {print $2}' "$work/truth" | paste -sd,)
for i in $(seq 1 "$tls_runs"); do
  timed "tls.ours.$i" "$work/tls.ours.$i" "$palisade" scan 127.0.0.1 --ports "$tls_ports" --tls "${ours_flags[@]}"
  timed "tls.nmap.$i" /dev/null nmap -sT -Pn -n -p "$tls_ports" --script +ssl-cert 127.0.0.1 \
    -oX "$work/tls.nmap.$i"
done
stop_listeners

python3 - "$work" "$runs" "$tls_runs" <<'EOF'
import hashlib, json, re, statistics, sys
import xml.etree.ElementTree as ET

work, runs, tls_runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def lines(path):
    with open(path) as f:
        return [line.split() for line in f if line.strip()]

def timing(name):
    wall, rss = lines(f"{work}/{name}.time")[-1]
    return float(wall), int(rss) / 1024

def ports_of(path):
    with open(path) as f:
        return {int(p) for p in f.read().split()}

def hosts(path):
    """The `host` lines of `palisade scan --json`."""
    with open(path) as f:
        records = [json.loads(line) for line in f if line.strip()]
    return [r for r in records if r.get("type") == "host"]

def ours_open(path):
    return {port["port"] for host in hosts(path) for port in host["open"]}

def nmap_open(path):
    text = open(path).read()
    return {int(p) for p in re.findall(r"(\d+)/open/tcp", text)}

known = {int(fields[1]) for fields in lines(f"{work}/truth.plain")}
rows = {"ours": [], "nmap": []}
errors = {"ours": [0, 0], "nmap": [0, 0]}
for i in range(1, runs + 1):
    before, after = ports_of(f"{work}/before.{i}"), ports_of(f"{work}/after.{i}")
    during = ports_of(f"{work}/during.{i}")
    must, may = (before & after) | known, before | after | during | known
    for tool, found in (("ours", ours_open(f"{work}/ours.{i}")), ("nmap", nmap_open(f"{work}/nmap.{i}"))):
        rows[tool].append(timing(f"{tool}.{i}"))
        errors[tool][0] += len(found - may)
        errors[tool][1] += len(must - found)

def summary(tool):
    walls = [wall for wall, _ in rows[tool]]
    return statistics.median(walls), min(walls), max(walls), max(rss for _, rss in rows[tool])

ours, nmap = summary("ours"), summary("nmap")
print(f"full range, {runs} runs each (median / min / max wall s, peak RSS MB, false +, false -):")
for tool, label, figures in (("ours", "palisade scan", ours), ("nmap", "nmap -sT", nmap)):
    median, low, high, rss = figures
    fp, fn = errors[tool]
    print(f"  {label:14} {median:.3f} / {low:.3f} / {high:.3f} s  {rss:.1f} MB  FP {fp}  FN {fn}")
print(f"  wall-time ratio palisade/nmap (medians): {ours[0] / nmap[0]:.2f}  (target <= 0.5)")
wall, rss = timing("hints")
print(f"  palisade scan with service hints, one run: {wall:.3f} s, {rss:.1f} MB, {len(ours_open(work + '/hints'))} open")

truth = {}
for fields in lines(f"{work}/truth"):
    if fields[0] == "tls":
        der = bytes.fromhex(fields[3])
        truth[int(fields[1])] = (fields[2], hashlib.sha1(der).hexdigest())

def ours_tls(path):
    got = {}
    for host in hosts(path):
        for port in host["open"]:
            chain = (port.get("tls") or {}).get("chain") or []
            if chain:
                got[port["port"]] = chain[0]["sha256_fingerprint"]
    return got

def nmap_tls(path):
    got = {}
    for port in ET.parse(path).getroot().iter("port"):
        for script in port.iter("script"):
            if script.get("id") == "ssl-cert":
                for elem in script.iter("elem"):
                    if elem.get("key") == "sha1":
                        got[int(port.get("portid"))] = elem.text.strip().lower()
    return got

print(f"TLS grab of {len(truth)} listeners, {tls_runs} runs each (wall s, peak RSS MB, certificates right):")
ratios = []
for i in range(1, tls_runs + 1):
    ow, orss = timing(f"tls.ours.{i}")
    nw, nrss = timing(f"tls.nmap.{i}")
    got_ours, got_nmap = ours_tls(f"{work}/tls.ours.{i}"), nmap_tls(f"{work}/tls.nmap.{i}")
    right_ours = sum(1 for p, (sha256, _) in truth.items() if got_ours.get(p) == sha256)
    right_nmap = sum(1 for p, (_, sha1) in truth.items() if got_nmap.get(p) == sha1)
    wrong_ours = len(got_ours) - right_ours
    ratios.append(ow / nw)
    print(f"  run {i}: palisade {ow:.2f} s {orss:.1f} MB {right_ours} right {wrong_ours} wrong;"
          f" nmap {nw:.2f} s {nrss:.1f} MB {right_nmap} right")
print(f"  wall-time ratio palisade/nmap (median of runs): {statistics.median(ratios):.2f}  (target <= 0.5)")
EOF
echo "$(nproc) CPUs shared by the listeners, both scanners and any other work; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

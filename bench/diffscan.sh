#!/usr/bin/env bash
# Benchmark of the diffscan engine against a large real diff, beside detect-secrets.
#
# Run from the main repository's root:   bench/diffscan.sh
# Environment:
#   CRATE_DIR      the engine's crate (default crates/diffscan-engine)
#   CARGO_TARGET_DIR  where builds, the generated repository and the venv go (default target)
#   BENCH_MB       size of the clean part of the input in MB (default 40)
#   BENCH_RUNS     timed scans of each input, the best is reported (default 3)
#   SKIP_DETECT_SECRETS=1  do not install or run detect-secrets
#
# What it does, all locally (only crates.io and PyPI are reached, for the build and the venv):
#   1. builds a git repository from crate sources under ~/.cargo/registry/src, one commit per
#      crate version (versions of one crate land in the same directory, so later ones are
#      modifications), and writes `git log -p` of it as the clean input;
#   2. runs examples/diffscan_bench.rs on one core: MB/s with the whole built-in pack, blocking
#      findings on the clean input, then seeds known secrets and injections and reports recall;
#   3. runs detect-secrets (PyPI, in a venv under the target directory) on the same seeded input:
#      wall time, MB/s and recall on the seeded secrets.
set -euo pipefail

CRATE_DIR=${CRATE_DIR:-crates/diffscan-engine}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BENCH_MB=${BENCH_MB:-40}
BENCH_RUNS=${BENCH_RUNS:-3}
REGISTRY=${CARGO_HOME:-$HOME/.cargo}/registry/src
WORK=$TARGET_DIR/diffscan-bench
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
CLEAN=$WORK/clean-${BENCH_MB}mb.diff

pin_one_core() {
    if command -v taskset >/dev/null 2>&1; then taskset -c 0 "$@"; else "$@"; fi
}

build_clean_diff() {
    local repo=$WORK/repo limit=$((BENCH_MB * 1000 * 1000)) copied=0
    rm -rf "$repo" && mkdir -p "$repo"
    git -C "$repo" init -q
    export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost
    export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost
    export GIT_AUTHOR_DATE="2024-01-01T00:00:00Z" GIT_COMMITTER_DATE="2024-01-01T00:00:00Z"
    local source crate name size
    for source in $(find "$REGISTRY" -mindepth 2 -maxdepth 2 -type d | LC_ALL=C sort); do
        crate=$(basename "$source")
        name=${crate%-[0-9]*}
        size=$(du -sb "$source" | cut -f1)
        # Skip vendored monsters (bundled C libraries, generated bindings) to keep variety.
        if [ "$size" -gt $((8 * 1000 * 1000)) ]; then continue; fi
        rm -rf "${repo:?}/$name"
        cp -r "$source" "$repo/$name"
        git -C "$repo" -c core.autocrlf=false add -A -f "$name"
        git -C "$repo" -c core.autocrlf=false commit -q -m "vendor $crate" --allow-empty
        copied=$((copied + size))
        if [ "$copied" -ge "$limit" ]; then break; fi
    done
    git -C "$repo" -c core.quotepath=true log -p --reverse --no-color --no-renames --format=medium \
        > "$CLEAN.partial"
    # Cut at a file boundary near the requested size, so the clean part is BENCH_MB MB.
    python3 - "$CLEAN.partial" "$CLEAN" "$limit" <<'PY'
import sys
source, target, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(source, "rb").read()
if len(data) > limit:
    cut = data.rfind(b"\ndiff --git ", 0, limit)
    data = data[: cut + 1] if cut > 0 else data[:limit]
open(target, "wb").write(data)
PY
    rm -f "$CLEAN.partial"
}

if [ ! -s "$CLEAN" ]; then
    echo "building the clean input from $REGISTRY ..." >&2
    build_clean_diff
fi

echo "building the benchmark (release) ..." >&2
CARGO_TARGET_DIR=$TARGET_DIR cargo build -q --release --features bench --example diffscan_bench \
    --manifest-path "$CRATE_DIR/Cargo.toml"
BENCH_BIN=$TARGET_DIR/release/examples/diffscan_bench

pin_one_core "$BENCH_BIN" --clean "$CLEAN" --seeded-out "$WORK/seeded.diff" \
    --secrets-out "$WORK/seeded-secrets.tsv" --runs "$BENCH_RUNS"

if [ "${SKIP_DETECT_SECRETS:-0}" = 1 ]; then exit 0; fi

VENV=$WORK/venv
if [ ! -x "$VENV/bin/detect-secrets" ]; then
    echo "installing detect-secrets into $VENV ..." >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q detect-secrets
fi
echo >&2
echo "running detect-secrets on the same seeded input ..." >&2
start=$(date +%s.%N)
(cd "$WORK" && pin_one_core "$VENV/bin/detect-secrets" scan --all-files seeded.diff > detect-secrets.json)
end=$(date +%s.%N)
python3 - "$WORK/detect-secrets.json" "$WORK/seeded-secrets.tsv" "$WORK/seeded.diff" "$CLEAN" "$start" "$end" \
    "$("$VENV/bin/detect-secrets" --version)" <<'PY'
import json, os, sys
report, seeds, seeded, clean, start, end, version = sys.argv[1:]
results = json.load(open(report))["results"].get("seeded.diff", [])
found_lines = {r["line_number"] for r in results}
# detect-secrets numbers lines as Python's text mode reads them (a lone \r also ends a line);
# the seeded tail has plain \n lines, so its numbers shift by what the clean part adds.
clean_lines = len(open(clean).readlines())
drift = clean_lines - open(clean, "rb").read().count(b"\n")
expected = [line.rstrip("\n").split("\t") for line in open(seeds) if line.strip()]
for e in expected:
    e[0] = str(int(e[0]) + drift)
hit = [e for e in expected if int(e[0]) in found_lines]
on_clean = sum(1 for r in results if r["line_number"] <= clean_lines)
seconds = float(end) - float(start)
size = os.path.getsize(seeded)
print(f"detect-secrets {version}: {size / 1e6:.1f} MB in {seconds:.2f} s wall = {size / 1e6 / seconds:.2f} MB/s (one core)")
print(f"detect-secrets recall on seeded secrets: {len(hit)}/{len(expected)} = {100.0 * len(hit) / max(len(expected), 1):.1f} %")
print(f"detect-secrets findings on the clean part: {on_clean}")
missed = {}
for e in expected:
    if int(e[0]) not in found_lines:
        missed[e[1]] = missed.get(e[1], 0) + 1
if missed:
    print("detect-secrets missed by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(missed.items())))
    print("  (detect-secrets keeps one result per file and secret hash; its GitHub, GitLab and")
    print("   private-key detectors hash a fixed prefix, so repeats of those in one input collapse)")
PY

#!/usr/bin/env bash
# Sigma evaluation events/s per core at 100 rules (target: >= 400,000) and alert normalization
# alerts/s, on one thread, from crates/detect/examples/sigma_bench.rs. Run from the repository
# root; BENCH_SECONDS (5) is the time spent on each figure.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release --locked -q -p detect --features bench --example sigma_bench

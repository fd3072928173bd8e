#!/usr/bin/env bash
# Events committed -> delivered to a local webhook receiver (signed, over HTTP on loopback),
# through the real outbox, job runner and relay, on a throwaway PostgreSQL cluster.
# Eight writers commit events ten to a transaction at the offered rate; prints the rates
# committed and delivered, commit->receive latency (p50, p99), lost and repeated deliveries.
# Also prints how much of the machine the run used (busy cores, µs of CPU per event).
# Arguments: number of events (20000), offered events/s (5000). Target: >= 5,000 events/s
# delivered, p99 < 1 s, none lost, none received twice. BENCH_BACKLOG=1 runs the writers first
# with the relay stopped, then the relay alone draining the backlog, and prints each side's rate
# and cost.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release --locked -q -p testapp --example delivery_bench -- "${1:-20000}" "${2:-5000}"

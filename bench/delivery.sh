#!/usr/bin/env bash
# Events committed -> delivered to a local webhook receiver (signed, over HTTP on loopback),
# through the real outbox, job runner and relay, on a throwaway PostgreSQL cluster.
# Prints events/s and commit->receive latency (p50, p99). Argument: number of events (2000).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release --locked -q -p testapp --example delivery_bench -- "${1:-2000}"

#!/usr/bin/env bash
# What the gateway's Micrometer meters cost, on loopback: compare.sh with gateway A without a meter
# registry (LocalCluster's default) and gateway B recording into a PrometheusMeterRegistry (what
# `splitter serve` does), nginx split_clients the peer, ROUNDS rounds; the CPU time per request is
# the figure to read. At the end, B's splitter_requests_total lines from the scrape it prints on
# its way out, to show the meters counted.
# Usage: benchmarks/gateway/metrics.sh [SECONDS] [CONNECTIONS] [ROUNDS]   (results: docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
A_OPTS="${GATEWAY_JAVA_OPTS:-}" \
  B_OPTS="${GATEWAY_JAVA_OPTS:-} -Dgateway.metrics=prometheus" \
  EXIT_LINES='^splitter_requests_total\{.*2xx' \
  exec benchmarks/gateway/compare.sh "${1:-12}" "${2:-64}" "${3:-3}"

#!/usr/bin/env bash
# Load test on loopback, all in one run: wrk against (a) one backend directly, (b) splitter's local
# gateway splitting 80/20 over two backends, without a meter registry and with a Prometheus one (as
# splitter serve runs it), (c) nginx split_clients doing the same split; then
# keyed requests (a user id per request, post-keyed.lua): the gateway with a header it does not
# read (random, the same client cost), the gateway keyed by x-splitter-key, and nginx split_clients
# on that header (its sticky split by key).
# Backends are nginx returning a fixed body. Usage: benchmarks/gateway/run.sh [SECONDS] [CONNECTIONS]
# NATIVE=0 runs the gateway on Java NIO; GATEWAY_JAVA_OPTS passes JVM options to it.
# Results: docs/benchmarks.md. Every process it starts listens on 127.0.0.1 and is stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
connections="${2:-64}"
source benchmarks/gateway/lib.sh

start_nginx_split
start_gateway 18091 http://127.0.0.1:18081/ http://127.0.0.1:18082/
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:-} -Dgateway.metrics=prometheus" \
  start_gateway 18092 http://127.0.0.1:18081/ http://127.0.0.1:18082/

echo "== warm-up (JIT), not recorded"
load 10s http://127.0.0.1:18091/split >/dev/null
load 10s http://127.0.0.1:18092/split >/dev/null
load 5s http://127.0.0.1:18090/split >/dev/null
for target in "direct backend|http://127.0.0.1:18081/|post.lua|" \
              "splitter gateway 80/20|http://127.0.0.1:18091/split|post.lua|" \
              "splitter gateway 80/20 with a Prometheus meter registry|http://127.0.0.1:18092/split|post.lua|" \
              "nginx split_clients 80/20|http://127.0.0.1:18090/split|post.lua|" \
              "splitter gateway 80/20, a user header it does not read|http://127.0.0.1:18091/split|post-keyed.lua|x-user-tag" \
              "splitter gateway 80/20, keyed by x-splitter-key|http://127.0.0.1:18091/split|post-keyed.lua|x-splitter-key" \
              "nginx split_clients on x-splitter-key 80/20|http://127.0.0.1:18090/keyed|post-keyed.lua|x-splitter-key"; do
  IFS='|' read -r name url script header <<<"$target"
  echo "== $name: ${header:+KEY_HEADER=$header }wrk -t2 -c$connections -d${seconds}s --latency -s $script $url"
  KEY_HEADER="$header" load "${seconds}s" "$url" "$script" \
    | grep -E "Requests/sec|Non-2xx|Socket errors|^ +(50|75|90|99)%|Latency "
done

#!/usr/bin/env bash
# What the gateway's Micrometer meters cost, on loopback, in one run: two gateways with the same
# 80/20 split over two nginx backends, one recording into a PrometheusMeterRegistry (what `splitter
# serve` does) and one without a registry (LocalCluster's default), loaded in turn by wrk, ROUNDS
# times (which goes first alternates), with nginx split_clients as the peer in each round. Beside
# wrk's figures, each gateway's CPU time per request in the round (user + system, from /proc), which
# the two cores' scheduling disturbs far less than requests per second.
# Usage: benchmarks/gateway/metrics.sh [SECONDS] [CONNECTIONS] [ROUNDS]   (results: docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-15}"
connections="${2:-64}"
rounds="${3:-3}"
source benchmarks/gateway/lib.sh

start_nginx_split
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:-}" \
  start_gateway 18291 http://127.0.0.1:18081/ http://127.0.0.1:18082/
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:-} -Dgateway.metrics=prometheus" \
  start_gateway 18292 http://127.0.0.1:18081/ http://127.0.0.1:18082/

targets=(http://127.0.0.1:18291/split http://127.0.0.1:18292/split http://127.0.0.1:18090/split)
ticks_per_second="$(getconf CLK_TCK)"
# cpu_ticks PID: the process's user + system time so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
echo "== warm-up (JIT), not recorded"
for url in "${targets[@]}"; do load 10s "$url" >/dev/null; done
for round in $(seq "$rounds"); do
  order=("${targets[@]}")
  # Odd rounds load the gateway without meters first, even ones the metered one first.
  [ $((round % 2)) = 0 ] && order=("${targets[1]}" "${targets[0]}" "${targets[2]}")
  for url in "${order[@]}"; do
    echo "== round $round: wrk -t2 -c$connections -d${seconds}s --latency -s post.lua $url"
    pid=""
    [ "$url" = "${targets[0]}" ] && pid="${gateway_pids[0]}"
    [ "$url" = "${targets[1]}" ] && pid="${gateway_pids[1]}"
    before="$([ -n "$pid" ] && cpu_ticks "$pid" || echo 0)"
    load "${seconds}s" "$url" > "$work/wrk.out"
    grep -E "Requests/sec|Non-2xx|Socket errors|^ +(50|99)%" "$work/wrk.out"
    if [ -n "$pid" ]; then
      requests="$(awk '/requests in/ {print $1}' "$work/wrk.out")"
      awk -v t="$(( $(cpu_ticks "$pid") - before ))" -v hz="$ticks_per_second" -v n="$requests" \
        'BEGIN { printf "gateway CPU: %.2f s, %.2f us a request\n", t / hz, t / hz / n * 1e6 }'
    fi
  done
done
kill "${gateway_pids[1]}"
wait "${gateway_pids[1]}" 2>/dev/null || true
echo "== the metered gateway's scrape on its way out: its splitter_requests_total lines"
grep -E '^splitter_requests_total\{.*2xx' "$work/gateway-18292.out" || true

#!/usr/bin/env bash
# Two gateway set-ups side by side, on loopback, in one run: gateway A and gateway B (each a JVM
# with the same 80/20 split over two nginx backends) and nginx split_clients as the peer, loaded in
# turn by wrk, ROUNDS times (which gateway goes first alternates by round). Beside wrk's figures,
# each server's CPU time per request in the round (user + system from /proc; for nginx, its two
# workers), which the two shared cores' scheduling disturbs far less than requests per second.
# A_OPTS / B_OPTS: each gateway's JVM options; A_NATIVE / B_NATIVE=0: that gateway on Java NIO
# even when the benchmarks were built with the epoll transport (BENCH_MAVEN_ARGS="-Pepoll");
# A_JAVA / B_JAVA: the java command each gateway runs on (default: java on the PATH);
# A_CLASSPATH / B_CLASSPATH: another build's gateway (benchmarks/target/classes and the jars of
# benchmarks/target/classpath.txt of, say, a git worktree at an older commit, built first);
# EXIT_LINES: a pattern of lines to show from what the two gateways print once stopped.
# Usage: benchmarks/gateway/compare.sh [SECONDS] [CONNECTIONS] [ROUNDS]   (results: docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-15}"
connections="${2:-64}"
rounds="${3:-3}"
source benchmarks/gateway/lib.sh

start_nginx_split
NATIVE="${A_NATIVE:-1}" GATEWAY_JAVA_OPTS="${A_OPTS:-}" GATEWAY_CLASSPATH="${A_CLASSPATH:-}" \
  GATEWAY_JAVA="${A_JAVA:-java}" start_gateway 18291 http://127.0.0.1:18081/ http://127.0.0.1:18082/
NATIVE="${B_NATIVE:-1}" GATEWAY_JAVA_OPTS="${B_OPTS:-}" GATEWAY_CLASSPATH="${B_CLASSPATH:-}" \
  GATEWAY_JAVA="${B_JAVA:-java}" start_gateway 18292 http://127.0.0.1:18081/ http://127.0.0.1:18082/
echo "A: ${A_OPTS:-(no options)}${A_NATIVE:+, NATIVE=$A_NATIVE}${A_JAVA:+, $A_JAVA}"
echo "B: ${B_OPTS:-(no options)}${B_NATIVE:+, NATIVE=$B_NATIVE}${B_JAVA:+, $B_JAVA}"

names=(A B nginx)
targets=(http://127.0.0.1:18291/split http://127.0.0.1:18292/split http://127.0.0.1:18090/split)
pids=("${gateway_pids[0]}" "${gateway_pids[1]}" "$(pgrep -P "$(cat "$work/split.pid")" | paste -sd' ')")
ticks_per_second="$(getconf CLK_TCK)"
# cpu_ticks PID...: the processes' user and system time so far, in clock ticks.
cpu_ticks() {
  local pid
  for pid in "$@"; do awk '{print $14, $15}' "/proc/$pid/stat"; done \
    | awk '{u += $1; s += $2} END {print u, s}'
}
# per_request LABEL REQUESTS USER_TICKS SYSTEM_TICKS: CPU time a request, user and system.
per_request() {
  awk -v label="$1" -v n="$2" -v u="$3" -v s="$4" -v hz="$ticks_per_second" 'BEGIN {
    printf "%s: %.2f us a request (user %.2f, system %.2f)\n", label,
      (u + s) / hz / n * 1e6, u / hz / n * 1e6, s / hz / n * 1e6 }'
}
declare -A total_requests total_user total_system
echo "== warm-up (JIT), not recorded"
for url in "${targets[@]}"; do load 10s "$url" >/dev/null; done
for round in $(seq "$rounds"); do
  order=(0 1 2)
  [ $((round % 2)) = 0 ] && order=(1 0 2)
  for i in "${order[@]}"; do
    echo "== round $round, ${names[$i]}: wrk -t2 -c$connections -d${seconds}s --latency -s post.lua ${targets[$i]}"
    # shellcheck disable=SC2086
    read -r user0 system0 < <(cpu_ticks ${pids[$i]})
    load "${seconds}s" "${targets[$i]}" > "$work/wrk.out"
    # shellcheck disable=SC2086
    read -r user1 system1 < <(cpu_ticks ${pids[$i]})
    grep -E "Requests/sec|Non-2xx|Socket errors|^ +(50|99)%" "$work/wrk.out"
    requests="$(awk '/requests in/ {print $1}' "$work/wrk.out")"
    total_requests[$i]=$(( ${total_requests[$i]:-0} + requests ))
    total_user[$i]=$(( ${total_user[$i]:-0} + user1 - user0 ))
    total_system[$i]=$(( ${total_system[$i]:-0} + system1 - system0 ))
    per_request "CPU" "$requests" $((user1 - user0)) $((system1 - system0))
  done
done
echo "== all rounds: requests/s, CPU a request"
for i in 0 1 2; do
  awk -v n="${total_requests[$i]}" -v s="$((rounds * seconds))" -v name="${names[$i]}" \
    'BEGIN { printf "%s: %.0f req/s, ", name, n / s }'
  per_request "CPU" "${total_requests[$i]}" "${total_user[$i]}" "${total_system[$i]}"
done
for i in 0 1; do
  kill "${gateway_pids[$i]}"
  wait "${gateway_pids[$i]}" 2>/dev/null || true
done
if [ -n "${EXIT_LINES:-}" ]; then
  echo "== A, then B, on their way out: lines matching $EXIT_LINES"
  grep -E "$EXIT_LINES" "$work/gateway-18291.out" "$work/gateway-18292.out" || true
fi

# Shared by the gateway load tests (run.sh, shadow.sh): the tools, the build, a work directory, and
# a clean-up at exit that stops the gateway and every nginx started from a config in the work
# directory. Sourced after `cd` to the repository root; sets $work; start_gateway sets $gateway_pid.
command -v nginx >/dev/null && command -v wrk >/dev/null \
  || { apt-get update -qq && apt-get install -y -qq nginx wrk >/dev/null; }
mvn -q -B -DskipTests -pl benchmarks -am package
work="$(mktemp -d)"
gateway_pid=""
cleanup() {
  [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null || true
  for conf in "$work"/*.conf; do
    [ -e "$conf" ] && nginx -p "$work" -c "$conf" -s stop 2>/dev/null || true
  done
}
trap cleanup EXIT

# start_gateway PORT URL... : GatewayServer in the background, once it says it is ready.
start_gateway() {
  local classpath
  classpath="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
  # NATIVE=0 runs the gateway on Java NIO even when the benchmarks were built with -Pepoll.
  [ "${NATIVE:-1}" = 0 ] && classpath="$(echo "$classpath" | tr ':' '\n' | grep -v native-epoll | paste -sd:)"
  # GATEWAY_JAVA_OPTS passes JVM options to the gateway, e.g. "-XX:+UseParallelGC".
  java ${GATEWAY_JAVA_OPTS:-} -cp "$classpath" dev.splitter.benchmarks.GatewayServer "$@" \
    > "$work/gateway.out" 2>&1 &
  gateway_pid=$!
  for _ in $(seq 100); do grep -q ready "$work/gateway.out" 2>/dev/null && break; sleep 0.2; done
  grep -q ready "$work/gateway.out" || { cat "$work/gateway.out"; exit 1; }
  grep ready "$work/gateway.out"
}

# load DURATION URL [SCRIPT]: wrk with two threads and $connections connections.
load() { wrk -t2 -c"$connections" -d"$1" --latency -s "benchmarks/gateway/${3:-post.lua}" "$2"; }

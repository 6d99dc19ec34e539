# Shared by the gateway load tests (run.sh, shadow.sh): the tools, the build, a work directory, and
# a clean-up at exit that stops the gateway and every nginx started from a config in the work
# directory. Sourced after `cd` to the repository root; sets $work; start_gateway adds to $gateway_pids.
command -v nginx >/dev/null && command -v wrk >/dev/null \
  || { apt-get update -qq && apt-get install -y -qq nginx wrk >/dev/null; }
# BENCH_MAVEN_ARGS: more Maven arguments for that build, e.g. "-Pepoll".
# shellcheck disable=SC2086
mvn -q -B -DskipTests ${BENCH_MAVEN_ARGS:-} -pl benchmarks -am package
work="$(mktemp -d)"
gateway_pids=()
cleanup() {
  for pid in "${gateway_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${gateway_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for conf in "$work"/*.conf; do
    [ -e "$conf" ] && nginx -p "$work" -c "$conf" -s stop 2>/dev/null || true
  done
}
trap cleanup EXIT

# start_gateway PORT URL... : GatewayServer in the background, once it says it is ready; its output
# in $work/gateway-PORT.out.
start_gateway() {
  local classpath
  # GATEWAY_CLASSPATH runs another build's gateway, e.g. one from a git worktree of an older commit.
  classpath="${GATEWAY_CLASSPATH:-benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)}"
  # NATIVE=0 runs the gateway on Java NIO even when the benchmarks were built with -Pepoll.
  [ "${NATIVE:-1}" = 0 ] && classpath="$(echo "$classpath" | tr ':' '\n' | grep -v native-epoll | paste -sd:)"
  # GATEWAY_JAVA_OPTS passes JVM options to the gateway, e.g. "-XX:+UseParallelGC"; GATEWAY_JAVA
  # runs it on another Java, e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java.
  local out="$work/gateway-$1.out"
  "${GATEWAY_JAVA:-java}" ${GATEWAY_JAVA_OPTS:-} -cp "$classpath" dev.splitter.benchmarks.GatewayServer "$@" \
    > "$out" 2>&1 &
  gateway_pids+=($!)
  for _ in $(seq 100); do grep -q ready "$out" 2>/dev/null && break; sleep 0.2; done
  grep -q ready "$out" || { cat "$out"; exit 1; }
  grep ready "$out"
}

# load DURATION URL [SCRIPT]: wrk with two threads and $connections connections.
load() { wrk -t2 -c"$connections" -d"$1" --latency -s "benchmarks/gateway/${3:-post.lua}" "$2"; }

# start_nginx_split: two nginx backends on 18081 and 18082 answering {"api": "a"} and {"api":
# "b"}, and nginx split_clients 80/20 over them on 18090: /split at random, /keyed by the
# x-splitter-key header (the gateway's peers in run.sh and metrics.sh).
start_nginx_split() {
  cat > "$work/backends.conf" <<NGINX
  worker_processes 1;
  pid $work/backends.pid;
  error_log $work/backends.err warn;
  events { worker_connections 4096; }
  http {
    access_log off;
    server { listen 127.0.0.1:18081; location / { return 200 '{"api": "a"}'; } }
    server { listen 127.0.0.1:18082; location / { return 200 '{"api": "b"}'; } }
  }
NGINX
  cat > "$work/split.conf" <<NGINX
  worker_processes 2;
  pid $work/split.pid;
  error_log $work/split.err warn;
  events { worker_connections 4096; }
  http {
    access_log off;
    upstream a { server 127.0.0.1:18081; keepalive 64; }
    upstream b { server 127.0.0.1:18082; keepalive 64; }
    split_clients "\$request_id" \$target { 80% a; * b; }
    split_clients "\$http_x_splitter_key" \$keyed { 80% a; * b; }
    server {
      listen 127.0.0.1:18090;
      location = /split {
        proxy_pass http://\$target/;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
      }
      location = /keyed {
        proxy_pass http://\$keyed/;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
      }
    }
  }
NGINX
  nginx -p "$work" -c "$work/backends.conf"
  nginx -p "$work" -c "$work/split.conf"
}

#!/usr/bin/env bash
# The gateway's cost of shadow comparison, on loopback, in one run: wrk against the gateway's 80/20
# split (a) without a shadow, (b) with every request mirrored to a shadow whose answer is read and
# dropped (comparison off, what the gateway did before issue 23), (c) the same with the answers
# compared; and the peer, nginx split_clients 80/20 with every request mirrored by its mirror
# module (which drops the mirror's answer). The shadow answers the live body's JSON with its keys
# in another order, so every pair is parsed and compared as trees (identical bytes would take the
# byte-equality shortcut). ROUNDS alternations of the four.
# Usage: benchmarks/gateway/shadow.sh [SECONDS] [CONNECTIONS] [ROUNDS]
# Results: docs/benchmarks.md. Every process it starts listens on 127.0.0.1 and is stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-15}"
connections="${2:-64}"
rounds="${3:-3}"
source benchmarks/gateway/lib.sh

cat > "$work/backends.conf" <<NGINX
worker_processes 1;
pid $work/backends.pid;
error_log $work/backends.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  server { listen 127.0.0.1:18181; location / { return 200 '{"label": "cat", "score": 0.93, "model": "v1", "top": [{"label": "cat", "p": 0.93}, {"label": "dog", "p": 0.05}]}'; } }
  server { listen 127.0.0.1:18182; location / { return 200 '{"label": "cat", "score": 0.93, "model": "v1", "top": [{"label": "cat", "p": 0.93}, {"label": "dog", "p": 0.05}]}'; } }
  server { listen 127.0.0.1:18183; location / { return 200 '{"top": [{"p": 0.93, "label": "cat"}, {"p": 0.05, "label": "dog"}], "model": "v1", "score": 0.93, "label": "cat"}'; } }
}
NGINX
cat > "$work/split.conf" <<NGINX
worker_processes 2;
pid $work/split.pid;
error_log $work/split.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  upstream a { server 127.0.0.1:18181; keepalive 64; }
  upstream b { server 127.0.0.1:18182; keepalive 64; }
  upstream c { server 127.0.0.1:18183; keepalive 64; }
  split_clients "\$request_id" \$target { 80% a; * b; }
  server {
    listen 127.0.0.1:18190;
    location = /mirrored {
      mirror /shadow;
      mirror_request_body on;
      proxy_pass http://\$target/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
    location = /shadow {
      internal;
      proxy_pass http://c/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
NGINX
nginx -p "$work" -c "$work/backends.conf"
nginx -p "$work" -c "$work/split.conf"
start_gateway 18191 http://127.0.0.1:18181/ http://127.0.0.1:18182/ http://127.0.0.1:18183/

echo "== warm-up (JIT), not recorded"
for url in http://127.0.0.1:18191/{split,dropped,compared} http://127.0.0.1:18190/mirrored; do
  load 5s "$url" >/dev/null
done
for round in $(seq "$rounds"); do
  for url in http://127.0.0.1:18191/{split,dropped,compared} http://127.0.0.1:18190/mirrored; do
    echo "== round $round: wrk -t2 -c$connections -d${seconds}s --latency -s post.lua $url"
    load "${seconds}s" "$url" | grep -E "Requests/sec|Non-2xx|Socket errors|^ +(50|99)%"
  done
done
kill "${gateway_pids[0]}"
wait "${gateway_pids[0]}" 2>/dev/null || true
echo "== the gateway's get compared, on its way out"
sed -n '/^apis/,$p' "$work/gateway-18191.out"

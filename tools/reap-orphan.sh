#!/usr/bin/env bash
# Stops a server a test started once the test's JVM is gone, even if it was killed with SIGKILL
# and could run no shutdown hook. Exits as soon as the server stops, however it stopped.
# The server's own children (a browser its driver started) are stopped with it.
# Usage: tools/reap-orphan.sh OWNER_PID SERVER_PID
set -u
owner="$1"
server="$2"
descendants() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}
while kill -0 "$owner" 2>/dev/null && kill -0 "$server" 2>/dev/null; do
  sleep 1
done
if kill -0 "$server" 2>/dev/null; then
  children="$(descendants "$server")"
  kill -CONT "$server" 2>/dev/null # a server a test froze with SIGSTOP cannot act on SIGTERM
  kill -TERM "$server" 2>/dev/null
  for _ in $(seq 50); do
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$server" 2>/dev/null
  for child in $children; do
    kill -TERM "$child" 2>/dev/null
  done
  sleep 0.5
  for child in $children; do
    kill -KILL "$child" 2>/dev/null
  done
fi
exit 0

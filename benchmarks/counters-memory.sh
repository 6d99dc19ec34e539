#!/usr/bin/env bash
# Heap after GC of the local gateway's per-target counters: 1,000 splitters x 2 targets, each
# target served every second of the retained hour (a hand-moved clock), beside the design before.
# Usage: benchmarks/counters-memory.sh [targets]     (results: docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests -pl benchmarks -am package
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
exec java -Xmx8g -cp "$cp" dev.splitter.benchmarks.CountersMemory "$@"

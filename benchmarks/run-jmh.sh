#!/usr/bin/env bash
# Builds the benchmarks and runs JMH. Extra arguments go to JMH, e.g. a benchmark regex or -p.
# Usage: benchmarks/run-jmh.sh [JMH options]     (results: docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests -pl benchmarks -am package
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
exec java -cp "$cp" org.openjdk.jmh.Main "$@"

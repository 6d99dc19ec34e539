#!/usr/bin/env bash
# Threshold gates against sequential gates on the same simulated traffic: real rollouts on the
# embedded gateway's routing, a metrics source drawing each check's requests and 5XX answers at
# random, a clock the sleeper moves (no requests are sent, nothing waits).
# Usage: benchmarks/gate-simulation.sh [rollouts per row] [seed]     (results: docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests -pl benchmarks -am package
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
exec java -cp "$cp" dev.splitter.benchmarks.GateSimulation "$@"

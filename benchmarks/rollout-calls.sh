#!/usr/bin/env bash
# Counts what each step of a four-step rollout costs on ALB (moto_server on loopback): calls through
# the SPI (routing backend, metrics source) and AWS API calls, with pinning off and on.
# Usage: benchmarks/rollout-calls.sh   (results: docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-moto.sh
mvn -q -B -DskipTests -pl splitter-aws -am install
mvn -q -B -pl splitter-aws exec:java -Dexec.skip=false -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.splitter.aws.RolloutCallsBenchmark \
  -Dmoto.server="$PWD/.venv/bin/moto_server" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

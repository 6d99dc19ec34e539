#!/usr/bin/env bash
# Counts the AWS calls of deploys that create, update and change nothing (1 and 10 public
# splitters, ALB + API Gateway with a VPC link), against moto_server on loopback, with an SDK
# ExecutionInterceptor. Usage: benchmarks/aws-calls.sh [MAIN CLASS of splitter-aws's tests]
# (default dev.splitter.aws.AwsCallsBenchmark; results: docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-moto.sh
mvn -q -B -DskipTests -pl splitter-aws -am install
mvn -q -B -pl splitter-aws exec:java -Dexec.skip=false -Dexec.classpathScope=test \
  -Dexec.mainClass="${1:-dev.splitter.aws.AwsCallsBenchmark}" \
  -Dmoto.server="$PWD/.venv/bin/moto_server" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

#!/usr/bin/env bash
# Deploys N splitters (default 500) to fabric8's Kubernetes mock server in CRUD mode with each
# Kubernetes backend, then deploys the same file again; prints wall time and the HTTP requests the
# server saw per splitter, by method. Usage: benchmarks/k8s-deploy.sh [N]   (results: docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests -pl splitter-k8s -am install
mvn -q -B -pl splitter-k8s exec:java -Dexec.skip=false -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.splitter.k8s.ManySplittersBenchmark -Dexec.args="${1:-500}" \
  -Djava.util.logging.config.file=splitter-k8s/src/test/resources/logging.properties

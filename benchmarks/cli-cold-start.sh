#!/usr/bin/env bash
# Cold start of the packaged command: `splitter validate examples/traffic-splitter/cortex.yaml`, a
# fresh JVM each run, timed by hyperfine beside a bare `java -version` and the same command with
# the full JIT (the launcher's default is the first tier only).
# Usage: benchmarks/cli-cold-start.sh   (results: docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
mvn -q -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl splitter-cli -am package
jar="$(ls splitter-cli/target/splitter-cli-*.jar | grep -v -e -sources -e -javadoc | head -n 1)"
file=examples/traffic-splitter/cortex.yaml
hyperfine --warmup 3 --runs 20 --export-json "${EXPORT_JSON:-/dev/null}" \
  -n "java -version (JVM start only)" "java -version" \
  -n "./splitter validate $file" "./splitter validate $file" \
  -n "java -jar (full JIT) validate $file" "java -jar $jar validate $file" \
  -n "./splitter --version" "./splitter --version"

#!/usr/bin/env bash
# Wall time of loading and validating one file in a fresh JVM (JVM start included), measured by
# hyperfine over repeated runs. Usage: benchmarks/cold-start.sh [FILE]   (results: docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/.."
file="${1:-examples/traffic-splitter/cortex.yaml}"
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
mvn -q -B -DskipTests -pl benchmarks,examples/traffic-splitter -am package
cp="examples/traffic-splitter/target/classes:$(cat benchmarks/target/classpath.txt)"
hyperfine --warmup 3 --runs 20 \
  -n "java (no validation: JVM start only)" "java -cp $cp -version" \
  -n "load+validate $file" "java -cp $cp dev.splitter.examples.ValidateConfig $file"

#!/usr/bin/env bash
# Counts what each step of a four-step rollout costs on ALB (moto_server on loopback): calls through
# the SPI (routing backend, metrics source) and AWS API calls, with pinning off and on.
# Usage: benchmarks/rollout-calls.sh   (results: docs/benchmarks.md)
exec "$(dirname "$0")/aws-calls.sh" dev.splitter.aws.RolloutCallsBenchmark

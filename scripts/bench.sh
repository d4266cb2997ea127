#!/usr/bin/env bash
# Builds and runs the benchmarks. PEOPLE=46000 gives about 100k records.
# `scripts/bench.sh load` runs only the mixed gRPC load sweep against the
# real server (bench/c360_load.cc, docs/operations.md "Load testing").
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
if [[ "${1:-}" == "load" ]]; then
  store="$(mktemp -d)"
  trap 'rm -rf "$store"' EXIT
  "${BUILD_DIR:-build}/bench/c360_load" --db "$store" --people "${PEOPLE:-46000}"
  exit
fi
bench="${BUILD_DIR:-build}/bench/c360_bench"
"$bench" --people "${PEOPLE:-46000}" --runs "${RUNS:-3}"
"$bench" --bulk --people "${PEOPLE:-46000}" --runs "${RUNS:-3}"

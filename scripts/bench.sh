#!/usr/bin/env bash
# Builds and runs the benchmarks. PEOPLE=46000 gives about 100k records.
# `scripts/bench.sh load` runs only the mixed gRPC load sweep against the
# real server (bench/c360_load.cc, docs/operations.md "Load testing").
# `scripts/bench.sh segment` runs the segment-scan benchmark (1M profiles,
# bench/segment_bench.cc); `scripts/bench.sh enrich` the purchased-data
# import at the issue's scale (PEOPLE=460000: about 1M records, with 100k
# company rows and 1M person rows), printing each step's JSON summary.
# `scripts/bench.sh ml` the hit-rate engine on the Maven data (training,
# single and batch scoring; bench/ml_bench.cc).
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
if [[ "${1:-}" == "segment" ]]; then
  "${BUILD_DIR:-build}/bench/segment_bench"
  exit
fi
if [[ "${1:-}" == "ml" ]]; then
  # XGBoost's OpenMP threads must not spin on a shared machine (see
  # server/main.cc, which sets the same for the c360 binary).
  OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}" \
    "${BUILD_DIR:-build}/bench/ml_bench" ../shared/data/maven_crm
  exit
fi
if [[ "${1:-}" == "enrich" ]]; then
  scripts/enrich_bench.sh "${PEOPLE:-460000}"
  exit
fi
bench="${BUILD_DIR:-build}/bench/c360_bench"
"$bench" --people "${PEOPLE:-46000}" --runs "${RUNS:-3}"
"$bench" --bulk --people "${PEOPLE:-46000}" --runs "${RUNS:-3}"

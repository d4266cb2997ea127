#!/usr/bin/env bash
# Builds and runs the benchmarks. PEOPLE=46000 gives about 100k records.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
"${BUILD_DIR:-build}/bench/c360_bench" --people "${PEOPLE:-46000}" --runs "${RUNS:-3}"

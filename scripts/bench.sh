#!/usr/bin/env bash
# Builds and runs the benchmarks. PEOPLE=46000 gives about 100k records.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
bench="${BUILD_DIR:-build}/bench/c360_bench"
"$bench" --people "${PEOPLE:-46000}" --runs "${RUNS:-3}"
"$bench" --bulk --people "${PEOPLE:-46000}" --runs "${RUNS:-3}"

#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root), builds, and runs every test,
# including the end-to-end test against the real server binary, then fuzzes
# the readers and normalizers for a bounded time (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
(cd "${BUILD_DIR:-build}" && ctest --output-on-failure -j "$(nproc)" --timeout 600)
scripts/fuzz.sh

#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang, ASan and UBSan into
# build-fuzz/ (or $FUZZ_BUILD_DIR), only them and what they link, and runs
# each for $FUZZ_SECONDS seconds (default 20) on its seed corpus
# tests/fuzz/corpus/<target>/. Fails when a fuzzer crashes, a sanitizer
# reports an error or a property check fails; the input that did it is kept
# in $FUZZ_BUILD_DIR/crashes/<target>/ (add it to the seed corpus once
# fixed). Inputs found along the way go to $FUZZ_BUILD_DIR/corpus/<target>/,
# each fuzzer's output to $FUZZ_BUILD_DIR/<target>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-20}
targets=(record_json_fuzzer csv_fuzzer normalize_fuzzer)

# A figure of libFuzzer's final stats in $log.
fuzz_stat() { awk -v key="stat::$1:" '$1 == key { print $2 }' "$log"; }

CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DC360_FUZZ=ON >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]}"

for target in "${targets[@]}"; do
  found=$build_dir/corpus/$target
  crashes=$build_dir/crashes/$target
  log=$build_dir/$target.log
  mkdir -p "$found" "$crashes"
  # The first corpus folder receives new inputs; the seeds stay as they are.
  if ! "$build_dir/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
      -print_final_stats=1 -artifact_prefix="$crashes/" \
      "$found" "tests/fuzz/corpus/$target" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz: $target FAILED; its input is in $crashes/, its log in $log" >&2
    exit 1
  fi
  echo "fuzz: $target ok for ${seconds} s:" \
    "$(fuzz_stat number_of_executed_units) runs, $(fuzz_stat new_units_added) new inputs" >&2
done

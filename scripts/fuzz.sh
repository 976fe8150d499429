#!/usr/bin/env bash
# Builds the reader tests and the pickle fuzzer with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, runs those tests, then fuzzes the pickle reader for SECONDS seconds
# (default 60) seeded with tests/data/pickles. Exits non-zero on any test failure or finding; a
# crashing input is saved in BUILD_DIR/fuzz-artifacts/. See docs/fuzzing.md.
#
#   scripts/fuzz.sh [SECONDS] [BUILD_DIR]      (BUILD_DIR defaults to build-fuzz/)
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$root/build-fuzz}
jobs=${KASF_JOBS:-2}

mkdir -p "$build"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DKASF_SANITIZE=ON -DKASF_FUZZ=ON -DKASF_CUDA=OFF > "$build/configure.log" 2>&1 ||
  { cat "$build/configure.log"; exit 1; }
readers="io_pickle_test io_checkpoint_test io_weight_file_test"
cmake --build "$build" -j "$jobs" --target pickle_fuzzer $readers
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build" -R 'io_(pickle|checkpoint|weight_file)_test' --output-on-failure

# New inputs go to a scratch corpus; the committed seeds stay untouched.
mkdir -p "$build/fuzz-corpus" "$build/fuzz-artifacts"
"$build/fuzz/pickle_fuzzer" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$build/fuzz-artifacts/" -print_final_stats=1 \
  "$build/fuzz-corpus" "$root/tests/data/pickles"

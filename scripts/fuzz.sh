#!/usr/bin/env bash
# Builds the reader tests and the fuzz targets with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, runs those tests, then fuzzes the pickle reader (seeded with
# tests/data/pickles) and the HDF5 readers (seeded with fuzz/hdf5_seeds) for SECONDS seconds each
# (default 60). Exits non-zero on any test failure or finding; a crashing input is saved in
# BUILD_DIR/fuzz-artifacts/. See docs/fuzzing.md.
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
readers="io_pickle_test io_checkpoint_test io_weight_file_test io_hdf5_corruption_test"
cmake --build "$build" -j "$jobs" --target pickle_fuzzer hdf5_fuzzer $readers
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$root/fuzz/lsan_suppressions.txt
ctest --test-dir "$build" -R 'io_(pickle|checkpoint|weight_file|hdf5_corruption)_test' --output-on-failure

# New inputs go to a scratch corpus; the committed seeds stay untouched.
mkdir -p "$build/fuzz-corpus" "$build/hdf5-fuzz-corpus" "$build/fuzz-artifacts"
"$build/fuzz/pickle_fuzzer" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$build/fuzz-artifacts/" -print_final_stats=1 \
  "$build/fuzz-corpus" "$root/tests/data/pickles"
# libhdf5 reads files by name: the target writes each input to a scratch file under TMPDIR.
"$build/fuzz/hdf5_fuzzer" -max_total_time="$seconds" -max_len=262144 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$build/fuzz-artifacts/" -print_final_stats=1 \
  "$build/hdf5-fuzz-corpus" "$root/fuzz/hdf5_seeds"

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
# libhdf5 reads files by name: the target writes each input to a scratch file under TMPDIR. It asks
# for impossible sizes read from corrupt files (2^56 bytes) and handles the NULL that malloc returns
# outside the sanitizer, so the sanitizer's allocator returns NULL too.
export ASAN_OPTIONS=$ASAN_OPTIONS:allocator_may_return_null=1
# libhdf5 1.10.8 itself still crashes on some corrupt files (docs/fuzzing.md, "Known libhdf5
# findings"): the target runs in a child process that is restarted after a finding, and each finding
# is replayed to see where it happened. Those whose innermost frame is libhdf5's, and those that do
# not recur alone (leaks of libhdf5 state across inputs), are listed; any other finding (in kasf's
# code) fails the run.
hdf5_artifacts=$build/hdf5-fuzz-artifacts
rm -rf "$hdf5_artifacts" "$build/hdf5-fuzz-tmp" && mkdir -p "$hdf5_artifacts" "$build/hdf5-fuzz-tmp"
# Runs that crash leave their scratch file behind: keep them in the build folder.
export TMPDIR=$build/hdf5-fuzz-tmp
"$build/fuzz/hdf5_fuzzer" -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 -print_funcs=0 \
  -max_total_time="$seconds" -max_len=262144 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$hdf5_artifacts/" -print_final_stats=1 "$build/hdf5-fuzz-corpus" "$root/fuzz/hdf5_seeds"
status=0
for finding in "$hdf5_artifacts"/*; do
  [ -e "$finding" ] || continue
  # No RSS limit here: its watchdog can fire before the allocation limit prints the stack.
  if report=$("$build/fuzz/hdf5_fuzzer" -timeout=10 -rss_limit_mb=0 -malloc_limit_mb=2048 "$finding" 2>&1); then
    echo "fuzz.sh: finding that does not recur when replayed alone: $finding"
    continue
  fi
  # The innermost frame outside the sanitizer, libFuzzer, the allocator and the C/C++ libraries
  # (glibc's frames show either libc.so or, when symbolized, its source tree: string/../sysdeps/...).
  # The sanitizer's interceptors of C functions (strdup, memcpy, ...) are linked into the fuzzer
  # without source lines and show as "in strdup (.../hdf5_fuzzer+0x...)"; kasf's frames always carry
  # a source line, so a frame of the fuzzer binary without one is the runtime's.
  frame=$(grep -E '^ +#[0-9]+ ' <<<"$report" |
    grep -vE 'in (__sanitizer|__asan|__interceptor|__ubsan|fuzzer::|malloc|calloc|realloc|operator new|std::)|libc\.so|sysdeps/|libstdc\+\+|_fuzzer\+0x[0-9a-f]+\)' |
    head -1)
  if grep -q 'libhdf5' <<<"$frame"; then
    echo "fuzz.sh: known kind of libhdf5 finding (not in kasf's code): $finding"
    echo "  $frame"
  else
    echo "fuzz.sh: FINDING in kasf's code: $finding"
    echo "$report" | tail -40
    status=1
  fi
done
exit $status

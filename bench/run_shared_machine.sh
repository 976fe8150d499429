#!/usr/bin/env bash
# A training step on an idle machine and beside one busy process (`stress-ng --cpu 1`, the case of
# a laptop doing something else), for one or more builds side by side (e.g. this commit's and an
# older one's), run alternately. Prints s/step and the slowdown each build suffers.
# Usage: bench/run_shared_machine.sh [MODEL.prototxt] BUILD_DIR [BUILD_DIR ...]
#   MODEL defaults to configs/cmu_sports_experiment.prototxt's model (2 blocks, d = 32, the issue's
#   small model); B = 32.
set -euo pipefail
cd "$(dirname "$0")/.."
model=/tmp/kasf_shared_machine_model.prototxt
if [[ ${1:-} == *.prototxt ]]; then model=$1; shift; else
  # The model block of the CMU sports experiment, as a model definition of its own.
  sed -n '/^model {/,/^}/p' configs/cmu_sports_experiment.prototxt | sed '1d;$d' > "$model"
fi
[[ $# -ge 1 ]] || { echo "usage: $0 [MODEL.prototxt] BUILD_DIR [BUILD_DIR ...]" >&2; exit 2; }
command -v stress-ng > /dev/null || { echo "stress-ng is not installed (apt-get install stress-ng)" >&2; exit 1; }
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE
step() { "$1/bench/kasf_bench" --config "$model" --mode train --batch 32 --repeats 5 | sed -n 's/.*: \([0-9.]*\) s\/batch.*/\1/p'; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| build | idle s/step | beside stress-ng --cpu 1 | slowdown |\n|---|---|---|---|\n'
for build in "$@"; do
  idle=$(step "$build")
  stress-ng --cpu 1 --timeout 120s --quiet & busy=$!
  sleep 1
  shared=$(step "$build")
  kill "$busy"; wait "$busy" 2> /dev/null || true
  printf '| %s | %s | %s | %s |\n' "$build" "$idle" "$shared" "$(awk -v a="$idle" -v b="$shared" 'BEGIN { printf "%.2fx", b / a }')"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

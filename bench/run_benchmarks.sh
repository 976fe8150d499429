#!/usr/bin/env bash
# The full-model benchmark of docs/benchmarks.md: kasf (kasf_bench) and PyTorch (bench_pytorch.py)
# one after the other for each scenario, each in its own process (peak RSS is per process), then a
# table. Usage: bench/run_benchmarks.sh [build dir, default build] [repeats, default 2]
# Scenarios can be narrowed with SCENARIOS="infer:32 train:16" (default: infer 32, infer 1, train 16, train 32);
# "train+recompute:32" trains with recompute_blocks (kasf only: PyTorch's row stays empty);
# MODEL=configs/X.prototxt benchmarks another model definition (default: the official model).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
repeats=${2:-2}
scenarios=${SCENARIOS:-"infer:32 infer:1 train:16 train:32"}
config=${MODEL:-configs/kasportsformer_sportspose.prototxt}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Both at their best settings on 2 cores: two threads that sleep rather than spin at barriers.
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE KASF_TORCH_THREADS=2
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for scenario in $scenarios; do
  mode=${scenario%:*} batch=${scenario#*:}
  flags=()
  [[ $mode == train+recompute ]] && flags=(--recompute-blocks)
  "$build/bench/kasf_bench" --config "$config" --mode "${mode%+recompute}" --batch "$batch" --repeats "$repeats" \
    "${flags[@]}" | tee -a "$log" || echo "kasf $mode B=$batch: failed" | tee -a "$log"
  if [[ $mode != train+recompute ]]; then
    /usr/bin/python3 bench/bench_pytorch.py "$mode" "$batch" "$repeats" "$config" | tee -a "$log" ||
      echo "torch $mode B=$batch: failed (out of memory?)" | tee -a "$log"
  fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "| scenario | kasf s/batch | torch s/batch | kasf clips/s | torch clips/s | speed-up | kasf GFLOP/s | kasf peak RSS | torch peak RSS |"
echo "|---|---|---|---|---|---|---|---|---|"
for scenario in $scenarios; do
  mode=${scenario%:*} batch=${scenario#*:}
  k=$(grep -E "^kasf ${mode//+/\\+} B=$batch( on [a-z_]+)?:" "$log" | tail -1) t=$(grep "^torch $mode B=$batch:" "$log" | tail -1)
  field() { sed -n "s|.*[:,] \([0-9.]*\) $1.*|\1|p" <<<"$2"; }
  ks=$(field "s/batch" "$k") ts=$(field "s/batch" "$t")
  speedup=$([[ -n $ks && -n $ts ]] && awk -v a="$ks" -v b="$ts" 'BEGIN { printf "%.2fx", b / a }' || echo "-")
  echo "| $mode B=$batch | ${ks:--} | ${ts:--} | $(field clips/s "$k") | $(field clips/s "$t") | $speedup |" \
       "$(field GFLOP/s "$k") | $(sed -n 's/.*peak RSS \([0-9.]* GB\).*/\1/p' <<<"$k") |" \
       "$(sed -n 's/.*peak RSS \([0-9.]* GB\).*/\1/p' <<<"$t") |"
done

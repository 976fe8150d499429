#!/usr/bin/env bash
# The full-model benchmark of docs/benchmarks.md: kasf (kasf_bench), PyTorch (bench_pytorch.py) and,
# with OFFICIAL set, the official PyTorch code (bench_official.py) one after the other for each
# scenario, each in its own process (peak RSS is per process), then a table.
# Usage: [OFFICIAL=/path/to/official/checkout] bench/run_benchmarks.sh [build dir, default build] [repeats, default 2]
# Scenarios can be narrowed with SCENARIOS="infer:32 train:16" (default: infer 32, infer 1, train 16, train 32);
# "train+recompute:32" trains with recompute_blocks, "infer+bf16:32" multiplies in bf16 (--precision bf16;
# modifiers combine, e.g. "train+recompute+bf16:32"); for those the PyTorch rows stay empty;
# MODEL=configs/X.prototxt benchmarks another model definition (default: the official model).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
repeats=${2:-2}
scenarios=${SCENARIOS:-"infer:32 infer:1 train:16 train:32"}
config=${MODEL:-configs/kasportsformer_sportspose.prototxt}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

pytorch_contenders=(torch)
if [[ -n ${OFFICIAL:-} ]]; then
  [[ -d $OFFICIAL/model ]] || { echo "run_benchmarks: OFFICIAL=$OFFICIAL holds no model/ folder" >&2; exit 1; }
  pytorch_contenders+=(official)
else
  echo "note: OFFICIAL is unset, so the official code is not benchmarked (docs/benchmarks.md, \"Full model\")"
fi

# A PyTorch contender's run of one scenario: `pytorch_run torch|official mode batch`.
pytorch_run() {
  case $1 in
    torch) /usr/bin/python3 bench/bench_pytorch.py "$2" "$3" "$repeats" "$config" ;;
    official) /usr/bin/python3 bench/bench_official.py "$OFFICIAL" "$2" "$3" "$repeats" "$config" ;;
  esac
}

# All at their best settings on 2 cores: two threads that sleep rather than spin at barriers.
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE KASF_TORCH_THREADS=2
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for scenario in $scenarios; do
  mode=${scenario%:*} batch=${scenario#*:}
  flags=()
  [[ $mode == *+recompute* ]] && flags+=(--recompute-blocks)
  [[ $mode == *+bf16* ]] && flags+=(--precision bf16)
  "$build/bench/kasf_bench" --config "$config" --mode "${mode%%+*}" --batch "$batch" --repeats "$repeats" \
    "${flags[@]}" | tee -a "$log" || echo "kasf $mode B=$batch: failed" | tee -a "$log"
  if [[ $mode != *+* ]]; then
    for contender in "${pytorch_contenders[@]}"; do
      pytorch_run "$contender" "$mode" "$batch" | tee -a "$log" ||
        echo "$contender $mode B=$batch: failed (out of memory?)" | tee -a "$log"
    done
  fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

contenders=(kasf "${pytorch_contenders[@]}")
header="| scenario |" rule="|---|"
for quantity in s/batch clips/s; do
  for c in "${contenders[@]}"; do header+=" $c $quantity |" rule+="---|"; done
done
for c in "${pytorch_contenders[@]}"; do header+=" speed-up over $c |" rule+="---|"; done
header+=" kasf GFLOP/s |" rule+="---|"
for c in "${contenders[@]}"; do header+=" $c peak RSS |" rule+="---|"; done
echo
echo "$header"
echo "$rule"
field() { sed -n "s|.*[:,] \([0-9.]*\) $1.*|\1|p" <<<"$2"; }
declare -A line  # contender -> its summary line of the scenario
for scenario in $scenarios; do
  mode=${scenario%:*} batch=${scenario#*:}
  line[kasf]=$(grep -E "^kasf ${mode//+/\\+} B=$batch( on [a-z_]+)?:" "$log" | tail -1 || true)
  for c in "${pytorch_contenders[@]}"; do line[$c]=$(grep "^$c $mode B=$batch:" "$log" | tail -1 || true); done
  row="| $mode B=$batch |"
  for quantity in s/batch clips/s; do
    for c in "${contenders[@]}"; do value=$(field "$quantity" "${line[$c]}"); row+=" ${value:--} |"; done
  done
  kasf_seconds=$(field s/batch "${line[kasf]}")
  for c in "${pytorch_contenders[@]}"; do
    seconds=$(field s/batch "${line[$c]}")
    row+=" $([[ -n $kasf_seconds && -n $seconds ]] &&
      awk -v a="$kasf_seconds" -v b="$seconds" 'BEGIN { printf "%.2fx", b / a }' || echo "-") |"
  done
  row+=" $(field GFLOP/s "${line[kasf]}") |"
  for c in "${contenders[@]}"; do row+=" $(sed -n 's/.*peak RSS \([0-9.]* GB\).*/\1/p' <<<"${line[$c]}") |"; done
  echo "$row"
done
if [[ -n ${OFFICIAL:-} ]]; then
  echo
  echo "$(grep -m1 '^official parameters:' "$log" || echo 'official parameters: not built') (from $OFFICIAL)"
fi

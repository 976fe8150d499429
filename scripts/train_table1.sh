#!/usr/bin/env bash
# Table 1 on this machine (docs/results.md, "Table 1's peers"): every model of configs/table1/ trained
# on the cmu_sports data with the same wall-clock budget (configs/cmu_sports_experiment.prototxt with
# the model replaced, --time-budget), then all evaluated side by side by kasf_eval on the test split.
# Run it on an otherwise idle machine: the budget is wall time.
#   BUDGET_MINUTES=5 bash scripts/train_table1.sh [build dir, default build]
# Needs out/cmu/cmu_sports.h5 (docs/results.md, "CMU sports", gives the two commands that make it).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
budget=${BUDGET_MINUTES:-5}
data=out/cmu/cmu_sports.h5
[[ -f $data ]] || { echo "train_table1: $data is missing (docs/results.md, \"CMU sports\")" >&2; exit 1; }
out=out/table1
mkdir -p "$out"
weights=()
for model in configs/table1/*.prototxt; do
  name=$(basename "$model" .prototxt)
  rm -rf "${out:?}/$name"
  echo "== $name: $budget minutes"
  "$build/tools/kasf_train" --config configs/cmu_sports_experiment.prototxt --model "$model" --dataset "$data" \
    --output-dir "$out/$name" --epochs 100000 --time-budget "$budget" --no-progress | tail -n 3
  cp "$out/$name/best.ckpt.h5" "$out/$name.h5"  # kasf_eval names a model by its file
  weights+=(--weights "$out/$name.h5")
done
"$build/tools/kasf_eval" --data "$data" "${weights[@]}" --flip --quiet | tee "$out/table1.md"

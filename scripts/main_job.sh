#!/usr/bin/env bash
# The README's main job, on a fresh Debian machine: install the dependencies, build, convert the
# embedded CMU sports sample, train a small KASportsFormer on the CPU for a few minutes and print
# its validation (and test) MPJPE and P-MPJPE. Outputs go to out/cmu_sample/ (checkpoints,
# metrics.jsonl, training_curves.svg, report.html); a second run starts afresh.
#
#   bash scripts/main_job.sh            (KASF_BUILD_DIR overrides the build folder, default build/)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${KASF_BUILD_DIR:-build}"
run_dir=out/cmu_sample

bash scripts/setup.sh --no-test-browser
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" -j"$(nproc)" --target kasf_convert kasf_train

rm -rf "$run_dir"
mkdir -p "$run_dir"
"$build/tools/kasf_convert" --dataset data/cmu_sports_sample.pkl --output "$run_dir/cmu_sports_sample.h5"
"$build/tools/kasf_train" --config configs/cmu_sample_experiment.prototxt
echo "report: $run_dir/report.html, training curves: $run_dir/training_curves.svg, metrics: $run_dir/metrics.jsonl"

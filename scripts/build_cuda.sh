#!/usr/bin/env bash
# Configures a build with the CUDA backend on, builds kasf_framework (nvcc compiles the backend,
# warnings are errors) and the cuda_device test, which links it against cudart and cuDNN, then runs
# that test: cuBLAS must load on first use, and without a GPU the backend must refuse with
# "no CUDA device: ...".
# Usage: scripts/build_cuda.sh [build-dir]   (default: build-cuda next to this script's repo)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$repo/build-cuda}"
nvcc="${CUDACXX:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
if [[ ! -x "$nvcc" ]]; then
  echo "build_cuda.sh: nvcc not found (looked on PATH and at /usr/local/cuda/bin/nvcc)" >&2
  exit 1
fi
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DKASF_CUDA=ON -DCMAKE_CUDA_COMPILER="$nvcc"
cmake --build "$build" -j"${KASF_JOBS:-2}" --target kasf_framework cuda_device
(cd "$repo/tests/cuda" && "$build/tests/cuda/cuda_device" --log_level=message)

#!/usr/bin/env bash
# Installs every system dependency of kasf from Debian packages. Idempotent and non-interactive.
# The CUDA toolkit is not installed here: CMake uses it when /usr/local/cuda (or nvcc on PATH) exists.
#
#   bash scripts/setup.sh [--no-test-browser]   (the latter skips chromium, which only the tests need)
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libhdf5-dev zlib1g-dev
  protobuf-compiler libprotobuf-dev
  libboost-program-options-dev libboost-test-dev
  libopenblas-openmp-dev
  libdnnl-dev  # oneDNN: bf16 GEMMs (--precision bf16)
  nlohmann-json3-dev
  openmpi-bin libopenmpi-dev  # data-parallel kasf_train (mpirun) and its tests
  clang libclang-rt-14-dev libomp-14-dev  # scripts/fuzz.sh: libFuzzer and sanitizers
  python3
)
# tests/html opens the generated pages in headless Chromium (about 80 MB to download).
[ "${1:-}" = "--no-test-browser" ] || packages+=(chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

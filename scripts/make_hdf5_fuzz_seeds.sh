#!/usr/bin/env bash
# Writes the seed corpus of the HDF5 fuzz target (fuzz/hdf5_seeds/): one small real file of each
# kind kasf reads, made by the kasf tools themselves from the committed test pickles: a dataset file
# (kasf_convert), a training checkpoint of a tiny model (kasf_train, one epoch), its predictions
# file (kasf_eval) and a weight file (kasf_convert of a committed PyTorch checkpoint). Needs the
# tools built and h5py (Debian: python3-h5py) to cut the checkpoint down. See docs/fuzzing.md.
#
#   scripts/make_hdf5_fuzz_seeds.sh [BUILD_DIR]      (BUILD_DIR defaults to build/, with the tools built)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
out=$root/fuzz/hdf5_seeds
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$build/tools/kasf_convert" --dataset "train=$root/tests/data/pickles/gendb_train_p4.pkl" \
  --dataset "test=$root/tests/data/pickles/gendb_test_p4.pkl" --output "$work/dataset.h5" > /dev/null
cat > "$work/tiny.prototxt" <<PROTO
name: "seed"
model { n_layers: 1 dim_feat: 8 num_heads: 2 dim_rep: 8 n_frames: 9 neighbour_num: 2 }
data { dataset_file: "$work/dataset.h5" clip_length: 9 batch_size: 8 validation { source: TEST_SPLIT } }
schedule { epochs: 1 warmup_epochs: 1 }
checkpoint { directory: "$work/run" }
logging { progress_bar: false }
seed: 1
PROTO
"$build/tools/kasf_train" --config "$work/tiny.prototxt" --threads 1 > /dev/null
"$build/tools/kasf_eval" --quiet --data "$work/dataset.h5" --weights "$work/run/best.ckpt.h5" \
  --write-predictions "$work/predictions.h5" > /dev/null

mkdir -p "$out"
cp "$work/dataset.h5" "$out/dataset.h5"
# Even a tiny model has ~300 tensors (~1 MB of HDF5 object headers with their optimizer state): the
# seed keeps every group and attribute but only the first two tensors, so that fuzzing stays fast.
/usr/bin/python3 - "$work/run/latest.ckpt.h5" "$out/checkpoint.h5" <<'PY'
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], 'r') as src, h5py.File(sys.argv[2], 'w', track_order=False) as dst:
    keys = [k.decode() if isinstance(k, bytes) else k for k in src['state_dict_keys'][:2]]
    for name, value in src.attrs.items():
        dst.attrs[name] = value
    dst.create_dataset('state_dict_keys', data=np.array(keys, dtype=h5py.string_dtype()))
    for key in keys:
        src.copy(src['weights'][key], dst.require_group('weights'), name=key)
    optimizer = dst.create_group('optimizer')
    for name, value in src['optimizer'].attrs.items():
        optimizer.attrs[name] = value
    for name in list(src['optimizer'])[:2]:
        src.copy(src['optimizer'][name], optimizer, name=name)
    for group in ('training', 'random_streams'):
        src.copy(src[group], dst, name=group)
PY
"$build/tools/kasf_convert" --checkpoint "$root/tests/data/pickles/nested_checkpoint.pth" --output "$out/weights.h5" > /dev/null
cp "$work/predictions.h5" "$out/predictions.h5"
ls -l "$out"

#!/usr/bin/env python3
"""Write the crafted hostile inputs of issue 15 (tests/data/hostile/) that the tools test runs every
tool on (tests/tools/hostile_inputs_test.cpp); each must give a clear error and exit status 1.
Needs numpy only (no PyTorch: the checkpoints are derived from the committed test checkpoints).
Deterministic: running it again rewrites identical files.

  /usr/bin/python3 scripts/make_hostile_inputs.py

Inputs made at test time instead (they are large or are corruptions of files kasf writes): the
COCO JSON with a 10 MiB number and the HDF5 files with a corrupted global heap string.
"""
import io
import pathlib
import pickle
import struct
import zipfile

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / 'tests' / 'data' / 'hostile'
PICKLES = ROOT / 'tests' / 'data' / 'pickles'


def write(name, data):
    (OUT / name).write_bytes(data)


def source_split(frames, factor):
    """A MotionBERT-style test split of `frames` frames whose 2.5D factors are all `factor`."""
    joints = np.arange(frames * 17 * 3, dtype=np.float32).reshape(frames, 17, 3)
    return {'joint_2d': joints, 'joint3d_image': joints, 'joints_2.5d_image': joints,
            '2.5d_factor': np.full(frames, factor, dtype=np.float32),
            'source': ['clip_cam0'] * frames, 'action': ['walk'] * frames}


def rewrite_zip(source, target, change):
    """Copies the zip `source` entry by entry (stored, fixed timestamps), `change(name, data)`
    giving each entry's new contents."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, 'w', zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            zout.writestr(entry, change(info.filename, zin.read(info.filename)))
    write(target, out.getvalue())


def with_declared_size(path, entry_name, change):
    """The zip at `path` with the uncompressed size of `entry_name` in its central directory changed
    by `change` bytes."""
    archive = bytearray(path.read_bytes())
    at = archive.find(b'PK\x01\x02')
    while at >= 0:
        name_length = struct.unpack_from('<H', archive, at + 28)[0]
        if archive[at + 46:at + 46 + name_length] == entry_name.encode():
            struct.pack_into('<I', archive, at + 24, struct.unpack_from('<I', archive, at + 24)[0] + change)
            return bytes(archive)
        at = archive.find(b'PK\x01\x02', at + 4)
    raise ValueError(f'{path} has no entry {entry_name}')


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    # A GLOBAL opcode whose module and name are not UTF-8 and hold terminal control sequences.
    write('global_not_utf8.pkl', b'\x80\x02c' + b'os\xff\x1b[2J\n' + b'sys\xfe\x07tem\n' + b'.')
    write('empty_dict.pkl', pickle.dumps({}, protocol=4))
    # A split of 0 frames as the Python lists it was built from: converts to an empty split.
    empty = {k: [] for k in ('joint_2d', 'joint3d_image', 'joints_2.5d_image', '2.5d_factor', 'source', 'action')}
    write('empty_test_split.pkl', pickle.dumps({'test': empty}, protocol=4))
    write('zero_factor.pkl', pickle.dumps({'test': source_split(4, 0.0)}, protocol=4))
    # torch.save before PyTorch 1.6: pickles of the magic number, the protocol version, ... (no zip).
    write('legacy_torch_save.pth', pickle.dumps(0x1950a86a20f9469cfc6c, protocol=2) + pickle.dumps(1001, protocol=2)
          + pickle.dumps({'protocol_version': 1001, 'little_endian': True}, protocol=2))
    # The committed test checkpoint with NaN first in every storage (8 bytes 0xff: NaN as float16,
    # float32 and float64).
    rewrite_zip(PICKLES / 'nested_checkpoint.pth', 'nan_weight.pth',
                lambda name, data: b'\xff' * 8 + data[8:] if name.startswith('archive/data/') and len(data) >= 8
                else data)
    # A storage 8 bytes shorter than its tensor's pickle declares (the zip itself is sound).
    rewrite_zip(PICKLES / 'nested_checkpoint.pth', 'short_storage.pth',
                lambda name, data: data[:-8] if name == 'archive/data/0' else data)
    # The deflated test checkpoint with data.pkl's declared size in the central directory one byte
    # larger, and one byte smaller, than what it inflates to.
    write('zip_size_mismatch.pth', with_declared_size(PICKLES / 'nested_checkpoint_deflated.pth', 'archive/data.pkl', +1))
    write('zip_inflates_past_declared_size.pth',
          with_declared_size(PICKLES / 'nested_checkpoint_deflated.pth', 'archive/data.pkl', -1))


if __name__ == '__main__':
    main()

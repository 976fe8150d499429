#!/usr/bin/env python3
"""Write the pickles, checkpoints and reference values the pickle, checkpoint and dataset tests
read (tests/data/pickles/). Needs numpy and PyTorch (Debian: python3-numpy python3-torch) and, to
derive the pose data, ../shared/data/cmu_sports (CMU mocap; see ACKNOWLEDGEMENT.md written next to
the data). Deterministic: running it again rewrites identical files.

  /usr/bin/python3 scripts/make_test_pickles.py [--cmu-dir ../shared/data/cmu_sports]

Reference values are written as raw little-endian float32 (numpy.tofile) and text files, so the
C++ tests need no Python and no NPY reader. The C++ tests compare against these files (and
against the literal inputs defined below, which they restate).
"""
import argparse
import collections
import io
import os
import pathlib
import pickle
import shutil
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / 'tests' / 'data' / 'pickles'
CMU_ACK = ('The data used in this project was obtained from mocap.cs.cmu.edu.\n'
           'The database was created with funding from NSF EIA-0196217.\n')


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def dump(name, obj, protocol):
    write(OUT / name, pickle.dumps(obj, protocol=protocol))


# --- every value kind the reader supports (the C++ test restates these literals) -----------------
def kinds():
    shared = [1, 2]
    return {
        'none': None, 'true': True, 'false': False,
        'small_int': 7, 'neg_int': -300, 'int32_max': 2**31 - 1, 'int64_min': -2**63, 'int64_max': 2**63 - 1,
        'big_int': 2**100 + 1, 'neg_big_int': -(2**70),
        'float': 1.5, 'tiny_float': -2.25e-300,
        'str': 'h\u00e9llo \u2603 \U0001F600', 'empty_str': '', 'bytes': b'\x00\xffab', 'empty_bytes': b'',
        'bytearray': bytearray(b'xyz'),
        'list': [1, 'a', None], 'tuple': (1, 2.5), 'nested': {'a': [{'b': (1,)}]},
        'set': {3, 1, 2}, 'frozenset': frozenset({'x'}),
        'ordered': collections.OrderedDict([('z', 1), ('a', 2)]),
        'shared': [shared, shared],
        'int_keys': {1: 'one', 2: 'two'}, 'tuple_keys': {(1, 'a'): 3},
        'many_keys': {f'k{i}': i for i in range(40)},
        'f64': np.arange(12, dtype=np.float64).reshape(3, 4) * 0.5,
        'f32': np.linspace(-1, 1, 5, dtype=np.float32),
        'f16': np.array([1.5, -2, 65504, 2**-24], dtype=np.float16),
        'be_f32': np.array([1.25, -3.5], dtype='>f4'),
        'be_i32': np.array([1, -2, 70000], dtype='>i4'),
        'i8': np.array([-128, 127], dtype=np.int8), 'i16': np.array([-32768, 5], dtype=np.int16),
        'i64': np.array([-2**62, 3], dtype=np.int64),
        'u8': np.array([0, 255], dtype=np.uint8), 'u16': np.array([65535], dtype=np.uint16),
        'u32': np.array([4000000000], dtype=np.uint32), 'u64': np.array([2**63], dtype=np.uint64),
        'bool_array': np.array([True, False, True]),
        'unicode': np.array(['ab', '\u00fcn\u00ef', '']), 'be_unicode': np.array(['xy'], dtype='>U2'),
        'bytes_array': np.array([b'ab', b'c']),
        'object_str': np.array(['x', 'yy'], dtype=object),
        'fortran': np.asfortranarray(np.arange(6, dtype=np.int32).reshape(2, 3)),
        'empty_array': np.zeros((0, 17, 3), dtype=np.float32),
        'scalar_f32': np.float32(2.5), 'scalar_i64': np.int64(-3), 'scalar_bool': np.bool_(True),
    }


# --- pose data derived from CMU mocap -------------------------------------------------------------
def cmu_source(cmu_dir):
    """A small MotionBERT-style source dict: 240 train and 120 test frames (fps 12, 2 cameras)."""
    with tempfile.TemporaryDirectory() as tmp:
        full = pathlib.Path(tmp) / 'cmu.pkl'
        subprocess.run([sys.executable, str(cmu_dir / 'make_pickle.py'), '--npz',
                        str(cmu_dir / 'cmu_sports_h36m17_world_mm_yup_120fps.npz'), '--out', str(full),
                        '--fps', '12', '--n-cams', '2', '--noise-px', '2'], check=True, stdout=subprocess.DEVNULL)
        data = pickle.loads(full.read_bytes())
    out = {}
    for split, n in (('train', 240), ('test', 120)):
        out[split] = {k: (v[:n] if isinstance(v, np.ndarray) else list(v[:n])) for k, v in data[split].items()}
        out[split]['confidence'] = np.linspace(0.5, 1.0, n * 17, dtype=np.float32).reshape(n, 17, 1)
    return out


def write_reference(folder, data):
    """Raw float32 arrays and one-string-per-line text for each split and key."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for split, arrays in data.items():
        for key, value in arrays.items():
            if isinstance(value, np.ndarray) and value.dtype.kind in 'biuf':
                np.ascontiguousarray(value, dtype='<f4').tofile(folder / f'{split}.{key}.f32')
                (folder / f'{split}.{key}.shape').write_text(' '.join(map(str, value.shape)) + '\n')
            else:
                (folder / f'{split}.{key}.txt').write_text(''.join(f'{s}\n' for s in value))


def source_variants(src):
    # Python lists of str, numpy float32, with confidence, in the three protocols.
    for protocol in (2, 4, 5):
        dump(f'cmu_source_p{protocol}.pkl', src, protocol)
    # The same data in other dtypes: big-endian float64, float16 confidence (the values are exact
    # in float16 only up to rounding, so the reference is written from the float16 values),
    # unicode and object arrays of str; no confidence in the test split.
    mixed = {}
    for split, d in src.items():
        m = dict(d)
        m['joint_2d'] = d['joint_2d'].astype('>f8')
        m['joint3d_image'] = d['joint3d_image'].astype(np.float64)
        m['confidence'] = d['confidence'].astype(np.float16)
        m['camera_name'] = np.array(d['camera_name'])
        m['source'] = np.array(d['source'], dtype=object)
        m['res_w'] = d['res_w'].astype('>i8')
        mixed[split] = m
    del mixed['test']['confidence']
    dump('cmu_source_mixed_dtypes_p4.pkl', mixed, 4)
    write_reference(OUT / 'cmu_source.reference', src)
    write_reference(OUT / 'cmu_source_mixed_dtypes.reference',
                    {s: {k: (v.astype(np.float32) if isinstance(v, np.ndarray) and v.dtype.kind == 'f' else v)
                         for k, v in d.items()} for s, d in mixed.items()})
    # Invalid inputs for the validation errors.
    bad = {
        'missing_joint_2d': lambda d: d['train'].pop('joint_2d'),
        'frame_count_mismatch': lambda d: d['test'].__setitem__('joint3d_image', d['test']['joint3d_image'][:-1]),
        'wrong_joint_count': lambda d: d['train'].__setitem__('joint_2d', d['train']['joint_2d'][:, :16]),
        'nan': lambda d: d['test']['joints_2.5d_image'].__setitem__((5, 3, 1), np.nan),
    }
    for name, spoil in bad.items():
        d = {s: {k: (v.copy() if isinstance(v, np.ndarray) else list(v)) for k, v in a.items()} for s, a in src.items()}
        spoil(d)
        dump(f'invalid_{name}.pkl', d, 4)


def gendb_frames(split_data, first_videoid):
    """AthletePose3D gendb.py-style list of per-frame dicts built from a source split."""
    frames = []
    videoids = {}
    for i in range(len(split_data['source'])):
        factor = float(split_data['2.5d_factor'][i])
        ratio = 1.0 / factor
        j3d = split_data['joint3d_image'][i].astype(np.float64)
        videoid = videoids.setdefault(split_data['source'][i], first_videoid + len(videoids))
        frames.append({
            'videoid': videoid, 'cameraid': split_data['camera_name'][i],
            'camera_param': {'R': np.eye(3), 'T': np.zeros(3), 'fx': 1145.0, 'fy': 1145.0, 'cx': 500.0, 'cy': 500.0,
                             'k': np.zeros(3), 'p': np.zeros(2), 'name': split_data['camera_name'][i]},
            'joint_3d_image': j3d, 'joint_3d_camera': j3d * factor,
            'box': np.array([1.0, 2.0, 3.0, 4.0]), 'center': np.array([2.0, 3.0]), 'scale': np.array([0.01, 0.01]),
            'ratio': ratio, 'root_depth': 5000.0 + i,
            'subject': 'S1', 'action': split_data['action'][i], 'subaction': f'{split_data["action"][i]}_1',
            'video_width': 1000, 'video_height': 1000, 'rotation': False, 'fps': 120,
        })
    return frames


def gendb_variant(src):
    reference = {}
    for split, first in (('train', 0), ('test', 0)):
        d = {k: v[:100] for k, v in src[split].items()}
        frames = gendb_frames(d, first)
        dump(f'gendb_{split}_p4.pkl', frames, 4)
        j3d = np.stack([f['joint_3d_image'] for f in frames])
        ratio = np.array([f['ratio'] for f in frames])
        reference[split] = {
            'joint_2d': j3d, 'joint3d_image': j3d, 'joint_3d_camera': np.stack([f['joint_3d_camera'] for f in frames]),
            'source': [str(f['videoid']) for f in frames], 'camera_name': [f['cameraid'] for f in frames],
            'action': [f['action'] for f in frames], 'res_w': np.array([f['video_width'] for f in frames]),
            'res_h': np.array([f['video_height'] for f in frames]),
            '2.5d_factor': 1.0 / ratio, 'joints_2.5d_image': j3d / ratio[:, None, None],
        }
    write_reference(OUT / 'gendb.reference', reference)


def clip_variant(src):
    """A folder of MotionBERT clip pickles ({train,test}/%08d.pkl), 27-frame clips."""
    folder = OUT / 'clips'
    shutil.rmtree(folder, ignore_errors=True)
    reference = {}
    for split, count in (('train', 3), ('test', 2)):
        d = src[split]
        clips = []
        for c in range(count):
            s = slice(c * 27, c * 27 + 27)
            w = 1000.0
            clip = {'data_input': np.concatenate([d['joint_2d'][s] / w * 2 - 1, d['confidence'][s]], -1).astype(np.float32),
                    'data_label': (d['joint3d_image'][s] / w * 2 - [1, 1, 0]).astype(np.float32)}
            if split == 'test':
                clip.update({'data_label_scaled': d['joints_2.5d_image'][s], 'data_factor': d['2.5d_factor'][s],
                             'data_res': np.array([1000, 1000]), 'data_action': d['action'][c * 27]})
            clips.append(clip)
            dump(f'clips/{split}/{c:08d}.pkl', clip, 4)
        reference[split] = {k: (np.stack([c[k] for c in clips]) if k != 'data_action' else [c[k] for c in clips])
                            for k in clips[0]}
    write_reference(OUT / 'clips.reference', reference)


# --- hostile and broken files ---------------------------------------------------------------------
class RunsShell:
    """Unpickling this with Python's pickle runs a shell command."""
    def __reduce__(self):
        return (os.system, ('touch kasf_pickle_executed.marker',))


def hostile_variants():
    dump('os_system_p2.pkl', {'train': RunsShell()}, 2)
    dump('os_system_p4.pkl', [1, RunsShell()], 4)
    framed = (OUT / 'cmu_source_p4.pkl').read_bytes()
    write(OUT / 'truncated_half.pkl', framed[:len(framed) // 2])
    unframed = (OUT / 'cmu_source_p2.pkl').read_bytes()
    write(OUT / 'truncated_last_byte.pkl', unframed[:-1])  # STOP is missing
    write(OUT / 'empty.pkl', b'')


# --- PyTorch checkpoints --------------------------------------------------------------------------
def checkpoints():
    import torch
    torch.manual_seed(0)
    base = torch.randn(4, 3, dtype=torch.float64)
    state = collections.OrderedDict([
        ('module.linear.weight', base.t()),                          # non-contiguous view, float64
        ('module.linear.bias', torch.randn(4)),                      # float32
        ('module.half', torch.randn(2, 5).half()),
        ('module.slice', torch.arange(20, dtype=torch.float32)[5:17:3]),  # storage offset and stride
        ('module.steps', torch.tensor(7, dtype=torch.int64)),       # 0-d
        ('module.mask', torch.tensor([True, False, True])),
        ('module.ints', torch.tensor([[1, -2], [3, 4]], dtype=torch.int32)),
    ])
    ckpt = {'epoch': 3, 'learning_rate': 5e-4, 'model': state,
            'optimizer': {'state': {}, 'param_groups': [{'lr': 5e-4, 'params': [0, 1]}]}, 'min_mpjpe': 41.5}
    buffer = io.BytesIO()
    torch.save(ckpt, buffer)
    write(OUT / 'nested_checkpoint.pth', buffer.getvalue())
    # The same archive re-packed with deflate compression.
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, \
            zipfile.ZipFile(OUT / 'nested_checkpoint_deflated.pth', 'w', zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            out = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            out.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(out, src.read(info.filename))
    folder = OUT / 'nested_checkpoint.reference'
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    lines = []
    for key, t in state.items():
        name = key[len('module.'):]
        t.contiguous().to(torch.float32).numpy().astype('<f4').tofile(folder / f'{name}.f32')
        lines.append(f'{name} {" ".join(map(str, t.shape))}\n')
    (folder / 'keys.txt').write_text(''.join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--cmu-dir', type=pathlib.Path, default=ROOT.parent / 'shared' / 'data' / 'cmu_sports')
    a = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for protocol in (2, 4, 5):
        dump(f'kinds_p{protocol}.pkl', kinds(), protocol)
    src = cmu_source(a.cmu_dir)
    source_variants(src)
    gendb_variant(src)
    clip_variant(src)
    hostile_variants()
    checkpoints()
    (OUT / 'ACKNOWLEDGEMENT.md').write_text(
        'The cmu_*, gendb_*, invalid_* and clips/ files are a small sample derived from the CMU Graphics Lab\n'
        'Motion Capture Database (via ../shared/data/cmu_sports/make_pickle.py, 12 fps, 2 virtual cameras).\n\n'
        + CMU_ACK)
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Write tests/data/fixtures/<fixture>.weights.txt: for each state-dict entry of the fixture weight
files, as read by h5py, one line `key<TAB>shape<TAB>sum<TAB>first_bits<TAB>last_bits`, where sum is
the float64 sum of the float32 values and *_bits are the IEEE bit patterns (hex) of the first and
last value. The C++ weight-file tests compare their reader against these independent numbers.

Run from the repository root: /usr/bin/python3 scripts/make_fixture_references.py  (needs h5py)
"""
import pathlib

import h5py
import numpy as np

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / 'tests' / 'data' / 'fixtures'


def main():
    for h5_path in sorted(FIXTURES.glob('*.h5')):
        with h5py.File(h5_path, 'r') as f:
            keys = [k.decode() for k in f['state_dict_keys'][:]]
            lines = []
            for key in keys:
                a = np.asarray(f['weights'][key], dtype=np.float32).reshape(-1)
                bits = a.view(np.uint32)
                shape = 'x'.join(str(d) for d in f['weights'][key].shape) or 'scalar'
                lines.append(f'{key}\t{shape}\t{a.astype(np.float64).sum()!r}\t{bits[0]:08x}\t{bits[-1]:08x}\n')
        out = h5_path.with_suffix('.weights.txt')
        out.write_text(''.join(lines))
        print(f'wrote {out} ({len(lines)} entries)')


if __name__ == '__main__':
    main()

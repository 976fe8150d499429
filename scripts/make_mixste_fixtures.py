#!/usr/bin/env python3
"""Write the MixSTE parity fixture (tests/data/fixtures/mixste_small.{pth,h5}) by running the
official code: model/MixSTE.py (class MixSTE2) of the KASportsFormer repository, imported from the
checkout given on the command line (nothing of it is copied here). Needs Debian's python3-torch
(1.13), python3-numpy and python3-h5py; scripts/official_code.py stands in for the repository's imports
of timm and einops and writes the fixture layout.

  git -C <mirror> archive HEAD model | tar -x -C /tmp/kasf_official
  /usr/bin/python3 scripts/make_mixste_fixtures.py --repo /tmp/kasf_official

The layout is that of the KASportsFormer fixtures (tests/data/fixtures/README.md): weights,
state_dict_keys, the model's hyperparameters as root attributes (kasf's ModelConfig names),
input, eval-mode output, grad_input and grads/<name> of loss = sum(output^2), and intermediates/
<module> (each block's output, rearranged to (B, T, J, C)). MixSTE has no BatchNorm and the
fixture no dropout, so train mode computes the same as eval mode. Every parameter, the zero-
initialised positional embeddings and LayerNorm affines included, is drawn at random, so that none
sits at a value that hides a bug. Deterministic.
"""
import argparse
import pathlib

import torch

import official_code

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / 'tests' / 'data' / 'fixtures'

# The constructor arguments of the fixture and the kasf ModelConfig fields they map to (models/mixste.h).
ARGS = dict(num_frame=9, num_joints=17, in_chans=3, embed_dim_ratio=32, depth=3, num_heads=4, mlp_ratio=2.0,
            qkv_bias=True, qk_scale=None, drop_rate=0.0, attn_drop_rate=0.0, drop_path_rate=0.0)
CONFIG = dict(model_name='MixSTE', n_frames=9, num_joints=17, dim_in=3, dim_feat=32, n_layers=3, num_heads=4,
              mlp_ratio=2.0, qkv_bias=True, drop=0.0, attn_drop=0.0, drop_path=0.0, dim_out=3, act_layer='gelu')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--repo', required=True, help='checkout of jw0r1n/KASportsFormer (holds model/MixSTE.py)')
    args = parser.parse_args()
    MixSTE2 = official_code.import_official(args.repo, 'model.MixSTE').MixSTE2

    torch.manual_seed(0)
    model = MixSTE2(**ARGS)
    official_code.randomize_parameters(model, ones=lambda name: name.endswith('norm1.weight') or name.endswith(
        'norm2.weight') or name.endswith('norm.weight') or name == 'head.0.weight')
    model.eval()

    x = official_code.fixture_input(ARGS['num_frame'])
    intermediates = {}

    def keep(name, layout):
        return official_code.keep_output(intermediates, name, layout, x.shape[0])

    model.Spatial_patch_to_embedding.register_forward_hook(keep('Spatial_patch_to_embedding', 'spatial'))
    for i in range(ARGS['depth']):
        model.STEblocks[i].register_forward_hook(keep(f'STEblocks.{i}', 'spatial'))
        model.TTEblocks[i].register_forward_hook(keep(f'TTEblocks.{i}', 'temporal'))
    model.head.register_forward_hook(keep('head', None))

    official_code.run_and_write(OUT, 'mixste_small', model, CONFIG, x, intermediates)
    # The parameter count of configs/mixste.prototxt's constructor arguments (the MixSTE paper's 243-frame model).
    full = MixSTE2(num_frame=243, num_joints=17, in_chans=3, embed_dim_ratio=512, depth=8, num_heads=8, mlp_ratio=2.0,
                   qkv_bias=True, drop_path_rate=0.0)
    print('configs/mixste.prototxt parameters:', official_code.parameter_count(full))


if __name__ == '__main__':
    main()

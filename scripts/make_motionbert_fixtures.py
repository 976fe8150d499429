#!/usr/bin/env python3
"""Write the DSTformer (MotionBERT) parity fixture (tests/data/fixtures/motionbert_small.{pth,h5}) by
running the official code: model/DSTFormer.py (class DSTformer) of the KASportsFormer repository,
imported from the checkout given on the command line (nothing of it is copied here). Needs Debian's
python3-torch (1.13), python3-numpy and python3-h5py; scripts/official_code.py writes the fixture layout.

  git -C <mirror> archive HEAD model | tar -x -C /tmp/kasf_official
  /usr/bin/python3 scripts/make_motionbert_fixtures.py --repo /tmp/kasf_official

The layout is the MixSTE fixture's (tests/data/fixtures/README.md) with intermediates/ for
joints_embed (before the embeddings are added), blocks_st.<l>, blocks_ts.<l>, fused.<l> (depth l's
output after the ts_attn fusion: the input of the next depth or of norm), norm, pre_logits and head,
all (B, T, J, C). DSTformer has no BatchNorm and the fixture no dropout, so train mode computes the
same as eval mode. Every parameter is drawn at random, the embeddings, LayerNorm affines and the
ts_attn fusions included (their softmax weights then range far from 1/2). temp_embed has more rows
(maxlen 7) than the fixture has frames (5). Deterministic.
"""
import argparse
import functools
import pathlib

import torch

import official_code

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / 'tests' / 'data' / 'fixtures'

# The constructor arguments of the fixture and the kasf ModelConfig fields they map to (models/motionbert.h).
FRAMES = 5
ARGS = dict(dim_in=3, dim_out=3, dim_feat=8, dim_rep=12, depth=2, num_heads=2, mlp_ratio=2, num_joints=17, maxlen=7,
            qkv_bias=True, qk_scale=None, drop_rate=0.0, attn_drop_rate=0.0, drop_path_rate=0.0, att_fuse=True)
NORM_EPS = 1e-6
CONFIG = dict(model_name='DSTformer', n_frames=FRAMES, maxlen=7, num_joints=17, dim_in=3, dim_feat=8, dim_rep=12,
              dim_out=3, n_layers=2, num_heads=2, mlp_ratio=2.0, qkv_bias=True, drop=0.0, attn_drop=0.0,
              drop_path=0.0, act_layer='gelu', norm_eps=NORM_EPS, use_adaptive_fusion=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--repo', required=True, help='checkout of jw0r1n/KASportsFormer (holds model/DSTFormer.py)')
    args = parser.parse_args()
    DSTformer = official_code.import_official(args.repo, 'model.DSTFormer').DSTformer
    layer_norm = functools.partial(torch.nn.LayerNorm, eps=NORM_EPS)

    torch.manual_seed(0)
    model = DSTformer(norm_layer=layer_norm, **ARGS)
    official_code.randomize_parameters(model, ones=lambda name: name.endswith(
        ('norm1_s.weight', 'norm1_t.weight', 'norm2_s.weight', 'norm2_t.weight')) or name == 'norm.weight')
    model.eval()

    x = official_code.fixture_input(FRAMES)
    intermediates = {}

    def keep(name, layout):
        return official_code.keep_output(intermediates, name, layout, x.shape[0])

    def keep_input(name):
        hook = keep(name, 'spatial')
        return lambda module, inputs: hook(module, inputs, inputs[0])

    model.joints_embed.register_forward_hook(keep('joints_embed', 'spatial'))
    for i in range(ARGS['depth']):
        model.blocks_st[i].register_forward_hook(keep(f'blocks_st.{i}', 'spatial'))
        model.blocks_ts[i].register_forward_hook(keep(f'blocks_ts.{i}', 'spatial'))
        after = model.blocks_st[i + 1] if i + 1 < ARGS['depth'] else model.norm
        after.register_forward_pre_hook(keep_input(f'fused.{i}'))
    model.norm.register_forward_hook(keep('norm', 'spatial'))
    model.pre_logits.register_forward_hook(keep('pre_logits', None))
    model.head.register_forward_hook(keep('head', None))

    official_code.run_and_write(OUT, 'motionbert_small', model, CONFIG, x, intermediates)
    # How far the fusion weights are from the mean (att_fuse's initial 1/2).
    with torch.no_grad():
        for i in range(ARGS['depth']):
            stacked = torch.cat([intermediates[f'blocks_st.{i}'], intermediates[f'blocks_ts.{i}']], dim=-1)
            weight = model.ts_attn[i](stacked).softmax(dim=-1)[..., 0]
            print(f'ts_attn.{i}: spatial-first weight in [{weight.min():.3f}, {weight.max():.3f}]')
    # The parameter counts of configs/motionbert.prototxt (MotionBERT's published 243-frame lifter) and
    # configs/table1/motionbert.prototxt.
    full = DSTformer(dim_in=3, dim_out=3, dim_feat=512, dim_rep=512, depth=5, num_heads=8, mlp_ratio=2, num_joints=17,
                     maxlen=243, norm_layer=layer_norm)
    print('configs/motionbert.prototxt parameters:', official_code.parameter_count(full))
    table1 = DSTformer(dim_in=3, dim_out=3, dim_feat=32, dim_rep=32, depth=2, num_heads=4, mlp_ratio=2, num_joints=17,
                       maxlen=27, norm_layer=layer_norm)
    print('configs/table1/motionbert.prototxt parameters:', official_code.parameter_count(table1))


if __name__ == '__main__':
    main()

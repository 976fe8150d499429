#!/usr/bin/env python3
"""Write the STCFormer parity fixture (tests/data/fixtures/stcformer_small.{pth,h5}) from the official
model/STCFormer.py (class Model) of the KASportsFormer checkout named by --repo, run under Debian's
PyTorch like scripts/make_mixste_fixtures.py (same requirements, same scripts/official_code.py):

  /usr/bin/python3 scripts/make_stcformer_fixtures.py --repo /tmp/kasf_official

The official constructor reads an `args` namespace (layers, d_hid, num_frame, num_joints_in,
num_joints_out) and hardwires the rest; three of its constants are changed on the built model:
* pose_emb takes kasf's 3 input channels (x, y, confidence) instead of 2, as MixSTE's in_chans = 3;
* the MLPs' dropout (0.1) and the part embedding's DropPath (0.5) are set to 0, so that train mode
  computes what eval mode does (kasf's drop = 0, part_embed_drop_path = 0);
and the attention's body-part table, which the official code moves to CUDA, stays on the CPU.
Every parameter, the LayerNorm affines and the part embeddings included, is drawn at random.
Intermediates: pose_emb (before the GELU), each block's attention and output (already (B, T, J, C))
and regress_head. Deterministic.
"""
import argparse
import pathlib
import types

import torch

import official_code

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / 'tests' / 'data' / 'fixtures'

# The official `args` of the fixture and the kasf ModelConfig fields they map to (models/stcformer.h);
# num_heads 8 and mlp_ratio 4 are the official constants.
ARGS = dict(layers=2, d_hid=32, num_frame=9, num_joints_in=17, num_joints_out=17)
CONFIG = dict(model_name='STCFormer', n_layers=2, dim_feat=32, n_frames=9, num_joints=17, dim_in=3, num_heads=8,
              mlp_ratio=4.0, qkv_bias=True, drop=0.0, attn_drop=0.0, drop_path=0.0, part_embed_drop_path=0.0,
              dim_out=3, act_layer='gelu')


def build(Model, dim_in, **args):
    """The official Model for `args`, its pose embedding widened to `dim_in` channels."""
    model = Model(types.SimpleNamespace(**args))
    model.pose_emb = torch.nn.Linear(dim_in, args['d_hid'], bias=False)
    return model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--repo', required=True, help='checkout of jw0r1n/KASportsFormer (holds model/STCFormer.py)')
    args = parser.parse_args()
    official = official_code.import_official(args.repo, 'model.STCFormer')
    torch.Tensor.cuda = lambda self, *unused, **unused_too: self  # the body-part table stays on the CPU

    torch.manual_seed(0)
    model = build(official.Model, 3, **ARGS)
    for module in model.modules():
        if isinstance(module, official.Mlp):
            module.drop.p = CONFIG['drop']
        elif isinstance(module, official.STC_ATTENTION):
            module.drop.drop_prob = CONFIG['part_embed_drop_path']
    official_code.randomize_parameters(model, ones=lambda name: name.endswith('layer_norm.weight'))
    model.eval()

    x = official_code.fixture_input(ARGS['num_frame'])
    intermediates = {}

    def keep(name):  # STCFormer's tokens are (B, T, J, C) already
        return official_code.keep_output(intermediates, name, None, x.shape[0])

    model.pose_emb.register_forward_hook(keep('pose_emb'))
    for i, block in enumerate(model.stcformer.stc_block):
        block.stc_att.register_forward_hook(keep(f'stcformer.stc_block.{i}.stc_att'))
        block.register_forward_hook(keep(f'stcformer.stc_block.{i}'))
    model.regress_head.register_forward_hook(keep('regress_head'))

    official_code.run_and_write(OUT, 'stcformer_small', model, CONFIG, x, intermediates)
    # configs/stcformer.prototxt: the STCFormer paper's 243-frame Human3.6M model (the official
    # repository's defaults: layers 6, d_hid 256, frames 243), as built officially (2 input channels)
    # and with kasf's 3.
    full = dict(layers=6, d_hid=256, num_frame=243, num_joints_in=17, num_joints_out=17)
    print('official 243-frame model parameters:',
          official_code.parameter_count(official.Model(types.SimpleNamespace(**full))))
    print('configs/stcformer.prototxt parameters:', official_code.parameter_count(build(official.Model, 3, **full)))


if __name__ == '__main__':
    main()

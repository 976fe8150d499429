#!/usr/bin/env python3
"""Write the MixSTE parity fixture (tests/data/fixtures/mixste_small.{pth,h5}) by running the
official code: model/MixSTE.py (class MixSTE2) of the KASportsFormer repository, imported from the
checkout given on the command line (nothing of it is copied here). Needs Debian's python3-torch
(1.13), python3-numpy and python3-h5py; the repository's imports of timm and einops are served by
the small stand-ins below (timm's DropPath is only built for drop_path_rate > 0, which the fixture
does not use; einops' rearrange is reimplemented for the patterns MixSTE2 uses).

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
import math
import pathlib
import sys
import types

import h5py
import numpy as np
import torch

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / 'tests' / 'data' / 'fixtures'

# The constructor arguments of the fixture and the kasf ModelConfig fields they map to (models/mixste.h).
ARGS = dict(num_frame=9, num_joints=17, in_chans=3, embed_dim_ratio=32, depth=3, num_heads=4, mlp_ratio=2.0,
            qkv_bias=True, qk_scale=None, drop_rate=0.0, attn_drop_rate=0.0, drop_path_rate=0.0)
CONFIG = dict(model_name='MixSTE', n_frames=9, num_joints=17, dim_in=3, dim_feat=32, n_layers=3, num_heads=4,
              mlp_ratio=2.0, qkv_bias=True, drop=0.0, attn_drop=0.0, drop_path=0.0, dim_out=3, act_layer='gelu')


def rearrange(x, pattern, **sizes):
    """einops.rearrange for patterns of plain and parenthesised axis names."""
    def groups(side):
        out, current = [], None
        for token in side.replace('(', ' ( ').replace(')', ' ) ').split():
            if token == '(':
                current = []
            elif token == ')':
                out.append(current)
                current = None
            elif current is not None:
                current.append(token)
            else:
                out.append([token])
        return out
    left, right = (groups(side) for side in pattern.split('->'))
    known = dict(sizes)
    for group, size in zip(left, x.shape):
        unknown = [a for a in group if a not in known]
        product = math.prod(known[a] for a in group if a in known)
        if unknown:
            known[unknown[0]] = size // product
    elementary = [a for group in left for a in group]
    x = x.reshape([known[a] for a in elementary])
    order = [a for group in right for a in group]
    x = x.permute([elementary.index(a) for a in order])
    return x.reshape([math.prod(known[a] for a in group) for group in right])


def install_stand_ins():
    einops = types.ModuleType('einops')
    einops.rearrange = rearrange
    einops.repeat = None  # imported, not used by MixSTE2
    timm = types.ModuleType('timm')
    timm_models = types.ModuleType('timm.models')
    timm_layers = types.ModuleType('timm.models.layers')
    timm_layers.DropPath = None  # built only for drop_path_rate > 0
    timm.models, timm_models.layers = timm_models, timm_layers
    sys.modules.update({'einops': einops, 'timm': timm, 'timm.models': timm_models, 'timm.models.layers': timm_layers})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--repo', required=True, help='checkout of jw0r1n/KASportsFormer (holds model/MixSTE.py)')
    args = parser.parse_args()
    install_stand_ins()
    sys.path.insert(0, args.repo)
    from model.MixSTE import MixSTE2

    torch.manual_seed(0)
    model = MixSTE2(**ARGS)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            scale = 0.5 if parameter.dim() == 1 or 'pos_embed' in name else 1.0
            parameter.copy_(torch.randn_like(parameter) * scale / math.sqrt(parameter.shape[-1]) +
                            (1.0 if name.endswith('norm1.weight') or name.endswith('norm2.weight') or
                             name.endswith('norm.weight') or name == 'head.0.weight' else 0.0))
    model.eval()

    torch.manual_seed(100)
    x = torch.cat([torch.rand(2, 9, 17, 2) * 2 - 1, torch.rand(2, 9, 17, 1)], dim=-1)
    intermediates = {}

    def keep(name, layout):
        # Blocks work on (b f) n c (spatial) or (b n) f c (temporal) tokens; kasf keeps (B, T, J, C).
        def hook(module, inputs, output):
            out = output.detach().clone()  # the model adds the positional embedding in place
            if layout == 'spatial':
                out = rearrange(out, '(b f) n c -> b f n c', b=x.shape[0])
            elif layout == 'temporal':
                out = rearrange(out, '(b n) f c -> b f n c', b=x.shape[0])
            intermediates[name] = out
        return hook

    model.Spatial_patch_to_embedding.register_forward_hook(keep('Spatial_patch_to_embedding', 'spatial'))
    for i in range(ARGS['depth']):
        model.STEblocks[i].register_forward_hook(keep(f'STEblocks.{i}', 'spatial'))
        model.TTEblocks[i].register_forward_hook(keep(f'TTEblocks.{i}', 'temporal'))
    model.head.register_forward_hook(keep('head', None))

    x.requires_grad_(True)
    output = model(x)
    (output ** 2).sum().backward()

    torch.save(model.state_dict(), OUT / 'mixste_small.pth')
    with h5py.File(OUT / 'mixste_small.h5', 'w') as f:
        state = model.state_dict()
        for key, value in state.items():
            f[f'weights/{key}'] = value.detach().float().numpy()
        f['state_dict_keys'] = np.array(list(state.keys()), dtype=h5py.string_dtype())
        for key, value in CONFIG.items():
            f.attrs[key] = value
        f.attrs['parameter_count'] = sum(p.numel() for p in model.parameters())
        f['input'] = x.detach().numpy()
        f['output'] = output.detach().numpy()
        f['grad_input'] = x.grad.numpy()
        for name, parameter in model.named_parameters():
            f[f'grads/{name}'] = parameter.grad.numpy()
        for name, value in intermediates.items():
            f[f'intermediates/{name}'] = value.numpy()
    print('parameters:', sum(p.numel() for p in model.parameters()))
    # The parameter count of configs/mixste.prototxt's constructor arguments (the MixSTE paper's 243-frame model).
    full = MixSTE2(num_frame=243, num_joints=17, in_chans=3, embed_dim_ratio=512, depth=8, num_heads=8, mlp_ratio=2.0,
                   qkv_bias=True, drop_path_rate=0.0)
    print('configs/mixste.prototxt parameters:', sum(p.numel() for p in full.parameters()))


if __name__ == '__main__':
    main()

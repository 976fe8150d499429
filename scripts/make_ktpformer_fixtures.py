#!/usr/bin/env python3
"""Write the KTPFormer parity fixture (tests/data/fixtures/ktpformer_small.{pth,h5}) by running the
official code: model/KTPFormer.py (class KTPFormer) of the KASportsFormer repository, with the
adjacency matrices of model/model_tools.py's adj_mx_from_skeleton (the H36M skeleton) and
adj_mx_from_skeleton_temporal (the frame chain: frame t's parent is t - 1, as the KTPFormer
authors' run_ktpformer.py builds it). Both are imported from the checkout given on the command
line (nothing of it is copied here). Needs Debian's python3-torch (1.13), python3-numpy,
python3-scipy (model_tools.py builds the graphs with scipy.sparse) and python3-h5py;
scripts/official_code.py stands in for the repository's imports of timm and einops.

  git -C <mirror> archive HEAD model | tar -x -C /tmp/kasf_official
  /usr/bin/python3 scripts/make_ktpformer_fixtures.py --repo /tmp/kasf_official

The layout is that of the MixSTE fixture (tests/data/fixtures/README.md) plus a train_mode/ group:
KTPFormer's priors have BatchNorm, so train mode (batch statistics) gives other outputs and
gradients, and updates the running statistics. Every parameter, the BatchNorm running statistics
and the learned adjacency corrections included, is drawn at random. The official model feeds the
prior's ReLU output to an in-place `+=`, which stops PyTorch's backward; a forward hook hands the
in-place add a copy instead (the forward is bitwise identical). The official model takes (x, y)
only: it gets input[..., :2], and grad_input is with respect to the whole (B, T, 17, 3) input
(zero for the confidence). Deterministic.
"""
import argparse
import ast
import pathlib

import numpy as np
import scipy.sparse
import torch

import official_code

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / 'tests' / 'data' / 'fixtures'

# The constructor arguments of the fixture and the kasf ModelConfig fields they map to (models/ktpformer.h).
ARGS = dict(num_frame=9, num_joints=17, in_chans=2, embed_dim_ratio=24, depth=2, num_heads=4, mlp_ratio=2.0,
            qkv_bias=True, qk_scale=None, drop_rate=0.0, attn_drop_rate=0.0, drop_path_rate=0.0)
CONFIG = dict(model_name='KTPFormer', n_frames=9, num_joints=17, dim_in=3, dim_feat=24, n_layers=2, num_heads=4,
              mlp_ratio=2.0, qkv_bias=True, drop=0.0, attn_drop=0.0, drop_path=0.0, dim_out=3, act_layer='gelu')
GRAPH_FUNCTIONS = ('normalize', 'sparse_mx_to_torch_sparse_tensor', 'adj_mx_from_edges', 'adj_mx_from_skeleton',
                   'adj_mx_from_skeleton_temporal')


def official_graphs(repo):
    """adj_mx_from_skeleton and adj_mx_from_skeleton_temporal of model/model_tools.py. The module
    imports every model of the repository (and their dependencies), so only these functions are
    compiled from its source."""
    path = pathlib.Path(repo) / 'model' / 'model_tools.py'
    tree = ast.parse(path.read_text())
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in GRAPH_FUNCTIONS]
    namespace = {'np': np, 'torch': torch, 'sp': scipy.sparse}
    exec(compile(ast.Module(body=functions, type_ignores=[]), str(path), 'exec'), namespace)
    spatial = namespace['adj_mx_from_skeleton'](17)
    return spatial, lambda frames: namespace['adj_mx_from_skeleton_temporal'](frames, np.arange(frames) - 1)


def randomize_batch_norm_statistics(model):
    with torch.no_grad():
        for name, buffer in model.named_buffers():
            if name.endswith('running_mean'):
                buffer.copy_(torch.randn_like(buffer) * 0.5)
            elif name.endswith('running_var'):
                buffer.copy_(torch.rand_like(buffer) + 0.5)
            elif name.endswith('num_batches_tracked'):
                buffer.fill_(7)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--repo', required=True, help='checkout of jw0r1n/KASportsFormer (holds model/KTPFormer.py)')
    args = parser.parse_args()
    KTPFormer = official_code.import_official(args.repo, 'model.KTPFormer').KTPFormer
    spatial_graph, temporal_graph = official_graphs(args.repo)

    torch.manual_seed(0)
    model = KTPFormer(spatial_graph, temporal_graph(ARGS['num_frame']), **ARGS)
    official_code.randomize_parameters(model, ones=lambda name: name.endswith(
        ('norm1.weight', 'norm2.weight', 'norm.weight', 'bn.weight', 'gconv.M')) or name == 'head.0.weight')
    randomize_batch_norm_statistics(model)
    # The in-place positional add must not modify the ReLU output that backward reads.
    model.kpattention.attn.kpa.register_forward_hook(lambda module, inputs, output: output.clone())
    model.eval()

    x = official_code.fixture_input(ARGS['num_frame'])
    intermediates = {}

    def keep(name, layout):
        return official_code.keep_output(intermediates, name, layout, x.shape[0])

    model.kpattention.attn.kpa.register_forward_hook(keep('kpattention.attn.kpa', 'spatial'))
    model.kpattention.register_forward_hook(keep('kpattention', 'spatial'))
    model.tpattention.attn.tpa.register_forward_hook(keep('tpattention.attn.tpa', 'temporal'))
    model.tpattention.register_forward_hook(keep('tpattention', 'temporal'))
    for i in range(ARGS['depth']):
        model.STEblocks[i].register_forward_hook(keep(f'STEblocks.{i}', 'spatial'))
        model.TTEblocks[i].register_forward_hook(keep(f'TTEblocks.{i}', 'temporal'))
    model.head.register_forward_hook(keep('head', None))

    x.requires_grad_(True)
    output = model(x[..., :2])
    (output ** 2).sum().backward()

    torch.save(model.state_dict(), OUT / 'ktpformer_small.pth')
    official_code.write_fixture(OUT / 'ktpformer_small.h5', model, CONFIG, x, output, intermediates)
    # Train mode after write_fixture, which records the running statistics this forward changes.
    model.train()
    model.zero_grad()
    train_x = x.detach().clone().requires_grad_(True)
    train_output = model(train_x[..., :2])
    (train_output ** 2).sum().backward()
    official_code.write_train_mode(OUT / 'ktpformer_small.h5', model, train_x, train_output)
    print('parameters:', official_code.parameter_count(model))
    # The parameter count of configs/ktpformer.prototxt's constructor arguments (the KTPFormer paper's
    # 243-frame Human3.6M model: run_ktpformer.py's defaults -cs 512 -dep 7, 8 heads, mlp_ratio 2).
    full = KTPFormer(spatial_graph, temporal_graph(243), num_frame=243, num_joints=17, in_chans=2,
                     embed_dim_ratio=512, depth=7, num_heads=8, mlp_ratio=2.0, qkv_bias=True, drop_path_rate=0.0)
    print('configs/ktpformer.prototxt parameters:', official_code.parameter_count(full))


if __name__ == '__main__':
    main()

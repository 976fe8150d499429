#!/usr/bin/env python3
"""Write the MotionAGFormer parity fixture (tests/data/fixtures/motionagformer_small.{pth,h5}) by
running the official code: model/MotionAGFormer.py (class MotionAGFormer, with model/modules/
selfattention.py, graph.py and mlp.py) of the KASportsFormer repository, imported from the checkout
given on the command line (nothing of it is copied here). Needs Debian's python3-torch (1.13),
python3-numpy and python3-h5py; scripts/official_code.py stands in for the repository's import of
timm and writes the fixture layout.

  git -C <mirror> archive HEAD model | tar -x -C /tmp/kasf_official
  /usr/bin/python3 scripts/make_motionagformer_fixtures.py --repo /tmp/kasf_official

The layout is the peers' one (tests/data/fixtures/README.md): weights, state_dict_keys, the model's
hyperparameters as root attributes (kasf's ModelConfig names), input, eval-mode output, grad_input
and grads/<name> of loss = sum(output^2), intermediates/<module> (the joint embedding before the
positional embedding, each block, each block's four FormerModules, norm, rep_logit, head), and
train_mode/: the GCNs' BatchNorms use batch statistics there, so the fixture also holds that
forward's output and gradients and the BatchNorm buffers after it. Every parameter, the zero-
initialised positional embedding, layer scales, fusion weights and norm affines included, is drawn at
random, and so are the BatchNorm running statistics, so that none sits at a value that hides a bug.
Deterministic.
"""
import argparse
import copy
import pathlib

import torch

import official_code

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / 'tests' / 'data' / 'fixtures'

# The constructor arguments of the fixture; their names are kasf's ModelConfig fields
# (configs/motionagformer_small.prototxt). neighbour_num 2 as in the published configurations.
ARGS = dict(n_layers=2, dim_in=3, dim_feat=16, dim_rep=32, dim_out=3, mlp_ratio=4, attn_drop=0.0, drop=0.0,
            drop_path=0.0, use_layer_scale=True, layer_scale_init_value=1e-5, use_adaptive_fusion=True, num_heads=2,
            qkv_bias=False, hierarchical=False, num_joints=17, use_temporal_similarity=True,
            temporal_connection_len=1, use_tcn=False, graph_only=False, neighbour_num=2, n_frames=9)
CONFIG = dict(ARGS, model_name='MotionAGFormer', act_layer='gelu')
# configs/motionagformer.prototxt: MotionAGFormer-Base as its repository publishes it
# (configs/h36m/MotionAGFormer-base.yaml): 16 layers, width 128, 8 heads, K = 2, 243 frames.
BASE = dict(n_layers=16, dim_in=3, dim_feat=128, dim_rep=512, num_heads=8, neighbour_num=2, n_frames=243)

STREAMS = ('att_spatial', 'att_temporal', 'graph_spatial', 'graph_temporal')
# The parameter seed: of seeds 0..11, the one whose temporal top-K graphs lie farthest from a tie
# (float32 rounding elsewhere must not flip an edge).
SEED = 5
MIN_TIE_MARGIN = 1e-4


def random_running_statistics(model):
    with torch.no_grad():
        for name, buffer in model.named_buffers():
            if name.endswith('running_mean'):
                buffer.copy_(torch.randn_like(buffer) * 0.5)
            elif name.endswith('running_var'):
                buffer.copy_(torch.rand_like(buffer) + 0.5)


def run(model, x, intermediates, margins):
    """Forward and backward of loss = sum(output^2) on a fresh leaf copy of x, recording the
    intermediates and, per temporal GCN, the smallest gap between the K-th and (K+1)-th largest
    similarity of a row relative to the largest similarity (the top-K graph's distance from a tie)."""
    def keep(name):
        def hook(module, inputs, output):
            intermediates[name] = output.detach().clone()
        return hook

    def tie_margin(module, inputs):
        t = inputs[0].shape[1]
        nodes = inputs[0].detach().transpose(1, 2).reshape(-1, t, inputs[0].shape[-1])
        similarity = nodes @ nodes.transpose(1, 2)
        ranked = similarity.sort(dim=-1, descending=True)[0]
        k = module.neighbour_num
        margins.append(((ranked[..., k - 1] - ranked[..., k]).min() / similarity.abs().max()).item())

    handles = [model.joints_embed.register_forward_hook(keep('joints_embed'))]
    for i, layer in enumerate(model.layers):
        handles.append(layer.register_forward_hook(keep(f'layers.{i}')))
        for stream in STREAMS:
            handles.append(getattr(layer, stream).register_forward_hook(keep(f'layers.{i}.{stream}')))
        handles.append(layer.graph_temporal.mixer.register_forward_pre_hook(tie_margin))
    for name in ('norm', 'rep_logit', 'head'):
        handles.append(getattr(model, name).register_forward_hook(keep(name)))
    x = x.clone().requires_grad_(True)
    output = model(x)
    (output ** 2).sum().backward()
    for handle in handles:
        handle.remove()
    return x, output


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--repo', required=True, help='checkout of jw0r1n/KASportsFormer (holds model/MotionAGFormer.py)')
    args = parser.parse_args()
    MotionAGFormer = official_code.import_official(args.repo, 'model.MotionAGFormer').MotionAGFormer

    torch.manual_seed(SEED)
    model = MotionAGFormer(**ARGS)
    official_code.randomize_parameters(
        model, ones=lambda name: name.endswith(('norm1.weight', 'norm2.weight', 'norm.weight', 'batch_norm.weight')))
    random_running_statistics(model)
    trained = copy.deepcopy(model)  # the same weights and statistics for the train-mode pass

    x = official_code.fixture_input(ARGS['n_frames'])
    margins = []

    model.eval()
    intermediates = {}
    eval_x, output = run(model, x, intermediates, margins)
    torch.save(model.state_dict(), OUT / 'motionagformer_small.pth')
    official_code.write_fixture(OUT / 'motionagformer_small.h5', model, CONFIG, eval_x, output, intermediates)

    trained.train()
    train_x, train_output = run(trained, x, {}, margins)
    official_code.write_train_mode(OUT / 'motionagformer_small.h5', trained, train_x, train_output)

    print('parameters:', official_code.parameter_count(model))
    print('smallest top-K margin / largest similarity:', min(margins))
    if min(margins) < MIN_TIE_MARGIN:
        raise SystemExit(f'a temporal top-K graph is within {min(margins):.1e} of a tie: pick another SEED')
    print('configs/motionagformer.prototxt parameters:', official_code.parameter_count(MotionAGFormer(**BASE)))


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""PyTorch counterpart of kasf_bench: the full KASportsFormer, written here from
docs/kasportsformer-spec.md (section 2), timed the same way (eval-mode inference, or one training
step: train-mode forward, the official loss, backward, AdamW).

Usage: /usr/bin/python3 bench/bench_pytorch.py <infer|train> <batch size> [repeats, default 2]
                                                [model definition, default the official model]
The definition's n_layers, dim_feat, dim_rep, num_heads and n_frames set the shape (the same
.prototxt kasf_bench reads); every other field keeps the official value.
Threads: torch.set_num_threads(KASF_TORCH_THREADS, default 2); run it with OMP_WAIT_POLICY=PASSIVE
(PyTorch's best setting on the shared 2-core machine). Prints one summary line like kasf_bench.
bench_official.py times the official code with this file's benchmark() and loss.
"""
import os
import re
import resource
import sys
import time

import torch
from torch import nn

J, K_NEIGHBOURS = 17, 4
OFFICIAL_SHAPE = {'n_frames': 27, 'dim_feat': 128, 'dim_rep': 512, 'num_heads': 8, 'n_layers': 26}
FORWARD_GFLOP_PER_CLIP = 27.5  # of the official shape


def use_shape(shape):
    """Sets the module-level sizes the layers below are built with."""
    global T, D, REP, HEADS, LAYERS
    T, D, REP, HEADS, LAYERS = (shape[k] for k in ('n_frames', 'dim_feat', 'dim_rep', 'num_heads', 'n_layers'))


use_shape(OFFICIAL_SHAPE)
PROXIMAL = [0, 1, 2, 0, 4, 5, 0, 7, 8, 9, 8, 11, 12, 8, 14, 15]
LIMBS = [[0, 1, 2], [3, 4, 5], [6, 7], [8, 9], [10, 11, 12], [13, 14, 15], [6, 7, 1, 2], [6, 7, 4, 5],
         [6, 7, 11, 12], [6, 7, 14, 15], [6, 7, 9], [14, 15, 11, 12], [1, 2, 4, 5], [14, 15, 4, 5],
         [11, 12, 4, 5], [10, 0], [13, 3]]
SKELETON = {0: [1, 4, 7], 1: [0, 2], 2: [1, 3], 3: [2], 4: [0, 5], 5: [4, 6], 6: [5], 7: [0, 8], 8: [7, 9, 11, 14],
            9: [8, 10], 10: [9], 11: [8, 12], 12: [11, 13], 13: [12], 14: [8, 15], 15: [14, 16], 16: [15]}


def normalize(adjacency):
    inv_sqrt = adjacency.sum(-1, keepdim=True).pow(-0.5)
    return inv_sqrt * adjacency * inv_sqrt.transpose(-2, -1)


def mlp(n_in, hidden, n_out):
    return nn.Sequential(nn.Linear(n_in, hidden), nn.GELU(), nn.Linear(hidden, n_out))


class Attention(nn.Module):
    """Self-attention (cross=False: q, k, v from x) or cross-attention (k, v from the memory)."""

    def __init__(self, spatial, cross):
        super().__init__()
        self.spatial, self.cross = spatial, cross
        if cross:
            self.q, self.kv = nn.Linear(D, D, bias=False), nn.Linear(D, 2 * D, bias=False)
        else:
            self.qkv = nn.Linear(D, 3 * D, bias=False)
        self.proj = nn.Linear(D, D)

    def split(self, x):  # (B, T, J, D) -> (B, T, H, J, c) or (B, J, H, T, c)
        b = x.shape[0]
        x = x.reshape(b, T, J, HEADS, D // HEADS)
        return x.permute(0, 1, 3, 2, 4) if self.spatial else x.permute(0, 2, 3, 1, 4)

    def forward(self, x, memory):
        if self.cross:
            q, (k, v) = self.q(x), self.kv(memory).chunk(2, dim=-1)
        else:
            q, k, v = self.qkv(x).chunk(3, dim=-1)
        q, k, v = self.split(q), self.split(k), self.split(v)
        out = ((q @ k.transpose(-2, -1)) * (D // HEADS) ** -0.5).softmax(-1) @ v
        out = out.permute(0, 1, 3, 2, 4) if self.spatial else out.permute(0, 3, 1, 2, 4)
        return self.proj(out.reshape(x.shape))


class GraphConv(nn.Module):
    def __init__(self, spatial):
        super().__init__()
        self.spatial = spatial
        self.U, self.V = nn.Linear(D, D), nn.Linear(D, D)
        self.batch_norm = nn.BatchNorm1d(J if spatial else T)
        if spatial:
            adjacency = torch.zeros(J, J)
            for joint, neighbours in SKELETON.items():
                adjacency[joint, neighbours] = 1.0
            self.register_buffer('graph', normalize(adjacency), persistent=False)

    def forward(self, x, memory):
        b = x.shape[0]
        nodes = x.reshape(b * T, J, D) if self.spatial else x.transpose(1, 2).reshape(b * J, T, D)
        if self.spatial:
            graph = self.graph
        else:
            with torch.no_grad():
                scores = nodes @ nodes.transpose(-2, -1)
                threshold = scores.topk(K_NEIGHBOURS, dim=-1).values[..., -1:]
                graph = normalize((scores >= threshold).float())
        out = torch.relu(nodes + self.batch_norm(graph @ self.V(nodes) + self.U(nodes)))
        return out.reshape(b, T, J, D) if self.spatial else out.reshape(b, J, T, D).transpose(1, 2)


class FormerModule(nn.Module):
    def __init__(self, mixer):
        super().__init__()
        self.layer_scale_1 = nn.Parameter(torch.full((D,), 1e-5))
        self.layer_scale_2 = nn.Parameter(torch.full((D,), 1e-5))
        self.norm1, self.norm1_limb, self.norm2 = nn.LayerNorm(D), nn.LayerNorm(D), nn.LayerNorm(D)
        self.mixer, self.mlp = mixer, mlp(D, 4 * D, D)

    def forward(self, x, memory=None):
        memory = self.norm1_limb(memory) if memory is not None else None
        x = x + self.layer_scale_1 * self.mixer(self.norm1(x), memory)
        return x + self.layer_scale_2 * self.mlp(self.norm2(x))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.att_spatial = FormerModule(Attention(True, False))
        self.att_temporal = FormerModule(Attention(False, False))
        self.graph_spatial = FormerModule(GraphConv(True))
        self.graph_temporal = FormerModule(GraphConv(False))
        self.bone_spatial = FormerModule(Attention(True, True))
        self.bone_temporal = FormerModule(Attention(False, True))
        self.fusion = nn.Linear(3 * D, 3)

    def forward(self, x, query, limbs):
        streams = [self.att_temporal(self.att_spatial(x)), self.graph_temporal(self.graph_spatial(x)),
                   self.bone_temporal(self.bone_spatial(query, limbs), limbs)]
        weights = self.fusion(torch.cat(streams, -1)).softmax(-1)
        return sum(s * weights[..., i:i + 1] for i, s in enumerate(streams))


class KASportsFormer(nn.Module):
    def __init__(self):
        super().__init__()
        self.joints_embed, self.bone_embed, self.limb_embed = nn.Linear(3, D), nn.Linear(3, D), nn.Linear(3, D)
        self.pos_embed, self.bone_pos_embed, self.limb_pos_embed = (nn.Parameter(torch.zeros(1, J, D))
                                                                    for _ in range(3))
        self.limb_mlps = nn.ModuleList(nn.ModuleList(mlp(len(m), 16, 1) for _ in range(3)) for m in LIMBS)
        self.blocks = nn.ModuleList(Block() for _ in range(LAYERS))
        self.norm, self.rep_logit, self.head = nn.LayerNorm(D), nn.Linear(D, REP), nn.Linear(REP, 3)

    @staticmethod
    def bones(x):
        vectors = x[..., PROXIMAL, :2] - x[..., 1:, :2]
        lengths = vectors.norm(dim=-1, keepdim=True)
        lengths = torch.where(lengths == 0, torch.ones_like(lengths), lengths)
        bones = torch.cat([vectors / lengths, lengths], -1)
        return torch.cat([bones, bones.mean(2, keepdim=True)], 2)

    def limbs(self, x):
        out = [torch.cat([f(x[..., members, c]) for c, f in enumerate(mlps)], -1).unsqueeze(2)
               for members, mlps in zip(LIMBS, self.limb_mlps)]
        return torch.cat(out, 2)

    def forward(self, x):
        joints = self.joints_embed(x) + self.pos_embed
        bones = self.bone_embed(self.bones(x)) + self.bone_pos_embed
        limbs = self.limb_embed(self.limbs(x)) + self.limb_pos_embed
        for l, block in enumerate(self.blocks):
            joints = block(joints, bones if l == 0 else joints, limbs)
        return self.head(torch.tanh(self.rep_logit(self.norm(joints))))


def training_loss(prediction, target):
    """MPJPE + 0.5 N-MPJPE + 20 velocity error (spec section 8)."""
    def mpjpe(p, y):
        return (p - y).norm(dim=-1).mean()
    scale = (prediction * target).sum((2, 3), keepdim=True) / (prediction * prediction).sum((2, 3), keepdim=True)
    velocity = mpjpe(prediction[:, 1:] - prediction[:, :-1], target[:, 1:] - target[:, :-1])
    return mpjpe(prediction, target) + 0.5 * mpjpe(scale * prediction, target) + 20.0 * velocity


def model_shape(path):
    """The shape fields of a model definition (top-level `name: value` lines), official otherwise."""
    shape = dict(OFFICIAL_SHAPE)
    with open(path) as definition:
        for line in definition:
            match = re.match(r'\s*(\w+)\s*:\s*(\d+)\s*(#.*)?$', line)
            if match and match.group(1) in shape:
                shape[match.group(1)] = int(match.group(2))
    return shape


OFFICIAL_PARAMETERS = 29_365_668  # kasf_bench's kOfficialParameters


def parameter_count(model, shape):
    """The model's trainable parameters; a model of the official shape must have the official count."""
    params = sum(p.numel() for p in model.parameters())
    if shape == OFFICIAL_SHAPE:
        assert params == OFFICIAL_PARAMETERS, f'{params:,} parameters, the official model has {OFFICIAL_PARAMETERS:,}'
    return params


def benchmark(label, model, mode, batch, repeats, shape):
    """Times `repeats` inference passes or training steps of `model` after a warm-up one and prints
    the summary line `<label> <mode> B=<batch>: ...` that bench/run_benchmarks.sh reads."""
    params = parameter_count(model, shape)
    frames = shape['n_frames']
    x = torch.rand(batch, frames, J, 3) * 2 - 1
    target = torch.rand(batch, frames, J, 3) * 2 - 1
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.01)
    model.train(mode == 'train')

    def step():
        if mode == 'infer':
            with torch.no_grad():
                model(x)
            return
        loss = training_loss(model(x), target)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    best = float('inf')
    for r in range(repeats + 1):
        start = time.perf_counter()
        step()
        seconds = time.perf_counter() - start
        print(f'  run {r}{" (warm-up)" if r == 0 else ""}: {seconds:.3f} s', flush=True)
        if r > 0:
            best = min(best, seconds)
    gflop = FORWARD_GFLOP_PER_CLIP * batch * (3.0 if mode == 'train' else 1.0)
    rate = f'{gflop / best:.1f} GFLOP/s' if shape == OFFICIAL_SHAPE else f'{params:,} parameters'
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    print(f'{label} {mode} B={batch}: {best:.3f} s/batch, {batch / best:.2f} clips/s, {rate}, peak RSS {peak_gb:.2f} GB')


def set_threads_from_env():
    torch.set_num_threads(int(os.environ.get('KASF_TORCH_THREADS', '2')))


def run_arguments(program, args):
    """<infer|train> <batch size> [repeats, default 2] [model definition] -> mode, batch, repeats, shape."""
    if len(args) < 2 or args[0] not in ('infer', 'train'):
        sys.exit(f'{program}: expected <infer|train> <batch size> [repeats] [model definition], got {args}')
    repeats = int(args[2]) if len(args) > 2 else 2
    return args[0], int(args[1]), repeats, model_shape(args[3]) if len(args) > 3 else OFFICIAL_SHAPE


def main():
    mode, batch, repeats, shape = run_arguments('bench_pytorch', sys.argv[1:])
    use_shape(shape)
    torch.manual_seed(20240601)
    benchmark('torch', KASportsFormer(), mode, batch, repeats, shape)


if __name__ == '__main__':
    set_threads_from_env()
    main()

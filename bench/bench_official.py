#!/usr/bin/env python3
"""The official KASportsFormer code (github.com/jw0r1n/KASportsFormer) timed exactly as
bench_pytorch.py times our module: eval-mode inference, or one training step (train-mode forward,
bench_pytorch's loss, backward, AdamW). The official code stays in its own checkout; nothing of it is
copied here.

Usage: /usr/bin/python3 bench/bench_official.py <official checkout> <infer|train> <batch size>
                                                 [repeats, default 2] [model definition]
The model is built as the official model/model_tools.py load_model builds it, from the checkout's
configs/sportspose-det-kasportsformer.yaml; a model definition (.prototxt) overrides the shape fields
that bench_pytorch.py reads from it, so all three contenders run the same shape.
Needs python3-torch and python3-yaml; the official imports Debian lacks come from official_shims/.
Threads: KASF_TORCH_THREADS, as bench_pytorch.py.
"""
import inspect
import os
import sys

import torch
import yaml
from torch import nn

import bench_pytorch

OFFICIAL_CONFIG = 'configs/sportspose-det-kasportsformer.yaml'
ACTIVATIONS = {'gelu': nn.GELU, 'relu': nn.ReLU}  # load_model's act_mapper


def official_model(checkout, shape):
    """The official KASportsFormer with the yaml's constructor arguments, shape fields from `shape`."""
    sys.path.insert(0, checkout)
    sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'official_shims'))
    from model.KASportsFormer import KASportsFormer

    config_path = os.path.join(checkout, OFFICIAL_CONFIG)
    with open(config_path) as config_file:
        config = yaml.safe_load(config_file)
    config.update(shape)
    # load_model passes every constructor argument under its own name from the yaml.
    arguments = {}
    for name in list(inspect.signature(KASportsFormer.__init__).parameters)[1:]:
        if name not in config:
            sys.exit(f'bench_official: {config_path} has no key {name} (a KASportsFormer argument)')
        arguments[name] = config[name]
    if arguments['act_layer'] not in ACTIVATIONS:
        sys.exit(f'bench_official: {config_path}: act_layer {arguments["act_layer"]!r} is not one of {list(ACTIVATIONS)}')
    arguments['act_layer'] = ACTIVATIONS[arguments['act_layer']]
    return KASportsFormer(**arguments)


def main():
    if len(sys.argv) < 2 or not os.path.isdir(os.path.join(sys.argv[1], 'model')):
        sys.exit('bench_official: the first argument must be the official checkout (the folder holding model/)')
    mode, batch, repeats, shape = bench_pytorch.run_arguments('bench_official', sys.argv[2:])
    torch.manual_seed(20240601)
    model = official_model(sys.argv[1], shape)
    print(f'official parameters: {bench_pytorch.parameter_count(model, shape):,}', flush=True)
    bench_pytorch.benchmark('official', model, mode, batch, repeats, shape)


if __name__ == '__main__':
    bench_pytorch.set_threads_from_env()
    main()

"""What every parity-fixture script needs to run a model of the official KASportsFormer repository
(github:jw0r1n/KASportsFormer, checked out at a path given on the command line; nothing of it is
copied into kasf) under Debian's python3-torch 1.13, and to write kasf's fixture layout.

The repository imports timm, einops and matplotlib, which Debian does not package; `import_official`
serves them with small stand-ins: timm's DropPath (identity; it refuses to draw masks), einops'
rearrange (plain and parenthesised axis names) and a matplotlib that accepts `use()`.

Fixture layout (tests/data/fixtures/README.md): weights/<key>, state_dict_keys, the kasf ModelConfig
fields as root attributes, parameter_count, input, output (eval mode), grad_input and grads/<name> of
loss = sum(output^2), and intermediates/<name> in kasf's (B, T, J, C) layout; for models with
BatchNorm also train_mode/ (output, grad_input, grads/<name>, buffers_after_forward/<name>).
"""
import importlib
import math
import sys
import types

import h5py
import numpy as np
import torch


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


class DropPath(torch.nn.Module):
    """timm's stochastic depth without its random masks: identity in eval mode or at rate 0, the only
    cases a fixture can reproduce; a model that hardwires a rate gets drop_prob = 0 set for train mode."""
    def __init__(self, drop_prob=0.0):
        super().__init__()
        self.drop_prob = drop_prob

    def forward(self, x):
        if self.training and self.drop_prob:
            raise ValueError('the DropPath stand-in draws no masks: set drop_prob = 0 to run in train mode')
        return x


def _install_stand_ins():
    def module(name, **attributes):
        m = types.ModuleType(name)
        m.__dict__.update(attributes)
        sys.modules[name] = m
        return m
    layers = module('timm.models.layers', DropPath=DropPath, trunc_normal_=torch.nn.init.trunc_normal_)
    module('timm.models', layers=layers)
    module('timm', models=sys.modules['timm.models'])
    module('einops', rearrange=rearrange, repeat=None)
    module('matplotlib', use=lambda backend: None)


def import_official(repo, module_name):
    """The module `module_name` (e.g. 'model.MixSTE') of the checkout at `repo`."""
    _install_stand_ins()
    sys.path.insert(0, str(repo))
    return importlib.import_module(module_name)


def randomize_parameters(model, ones=lambda name: False):
    """Draw every parameter at random (scale 1/sqrt(last dim), 0.5 of it for vectors and positional
    embeddings), adding 1 where `ones(name)` (norm weights), so no parameter sits at an initial value
    that could hide a bug."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            scale = 0.5 if parameter.dim() == 1 or 'pos_embed' in name else 1.0
            parameter.copy_(torch.randn_like(parameter) * scale / math.sqrt(parameter.shape[-1]) +
                            (1.0 if ones(name) else 0.0))


def keep_output(intermediates, name, layout, batch):
    """A forward hook that stores the module's output as intermediates[name] in kasf's (B, T, J, C)
    layout: `layout` 'spatial' for (b f) n c tokens, 'temporal' for (b n) f c, None for (b f n c).
    It stores a copy (some official models add positional embeddings in place)."""
    def hook(module, inputs, output):
        out = output.detach().clone()
        if layout == 'spatial':
            out = rearrange(out, '(b f) n c -> b f n c', b=batch)
        elif layout == 'temporal':
            out = rearrange(out, '(b n) f c -> b f n c', b=batch)
        intermediates[name] = out
    return hook


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def fixture_input(frames, joints=17):
    """The fixtures' input (2, frames, joints, 3): x, y uniform in [-1, 1], confidence in [0, 1] (seed 100)."""
    torch.manual_seed(100)
    return torch.cat([torch.rand(2, frames, joints, 2) * 2 - 1, torch.rand(2, frames, joints, 1)], dim=-1)


def run_and_write(out_dir, name, model, config, x, intermediates):
    """Forward `x`, backward of sum(output^2), and write <out_dir>/<name>.pth (the state dict, as
    torch.save gives an official checkpoint) and <name>.h5 (write_fixture); `intermediates` is the dict
    the model's forward hooks fill."""
    x.requires_grad_(True)
    output = model(x)
    (output ** 2).sum().backward()
    torch.save(model.state_dict(), out_dir / f'{name}.pth')
    write_fixture(out_dir / f'{name}.h5', model, config, x, output, intermediates)
    print('parameters:', parameter_count(model))


def write_fixture(path, model, config, x, output, intermediates):
    """Write `model`'s state dict, `config` (kasf ModelConfig fields) and one forward/backward of
    loss = sum(output^2) (x.grad and every parameter's .grad must be filled) to the HDF5 file `path`."""
    state = model.state_dict()
    with h5py.File(path, 'w') as f:
        for key, value in state.items():
            f[f'weights/{key}'] = value.detach().float().numpy()
        f['state_dict_keys'] = np.array(list(state.keys()), dtype=h5py.string_dtype())
        for key, value in config.items():
            f.attrs[key] = value
        f.attrs['parameter_count'] = parameter_count(model)
        f['input'] = x.detach().numpy()
        f['output'] = output.detach().numpy()
        f['grad_input'] = x.grad.numpy()
        for name, parameter in model.named_parameters():
            f[f'grads/{name}'] = parameter.grad.numpy()
        for name, value in intermediates.items():
            f[f'intermediates/{name}'] = value.detach().numpy()


def write_train_mode(path, model, x, output):
    """Add to the fixture `path` one train-mode forward/backward of loss = sum(output^2) (x.grad and
    every parameter's .grad filled) and the buffers (BatchNorm statistics) after that forward."""
    with h5py.File(path, 'a') as f:
        f['train_mode/output'] = output.detach().numpy()
        f['train_mode/grad_input'] = x.grad.numpy()
        for name, parameter in model.named_parameters():
            f[f'train_mode/grads/{name}'] = parameter.grad.numpy()
        for name, buffer in model.named_buffers():
            f[f'train_mode/buffers_after_forward/{name}'] = buffer.detach().float().numpy()

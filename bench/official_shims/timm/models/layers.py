"""Stands in for timm.models.layers, whose DropPath the official model/KASportsFormer.py imports.

The official model builds DropPath only for a drop path rate above 0, which its create_layers never
passes on, so a rate of 0 (the identity, as in timm) is all a benchmark can meet; any other rate is
refused rather than imitated.
"""
from torch import nn


class DropPath(nn.Identity):
    def __init__(self, drop_prob=0.0):
        if drop_prob > 0:
            raise NotImplementedError(f'bench/official_shims: DropPath({drop_prob}) needs the real timm package')
        super().__init__()

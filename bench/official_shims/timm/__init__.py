# Shim: the official model/KASportsFormer.py imports timm.models.layers.DropPath and Debian has no
# python3-timm; bench_official.py puts this package on sys.path. See models/layers.py.

# Shim: see ../__init__.py and layers.py.

"""gorig: a correct, native, verified Go toolchain on any machine."""

__version__ = "0.1.0"

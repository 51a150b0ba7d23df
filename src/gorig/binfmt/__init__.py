"""Executable readers (ELF, Mach-O thin and universal, PE) and Go build info.

Binaries are read, never executed: headers and a few KiB through ``mmap``. Everything here
imports only the standard library's ``struct``, ``mmap`` and ``os`` so that reading a
binary costs no start-up time.
"""

from gorig.binfmt.buildinfo import BuildInfo, Module
from gorig.binfmt.errors import BinfmtError, NotExecutable
from gorig.binfmt.executable import Executable, read_executable, read_executable_bytes

__all__ = [
    "BinfmtError",
    "BuildInfo",
    "Executable",
    "Module",
    "NotExecutable",
    "read_executable",
    "read_executable_bytes",
]

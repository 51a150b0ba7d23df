"""Executable readers (ELF, Mach-O thin and universal, PE) and Go build info.

Binaries are read, never executed: headers and a few KiB through ``mmap``.
"""

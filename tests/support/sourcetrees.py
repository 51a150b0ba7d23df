"""gorig's own source files parsed once per test process, for the tests that read the code.

Several tests walk the syntax tree of every module (the import graph, the reads of the
process, the translation calls); parsing ``src/gorig`` takes about 0.4 s of CPU time, so
each file is parsed once and the trees are shared. Read them; never change them.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path


@functools.cache
def parsed(path: Path) -> ast.Module:
    """The syntax tree of the source file at ``path``, parsed on first use."""
    return ast.parse(path.read_text(encoding="utf-8"))

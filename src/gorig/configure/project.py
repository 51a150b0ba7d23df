"""What a Go project holds that set-up files need: its main packages.

Read from the files, never by running ``go list`` (no toolchain needs to be installed for
``gorig dockerfile`` or ``gorig ide``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_PACKAGE_MAIN = re.compile(rb"^package\s+main\b", re.MULTILINE)
# Directories the go command ignores for ./... (plus node_modules, never Go code).
_SKIP_DIRS = {"vendor", "testdata", "node_modules"}


def _has_main(directory: Path, names: list[str]) -> bool:
    for name in names:
        if name.endswith(".go") and not name.endswith("_test.go"):
            try:
                with (directory / name).open("rb") as file:
                    head = file.read(8192)
            except OSError:
                continue  # unreadable: not something the image build could use either
            if _PACKAGE_MAIN.search(head):
                return True
    return False


def main_packages(root: Path) -> list[str]:
    """Relative paths (``.``, ``./cmd/app``) of the directories holding a main package."""
    found = []
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and d[0] not in "._")
        if _has_main(Path(current), files):
            relative = Path(current).relative_to(root).as_posix()
            found.append("." if relative == "." else f"./{relative}")
    return found

"""Data files shipped inside gorig's packages, read beside the module that owns them.

``importlib.resources`` would import ``zipfile``, ``tempfile`` and ``typing`` on the start-up
of ``shell init`` and ``targets``; gorig is installed as files (a wheel unpacked by pip), so
the module's own directory is where its data is.
"""

from __future__ import annotations

from gorig.paths import Path


def package_text(module_file: str, *parts: str) -> str:
    """The text of ``parts`` under the directory of ``module_file`` (a module's ``__file__``)."""
    return Path(module_file).parent.joinpath(*parts).read_text(encoding="utf-8")

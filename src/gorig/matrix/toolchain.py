"""The ``go`` a build uses: the toolchain gorig resolves for the project, else PATH's."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from gorig.errors import GorigError
from gorig.toolchains import Store, resolve_go


def go_candidates(cwd: Path, env: Mapping[str, str] | None = None) -> list[Path]:
    """Every ``go`` worth asking, best first: the project's, gorig's others, PATH's."""
    env = os.environ if env is None else env
    found: list[Path] = []
    project = resolve_go(cwd, env)
    if project is not None:
        found.append(project)
    found += [record.go for record in reversed(Store.open(env).installed())]
    on_path = shutil.which("go", path=env.get("PATH", ""))
    if on_path:
        found.append(Path(on_path))
    return [go for go in dict.fromkeys(found) if go.exists()]


def project_go(cwd: Path, env: Mapping[str, str] | None = None) -> Path:
    """The ``go`` that builds in ``cwd``, or a clear error saying how to get one."""
    env = os.environ if env is None else env
    go = resolve_go(cwd, env)
    if go is not None:
        return go
    on_path = shutil.which("go", path=env.get("PATH", ""))
    if on_path is None:
        raise GorigError("no Go toolchain: run 'gorig install', or put go on PATH")
    return Path(on_path)


def ports_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where port lists of installed toolchains are cached."""
    return Store.open(env).home / "cache" / "targets"

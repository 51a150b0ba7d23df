"""The toolchains worth asking for a Go version's ports, and where their answers are cached."""

from __future__ import annotations

from gorig.host import HostFacts
from gorig.host.path import which
from gorig.paths import Path
from gorig.toolchains import Store, resolve_go

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping


def gos_to_ask_for_ports(cwd: Path, env: Mapping[str, str], facts: HostFacts) -> list[Path]:
    """Every ``go`` that may know a version's ports, best first: the one gorig runs in
    ``cwd``, gorig's other toolchains, PATH's."""
    found: list[Path] = []
    project = resolve_go(cwd, env, facts)
    if project is not None:
        found.append(project)
    found += [record.go for record in reversed(Store.open(env).installed())]
    on_path = which("go", env.get("PATH", ""))
    if on_path:
        found.append(Path(on_path))
    return [go for go in dict.fromkeys(found) if go.exists()]


def ports_cache_dir(env: Mapping[str, str]) -> Path:
    """Where port lists of installed toolchains are cached."""
    return Store.open(env).home / "cache" / "targets"

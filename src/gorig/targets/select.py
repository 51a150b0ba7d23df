"""Target lists as users write them: ``first-class,!windows/386,linux/arm/6,host``.

Items are targets (``GOOS/GOARCH[/VARIANT]``, ``darwin/universal``), groups
(``first-class``, ``all``, ``host``) and exclusions (``!ITEM``). Items are taken left to
right; an exclusion removes every target it names so far, and an excluded port without a
variant removes all of that port's variants. Pure: the port list and host come in.
"""

from __future__ import annotations

from gorig.errors import GorigError
from gorig.targets.check import must_link_external
from gorig.targets.ports import PortList
from gorig.targets.target import Target, parse_target

GROUPS = ("first-class", "all", "host")


def group_targets(name: str, ports: PortList, host: tuple[str, str], cgo: bool) -> list[Target]:
    """The targets of a group. ``all`` leaves out broken ports and ports that cannot build
    with the asked cgo setting (they would fail for reasons no code change fixes)."""
    if name == "host":
        return [Target(*host)]
    if name == "first-class":
        return [Target(p.goos, p.goarch) for p in ports.ports if p.first_class]
    return [
        Target(p.goos, p.goarch)
        for p in ports.ports
        if not p.broken and (p.cgo if cgo else not must_link_external(p.goos, p.goarch))
    ]


def _expand(item: str, ports: PortList, host: tuple[str, str], cgo: bool) -> list[Target]:
    if item in GROUPS:
        return group_targets(item, ports, host, cgo)
    return [parse_target(item)]


def _excluded(target: Target, removed: Target) -> bool:
    if removed.variant is None:
        return target.port == removed.port
    return target == removed


def select_targets(
    text: str, ports: PortList, *, host: tuple[str, str], cgo: bool = False
) -> list[Target]:
    """The targets a LIST names, in order, without duplicates."""
    chosen: list[Target] = []
    items = [item.strip() for item in text.replace(" ", ",").split(",")]
    # A comma also separates GOARM64 features ("linux/arm64/v8.2,lse"): glue those back.
    merged: list[str] = []
    for item in items:
        if item and merged and item.startswith(("lse", "crypto", "softfloat", "hardfloat")):
            merged[-1] += "," + item
        elif item:
            merged.append(item)
    for item in merged:
        if item.startswith("!"):
            removed = _expand(item[1:], ports, host, cgo)
            chosen = [t for t in chosen if not any(_excluded(t, r) for r in removed)]
        else:
            chosen += [t for t in _expand(item, ports, host, cgo) if t not in chosen]
    if not chosen:
        raise GorigError(f"the target list {text!r} selects nothing; name at least one target")
    return chosen

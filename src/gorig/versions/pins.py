"""Which Go version a directory asks for, and which file says so.

Order (first hit wins): ``GORIG_GO_VERSION``; then, walking up from the directory, in each
directory a ``.go-version`` file, a ``go.work``, a ``go.mod``; then the machine default.
Nearest wins so a project's own file beats one in a parent (a stray ``~/.go-version`` must
not override a module's go.mod). Within go.work/go.mod the ``toolchain`` line counts only
when it is newer than the ``go`` line, as Go itself rules, and ``go 1.22`` means
``go1.22.0``. ``GOWORK=off`` makes go.work files invisible, as it does for Go.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from gorig.errors import GorigError
from gorig.record import Record
from gorig.versions.version import GoVersion, parse_version

ENV_VAR = "GORIG_GO_VERSION"
DEFAULT = "default"

_DIRECTIVE = re.compile(r"^\s*(go|toolchain)\s+(\S+)\s*(?://.*)?$", re.MULTILINE)


class Pin(Record):
    """A version request and where it came from.

    ``version`` is ``None`` for the machine default. A series (``1.22``, from a
    ``.go-version`` file or ``GORIG_GO_VERSION``) matches the newest installed 1.22.x.
    """

    __slots__ = ("file", "source", "version")
    version: GoVersion | None
    source: str  # GORIG_GO_VERSION, .go-version, go.mod toolchain, go.work go, ..., default
    file: Path | None

    def __init__(self, version: GoVersion | None, source: str, file: Path | None = None) -> None:
        super().__init__(version=version, source=source, file=file)

    def matches(self, version: GoVersion) -> bool:
        if self.version is None:
            return False
        if self.version.is_language:
            return version.series == self.version.series and not version.is_prerelease
        return version == self.version


def parse_go_version_file(text: str) -> GoVersion | None:
    """The first non-comment word of a ``.go-version`` file (``1.22.5``, ``go1.22``)."""
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            return parse_version(word)
    return None


def parse_module_file(text: str) -> tuple[GoVersion | None, GoVersion | None]:
    """``(go, toolchain)`` from go.mod or go.work text; absent lines are ``None``.

    ``toolchain default`` means "no toolchain line". ``go 1.22`` is returned as 1.22.0.
    """
    go: GoVersion | None = None
    toolchain: GoVersion | None = None
    for directive, value in _DIRECTIVE.findall(text):
        if directive == "go":
            go = parse_version(value).as_release()
        elif value != "default":
            toolchain = parse_version(value).as_release()
    return go, toolchain


def module_pin(text: str, name: str, file: Path | None) -> Pin | None:
    """The pin a go.mod/go.work asks for: its toolchain line if newer than go, else go."""
    go, toolchain = parse_module_file(text)
    if toolchain is not None and (go is None or toolchain > go):
        return Pin(toolchain, f"{name} toolchain", file)
    return Pin(go, f"{name} go", file) if go is not None else None


def _read_pin(path: Path) -> Pin | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        if path.name == ".go-version":
            version = parse_go_version_file(text)
            return Pin(version, ".go-version", path) if version else None
        return module_pin(text, path.name, path)
    except GorigError as error:
        raise GorigError(f"{path}: {error}", exit_code=error.exit_code) from None


def resolve(directory: Path, env: Mapping[str, str]) -> Pin:
    """The pin in force for ``directory`` under environment ``env``."""
    value = env.get(ENV_VAR, "").strip()
    if value:
        try:
            return Pin(parse_version(value), ENV_VAR)
        except GorigError as error:
            raise GorigError(f"{ENV_VAR}: {error}", exit_code=error.exit_code) from None
    names = [".go-version", "go.mod"]
    if env.get("GOWORK", "").strip() != "off":
        names.insert(1, "go.work")
    for folder in (directory, *directory.parents):
        for name in names:
            candidate = folder / name
            if candidate.is_file():
                pin = _read_pin(candidate)
                if pin is not None:
                    return pin
    return Pin(None, DEFAULT)

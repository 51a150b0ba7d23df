"""Which Go version a directory asks for, and which file says so.

Order (first hit wins): ``GORIG_GO_VERSION``; ``GOTOOLCHAIN=goX.Y.Z`` (exactly one
release: Go runs that one whatever the files say); then, walking up from the directory, in each
directory a ``.go-version`` file, a ``go.work``, a ``go.mod``; then the machine default.
Nearest wins so a project's own file beats one in a parent (a stray ``~/.go-version`` must
not override a module's go.mod), with one exception that is Go's own: a ``go.work`` anywhere
above a ``go.mod`` puts Go in workspace mode, and then the go.work's lines choose.
``GOWORK=off`` makes go.work files invisible and ``GOWORK=FILE`` names the one to read, as
for Go. Within go.work/go.mod the ``toolchain`` line counts only when it is newer than the
``go`` line, as Go itself rules, and ``go 1.22`` means ``go1.22.0``.
"""

from __future__ import annotations

import os
import re

from gorig.errors import GorigError
from gorig.fs import FileTooLarge, NotRegularFile, read_capped
from gorig.i18n import _
from gorig.record import Record
from gorig.versions.version import GoVersion, parse_version

TYPE_CHECKING = False  # the doctor reads pin files through this module without pathlib
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from pathlib import Path

ENV_VAR = "GORIG_GO_VERSION"
DEFAULT = "default"

# GOTOOLCHAIN naming one release (no +auto/+path: then go.mod/go.work lines do not count).
# Compiled (and cached by re) only when GOTOOLCHAIN is set: a compile costs a fiftieth of a
# bare Python start, and every command resolving a version imports this module.
EXACT_TOOLCHAIN = r"^go[0-9]+\.[0-9]+(\.[0-9]+)?((rc|beta)[0-9]+)?$"
_DIRECTIVE = re.compile(r"^\s*(go|toolchain)\s+(\S+)\s*(?://.*)?$", re.MULTILINE)


class Pin(Record):
    """A version request and where it came from.

    ``version`` is ``None`` for the machine default. A series (``1.22``, from a
    ``.go-version`` file or ``GORIG_GO_VERSION``) matches the newest installed 1.22.x.
    """

    __slots__ = ("file", "minimum", "source", "version")
    version: GoVersion | None
    source: str  # GORIG_GO_VERSION, .go-version, go.mod toolchain, go.work go, ..., default
    file: Path | None
    minimum: bool  # a go line: any release at least this new will do, as for Go

    def __init__(
        self,
        version: GoVersion | None,
        source: str,
        file: Path | None = None,
        minimum: bool = False,
    ) -> None:
        super().__init__(version=version, source=source, file=file, minimum=minimum)

    def matches(self, version: GoVersion) -> bool:
        if self.version is None:
            return False
        if self.minimum:
            return version >= self.version and not version.is_prerelease
        if self.version.is_language:
            return version.series == self.version.series and not version.is_prerelease
        return version == self.version


def go_version_word(text: str) -> str | None:
    """The first non-comment word of a ``.go-version`` file, as written (``1.22.5``,
    ``go1.22``); ``#`` starts a comment. The resolver and the doctor both read it here."""
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            return word
    return None


def parse_go_version_file(text: str) -> GoVersion | None:
    """The version a ``.go-version`` file asks for (see :func:`go_version_word`)."""
    word = go_version_word(text)
    return parse_version(word) if word else None


def module_directives(text: str) -> tuple[str | None, str | None]:
    """The raw values of the last ``go`` and ``toolchain`` lines of go.mod or go.work text,
    as written; a line with anything but a ``//`` comment after its value is not one. The
    resolver and the doctor both read them here."""
    found: dict[str, str] = {}
    for directive, value in _DIRECTIVE.findall(text):
        found[directive] = value
    return found.get("go"), found.get("toolchain")


def parse_module_file(text: str) -> tuple[GoVersion | None, GoVersion | None]:
    """``(go, toolchain)`` from go.mod or go.work text; absent lines are ``None``.

    ``toolchain default`` means "no toolchain line". ``go 1.22`` is returned as 1.22.0.
    """
    go_word, toolchain_word = module_directives(text)
    go = parse_version(go_word).as_release() if go_word else None
    if toolchain_word is None or toolchain_word == "default":
        return go, None
    return go, parse_version(toolchain_word).as_release()


def module_pin(text: str, name: str, file: Path | None) -> Pin | None:
    """The pin a go.mod/go.work asks for: its toolchain line if newer than go, else go."""
    go, toolchain = parse_module_file(text)
    if toolchain is not None and (go is None or toolchain > go):
        return Pin(toolchain, f"{name} toolchain", file)
    return Pin(go, f"{name} go", file, minimum=True) if go is not None else None


MAX_PIN_BYTES = 1 << 20


def read_pin_file(path: str | Path) -> str | None:
    """The text of a pin file; None when there is none (absent, or a directory).

    Anything else that cannot be read is an error naming the file, never a silent skip:
    a pin the user wrote must not be replaced by the default without a word.
    """
    try:
        data = read_capped(path, MAX_PIN_BYTES)
    except NotRegularFile as error:
        if error.kind == "directory":
            return None
        raise GorigError(
            _("{path} is not a regular file; replace or remove it").format(path=path), exit_code=2
        ) from None
    except FileTooLarge:
        name = os.path.basename(path)
        raise GorigError(
            _("{path} is larger than 1 MiB; it is not a {name}").format(path=path, name=name),
            exit_code=2,
        ) from None
    except OSError as error:
        raise GorigError(
            _("cannot read {path}: {why}; fix or remove it").format(path=path, why=error.strerror)
        ) from None
    if data is None:
        if os.path.islink(path):
            raise GorigError(
                _("{path} is a symbolic link to nothing; fix or remove it").format(path=path),
                exit_code=2,
            )
        return None
    try:
        # A byte-order mark is dropped as the "utf-8-sig" codec drops it, without that
        # codec's lookup (an import on every command run in a project).
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        raise GorigError(
            _("{path} is not UTF-8 text (byte {byte}); save it as UTF-8").format(
                path=path, byte=error.start
            ),
            exit_code=2,
        ) from None


def _pin_in(text: str, path: Path) -> Pin | None:
    """The pin the text of the pin file at ``path`` asks for (None: it names none)."""
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
    toolchain = env.get("GOTOOLCHAIN", "").strip()
    if toolchain and re.match(EXACT_TOOLCHAIN, toolchain):
        return Pin(parse_version(toolchain), "GOTOOLCHAIN")  # Go runs exactly that one
    gowork = env.get("GOWORK", "").strip()
    module: Pin | None = None
    for folder in folders_up(os.fspath(directory)):
        names = ["go.work"] if module is not None else [".go-version", "go.work", "go.mod"]
        for name in names:
            if name == "go.work" and gowork:
                continue  # GOWORK=off: no workspace; GOWORK=FILE: that file, read below
            pin = _pin_at(type(directory)(os.path.join(folder, name)))
            if pin is not None and name == "go.mod":
                module = pin  # a go.work further up still wins: Go's workspace mode
            elif pin is not None:
                return pin
        if module is not None and gowork == "off":
            break
    if gowork and gowork != "off":
        pin = _pin_at(type(directory)(gowork))
        if pin is not None:
            return pin
    return module or Pin(None, DEFAULT)


def _pin_at(path: Path) -> Pin | None:
    text = read_pin_file(path)
    return None if text is None else _pin_in(text, path)


def folders_up(start: str) -> Iterator[str]:
    """``start`` and each parent up to the root, nearest first: the walk every pin file
    search takes (the resolver above, the doctor's project probe)."""
    folder = start
    while True:
        yield folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


def find_up(start: str, name: str) -> str | None:
    """The nearest file called ``name`` in ``start`` or a parent."""
    for folder in folders_up(start):
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    return None

"""Go build information: parse it and print it, exactly as Go does.

This mirrors Go's ``runtime/debug`` (``ParseBuildInfo``, ``BuildInfo.String``) so that
``gorig inspect -m`` is byte-identical to ``go version -m`` and ``to_go_json`` equals
``go version -m -json`` (``block`` finds the text in the file). Go strings are bytes: text
here is decoded with ``surrogateescape`` so invalid UTF-8 survives a round trip.
"""

from __future__ import annotations

from gorig.binfmt import gostrconv


class Module:
    """A module line: ``Module`` of ``runtime/debug``."""

    __slots__ = ("path", "replace", "sum", "version")

    def __init__(
        self, path: str, version: str, sum: str = "", replace: Module | None = None
    ) -> None:
        self.path = path
        self.version = version
        self.sum = sum
        self.replace = replace

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Module) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Module({self.path!r}, {self.version!r}, {self.sum!r}, {self.replace!r})"

    def _key(self) -> tuple[object, ...]:
        return (self.path, self.version, self.sum, self.replace)

    def is_empty(self) -> bool:
        """True for Go's zero ``Module{}`` (no ``mod`` line)."""
        return not (self.path or self.version or self.sum or self.replace)

    def to_go_json(self) -> dict[str, object]:
        """The object ``encoding/json`` makes of a ``Module`` (empty fields omitted)."""
        out: dict[str, object] = {}
        for key, value in (("Path", self.path), ("Version", self.version), ("Sum", self.sum)):
            if value:
                out[key] = _json_text(value)
        if self.replace is not None:
            out["Replace"] = self.replace.to_go_json()
        return out


class BuildInfo:
    """What ``go version -m`` reads: the Go version and the parsed module information."""

    __slots__ = ("deps", "go_version", "main", "path", "settings")

    def __init__(self, go_version: str = "") -> None:
        self.go_version = go_version
        self.path = ""
        self.main: Module | None = None
        self.deps: list[Module] = []
        self.settings: list[tuple[str, str]] = []

    def setting(self, key: str) -> str | None:
        """The value of build setting ``key`` (the first one), or None."""
        for name, value in self.settings:
            if name == key:
                return value
        return None

    def to_go_json(self) -> dict[str, object]:
        """Exactly the object ``go version -m -json`` prints (Go's ``omitempty`` rules)."""
        out: dict[str, object] = {}
        if self.go_version:
            out["GoVersion"] = _json_text(self.go_version)
        if self.path:
            out["Path"] = _json_text(self.path)
        out["Main"] = self.main.to_go_json() if self.main else {}
        if self.deps:
            out["Deps"] = [dep.to_go_json() for dep in self.deps]
        if self.settings:
            out["Settings"] = [_setting_json(key, value) for key, value in self.settings]
        return out

    def module_text(self) -> str:
        """``BuildInfo.String()`` without the ``go`` line: the body of ``go version -m``."""
        lines: list[str] = []
        if self.path:
            lines.append(f"path\t{self.path}\n")
        if self.main is not None and not self.main.is_empty():
            _format_module(lines, "mod", self.main)
        for dep in self.deps:
            _format_module(lines, "dep", dep)
        for key, value in self.settings:
            key_text = _go_quote(key) if _quote_key(key) else key
            value_text = _go_quote(value) if _quote_value(value) else value
            lines.append(f"build\t{key_text}={value_text}\n")
        return "".join(lines)


def _format_module(lines: list[str], word: str, module: Module) -> None:
    if module.replace is None:
        lines.append(f"{word}\t{module.path}\t{module.version}\t{module.sum}\n")
    else:  # Go's formatMod ends both lines with a newline: a blank line follows
        lines.append(f"{word}\t{module.path}\t{module.version}\n")
        _format_module(lines, "=>", module.replace)
        lines.append("\n")


def _setting_json(key: str, value: str) -> dict[str, str]:
    out = {}
    if key:
        out["Key"] = _json_text(key)
    if value:
        out["Value"] = _json_text(value)
    return out


_INVALID_BYTES = {code: "\ufffd" for code in range(0xDC80, 0xDD00)}


def _json_text(text: str) -> str:
    """What Go's JSON encoder makes of a string: every invalid UTF-8 byte becomes U+FFFD."""
    return text if text.isascii() else text.translate(_INVALID_BYTES)


def _go_quote(text: str) -> str:
    return gostrconv.quote(text.encode("utf-8", "surrogateescape")).decode(
        "utf-8", "surrogateescape"
    )


def _go_unquote(text: str) -> str | None:
    value = gostrconv.unquote(text.encode("utf-8", "surrogateescape"))
    return None if value is None else value.decode("utf-8", "surrogateescape")


_KEY_QUOTED_IF = frozenset('= \t\r\n"`')
_VALUE_QUOTED_IF = frozenset(' \t\r\n"`')


def _quote_key(key: str) -> bool:
    """Go's ``quoteKey``: an empty key or one with ``=``, blanks or quotes is quoted."""
    return not key or not _KEY_QUOTED_IF.isdisjoint(key)


def _quote_value(value: str) -> bool:
    """Go's ``quoteValue``: a value with blanks or quotes is quoted."""
    return not _VALUE_QUOTED_IF.isdisjoint(value)


# --- parsing (runtime/debug.ParseBuildInfo) ------------------------------------------------


class ParseError(Exception):
    """``ParseBuildInfo`` failed; the message is Go's, line number included."""


def parse_build_info(data: str) -> BuildInfo:
    """Go's ``ParseBuildInfo``: lines of ``path``, ``mod``, ``dep``, ``=>`` and ``build``."""
    info = BuildInfo()
    last: Module | None = None
    lines = data.split("\n")
    lines.pop()  # the text after the last newline is never a line (Go's strings.Cut loop)
    for number, line in enumerate(lines, start=1):
        try:
            last = _parse_line(info, line, last)
        except ParseError as error:
            raise ParseError(f"could not parse Go build info: line {number}: {error}") from None
    return info


def _parse_line(info: BuildInfo, line: str, last: Module | None) -> Module | None:
    """Apply one line to ``info``; return the module a following ``=>`` line replaces."""
    word, _, rest = line.partition("\t")
    if word == "path" and _:
        info.path = rest
    elif word == "mod" and _:
        info.main = _module_line(rest)
        return info.main
    elif word == "dep" and _:
        dep = _module_line(rest)
        info.deps.append(dep)
        return dep
    elif word == "=>" and _:
        elem = rest.split("\t")
        if len(elem) != 3:
            raise ParseError(f"expected 3 columns for replacement; got {len(elem)}")
        if last is None:
            raise ParseError("replacement with no module on previous line")
        last.replace = Module(elem[0], elem[1], elem[2])
        return None
    elif word == "build" and _:
        info.settings.append(_build_line(rest))
    return last


def _module_line(text: str) -> Module:
    elem = text.split("\t")
    if len(elem) not in (2, 3):
        raise ParseError(f"expected 2 or 3 columns; got {len(elem)}")
    return Module(elem[0], elem[1], elem[2] if len(elem) == 3 else "")


def _build_line(kv: str) -> tuple[str, str]:
    if not kv:
        raise ParseError("build line missing '='")
    if kv[0] == "=":
        raise ParseError("build line with missing key")
    if kv[0] in '`"':
        raw = gostrconv.quoted_prefix(kv.encode("utf-8", "surrogateescape"))
        if raw is None:
            raise ParseError("invalid quoted key in build line")
        raw_key = raw.decode("utf-8", "surrogateescape")
        if len(kv) == len(raw_key):
            raise ParseError("build line missing '=' after quoted key")
        after = kv[len(raw_key)]
        if after != "=":
            raise ParseError(f"unexpected character after quoted key: {_go_quote_char(after)}")
        key = _go_unquote(raw_key) or ""
        raw_value = kv[len(raw_key) + 1 :]
    else:
        key, eq, raw_value = kv.partition("=")
        if not eq:
            raise ParseError("build line missing '=' after key")
        if _quote_key(key):
            raise ParseError(f"unquoted key {_go_quote(key)} must be quoted")
    return key, _build_value(raw_value)


def _build_value(raw: str) -> str:
    if not raw:
        return ""
    if raw[0] in '`"':
        value = _go_unquote(raw)
        if value is None:
            raise ParseError("invalid quoted value in build line")
        return value
    if _quote_value(raw):
        raise ParseError(f"unquoted value {_go_quote(raw)} must be quoted")
    return raw


def _go_quote_char(char: str) -> str:
    """Go's ``%q`` of a byte: a single-quoted rune literal."""
    code = char.encode("utf-8", "surrogateescape")[0]
    if code == 0x27:
        return "'\\''"
    body = _go_quote(chr(code) if code < 0x80 else bytes([code]).decode("latin-1"))[1:-1]
    return "'" + body.replace('\\"', '"') + "'"

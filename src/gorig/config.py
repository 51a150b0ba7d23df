"""gorig's configuration file and environment settings, validated where they enter.

``config.toml`` lives in the user config directory; ``GORIG_CONFIG`` names another file. A
missing file is an empty configuration. The file is untrusted input: it must be UTF-8 TOML of
at most 1 MiB, and every table and key is checked against :data:`SCHEMA` (an unknown key is
refused too, so a typo is not silently ignored). A bad value names the key, the expected type
and the file, and exits 2. Example::

    [install]
    source = "auto"          # official, google-cn, mirror:URL, aliyun, ustc, nju, pypi, ...
    mirror = "aliyun"        # the mirror "auto" falls back to
    trust_mirror = false     # accept a mirror's own .sha256 when the index is unreachable
    timeout = 30             # seconds without data before a download is retried
    index_url = "https://go.dev/dl/?mode=json&include=all"
    download_base = "https://dl.google.com/go/"
    verify_signature = false
    signing_key = "/path/to/key.asc"
    verify_sumdb = false

    [build]
    cc = "auto"              # the C compiler of cgo targets: auto, or zig (pip install ziglang)

Environment variables that hold numbers or URLs (``GORIG_HTTP_TIMEOUT``,
``GORIG_HTTP_RETRIES``, ``GORIG_INDEX_URL``, ...) are read through the same kinds, so one
rule says what a timeout or a URL may be.
"""

from __future__ import annotations

import math

from gorig.errors import GorigError
from gorig.fs import FileTooLarge, read_capped
from gorig.i18n import N_, _
from gorig.paths import Path
from gorig.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

ENV_VAR = "GORIG_CONFIG"
MAX_BYTES = 1 << 20
MAX_SECONDS = 86_400.0
MAX_RETRIES = 100

_INVALID = object()  # what a kind's check returns for a value of the wrong shape


class Kind(Record):
    """A value's type: what a message calls it (a message id, shown by :meth:`expectation`),
    and the check that gives the typed value."""

    __slots__ = ("check", "expected", "numeric")
    expected: str
    check: Callable[[object], Any]  # the typed value, or _INVALID
    numeric: bool  # an environment value is parsed as a number first

    def __init__(
        self, expected: str, check: Callable[[object], Any], numeric: bool = False
    ) -> None:
        super().__init__(expected=expected, check=check, numeric=numeric)

    def expectation(self) -> str:
        """What a value of this kind is, in the user's language."""
        return _(self.expected).format(seconds=f"{MAX_SECONDS:g}", count=MAX_RETRIES)


def _boolean(value: object) -> Any:
    return value if isinstance(value, bool) else _INVALID


def _text(value: object) -> Any:
    if isinstance(value, str) and value.strip() and "\x00" not in value:
        return value.strip()
    return _INVALID


def _url(value: object) -> Any:
    from urllib.parse import urlsplit

    if _text(value) is _INVALID:
        return _INVALID
    assert isinstance(value, str)
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return _INVALID
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _INVALID
    return value.strip()


def _path(value: object) -> Any:
    text = _text(value)
    return text if text is _INVALID else Path(text).expanduser()


def _seconds(value: object) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _INVALID
    if not math.isfinite(value) or not 0 < value <= MAX_SECONDS:
        return _INVALID
    return float(value)


def _count(value: object) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RETRIES:
        return _INVALID
    return value


def _cc_choice(value: object) -> Any:
    return value if value in ("auto", "zig") else _INVALID


BOOLEAN = Kind(N_("a boolean (true or false)"), _boolean)
TEXT = Kind(N_("a non-empty string"), _text)
URL = Kind(N_("an http:// or https:// URL"), _url)
PATH = Kind(N_("a file path (a non-empty string)"), _path)
SECONDS = Kind(N_("a number of seconds above 0 and at most {seconds}"), _seconds, True)
COUNT = Kind(N_("a whole number from 0 to {count}"), _count, True)
CC_CHOICE = Kind('"auto" or "zig"', _cc_choice)

# Every table and key gorig reads from config.toml, and each key's kind.
SCHEMA: dict[str, dict[str, Kind]] = {
    "install": {
        "source": TEXT,
        "mirror": TEXT,
        "trust_mirror": BOOLEAN,
        "timeout": SECONDS,
        "index_url": URL,
        "download_base": URL,
        "verify_signature": BOOLEAN,
        "signing_key": PATH,
        "verify_sumdb": BOOLEAN,
    },
    "build": {
        "cc": CC_CHOICE,
    },
}


class InstallConfig(Record):
    """The ``[install]`` table, typed; an absent key has its default."""

    __slots__ = ("download_base", "index_url", "mirror", "signing_key", "source", "timeout",
                 "trust_mirror", "verify_signature", "verify_sumdb")  # fmt: skip
    source: str
    mirror: str | None
    trust_mirror: bool
    timeout: float | None
    index_url: str | None
    download_base: str | None
    verify_signature: bool
    signing_key: Path | None
    verify_sumdb: bool

    def __init__(
        self,
        source: str = "official",
        mirror: str | None = None,
        trust_mirror: bool = False,
        timeout: float | None = None,
        index_url: str | None = None,
        download_base: str | None = None,
        verify_signature: bool = False,
        signing_key: Path | None = None,
        verify_sumdb: bool = False,
    ) -> None:
        super().__init__(source=source, mirror=mirror, trust_mirror=trust_mirror,
                         timeout=timeout, index_url=index_url, download_base=download_base,
                         verify_signature=verify_signature, signing_key=signing_key,
                         verify_sumdb=verify_sumdb)  # fmt: skip


class BuildConfig(Record):
    """The ``[build]`` table: ``cc`` is the C compiler of cgo targets (``auto``, ``zig``)."""

    __slots__ = ("cc",)
    cc: str

    def __init__(self, cc: str = "auto") -> None:
        super().__init__(cc=cc)


class Config(Record):
    """The whole configuration file, validated."""

    __slots__ = ("build", "install")
    install: InstallConfig
    build: BuildConfig

    def __init__(
        self, install: InstallConfig | None = None, build: BuildConfig | None = None
    ) -> None:
        super().__init__(install=install or InstallConfig(), build=build or BuildConfig())


def config_path(env: Mapping[str, str]) -> Path:
    """Where the configuration file is (it need not exist)."""
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser()
    from gorig.host.dirs import user_dir

    return Path(user_dir("config", env)) / "config.toml"


def load_config(env: Mapping[str, str]) -> Config:
    """The configuration file, checked against :data:`SCHEMA`; defaults when there is none."""
    path = config_path(env)
    document = _parse(path)
    tables = validate(document, str(path))
    return Config(
        install=InstallConfig(**tables.get("install", {})),
        build=BuildConfig(**tables.get("build", {})),
    )


def install_config(env: Mapping[str, str]) -> InstallConfig:
    """The typed ``[install]`` table of the configuration file."""
    return load_config(env).install


def build_config(env: Mapping[str, str]) -> BuildConfig:
    """The typed ``[build]`` table of the configuration file."""
    return load_config(env).build


def _parse(path: Path) -> dict[str, Any]:
    """The TOML document at ``path`` (``{}`` when absent), read with a size cap.

    Any path is read as a stream (a shell's ``<(...)`` pipe is a config file too).
    """
    try:
        data = read_capped(path, MAX_BYTES, only_regular=False)
    except FileTooLarge:
        raise GorigError(
            _("{path} is larger than {mib} MiB; it is not a gorig config file").format(
                path=path, mib=MAX_BYTES >> 20
            ),
            exit_code=2,
        ) from None
    except OSError as error:
        raise GorigError(
            _("cannot read {path}: {why}; fix or remove it").format(path=path, why=error.strerror)
        ) from None
    if data is None:
        return {}
    import tomllib  # only for a file that exists: most users have none

    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise GorigError(
            _("{path} is not UTF-8 text (byte {byte}); save it as UTF-8").format(
                path=path, byte=error.start
            ),
            exit_code=2,
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise GorigError(
            _("{path} is not valid TOML ({error}); fix or remove it").format(
                path=path, error=error
            ),
            exit_code=2,
        ) from None
    except RecursionError:
        raise GorigError(
            _("{path} nests arrays or tables too deeply; fix it").format(path=path), exit_code=2
        ) from None


def validate(document: Mapping[str, Any], where: str) -> dict[str, dict[str, Any]]:
    """Each known table's typed values by key; the first unknown or wrong item is an error."""
    tables: dict[str, dict[str, Any]] = {}
    for name, table in document.items():
        keys = SCHEMA.get(name)
        if keys is None:
            raise GorigError(
                _("{where}: unknown table or key {name} at the top level; gorig reads {known}")
                .format(where=where, name=repr(name),
                        known=", ".join(f"[{known}]" for known in SCHEMA)),
                exit_code=2,
            )  # fmt: skip
        if not isinstance(table, dict):
            raise GorigError(
                _("{where}: {name} must be a table ({table}), not {value}").format(
                    where=where, name=name, table=f"[{name}]", value=describe(table)
                ),
                exit_code=2,
            )
        tables[name] = {key: _checked(name, key, value, where) for key, value in table.items()}
    return tables


def _checked(table: str, key: str, value: object, where: str) -> Any:
    kind = SCHEMA[table].get(key)
    if kind is None:
        raise GorigError(
            _("{where}: unknown key {key} in {table}; known keys: {known}").format(
                where=where, key=repr(key), table=f"[{table}]", known=", ".join(SCHEMA[table])
            ),
            exit_code=2,
        )
    typed = kind.check(value)
    if typed is _INVALID:
        raise GorigError(
            _("{where}: {setting} must be {expected}, not {value}").format(
                where=where,
                setting=f"[{table}] {key}",
                expected=kind.expectation(),
                value=describe(value),
            ),
            exit_code=2,
        )
    return typed


def describe(value: object) -> str:
    """A TOML value as a message names it: its type, and short values themselves."""
    if isinstance(value, bool):
        return _("the boolean {value}").format(value=str(value).lower())
    if isinstance(value, str):
        return _("the string {value}").format(value=quoted(value))
    if isinstance(value, int | float):
        return _("the number {value}").format(value=repr(value))[:60]
    if isinstance(value, list):
        return _("an array")
    if isinstance(value, dict):
        return _("a table")
    return _("a {type}").format(type=type(value).__name__)  # TOML dates and times


def quoted(text: str, limit: int = 40) -> str:
    """``text`` in double quotes on one line, cut after ``limit`` characters."""
    import json

    shown = json.dumps(text[:limit], ensure_ascii=False)
    return shown + "..." if len(text) > limit else shown


def env_value(env: Mapping[str, str], name: str, kind: Kind) -> Any:
    """``env[name]`` checked as ``kind`` (numbers are parsed first); None when unset or empty."""
    text = env.get(name, "").strip()
    if not text:
        return None
    typed = kind.check(_number(text) if kind.numeric else text)
    if typed is _INVALID:
        raise GorigError(
            _("{setting} is not valid: expected {expected}").format(
                setting=f"{name}={quoted(text)}", expected=kind.expectation()
            ),
            exit_code=2,
        )
    return typed


def _number(text: str) -> object:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text

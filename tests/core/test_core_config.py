"""config.toml and gorig's environment settings are untrusted input: typed, or one line.

Every defect of issue 11 that lived here is driven through the real ``gorig`` command; the
loader and each of its consumers are also fuzzed with arbitrary TOML documents and bytes.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import tempfile
import typing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import run_gorig
from gorig.config import SCHEMA, BuildConfig, InstallConfig, build_config, install_config
from gorig.context import Context
from gorig.errors import GorigError
from gorig.toolchains.download import HttpSettings
from gorig.toolchains.install import settings_from
from gorig.toolchains.sources import make_source
from support import gobin
from support.dlserver import DownloadServer, archive_name

DEAD = "http://127.0.0.1:9/dl/"  # the discard port: nothing answers there


def _http(env: dict[str, str]) -> HttpSettings:
    """The HTTP settings a command run under ``env`` uses (built by its context)."""
    return Context(env, ".").http


def _env(tmp_path: Path, config: str | bytes | None, **extra: str) -> dict[str, str]:
    """A child environment with its own store and config file, and no reachable index."""
    path = tmp_path / "config.toml"
    if isinstance(config, str):
        path.write_text(config, encoding="utf-8")
    elif isinstance(config, bytes):
        path.write_bytes(config)
    return {
        **os.environ,
        "GORIG_HOME": str(tmp_path / "home"),
        "GORIG_CONFIG": str(path),
        "GORIG_INDEX_URL": DEAD,
        "GORIG_DOWNLOAD_BASE": DEAD,
        "GORIG_HTTP_RETRIES": "0",
        **extra,
    }


def _one_line_refusal(done: Any, *parts: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("gorig: error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    for part in parts:
        assert part in done.stderr, (part, done.stderr)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            'trust_mirror = "false"',
            'trust_mirror must be a boolean (true or false), not the string "false"',
        ),
        ('verify_signature = "no"', "verify_signature must be a boolean"),
        ("verify_sumdb = 0", "verify_sumdb must be a boolean (true or false), not the number 0"),
        ("source = 5", "source must be a non-empty string, not the number 5"),
        ("mirror = 7", "mirror must be a non-empty string, not the number 7"),
        ("index_url = [1, 2]", "index_url must be an http:// or https:// URL, not an array"),
        ('download_base = "ftp://example.org/go/"', "download_base must be an http:// or https://"),
        (
            "signing_key = 5",
            "signing_key must be a file path (a non-empty string), not the number 5",
        ),
        ("timeout = nan", "timeout must be a number of seconds above 0 and at most 86400"),
        ("timeout = -3", "timeout must be a number of seconds above 0"),
        ("timeout = 0", "timeout must be a number of seconds above 0"),
        (
            "timeout = 1979-05-27",
            "timeout must be a number of seconds above 0 and at most 86400, not a date",
        ),
        ("trust_mirorr = true", "unknown key 'trust_mirorr' in [install]; known keys: source,"),
    ],
)
def test_a_wrongly_typed_key_names_key_type_and_file(tmp_path: Path, line: str, expected: str):
    env = _env(tmp_path, f"[install]\n{line}\n")
    done = run_gorig("install", "1.22.5", env=env)
    _one_line_refusal(
        done,
        f"{env['GORIG_CONFIG']}: [install] " if "unknown" not in expected else env["GORIG_CONFIG"],
        expected,
    )
    assert not Path(env["GORIG_HOME"], "toolchains").exists()


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("install = 3\n", "install must be a table ([install]), not the number 3"),
        (
            'source = "pypi"\n',
            "unknown table or key 'source' at the top level; gorig reads [install]",
        ),
        ("[instal]\nsource = 'pypi'\n", "unknown table or key 'instal' at the top level"),
        ("x = " + "[" * 5000 + "]" * 5000 + "\n", "nests arrays or tables too deeply"),
    ],
)
def test_the_whole_file_is_checked_not_only_install(tmp_path: Path, document: str, expected: str):
    env = _env(tmp_path, document)
    _one_line_refusal(run_gorig("list", "--remote", env=env), env["GORIG_CONFIG"], expected)


@pytest.mark.parametrize(
    "data",
    [b"[install]\nsource = '\xff\xfe'\n", b"\xef\xbb\xbf[install]\n\xc3(\n"],
    ids=["latin1", "bom-then-bad-utf8"],
)
def test_a_config_file_that_is_not_utf8_is_one_line(tmp_path: Path, data: bytes):
    env = _env(tmp_path, data)
    done = run_gorig("install", "1.22.5", env=env)
    _one_line_refusal(done, f"{env['GORIG_CONFIG']} is not UTF-8 text", "save it as UTF-8")


def test_a_huge_config_file_is_refused_without_reading_it_all(tmp_path: Path):
    env = _env(tmp_path, None, GORIG_CONFIG="/dev/zero")
    done = run_gorig("list", "--remote", env=env, timeout=60)
    _one_line_refusal(done, "/dev/zero is larger than 1 MiB")


def test_a_utf8_bom_and_good_values_are_accepted(tmp_path: Path):
    env = _env(
        tmp_path, "\ufeff[install]\nsource = 'official'\ntrust_mirror = false\ntimeout = 2.5\n"
    )
    done = run_gorig("list", "--remote", env=env)
    assert done.returncode == 1 and "127.0.0.1:9" in done.stderr  # got as far as the network


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("GORIG_HTTP_TIMEOUT", "-5", "a number of seconds above 0 and at most 86400"),
        ("GORIG_HTTP_TIMEOUT", "nan", "a number of seconds above 0"),
        ("GORIG_HTTP_TIMEOUT", "0", "a number of seconds above 0"),
        ("GORIG_HTTP_TIMEOUT", "inf", "a number of seconds above 0"),
        ("GORIG_HTTP_TIMEOUT", "soon", "a number of seconds above 0"),
        ("GORIG_HTTP_RETRIES", "-1", "a whole number from 0 to 100"),
        ("GORIG_HTTP_RETRIES", "2.5", "a whole number from 0 to 100"),
        ("GORIG_HTTP_RETRIES", "1" * 5000, "a whole number from 0 to 100"),
        ("GORIG_INDEX_URL", "http://[::1", "an http:// or https:// URL"),
        ("GORIG_DOWNLOAD_BASE", "file:///srv/go/", "an http:// or https:// URL"),
    ],
)
def test_a_bad_environment_value_names_the_variable(
    tmp_path: Path, variable: str, value: str, expected: str
):
    env = _env(tmp_path, None, **{variable: value})
    done = run_gorig("install", "1.22.5", env=env)
    _one_line_refusal(
        done, f'gorig: error: {variable}="{value[:40]}', f"is not valid: expected {expected}"
    )


def test_an_empty_environment_value_means_unset(tmp_path: Path):
    env = {
        "GORIG_CONFIG": str(tmp_path / "none"),
        "GORIG_HTTP_TIMEOUT": "",
        "GORIG_HTTP_RETRIES": " ",
    }
    found = _http(env)
    assert (found.timeout, found.retries) == (HttpSettings.timeout, HttpSettings.retries)


def test_config_timeout_and_environment_precedence(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text("[install]\ntimeout = 7\n")
    env = {"GORIG_CONFIG": str(config)}
    assert _http(env).timeout == 7.0
    assert _http({**env, "GORIG_HTTP_TIMEOUT": "2.5"}).timeout == 2.5
    assert _http({"GORIG_CONFIG": str(tmp_path / "none")}).timeout == 30.0


@pytest.fixture(scope="module")
def mirror_server():
    with DownloadServer() as running:
        running.add_archive(gobin.GO_1_26)
        yield running


@pytest.mark.parametrize("written", ['"false"', '"no"', "0"])
@pytest.mark.toolchain
@pytest.mark.network
def test_a_string_false_never_trusts_the_mirror(mirror_server, tmp_path: Path, written: str):
    """Before: bool("false") is True, so the mirror's own .sha256 was trusted and it installed."""
    version = gobin.GO_1_26
    env = _env(
        tmp_path,
        f'[install]\nsource = "mirror:{mirror_server.download_base}"\ntrust_mirror = {written}\n',
    )
    before = len(mirror_server.requests)
    done = run_gorig("install", version, env=env)
    _one_line_refusal(done, "[install] trust_mirror must be a boolean")
    assert len(mirror_server.requests) == before  # not one byte asked of the mirror
    assert not Path(env["GORIG_HOME"], "toolchains").exists()
    assert not mirror_server.seen(archive_name(version, "linux-amd64") + ".sha256")


# --- the loader and its consumers, fuzzed --------------------------------------------------

_SCALARS = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["false", "true", "http://[::1", "https://h/", "~", "file:/x", "auto", "0"]),
    st.datetimes(timezones=st.none() | st.just(datetime.UTC)),
    st.dates(),
    st.times(),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_KEYS = st.sampled_from([key for table in SCHEMA.values() for key in table]) | st.text(max_size=12)
_TABLE = st.dictionaries(_KEYS, _VALUES, max_size=6)
_DOCUMENTS = st.dictionaries(
    st.sampled_from(["install", *SCHEMA]) | st.text(max_size=10), _TABLE | _VALUES, max_size=3
)


def _toml_string(text: str) -> str:
    escaped = json.dumps(text)[1:-1].replace("\x7f", "\\u007f")
    return f'"{escaped}"'


def _toml_value(value: Any) -> str:
    """A Python value as TOML (inline tables and arrays), the way a person might write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return "{" + ", ".join(f"{_toml_string(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"


def _toml_document(document: dict[str, Any]) -> str:
    """Top-level scalars first, then each table under its own [header]."""
    lines = [
        f"{_toml_string(k)} = {_toml_value(v)}"
        for k, v in document.items()
        if not isinstance(v, dict)
    ]
    for name, table in document.items():
        if isinstance(table, dict):
            lines.append(f"[{_toml_string(name)}]")
            lines += [f"{_toml_string(k)} = {_toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def _every_consumer(config_file: Path, environment: dict[str, str] | None = None) -> None:
    """What gorig does with a config file, from loading to each typed access."""
    env = {"GORIG_CONFIG": str(config_file), **(environment or {})}
    try:
        config = install_config(env)
        for name, declared in typing.get_type_hints(InstallConfig).items():
            assert isinstance(getattr(config, name), declared), name  # its declared type
        assert build_config(env).cc in ("auto", "zig")
        settings_ = settings_from(env, config, _http(env), trust_mirror=False)
        assert isinstance(settings_.trust_mirror, bool)
        assert settings_.http.timeout > 0 and settings_.http.retries >= 0
        make_source(config.source, settings_)
    except GorigError as error:
        message = str(error)
        assert "\n" not in message and message.strip() == message


def _run_consumers(data: bytes, environment: dict[str, str] | None = None) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "config.toml"
        path.write_bytes(data)
        _every_consumer(path, environment)


@pytest.mark.fuzz
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=_DOCUMENTS)
@example(document={"install": {"trust_mirror": "false", "timeout": float("nan")}})
@example(document={"install": {"index_url": [1, 2], "signing_key": 5}})
def test_any_toml_document_gives_typed_settings_or_gorigs_error(document: dict[str, Any]):
    text = _toml_document(document)
    _run_consumers(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300))
def test_any_bytes_give_typed_settings_or_gorigs_error(data: bytes):
    _run_consumers(data)


@settings(max_examples=200, deadline=None)
@given(
    data=st.sampled_from(
        [b"[install]\ntimeout = 5\ntrust_mirror = true\n", b"[install]\nsource = 'auto'\n"]
    ),
    position=st.integers(min_value=0, max_value=40),
    junk=st.binary(min_size=1, max_size=4),
)
def test_damaged_good_files_give_typed_settings_or_gorigs_error(
    data: bytes, position: int, junk: bytes
):
    _run_consumers(data[:position] + junk + data[position:])


_ENV_TEXT = st.text(max_size=20) | st.sampled_from(
    ["nan", "-1", "0", "1e400", "0x10", "١٢", " 3 ", "1_0"]
)


@settings(max_examples=300, deadline=None)
@given(
    timeout=_ENV_TEXT,
    retries=_ENV_TEXT,
    index=_ENV_TEXT | st.sampled_from(["http://[::1", "https://h:99999/", "http:///x"]),
)
def test_any_environment_values_give_typed_settings_or_gorigs_error(
    timeout: str, retries: str, index: str
):
    environment = {
        "GORIG_HTTP_TIMEOUT": timeout.replace("\x00", ""),
        "GORIG_HTTP_RETRIES": retries.replace("\x00", ""),
        "GORIG_INDEX_URL": index.replace("\x00", ""),
    }
    _run_consumers(b"", environment)


_GOOD = {
    "source": st.sampled_from(["official", "auto", "pypi", "aliyun", "mirror:https://m/go/"]),
    "mirror": st.sampled_from(["aliyun", "https://mirrors.example/golang/"]),
    "trust_mirror": st.booleans(),
    "timeout": st.integers(1, 86_400) | st.floats(0.001, 86_400),
    "index_url": st.sampled_from(["https://go.dev/dl/?mode=json", "http://127.0.0.1:9/dl/"]),
    "download_base": st.sampled_from(["https://dl.google.com/go/", "http://[::1]:8080/go/"]),
    "verify_signature": st.booleans(),
    "signing_key": st.sampled_from(["~/keys/release.asc", "/etc/gorig/key.asc"]),
    "verify_sumdb": st.booleans(),
}


@settings(max_examples=150, deadline=None)
@given(table=st.fixed_dictionaries({}, optional=_GOOD))
def test_well_typed_documents_load_as_written(table: dict[str, Any]):
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "config.toml"
        path.write_text(_toml_document({"install": table}), encoding="utf-8")
        config = install_config({"GORIG_CONFIG": str(path)})
        env = {"GORIG_CONFIG": str(path)}
        settings_ = settings_from(env, config, _http(env))
        make_source(config.source, settings_)
    for key, value in table.items():
        loaded = getattr(config, key)
        assert loaded == (Path(value).expanduser() if key == "signing_key" else value)
    assert settings_.trust_mirror == table.get("trust_mirror", False)
    assert settings_.http.timeout == table.get("timeout", HttpSettings.timeout)


def test_schema_and_typed_tables_agree():
    """Every key the schema checks has a typed field, and no field is unchecked."""
    assert list(SCHEMA["install"]) == list(typing.get_type_hints(InstallConfig))
    assert list(SCHEMA["build"]) == list(typing.get_type_hints(BuildConfig))

"""Property tests of the facts loader and of the doctor over whatever it loads.

Whatever a facts file holds (arbitrary bytes, arbitrary JSON, documents of the right
shape with hostile values, the recorded documents with one value changed), ``gorig doctor
--facts`` either refuses it with gorig's own one-line error (exit 2) or diagnoses it
(text, ``--json -v`` and ``--save``) without any other exception.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import types
import typing
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints, is_typeddict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gorig.cli import main
from gorig.doctor.checks import run_checks
from gorig.doctor.document import loads
from gorig.doctor.facts import Facts
from gorig.doctor.shape import ShapeError, check
from gorig.doctor.verdict import json_report
from gorig.errors import GorigError

FACTS = Path(__file__).resolve().parent / "facts"
RECORDED = [json.loads(path.read_text()) for path in sorted(FACTS.glob("*.json"))]
SCRATCH = Path(tempfile.mkdtemp(prefix="gorig-doctor-fuzz-"))

# Values the checks branch on, and awkward ones, mixed into every generated string.
WORDS = [
    *("", " ", "~", "~/go/bin", "/", "//", "darwin", "linux", "windows", "freebsd"),
    *("amd64", "arm64", "386", "arm", "x86_64", "aarch64", "armv7l", "i686", "wasm"),
    *("v1", "v2", "v3", "v4", "v9", "v٣", "v²", "²", "go1.22", "go1.22.0", "1.22", "go1.19.13"),
    *("devel go1.23-abc", "go1.99999999999999999999", "go", "macho", "elf", "script"),
    *("off", "direct", "*", "-insecure", "auto", "local", "0", "1", "enabled", "disabled"),
    *("http://x", "https://u:p@proxy.test/p?token=1", "file:///m", "http://[::1", "|,"),
    *("/usr/local/go", "/usr/local/go/bin/go", "/opt/homebrew", "/usr/local", "/usr/local/bin"),
    *("qemu-aarch64", "/usr/bin/qemu-aarch64", "x86_64-linux-gnu", "armv6-linux-gnueabi"),
    *("git.corp.example/x", "10.0.0.1:8080/m", "example.com/app", "linux/amd64", "$TARGET"),
    *("HOME", "PATH", "GOARCH", "GOOS", "GOAMD64", "GOARM", "GOFLAGS", "GOPROXY", "GOBIN"),
    *("GOPATH", "GOROOT", "GOTOOLCHAIN", "GOSUMDB", "GONOSUMDB", "GOPRIVATE", "CGO_ENABLED"),
    *("CC", "CXX", "AR", "CONDA_PREFIX", "DOCKER_DEFAULT_PLATFORM", "GOVERSION", "GOENV"),
    *("settings", "gos", "go_env", "tools", "cc", "cpu", "process", "project", "binfmt"),
    *("\x1b[31m", "\u2028", "a\nb", "[", "%s", "{}", "\\"),
]  # fmt: skip
NUMBERS = [-(2**63), -1, 0, 1, 2, 3, 4, 5, 32, 64, 2**63, 10**30]


def typed(hint: object) -> st.SearchStrategy[Any]:
    """Values of the type ``hint`` (a type of :mod:`gorig.doctor.facts`), biased to WORDS."""
    if hint is str:
        return st.sampled_from(WORDS) | st.text(max_size=12)
    if hint is int:
        return st.sampled_from(NUMBERS) | st.integers()
    if hint is float:
        return st.floats(allow_nan=False, allow_infinity=False)
    if hint is bool:
        return st.booleans()
    if hint is type(None):
        return st.none()
    origin, args = get_origin(hint), get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return st.one_of(*(typed(member) for member in args))
    if origin is list:
        return st.lists(typed(args[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(typed(str), typed(args[1]), max_size=4)
    assert is_typeddict(hint), hint
    fields = get_type_hints(hint)
    required = hint.__required_keys__  # type: ignore[attr-defined]
    return st.fixed_dictionaries(
        {key: typed(value) for key, value in fields.items() if key in required},
        optional={key: typed(value) for key, value in fields.items() if key not in required},
    )


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.sampled_from(WORDS) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(typed(str), inner, max_size=4),
    max_leaves=12,
)
DOCUMENTS = typed(Facts).map(lambda document: {**document, "schema": 1})


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value, the value's own (``()``) first."""
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


def _like(value: Any) -> st.SearchStrategy[Any]:
    """Values of the same JSON kind as ``value``: a change the shape check lets through."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.sampled_from(NUMBERS)
    if isinstance(value, str) or value is None:
        return typed(str)
    return st.just(value)


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    """A recorded document with a few values replaced (by one of the same kind, mostly,
    so the checks see it) or removed, anywhere in it."""
    document = json.loads(json.dumps(draw(st.sampled_from(RECORDED))))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(_paths(document)[1:]))
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["like", "like", "like", "json", "delete"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "json":
            parent[path[-1]] = draw(JSON)
        else:
            parent[path[-1]] = draw(_like(parent[path[-1]]))
    return document


MODES: tuple[list[str], ...] = ([], ["--json", "-v"], ["--save", str(SCRATCH / "saved.json")])


def doctor(data: bytes) -> int:
    """``gorig doctor --facts`` on ``data`` (as text, ``--json -v`` or with ``--save``, by the
    data's length): its exit status. Any exception but gorig's own error fails the test, and
    so does a refusal that is not one line; stdout is strict UTF-8, as a terminal's."""
    source = SCRATCH / "facts.json"
    source.write_bytes(data)
    mode = MODES[len(data) % len(MODES)]
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()) as err:
        code = main(["doctor", "--facts", str(source), *mode])
    out.flush()
    if code == 2 and "--json" in mode:  # the error as JSON on stdout
        assert "\n" not in json.loads(raw.getvalue())["error"]["message"]
    elif code == 2:
        assert err.getvalue().startswith("gorig: error: ") and err.getvalue().count("\n") == 1
    return code


def loaded(data: bytes) -> bool:
    """Whether the loader accepts ``data``; a refusal must be gorig's one-line input error."""
    try:
        loads(data, "fuzz.json")
    except GorigError as error:
        assert error.exit_code == 2 and "\n" not in str(error)
        return False
    return True


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=256) | st.sampled_from(WORDS).map(str.encode))
def test_arbitrary_bytes(data: bytes):
    if loaded(data):
        doctor(data)


@FUZZ
@given(JSON | st.dictionaries(typed(str), JSON).map(lambda d: {**d, "schema": 1}))
def test_arbitrary_json_values(value: Any):
    data = json.dumps(value).encode()
    if loaded(data):
        doctor(data)


@pytest.mark.fuzz
@FUZZ
@given(DOCUMENTS)
def test_every_document_of_the_right_shape_loads_and_is_diagnosed(document: Any):
    data = json.dumps(document, ensure_ascii=False).encode()
    assert loaded(data)
    assert doctor(data) in (0, 1)


@pytest.mark.fuzz
@settings(FUZZ, max_examples=400)
@given(mutated())
def test_mutations_of_the_recorded_documents(document: Any):
    data = json.dumps(document).encode()
    if loaded(data):
        doctor(data)
    else:
        assert doctor(data) == 2


@pytest.mark.fuzz
@pytest.mark.parametrize("name", ["darwin-clean.json"])
def test_every_word_at_every_leaf_of_a_recorded_document(name: str):
    """A sweep random draws would rarely reach: each scalar leaf of the document set to
    each of WORDS and NUMBERS its type allows (the loader's own shape check decides), and
    the checks and the JSON report run on each."""
    document = json.loads((FACTS / name).read_text())
    for path in _paths(document)[1:]:
        if path[0] in ("probes", "collected_by"):
            continue  # no check reads them (the failed-probe tests cover probes)
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        original = parent[path[-1]]
        if isinstance(original, bool | dict | list):
            continue
        for values in (WORDS, NUMBERS):
            parent[path[-1]] = values[0]
            if not _fits(document):
                continue
            for value in values:
                parent[path[-1]] = value
                report = json_report(document, run_checks(document), verbose=False)
                json.dumps(report, ensure_ascii=False).encode()
        parent[path[-1]] = original


def _fits(document: Any) -> bool:
    try:
        check(document, Facts)
    except ShapeError:
        return False
    return True

"""Go's build info parsing and quoting rules, checked against Go itself.

A small Go program (built once per session with the host Go) runs ``strconv.Quote``,
``strconv.Unquote``, ``strconv.QuotedPrefix`` and ``debug.ParseBuildInfo`` +
``BuildInfo.String`` over thousands of generated inputs in one run; gorig must give the
same answers, errors included.
"""

# Build info and modules are optional in the API; here every file read has them.
# mypy: disable-error-code="union-attr"

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import subprocess

import pytest
from filelock import FileLock
from hypothesis import given, settings
from hypothesis import strategies as st

from gorig.binfmt import gostrconv
from gorig.binfmt.buildinfo import ParseError, parse_build_info
from support import gobin

ORACLE_GO = r"""package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"os"
	"runtime/debug"
	"strconv"
)

type request struct{ Op, Data string }

type answer struct {
	Out   string          `json:"out"`
	Err   string          `json:"err"`
	JSON  json.RawMessage `json:"json,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var r request
		if err := json.Unmarshal(in.Bytes(), &r); err != nil {
			panic(err)
		}
		raw, _ := base64.StdEncoding.DecodeString(r.Data)
		s := string(raw)
		var a answer
		var res string
		var err error
		switch r.Op {
		case "quote":
			res = strconv.Quote(s)
		case "unquote":
			res, err = strconv.Unquote(s)
		case "prefix":
			res, err = strconv.QuotedPrefix(s)
		case "parse":
			var bi *debug.BuildInfo
			bi, err = debug.ParseBuildInfo(s)
			if err == nil {
				res = bi.String()
				a.JSON, _ = json.Marshal(bi)
			}
		}
		a.Out = base64.StdEncoding.EncodeToString([]byte(res))
		if err != nil {
			a.Err = err.Error()
		}
		out.Encode(a)
	}
}
"""


def oracle_binary():
    """The Go program, built once per machine (cached by its source's hash)."""
    digest = hashlib.sha256(ORACLE_GO.encode()).hexdigest()[:16]
    work = gobin.CACHE / "inspect-oracle" / digest
    work.mkdir(parents=True, exist_ok=True)
    with FileLock(str(work) + ".lock"):
        if not (work / "oracle").exists():
            (work / "main.go").write_text(ORACLE_GO)
            (work / "go.mod").write_text("module oracle\n\ngo 1.21\n")
            env = {**os.environ, "GOTOOLCHAIN": "local", "GOFLAGS": "-mod=mod", "CGO_ENABLED": "0",
                   "GOCACHE": str(gobin.GOCACHE), "GOPROXY": "off"}  # fmt: skip
            go = gobin.go_binary(gobin.GO_1_27)
            subprocess.run([go, "build", "-o", "oracle.tmp", "."], cwd=work, env=env, check=True)
            (work / "oracle.tmp").rename(work / "oracle")
    return work / "oracle"


@pytest.fixture(scope="module")
def go_oracle():
    """Run the Go program over (op, bytes) requests; answers in order."""
    program = oracle_binary()

    def ask(requests):
        lines = "".join(
            json.dumps({"Op": op, "Data": base64.b64encode(data).decode()}) + "\n"
            for op, data in requests
        )
        done = subprocess.run([program], input=lines, capture_output=True, text=True, check=True)
        return [json.loads(line) for line in done.stdout.splitlines()]

    return ask


PIECES = [
    b"a", b"Z", b"0", b" ", b"\t", b"\n", b"\r", b"=", b'"', b"`", b"\\", b"'", b"\\n", b"\\t",
    b"\\x41", b"\\xff", b"\\u00e9", b"\\U0001F600", b"\\377", b"\\400", b"\\q", b"\\u", b"\\ud800",
    "é".encode(), "😀".encode(), b"\xff", b"\xe2\x82", b"\x00", b"\x7f", "\u2028".encode(),
    "\u00ad".encode(), b"\\'", b'\\"', b"-X", b"main.v", b"=x",
]  # fmt: skip


def random_text(rng: random.Random, size: int) -> bytes:
    return b"".join(rng.choice(PIECES) for _ in range(rng.randrange(size)))


def quoted(rng: random.Random) -> bytes:
    quote = rng.choice([b'"', b"`"])
    return quote + random_text(rng, 6) + (quote if rng.random() < 0.9 else b"")


def module_text(rng: random.Random) -> bytes:
    """A build info text of random lines, mostly well formed, sometimes not."""
    lines = []
    for _ in range(rng.randrange(1, 8)):
        kind = rng.choice([b"path", b"mod", b"dep", b"=>", b"build", b"build", b"build", b"junk"])
        if kind == b"build":
            key = (
                quoted(rng)
                if rng.random() < 0.2
                else rng.choice([b"-ldflags", b"GOOS", b"", b"a b", b"CGO_CFLAGS"])
            )
            value = quoted(rng) if rng.random() < 0.5 else random_text(rng, 4)
            lines.append(b"build\t" + key + rng.choice([b"=", b"=", b""]) + value)
        else:
            columns = [random_text(rng, 3) or b"x" for _ in range(rng.choice([1, 2, 2, 3, 3, 4]))]
            lines.append(kind + b"\t" + b"\t".join(columns))
    return b"\n".join(lines) + (b"\n" if rng.random() < 0.9 else b"")


@pytest.mark.toolchain
def test_quote_matches_strconv(go_oracle):
    rng = random.Random(1)
    inputs = [random_text(rng, 12) for _ in range(1500)] + [bytes([b]) for b in range(256)]
    answers = go_oracle([("quote", data) for data in inputs])
    for data, answer in zip(inputs, answers, strict=True):
        assert gostrconv.quote(data) == base64.b64decode(answer["out"]), data


@pytest.mark.toolchain
@pytest.mark.parametrize("op", ["unquote", "prefix"])
def test_unquote_matches_strconv(go_oracle, op):
    rng = random.Random(2)
    inputs = [
        quoted(rng) + (random_text(rng, 3) if rng.random() < 0.3 else b"") for _ in range(2000)
    ]
    answers = go_oracle([(op, data) for data in inputs])
    mine = gostrconv.unquote if op == "unquote" else gostrconv.quoted_prefix
    for data, answer in zip(inputs, answers, strict=True):
        expected = None if answer["err"] else base64.b64decode(answer["out"])
        assert mine(data) == expected, data


@pytest.mark.toolchain
def test_parse_build_info_matches_go(go_oracle):
    rng = random.Random(3)
    inputs = [module_text(rng) for _ in range(2000)]
    answers = go_oracle([("parse", data) for data in inputs])
    parsed = errors = 0
    for data, answer in zip(inputs, answers, strict=True):
        text = data.decode("utf-8", "surrogateescape")
        try:
            info = parse_build_info(text)
        except ParseError as error:
            assert str(error) == answer["err"], data
            errors += 1
            continue
        assert not answer["err"], data
        assert info.to_go_json() == answer["json"], data
        assert info.module_text().encode("utf-8", "surrogateescape") == base64.b64decode(
            answer["out"]
        )
        parsed += 1
    assert parsed > 200 and errors > 200  # both paths are really exercised


def test_settings_and_modules_read_back():
    info = parse_build_info(
        "path\texample.com/cmd\nmod\texample.com\tv1.0.0\th1:abc=\n"
        "dep\texample.com/a\tv0.1.0\th1:def=\n=>\t../a\t\t\n"
        'build\t-ldflags="-X \'main.v=1\\t2\'"\nbuild\tCGO_CFLAGS=\nbuild\t"odd key"=`raw`\n'
    )
    assert info.path == "example.com/cmd"
    assert (info.main.path, info.main.version, info.main.sum) == (
        "example.com",
        "v1.0.0",
        "h1:abc=",
    )
    assert info.deps[0].replace.path == "../a" and info.deps[0].replace.version == ""
    assert info.setting("-ldflags") == "-X 'main.v=1\t2'"
    assert info.setting("CGO_CFLAGS") == ""
    assert info.setting("odd key") == "raw"
    assert info.setting("GOOS") is None


PIECE_BYTES = st.lists(
    st.sampled_from([*PIECES, b"build\t", b"mod\t", b"dep\t", b"=>\t", b"path\t"])
)


@settings(max_examples=500, deadline=None)
@given(PIECE_BYTES.map(b"".join))
def test_any_text_parses_or_gives_a_parse_error(data):
    try:
        info = parse_build_info(data.decode("utf-8", "surrogateescape"))
    except ParseError as error:
        assert str(error).startswith("could not parse Go build info: line ")
    else:
        info.module_text()
        info.to_go_json()
    for function in (gostrconv.quote, gostrconv.unquote, gostrconv.quoted_prefix):
        function(data)

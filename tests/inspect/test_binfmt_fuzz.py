"""Hostile input: truncated and mutated corpus files raise gorig's own errors, nothing else."""

from __future__ import annotations

import struct
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gorig.binfmt import BinfmtError, read_executable_bytes
from gorig.binfmt.block import MAGIC
from gorig.errors import GorigError
from support import corpus

SEEDS = [
    "hello-linux-amd64", "hello-linux-mips", "hello-linux-s390x", "hello-darwin-arm64",
    "hello-windows-386.exe", "hello-windows-arm64.exe", "hello-universal", "go117", "c-dynamic",
    "hello-cgo",
]  # fmt: skip
ABSURD = [b"\xff", b"\x00", b"\x80", b"\xff\xff\xff\xff", b"\x00\x00\x00\x00", b"\xff\xff\xff\x7f",
          b"\x01\x00\x00\x00", b"\xfe\xff\xff\xff\xff\xff\xff\xff"]  # fmt: skip


@cache
def seed(name: str) -> bytes:
    return corpus.built(name).read_bytes()


@st.composite
def hostile(draw):
    data = bytearray(seed(draw(st.sampled_from(SEEDS))))
    magic = max(data.find(MAGIC), 0)
    size = len(data)
    places = st.one_of(
        st.integers(0, 4095),  # file headers, load commands, PE section table
        st.integers(size - 8192, size - 1),  # ELF section headers live at the end
        st.integers(magic, magic + 600),  # the build info block
        st.integers(0, size - 1),
    )
    for _ in range(draw(st.integers(0, 12))):
        at = draw(places)
        data[at : at + 8] = draw(st.sampled_from(ABSURD) | st.binary(min_size=1, max_size=8))
    cut = draw(st.one_of(st.just(len(data)), st.integers(0, 8192), st.integers(0, len(data))))
    return bytes(data[:cut])


@pytest.mark.toolchain
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.data_too_large, HealthCheck.large_base_example])  # fmt: skip
@given(hostile())
def test_hostile_files_raise_only_gorig_errors(blob):
    try:
        exe = read_executable_bytes(blob, "hostile")
    except GorigError as error:
        assert str(error).startswith("hostile") and "\n" not in str(error)
        return
    exe.to_dict()
    for piece in [exe, *exe.slices]:
        if piece.go is not None:
            piece.go.module_text()


def patch(name: str, at: int, fmt: str, *values: int) -> bytes:
    data = bytearray(seed(name))
    struct.pack_into(fmt, data, at, *values)
    return bytes(data)


def pe_header(name: str) -> int:
    return struct.unpack_from("<I", seed(name), 0x3C)[0]


# (seed, how it is damaged, what the one-line error says)
HOSTILE = [
    (
        "hello-linux-amd64",
        lambda: patch("hello-linux-amd64", 0x3C, "<H", 0xFFFE),
        "section headers",
    ),
    (
        "hello-linux-amd64",
        lambda: patch("hello-linux-amd64", 0x28, "<Q", 1 << 62),
        "section header",
    ),
    (
        "hello-linux-amd64",
        lambda: patch("hello-linux-amd64", 0x20, "<Q", 1 << 40),
        "program header",
    ),
    (
        "hello-linux-mips",
        lambda: patch("hello-linux-mips", 0x1C, ">I", 0xFFFFFF00),
        "program headers",
    ),
    (
        "hello-darwin-arm64",
        lambda: patch("hello-darwin-arm64", 16, "<I", 0xFFFFFFF),
        "load commands",
    ),
    (
        "hello-darwin-arm64",
        lambda: patch("hello-darwin-arm64", 36, "<I", 0),
        "load command has size 0",
    ),
    ("hello-darwin-arm64", lambda: patch("hello-darwin-arm64", 20, "<I", 1 << 30), "load commands"),
    ("hello-universal", lambda: patch("hello-universal", 4, ">I", 20), "universal slice 2 "),
    (
        "hello-universal",
        lambda: patch("hello-universal", 8 + 8, ">I", 1 << 31),
        "universal slice 0",
    ),
    ("hello-universal", lambda: patch("hello-universal", 4, ">I", 0), "no slices"),
    (
        "hello-windows-386.exe",
        lambda: patch("hello-windows-386.exe", 0x3C, "<I", 1 << 31),
        "PE header",
    ),
    (
        "hello-windows-386.exe",
        lambda: patch(
            "hello-windows-386.exe", pe_header("hello-windows-386.exe") + 6, "<H", 0xFFFF
        ),
        "section headers",
    ),
]


@pytest.mark.parametrize(("name", "damage", "message"), HOSTILE)
def test_absurd_headers_give_one_clear_line(name, damage, message):
    with pytest.raises(BinfmtError, match=message) as raised:
        read_executable_bytes(damage(), name)
    text = str(raised.value)
    assert text.startswith(f"{name}: ") and "\n" not in text

"""Hostile input: truncated and mutated corpus files raise gorig's own errors, nothing else."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gorig.binfmt import read_executable_bytes
from gorig.binfmt.buildinfo import MAGIC
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


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow,
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

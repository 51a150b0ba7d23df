"""The pure parts of building: universal layout, names, checksums, parallelism."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gorig.errors import GorigError
from gorig.matrix.checksums import checksum_text
from gorig.matrix.jobs import MEMORY_PER_BUILD, default_jobs, free_memory
from gorig.matrix.naming import artifact_name, program_name
from gorig.matrix.universal import ALIGN_LOG2, Slice, fat_header, layout, read_slice
from gorig.targets import Target


@given(st.lists(st.integers(min_value=1, max_value=1 << 26), min_size=1, max_size=4))
def test_layout_aligns_every_slice_and_never_overlaps(sizes):
    offsets = layout(sizes)
    assert offsets[0] >= 8 + 20 * len(sizes)
    for offset, size, following in zip(offsets, sizes, [*offsets[1:], None], strict=True):
        assert offset % (1 << ALIGN_LOG2) == 0
        if following is not None:
            assert offset + size <= following


def test_fat_header_is_big_endian_with_cpu_types_from_the_slices(tmp_path):
    thin = tmp_path / "thin"
    # A 64-bit little-endian Mach-O header start: magic, cputype arm64, subtype ALL.
    thin.write_bytes(struct.pack("<IiiI", 0xFEEDFACF, 0x0100000C, 0, 2) + b"\0" * 100)
    piece = read_slice(thin)
    assert (piece.cputype, piece.cpusubtype, piece.size) == (0x0100000C, 0, 116)
    head = fat_header([piece, Slice(thin, 0x01000007, 3, 10)], [16384, 32768])
    assert struct.unpack(">II", head[:8]) == (0xCAFEBABE, 2)
    assert struct.unpack(">IIIII", head[8:28]) == (0x0100000C, 0, 16384, 116, 14)
    assert struct.unpack(">IIIII", head[28:48]) == (0x01000007, 3, 32768, 10, 14)


def test_read_slice_refuses_what_is_not_a_thin_mach_o(tmp_path):
    elf = tmp_path / "elf"
    elf.write_bytes(b"\x7fELF" + b"\0" * 60)
    with pytest.raises(GorigError, match="not a thin Mach-O"):
        read_slice(elf)


def test_checksum_lines_are_sorted_with_two_spaces():
    text = checksum_text({"b_linux": "22", "a_darwin": "11"})
    assert text == "11  a_darwin\n22  b_linux\n"


def test_default_names():
    assert artifact_name("app", Target("linux", "arm", "7")) == "app_linux_arm_7"
    assert artifact_name("app", Target("windows", "amd64")) == "app_windows_amd64.exe"
    assert artifact_name("app", Target("windows", "arm64"), "{name}.{arch}") == "app.arm64.exe"
    assert artifact_name("app", Target("linux", "amd64", "v3"), "{name}{ext}") == "app"


def test_program_name_follows_go_build(tmp_path):
    (tmp_path / "plain").mkdir()
    assert program_name("cmd/gofmt", tmp_path) == "gofmt"
    assert program_name(".", tmp_path / "plain") == "plain"  # no module: the directory
    assert program_name("example.com/x/cmd/y@v1.2.3", tmp_path) == "y"
    assert program_name("example.com/tool/v2", tmp_path) == "tool"
    module = tmp_path / "checkout"
    (module / "cmd" / "server").mkdir(parents=True)
    (module / "go.mod").write_text("module example.com/app/v3\n\ngo 1.22\n")
    assert program_name(".", module) == "app"
    assert program_name("./cmd/server/", module) == "server"
    assert program_name("..", module / "cmd") == "app"


@pytest.mark.toolchain
def test_program_name_matches_go_build_itself(tmp_path):
    """The oracle: go build without -o names the file; gorig must pick the same name."""
    import os
    import subprocess

    from support import gobin

    module = tmp_path / "checkout"
    (module / "cmd" / "server").mkdir(parents=True)
    (module / "go.mod").write_text("module example.com/app/v3\n\ngo 1.21\n")
    for directory in (module, module / "cmd" / "server"):
        (directory / "main.go").write_text("package main\n\nfunc main() {}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GO")}
    env.update(GOCACHE=str(gobin.GOCACHE), GOTOOLCHAIN="local", GOPROXY="off")
    go = gobin.go_binary(gobin.GO_1_27)
    for package in (".", "./cmd/server"):
        before = set(module.iterdir())
        subprocess.run([go, "build", package], cwd=module, env=env, check=True)
        (made,) = set(module.iterdir()) - before
        assert made.name == program_name(package, module)


def test_jobs_are_bounded_by_cores_memory_and_targets():
    assert default_jobs(8, 3 * MEMORY_PER_BUILD, 10) == 3
    assert default_jobs(2, None, 10) == 2
    assert default_jobs(16, 64 * MEMORY_PER_BUILD, 3) == 3
    assert default_jobs(4, MEMORY_PER_BUILD // 2, 5) == 1


def test_free_memory_reads_meminfo(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal: 1000 kB\nMemAvailable:     2048 kB\n")
    assert free_memory(meminfo) == 2048 * 1024
    assert free_memory(tmp_path / "missing") is None

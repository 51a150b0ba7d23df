"""Pin files are untrusted input: not UTF-8, unreadable or odd, each is one line naming it.

Driven through the real ``gorig which`` and ``gorig use --local`` in a project directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import GORIG, run_gorig
from gorig.configure.managed import BACKUP_SUFFIX
from gorig.errors import GorigError
from gorig.versions.pins import resolve


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "GORIG_HOME": str(tmp_path / "home"),
        "GORIG_CONFIG": str(tmp_path / "no-config.toml"),
    }


def _refused(done: subprocess.CompletedProcess[str], code: int, *parts: str) -> None:
    assert done.returncode == code, done.stderr
    assert done.stderr.startswith("gorig: error: ") and done.stderr.count("\n") == 1, done.stderr
    for part in parts:
        assert part in done.stderr, (part, done.stderr)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (".go-version", b"1.22.5\xff\n"),
        (".go-version", b"\xfe\xff\x001\x00.\x002\x002\x00"),  # UTF-16, as some editors save
        ("go.mod", b"module caf\xe9\n\ngo 1.22\n"),
        ("go.work", b"go 1.22\n\nuse ./\x80\n"),
    ],
)
def test_a_pin_file_that_is_not_utf8_is_one_line(tmp_path, env, name: str, data: bytes):
    project = tmp_path / "project"
    (project / "sub").mkdir(parents=True)
    (project / name).write_bytes(data)
    done = run_gorig("which", env=env, cwd=project / "sub")
    _refused(done, 2, f"{project / name} is not UTF-8 text", "save it as UTF-8")
    as_json = run_gorig("which", "--json", env=env, cwd=project / "sub")
    assert "Traceback" not in as_json.stderr and as_json.returncode == 2


def _without_file_permission_override() -> list[str]:
    """A prefix that makes file permissions bind even for root (as for any other user)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv (util-linux) is missing to drop DAC override")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]


def test_an_unreadable_go_version_is_an_error_not_the_default(tmp_path, env):
    """Before: the file was skipped and the default toolchain used without a word."""
    project = tmp_path / "project"
    project.mkdir()
    pin = project / ".go-version"
    pin.write_text("1.22.5\n")
    (project / "go.mod").write_text("module m\n\ngo 1.21\n")  # must not win silently
    pin.chmod(0)
    try:
        done = subprocess.run(
            [*_without_file_permission_override(), *GORIG, "which"],
            capture_output=True,
            text=True,
            env=env,
            cwd=project,
            check=False,
            timeout=120,
        )
    finally:
        pin.chmod(0o644)
    _refused(done, 1, f"cannot read {pin}: Permission denied", "fix or remove it")


@pytest.mark.parametrize("kind", ["loop", "dangling", "fifo"])
def test_a_pin_that_cannot_be_a_file_is_named(tmp_path, env, kind: str):
    project = tmp_path / "project"
    project.mkdir()
    pin = project / ".go-version"
    if kind == "loop":
        pin.symlink_to(".go-version")
        expected = (1, f"cannot read {pin}: Too many levels of symbolic links")
    elif kind == "dangling":
        pin.symlink_to("elsewhere/.go-version")
        expected = (2, f"{pin} is a symbolic link to nothing")
    else:
        os.mkfifo(pin)  # reading it would wait forever for a writer
        expected = (2, f"{pin} is not a regular file")
    done = run_gorig("which", env=env, cwd=project, timeout=60)
    _refused(done, *expected)


def test_a_directory_named_like_a_pin_is_not_a_pin(tmp_path, env):
    project = tmp_path / "project"
    (project / ".go-version").mkdir(parents=True)
    (project / "go.mod").write_text("module m\n\ngo 1.22.5\n")
    done = run_gorig("which", "--explain", env=env, cwd=project)
    assert "go.mod" in done.stdout + done.stderr and "Traceback" not in done.stderr


def test_use_local_over_a_non_utf8_pin_keeps_its_bytes(tmp_path, env):
    project = tmp_path / "project"
    project.mkdir()
    old = b"1.21\xff\n"
    (project / ".go-version").write_bytes(old)
    done = run_gorig("use", "--local", "1.22.5", env=env, cwd=project)
    assert done.returncode == 0, done.stderr
    assert (project / ".go-version").read_text() == "1.22.5\n"
    assert (project / f".go-version{BACKUP_SUFFIX}").read_bytes() == old


_PIN_TEXT = st.binary(max_size=120) | st.sampled_from(
    [b"go 1.22\ntoolchain go1.23.\n", b"1.22.5\r\n", b"\xef\xbb\xbfgo1.21", b"go \xff\n", b"#\n"]
)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from([".go-version", "go.mod", "go.work"]), data=_PIN_TEXT)
def test_any_pin_file_gives_a_pin_or_gorigs_error(name: str, data: bytes):
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        (project / name).write_bytes(data)
        try:
            pin = resolve(project, {})
        except GorigError as error:
            assert "\n" not in str(error) and str(project / name) in str(error)
            return
        assert pin.source == "default" or pin.file == project / name


@pytest.mark.parametrize(
    ("name", "data"),
    [(".go-version", b"\xef\xbb\xbf1.22.5\n"), ("go.mod", b"\xef\xbb\xbfmodule m\n\ngo 1.22.5\n")],
)
def test_a_byte_order_mark_before_a_pin_is_dropped(tmp_path, name: str, data: bytes):
    """Editors on Windows save UTF-8 with a BOM; the pin reads as without it."""
    (tmp_path / name).write_bytes(data)
    assert str(resolve(tmp_path, {}).version) == "1.22.5"


def test_a_bad_byte_after_a_byte_order_mark_is_counted_from_the_text(tmp_path):
    (tmp_path / ".go-version").write_bytes(b"\xef\xbb\xbf1.2\xff\n")
    with pytest.raises(GorigError, match=r"is not UTF-8 text \(byte 3\)"):
        resolve(tmp_path, {})

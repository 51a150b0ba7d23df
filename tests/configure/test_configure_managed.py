"""The marked-block editor on real files: prior bytes survive, setup is idempotent."""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gorig.configure import goland, managed
from gorig.configure.shell import ShellPlan, init_code
from gorig.errors import GorigError
from gorig.host import HostFacts

RC_BODY = init_code(ShellPlan("bash", "/opt/gorig home", "linux-amd64"))
VMOPTIONS_BODY = goland.block_body(
    goland.jvm_options(
        HostFacts(
            os="darwin",
            kernel_arch="arm64",
            userland_bits=64,
            sysctl={"hw.optional.arm64": "1"},
            memory_bytes=32 << 30,
        )
    )
)

# Lines that look like markers without being them, plus arbitrary text and raw bytes.
_tricky = st.sampled_from(
    [
        "# >>> gorig >>> extra",
        "  # >>> gorig >>>",
        "# <<< gorig",
        "#>>> gorig >>>",
        "\r",
        "",
        "export PATH=/usr/local/bin:$PATH",
        "-Xmx2048m",
    ]
)
_lines = st.lists(st.one_of(_tricky, st.text(alphabet=st.characters(codec="utf-8"))), max_size=8)
prior_content = st.one_of(
    _lines.map(lambda lines: "\n".join(lines).encode()),
    st.binary(max_size=200).filter(lambda data: b" gorig " not in data),
)


BODIES = st.sampled_from([RC_BODY, VMOPTIONS_BODY])


@settings(max_examples=300, deadline=None)
@given(original=prior_content, body=BODIES)
def test_block_properties(original: bytes, body: str) -> None:
    """What update_block does to a file's bytes: decode, set_block, encode (all pure)."""
    text = managed.decode(original)
    once = managed.set_block(text, body)
    assert managed.encode(once).startswith(original)  # everything before survives byte for byte
    assert managed.set_block(once, body) == once  # setup twice == setup once
    assert managed.encode(managed.set_block(once, None)) == original  # remove restores it


# Each edit of a real file syncs two files to the disk (and where the system cannot say
# whether another program still writes the replaced file, watches it for a moment): the
# file round trip runs on fewer examples, the content rules above on many.
@settings(max_examples=25, deadline=None)
@given(original=prior_content, body=BODIES)
@example(original=b"", body=RC_BODY)
@example(original=b"export A=1", body=RC_BODY)
@example(original=b"a\r\n\xff\xfe\n", body=VMOPTIONS_BODY)
def test_block_round_trip_through_a_real_file(original: bytes, body: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "rc"
        path.write_bytes(original)
        first = managed.update_block(path, body)
        once = path.read_bytes()
        assert first.changed
        assert once.startswith(original)  # everything before survives byte for byte
        assert first.backup is not None and first.backup.read_bytes() == original
        second = managed.update_block(path, body)
        assert not second.changed
        assert path.read_bytes() == once  # setup twice == setup once
        managed.update_block(path, None)
        assert path.read_bytes() == original  # setup then remove restores the original


@settings(max_examples=100, deadline=None)
@given(before=prior_content, after=prior_content, body=st.text(max_size=50))
def test_updating_a_block_in_the_middle_keeps_both_sides(before: bytes, after: bytes, body: str):
    """A block the user moved between their own lines is updated in place."""
    block = managed.render_block("old body").encode()
    before = before + b"\n" if not before.endswith(b"\n") else before
    text = managed.decode(before + block + after)
    updated = managed.encode(managed.set_block(text, body.replace("\x00", "")))
    assert updated.startswith(before) and updated.endswith(after)


def test_update_goes_through_a_symlink_and_keeps_the_mode(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "zshrc"
    real.parent.mkdir()
    real.write_text("alias ll='ls -l'\n")
    real.chmod(0o600)
    link = tmp_path / ".zshrc"
    link.symlink_to(real)
    managed.update_block(link, "echo hi\n")
    assert link.is_symlink()
    assert real.read_text() == "alias ll='ls -l'\n\n# >>> gorig >>>\necho hi\n# <<< gorig <<<\n"
    assert real.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "text",
    [
        "a\n# >>> gorig >>>\nb\n",
        "a\n# <<< gorig <<<\n",
        "# >>> gorig >>>\n# <<< gorig <<<\n# >>> gorig >>>\n# <<< gorig <<<\n",
    ],
)
def test_broken_blocks_are_refused_with_one_line(text: str) -> None:
    with pytest.raises(GorigError, match=r"fix the file by hand|keep one"):
        managed.set_block(text, "x")


def test_unwritable_place_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(GorigError, match=r"cannot (read|write) .*\.zshrc"):
        managed.update_block(blocker / "sub" / ".zshrc", "x\n")


def test_a_block_in_a_crlf_file_is_found_not_doubled(tmp_path: Path) -> None:
    path = tmp_path / "goland64.vmoptions"
    path.write_bytes(b"-Xss2m\r\n\r\n# >>> gorig >>>\r\n-Xmx1g\r\n# <<< gorig <<<\r\n-Dmine=1\r\n")
    managed.update_block(path, "-Xmx4g\n")
    assert (
        path.read_bytes() == b"-Xss2m\r\n\r\n# >>> gorig >>>\n-Xmx4g\n# <<< gorig <<<\n-Dmine=1\r\n"
    )


def _leases_tell() -> bool:
    """Whether this system says who has a file open for writing (Linux leases)."""
    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / "probe"
        probe.write_bytes(b"")
        with probe.open("rb") as handle:
            return managed._open_for_writing(handle) is False


LEASES = pytest.mark.skipif(
    not _leases_tell(), reason="no file leases here (not Linux, or a file system without them)"
)
BLOCK = "\n# >>> gorig >>>\nexport A=1\n# <<< gorig <<<\n"


@LEASES
def test_who_has_a_file_open_for_writing_is_known(tmp_path: Path) -> None:
    rc = tmp_path / "rc"
    rc.write_text("# mine\n")
    with rc.open("rb") as handle:
        with rc.open("a"):
            assert managed._open_for_writing(handle) is True
        assert managed._open_for_writing(handle) is False


@LEASES
def test_a_writer_that_opened_the_file_before_the_edit_keeps_its_late_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: a line written more than 0.1 s after the rename, by a program that had
    opened the file before it, was lost (the old file was watched until that quiet)."""
    monkeypatch.setattr(managed, "HOLD_LIMIT", 60.0)  # the writer decides when it is done
    rc = tmp_path / "rc"
    rc.write_text("# mine\n")
    replaced = rc.stat().st_ino
    writer = rc.open("a")  # `echo ... >> rc` that opened the file just before the rename

    def write_after_the_rename() -> None:
        while rc.stat().st_ino == replaced:
            time.sleep(0.001)
        time.sleep(0.3)  # three times the longest the old file used to be watched
        writer.write("export LATE=1\n")
        writer.close()

    late = threading.Thread(target=write_after_the_rename)
    late.start()
    managed.update_block(rc, "export A=1\n")
    late.join()
    assert rc.read_text() == f"# mine\n{BLOCK}export LATE=1\n"


@LEASES
def test_a_writer_that_never_closes_the_file_does_not_hold_the_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(managed, "HOLD_LIMIT", 0.2)
    rc = tmp_path / "rc"
    rc.write_text("# mine\n")
    with rc.open("a"):  # open for writing during the whole edit, and after it
        managed.update_block(rc, "export A=1\n")
    assert rc.read_text() == f"# mine\n{BLOCK}"


def _cannot_tell(_handle: object) -> None:
    return None


@pytest.mark.parametrize("system", ["leases", "watch"])
def test_lines_appended_during_the_edit_are_carried_over(
    system: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bytes another program appends between gorig's read and its rename land in the file,
    whether the system says who writes it (Linux) or the old file is watched (elsewhere)."""
    if system == "leases" and not _leases_tell():
        pytest.skip("no file leases here (not Linux, or a file system without them)")
    if system == "watch":
        monkeypatch.setattr(managed, "_open_for_writing", _cannot_tell)
    rc = tmp_path / "rc"
    rc.write_text("# mine\n")

    def edit_while_another_program_appends(old: str | None) -> str:
        with rc.open("a") as other:
            other.write("export DURING=1\n")
        return managed.set_block(old or "", "export A=1\n")

    managed.edit_file(rc, edit_while_another_program_appends)
    assert rc.read_text() == f"# mine\n{BLOCK}export DURING=1\n"

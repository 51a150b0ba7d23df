"""The marked-block editor on real files: prior bytes survive, setup is idempotent."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
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


def _roundtrip(original: bytes, body: str) -> None:
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


@settings(max_examples=150, deadline=None)
@given(original=prior_content)
def test_rc_block_properties(original: bytes) -> None:
    _roundtrip(original, RC_BODY)


@settings(max_examples=150, deadline=None)
@given(original=prior_content)
def test_vmoptions_block_properties(original: bytes) -> None:
    _roundtrip(original, VMOPTIONS_BODY)


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

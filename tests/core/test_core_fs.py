"""gorig.fs: the one atomic file write and symlink swap, on real files and processes."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gorig.fs import atomic_file, sha256_file, sha256_running, swap_symlink, write_atomic


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_write_replaces_keeps_the_mode_and_leaves_nothing_behind(tmp_path: Path):
    target = tmp_path / "rc"
    write_atomic(target, b"one\n")
    assert target.read_bytes() == b"one\n" and target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o600)
    write_atomic(target, b"two\n")
    assert target.read_bytes() == b"two\n" and target.stat().st_mode & 0o777 == 0o600
    write_atomic(target, b"three\n", mode=0o755)
    assert target.stat().st_mode & 0o777 == 0o755
    assert _leftovers(tmp_path) == []


def test_an_error_inside_the_block_keeps_the_old_file(tmp_path: Path):
    target = tmp_path / "SHA256SUMS"
    target.write_bytes(b"old\n")
    with pytest.raises(RuntimeError), atomic_file(target) as out:
        out.write(b"half of the new")
        raise RuntimeError("disk full, say")
    assert target.read_bytes() == b"old\n"
    assert _leftovers(tmp_path) == []


def test_a_missing_directory_is_an_oserror_and_nothing_is_made(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "absent" / "file", b"new\n")
    assert list(tmp_path.iterdir()) == []


def test_a_killed_writer_leaves_the_old_content(tmp_path: Path):
    """SIGKILL in the middle of a large write: the target still holds the old bytes."""
    target = tmp_path / "facts.json"
    target.write_bytes(b"old\n")
    ready = tmp_path / "ready"
    code = (
        "import sys, time, pathlib\n"
        "from gorig.fs import atomic_file\n"
        "with atomic_file(sys.argv[1]) as out:\n"
        "    out.write(b'x' * (1 << 20))\n"
        "    out.flush()\n"
        "    pathlib.Path(sys.argv[2]).touch()\n"
        "    time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code, str(target), str(ready)])
    try:
        for _ in range(600):
            if ready.exists() or child.poll() is not None:
                break
            threading.Event().wait(0.05)
        assert ready.exists(), "the writer never started"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        child.kill()
    assert target.read_bytes() == b"old\n"


def test_symlink_swap_is_never_missing_for_a_reader(tmp_path: Path):
    link = tmp_path / "bin" / "current"
    swap_symlink(link, "a")
    assert str(link.readlink()) == "a"
    seen: set[str] = set()
    missing: list[OSError] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                seen.add(str(link.readlink()))
            except OSError as error:
                missing.append(error)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for round_ in range(300):
            swap_symlink(link, "b" if round_ % 2 else "a")
    finally:
        stop.set()
        thread.join()
    assert missing == []
    assert seen <= {"a", "b"} and str(link.readlink()) == "b"
    assert _leftovers(link.parent) == []


def test_swap_replaces_a_regular_file_and_keeps_relative_targets(tmp_path: Path):
    link = tmp_path / "go"
    link.write_text("an old copy")
    swap_symlink(link, Path("..") / "toolchains" / "go1.22.5" / "bin" / "go")
    assert str(link.readlink()) == "../toolchains/go1.22.5/bin/go"


def test_file_sha256_reads_in_pieces_and_can_be_continued(tmp_path: Path):
    data = bytes(range(256)) * 9000  # more than one piece
    path = tmp_path / "go.tar.gz"
    path.write_bytes(data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()
    running = sha256_running(path)
    running.update(b"more")
    assert running.hexdigest() == hashlib.sha256(data + b"more").hexdigest()
    (tmp_path / "empty").write_bytes(b"")
    assert sha256_file(tmp_path / "empty") == hashlib.sha256(b"").hexdigest()


def test_remove_tree_never_follows_a_link_out(tmp_path):
    from gorig.fs import remove_tree

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("kept")
    tree = tmp_path / "tree"
    (tree / "a" / "b").mkdir(parents=True)
    (tree / "a" / "b" / "f").write_text("x")
    (tree / "link-dir").symlink_to(outside)
    (tree / "a" / "link-file").symlink_to(outside / "keep.txt")
    (tree / "dangling").symlink_to(tmp_path / "nowhere")
    remove_tree(tree)
    assert not tree.is_symlink() and not tree.exists()
    assert (outside / "keep.txt").read_text() == "kept"
    remove_tree(tree)  # already gone: nothing to do, no error


def test_fresh_directories_are_new_private_and_distinct(tmp_path):
    from gorig.fs import fresh_directory

    made = {fresh_directory(tmp_path, ".staging-go1.22-") for _ in range(50)}
    assert len(made) == 50
    for made_path in map(Path, made):
        assert made_path.name.startswith(".staging-go1.22-")
        assert list(made_path.iterdir()) == [] and made_path.stat().st_mode & 0o777 == 0o700

"""gorig.fs: the one capped read, atomic file write and symlink swap, on real files and
processes."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gorig.fs import (
    FileTooLarge,
    NotRegularFile,
    atomic_file,
    open_regular,
    read_at_most,
    read_capped,
    sha256_file,
    sha256_running,
    swap_symlink,
    write_atomic,
)


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


def test_read_capped_reads_up_to_the_cap_and_refuses_past_it(tmp_path: Path):
    path = tmp_path / "index.json"
    path.write_bytes(b"x" * 100)
    assert read_capped(path, 100) == b"x" * 100
    with pytest.raises(FileTooLarge) as refused:
        read_capped(path, 99)
    assert refused.value.limit == 99 and isinstance(refused.value, OSError)
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert read_capped(empty, 0) == b""


def test_read_capped_of_nothing_is_none(tmp_path: Path):
    assert read_capped(tmp_path / "absent", 10) is None
    assert read_capped(tmp_path / "absent", 10, only_regular=False) is None
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    assert read_capped(tmp_path / "dangling", 10) is None


def test_an_endless_device_is_refused_or_capped_never_read_whole():
    with pytest.raises(NotRegularFile) as refused:
        read_capped("/dev/zero", 1 << 20)
    assert refused.value.kind == "device"
    with pytest.raises(FileTooLarge):  # read as a stream: one byte past the cap, then stop
        read_capped("/dev/zero", 1 << 20, only_regular=False)


def test_directories_and_sockets_are_not_regular_files(tmp_path: Path):
    with pytest.raises(NotRegularFile) as directory:
        read_capped(tmp_path, 10)
    assert directory.value.kind == "directory"
    assert directory.value.strerror == "Is a directory, not a regular file"
    with pytest.raises(IsADirectoryError):
        read_capped(tmp_path, 10, only_regular=False)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "s"))
        with pytest.raises(NotRegularFile) as unix_socket:
            read_capped(tmp_path / "s", 10)
    assert unix_socket.value.kind == "socket"


def test_a_fifo_nobody_writes_is_refused_without_waiting(tmp_path: Path):
    """In a child process: before, a FIFO without a writer blocked the open forever."""
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    code = (
        "import sys\n"
        "from gorig.fs import NotRegularFile, read_capped\n"
        "try:\n"
        "    read_capped(sys.argv[1], 10)\n"
        "except NotRegularFile as error:\n"
        "    print(error.kind, error.strerror)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=60
    )
    assert done.stdout == "FIFO Is a FIFO, not a regular file\n", done.stderr


def test_a_pipe_is_read_as_a_stream_when_asked(tmp_path: Path):
    """What a shell's ``<(...)`` hands over: the reader waits for the writer's bytes."""
    fifo = tmp_path / "stream"
    os.mkfifo(fifo)

    def writer() -> None:
        with open(fifo, "wb") as out:
            out.write(b"[install]\n")

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert read_capped(fifo, 100, only_regular=False) == b"[install]\n"
    finally:
        thread.join()


def test_other_os_errors_come_through_as_they_are(tmp_path: Path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    for only_regular in (True, False):
        with pytest.raises(OSError) as failed:
            read_capped(loop, 10, only_regular=only_regular)
        assert failed.value.errno == errno.ELOOP


def test_an_open_regular_file_is_read_at_most_to_its_cap(tmp_path: Path):
    path = tmp_path / ".zshrc"
    path.write_bytes(b"export A=1\n")
    assert open_regular(tmp_path / "absent") is None
    handle = open_regular(path)
    assert handle is not None
    with handle:
        with pytest.raises(FileTooLarge):
            read_at_most(handle, 5, path)
        handle.seek(0)
        assert read_at_most(handle, 11, path) == b"export A=1\n"

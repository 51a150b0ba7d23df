"""Editing the user's rc files under real conditions: other writers, failed writes, odd layouts.

Each test drives the real ``gorig shell setup`` (or ``shell init``, ``proxy set --shell``)
against files in a throwaway HOME, as a user would run it.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import GORIG, run_gorig
from gorig.configure import shell as shellcode
from gorig.configure.managed import BACKUP_SUFFIX, BEGIN, END_LINE
from gorig.errors import GorigError
from support.syscalls import Stopped, trace


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return {
        "HOME": str(home),
        "PATH": os.pathsep.join(["/usr/bin", "/bin"]),
        "GORIG_HOME": str(tmp_path / "gorig"),
    }


def _setup(env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    done = run_gorig("shell", "setup", "--shell", "zsh", *extra, env=env)
    assert done.returncode == 0, done.stderr
    return done


def test_remove_does_not_join_the_lines_around_the_block(env):
    """A file without a final newline gets the block; the user then adds a line after it.

    Before: removing the block took the newline ending 'export A=1' with it, giving
    'export A=1export B=2'.
    """
    rc = Path(env["HOME"], ".zshrc")
    rc.write_text("export A=1")
    _setup(env)
    with rc.open("a") as file:
        file.write("export B=2\n")
    _setup(env, "--remove")
    assert rc.read_text() == "export A=1\nexport B=2\n"


def test_remove_of_a_block_the_user_placed_between_lines(env):
    rc = Path(env["HOME"], ".zshrc")
    _setup(env)
    block = rc.read_text()
    rc.write_text(f"export A=1\n{block}export B=2\n")
    _setup(env, "--remove")
    assert rc.read_text() == "export A=1\nexport B=2\n"


def test_setup_then_remove_still_restores_a_file_byte_for_byte(env):
    rc = Path(env["HOME"], ".zshrc")
    for original in (b"", b"export A=1", b"export A=1\n", b"a\n\n", b"\xff\r\n"):
        rc.write_bytes(original)
        _setup(env)
        _setup(env, "--remove")
        assert rc.read_bytes() == original


APPENDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    rc, stop, count = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    written = 0
    while written < count and not stop.exists():
        with rc.open("a") as file:  # what `echo ... >> ~/.zshrc` does: open, append, close
            file.write(f"appended {written}\\n")
        written += 1
        time.sleep(0.002)
    print(written)
    """
)


def test_lines_another_process_appends_during_setup_and_remove_survive(env, tmp_path):
    """Before: some of the lines appended while gorig rewrote the file were lost."""
    rc = Path(env["HOME"], ".zshrc")
    rc.write_text("# mine\n")
    stop = tmp_path / "stop"
    appender = subprocess.Popen(
        [sys.executable, "-c", APPENDER, str(rc), str(stop), "20000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        for run in range(40):
            _setup(env, *(["--remove"] if run % 2 else []))
    finally:
        stop.touch()
        written, _ = appender.communicate(timeout=60)
    appended = int(written)
    assert appended > 100, "the appender ran alongside gorig"
    lines = rc.read_text().splitlines()
    assert lines[0] == "# mine"
    assert BEGIN not in lines and END_LINE not in lines  # 20 setups, 20 removals
    found = [line for line in lines if line.startswith("appended ")]
    assert len(found) == appended  # none lost, none doubled
    assert sorted(found, key=lambda line: int(line.split()[1])) == [
        f"appended {number}" for number in range(appended)
    ]


def test_a_program_opening_the_replaced_file_during_the_check_does_not_end_gorig(env, tmp_path):
    """After the rename gorig takes a lease on the replaced file for an instant (does any
    program still have it open for writing?). A program opening that file for writing then
    makes the kernel signal gorig; with the default signal, SIGIO, that ended gorig."""
    argv = [*GORIG, "shell", "setup", "--shell", "zsh"]
    twin = {**env, "HOME": str(tmp_path / "twin"), "GORIG_HOME": str(tmp_path / "twin-gorig")}
    for home in (env["HOME"], twin["HOME"]):
        Path(home).mkdir(exist_ok=True)
        Path(home, ".zshrc").write_text("# mine\n")
    _, calls = trace(argv, twin, tmp_path / "trace.log", calls=("fcntl",))
    leases = [call for call in calls if "F_SETLEASE, F_RDLCK" in call.args]
    if not leases:
        pytest.skip("gorig takes no file lease here (not Linux, or a file system without them)")
    rc = Path(env["HOME"], ".zshrc")
    replaced = tmp_path / "zshrc-link"  # another name of the file gorig replaces
    os.link(rc, replaced)
    with Stopped(argv, env, leases[0], tmp_path / "stopped.log") as held:
        opener = subprocess.Popen([sys.executable, "-c", f"open({str(replaced)!r}, 'a')"])
        breaking = f":{replaced.stat().st_ino} "
        while not any(breaking in line and "BREAKING" in line for line in _locks()):
            assert opener.poll() is None, "the opener did not wait for gorig's lease"
            time.sleep(0.01)
        done = held.resume()
    assert done.returncode == 0, done.stderr
    assert opener.wait(timeout=60) == 0
    assert rc.read_text().startswith("# mine\n\n# >>> gorig >>>\n")


def _locks() -> list[str]:
    return Path("/proc/locks").read_text().splitlines()


def _setup_with_file_size_limit(env: dict[str, str], size: int) -> subprocess.CompletedProcess[str]:
    """``gorig shell setup`` where no file can grow past ``size`` bytes (RLIMIT_FSIZE)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return subprocess.run(
        [*GORIG, "shell", "setup", "--shell", "zsh"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
        preexec_fn=limit,
    )


def test_a_failed_write_changes_nothing_and_says_so(env):
    """The new content cannot be written (file size limit): no backup either.

    Before: the backup was made first, then the write failed with "nothing was changed".
    """
    rc = Path(env["HOME"], ".zshrc")
    original = b"export EDITOR=vi\n"
    rc.write_bytes(original)
    done = _setup_with_file_size_limit(env, 1024)  # the old file fits, the new one not
    assert done.returncode == 1
    assert done.stderr == f"gorig: error: cannot write {rc}: File too large; nothing was changed\n"
    assert rc.read_bytes() == original
    assert sorted(path.name for path in rc.parent.iterdir()) == [".zshrc"]  # no backup, no temp


def test_an_old_backup_survives_a_failed_write(env):
    rc = Path(env["HOME"], ".zshrc")
    backup = rc.with_name(rc.name + BACKUP_SUFFIX)
    backup.write_bytes(b"last week's rc\n")
    rc.write_bytes(b"x" * 900)
    done = _setup_with_file_size_limit(env, 1024)
    assert done.returncode == 1 and "nothing was changed" in done.stderr
    assert backup.read_bytes() == b"last week's rc\n" and rc.read_bytes() == b"x" * 900


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'["GOPROXY", "https://goproxy.cn"]', "must hold a JSON object of shells, not an array"),
        (b'{"zsh": ["GOPROXY"]}', "zsh: expected an object of variable names and string values"),
        (
            b'{"zsh": {"GOPROXY": 5}}',
            "zsh: GOPROXY must be a string, not a number",
        ),
        (
            b'{"bash": {"GOPROXY": null}}',
            "bash: GOPROXY must be a string, not null",
        ),
        (b'{"GO PROXY": "x"}', '"GO PROXY" is not a variable name'),
        (b'{"zsh": {"GOPROXY\\n": "x"}}', 'zsh: "GOPROXY\\n" is not a variable name'),
        (b'{"tcsh": {"GOPROXY": "x"}}', '"tcsh" is not a shell gorig knows (bash, zsh, fish)'),
        (b'{"GOPROXY": "caf\xe9"}', "is not UTF-8 text"),
        (b"[" * 100_000, "is not valid JSON"),
        (b'{"zsh": {"GOPROXY": "\\ud800"}}', "zsh: GOPROXY holds a NUL or a lone surrogate"),
    ],
)
def test_a_damaged_shell_env_file_is_one_line(env, content: bytes, expected: str):
    """Before: a non-UTF-8 value gave a UnicodeEncodeError, a NUL or a bad name went silently."""
    store = Path(env["GORIG_HOME"])
    store.mkdir()
    (store / "shell-env.json").write_bytes(content)
    for command in (["shell", "init", "bash"], ["shell", "setup", "--shell", "zsh"]):
        done = run_gorig(*command, env=env)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith(f"gorig: error: {store / 'shell-env.json'}")
        assert expected in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert not Path(env["HOME"], ".zshrc").exists()


def test_proxy_set_merges_into_the_shell_env_file(env):
    first = run_gorig("proxy", "set", "cn", "--shell", "zsh", env=env)
    assert first.returncode == 0, first.stderr
    second = run_gorig("proxy", "set", "cn", "--private", "corp.example", "--shell", "zsh", env=env)
    assert second.returncode == 0, second.stderr
    saved = json.loads(Path(env["GORIG_HOME"], "shell-env.json").read_text())["zsh"]
    assert saved["GOPRIVATE"] == "corp.example" and saved["GOPROXY"].startswith("https://")
    assert "export GOPRIVATE='corp.example'" in Path(env["HOME"], ".zshrc").read_text()


def test_two_proxy_sets_at_once_keep_both_shells(env):
    """proxy set --shell reads, merges and writes shell-env.json as one locked edit."""
    for round_ in range(6):
        runs = [
            subprocess.Popen(
                [*GORIG, "proxy", "set", target, "--shell", shell],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for target, shell in (("cn", "zsh"), ("io", "bash"), ("official", "fish"))
        ]
        for run in runs:
            assert run.wait(timeout=120) == 0, run.stderr.read() if run.stderr else ""
        saved = json.loads(Path(env["GORIG_HOME"], "shell-env.json").read_text())
        assert sorted(saved) == ["bash", "fish", "zsh"], (round_, saved)
        Path(env["GORIG_HOME"], "shell-env.json").unlink()


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["zsh", "bash", "fish", "GOPROXY", "A B"]) | st.text(max_size=6),
            inner,
            max_size=3,
        )
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    data=_JSON.map(lambda value: json.dumps(value).encode())
    | st.binary(max_size=200)
    | st.sampled_from([b'{"zsh": {"GOPROXY": "\\ud800x"}}', b'{"GOPROXY": "a\\u0000b"}'])
)
def test_any_shell_env_file_gives_string_exports_or_gorigs_error(data: bytes):
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        (home / shellcode.SHELL_ENV_FILE).write_bytes(data)
        for shell in shellcode.SHELLS:
            try:
                exports = shellcode.load_exports(home, shell)
            except GorigError as error:
                assert "\n" not in str(error)
                continue
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in exports.items())
            code = shellcode.init_code(
                shellcode.ShellPlan(shell, "/g", "linux-amd64", exports=exports)
            )
            code.encode("utf-8")  # printable as the shell reads it

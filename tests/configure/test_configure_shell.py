"""Real bash, zsh and fish load gorig's code from an empty environment and follow pins."""

# ruff: noqa: F811  (the store fixtures are imported by name and requested as arguments)

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from configure_store import DEFAULT, PINNED_A, PINNED_B, Store, clean_env, store  # noqa: F401

from conftest import run_gorig
from gorig.configure import shell as shellcode
from gorig.errors import GorigError
from gorig.host import HostFacts
from gorig.toolchains import explain

SHELLS = ["bash", "zsh", "fish"]


def _need(shell: str) -> str:
    found = shutil.which(shell)
    if found is None:
        pytest.skip(f"{shell} is not installed (scripts/test installs it)")
    return found


def _project_tree(root: Path) -> list[Path]:
    """Directories pinned every way the pin rules know, and their expected outcome."""
    files = {
        "dotfile/.go-version": f"{PINNED_A}\n",
        "dotfile/deep/er/x.txt": "",
        "gomod/go.mod": f"module example.com/b\n\ngo {PINNED_B}\n",
        "newer-toolchain/go.mod": f"module m\n\ngo 1.21\ntoolchain go{PINNED_B}\n",
        "older-toolchain/go.mod": f"module m\n\ngo {PINNED_A}\ntoolchain go{PINNED_B}\n",
        "series/.go-version": PINNED_A.rsplit(".", 1)[0] + "\n",
        "work/go.work": f"go {PINNED_B}\n\nuse ./mod\n",
        "work/mod/go.mod": f"module m\n\ngo {PINNED_A} // the module's own line\n",
        "work/other/x.txt": "",
        "comments/.go-version": f"# pinned for the release\n\ngo{PINNED_B}\r\n",
        "crlf/go.mod": f"module m\r\n\r\ngo {PINNED_A}\r\n",
        "missing/go.mod": "module m\n\ngo 1.99.1\n",
        "missing-series/.go-version": "1.23\n",
        "plain/x.txt": "",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, newline="")
    return sorted({(root / name).parent for name in files})


def _expected(directory: Path, env: dict[str, str], store: Store) -> str:
    """What gorig's own resolver says runs here: a toolchain name, or "default"."""
    facts = HostFacts(os="linux", kernel_arch="x86_64", userland_bits=64)
    found = explain(directory, env, facts)
    if found.pin.version is None or found.toolchain is None:
        return "default"
    return found.toolchain.root.name


def _observed(path: str, store: Store) -> str:
    if path == str(store.home / "bin" / "go"):
        return "default"
    return Path(path).parent.parent.name


def _script(shell: str, directories: list[Path]) -> str:
    lines = []
    for directory in directories:
        if shell == "fish":
            lines.append(f"cd '{directory}'; printf 'at\\t%s\\t%s\\n' $PWD (command -v go)")
        else:
            hook = "__gorig_hook; " if shell == "bash" else ""
            lines.append(
                f"cd '{directory}'; {hook}printf 'at\\t%s\\t%s\\n' \"$PWD\" \"$(command -v go)\""
            )
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("shell", SHELLS)
def test_hook_agrees_with_gorigs_resolver(shell, tmp_path, clean_env, store):
    """The plain-shell hook picks the same toolchain as gorig.toolchains.explain everywhere."""
    binary = _need(shell)
    directories = _project_tree(tmp_path / "projects")
    init = run_gorig("shell", "init", shell, env=clean_env)
    assert init.returncode == 0, init.stderr
    code = tmp_path / f"init.{shell}"
    code.write_text(init.stdout)
    order = directories
    script = f"source '{code}'\n" + _script(shell, order)
    done = subprocess.run(
        [binary, "-c", script],
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = [line.split("\t")[1:] for line in done.stdout.splitlines() if line.startswith("at\t")]
    seen = dict(rows)
    for directory in order:
        assert _observed(seen[str(directory)], store) == _expected(directory, clean_env, store), (
            directory.name
        )
    # A pin to a toolchain that is not installed says so once, with the command that fixes it.
    assert done.stderr.count("gorig install 1.99.1") == 1


def _interactive(shell: str, env: dict[str, str], pinned: list[Path], outside: Path) -> list[str]:
    """Run an interactive shell (it reads its own rc files) and type commands into it."""
    if shell == "fish":
        show = "echo result (command -v go) (go env GOVERSION) (go env GOPROXY)"
    else:
        show = 'echo result "$(command -v go)" "$(go env GOVERSION)" "$(go env GOPROXY)"'
    typed = "".join(f"cd '{d}'\n{show}\n" for d in [outside, *pinned, outside])
    done = subprocess.run(
        [_need(shell), "-i"],
        input=typed,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=outside,
    )
    assert done.returncode == 0, done.stderr
    return [
        line.split(" ", 1)[1] for line in done.stdout.splitlines() if line.startswith("result ")
    ]


def _workspace_layouts(root: Path) -> list[tuple[Path, dict[str, str]]]:
    """Directories and GOWORK settings where Go's toolchain choice is exact: (cwd, env)."""
    files = {
        "ws/go.work": f"go {PINNED_B}\ntoolchain go{PINNED_A}\n\nuse ./mod\n",
        "ws/mod/go.mod": f"module m\n\ngo {PINNED_B}\n",
        "elsewhere/other.work": f"go {DEFAULT}\n",
        "older-toolchain/go.mod": f"module m\n\ngo {DEFAULT}\ntoolchain go{PINNED_A}\n",
        "newer-toolchain/go.mod": f"module m\n\ngo {PINNED_B}\ntoolchain go{PINNED_A}\n",
        "go-line/go.mod": f"module m\n\ngo {PINNED_A}\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    goenv = root / "go-env"
    goenv.write_text(f"GOTOOLCHAIN=go{PINNED_A}\n")  # what `go env -w GOTOOLCHAIN=...` writes
    return [
        (root / "ws" / "mod", {}),  # go.work above go.mod: workspace mode
        (root / "ws" / "mod", {"GOWORK": "off"}),
        (root / "ws" / "mod", {"GOWORK": str(root / "elsewhere" / "other.work")}),
        (root / "older-toolchain", {}),
        (root / "newer-toolchain", {}),
        (root / "go-line", {}),
        (root / "older-toolchain", {"GOTOOLCHAIN": f"go{PINNED_B}"}),  # exact: it wins
        (root / "go-line", {"GOTOOLCHAIN": "", "GOENV": str(goenv)}),  # by go env -w
    ]


@pytest.fixture
def oldest_default(tmp_path: Path, store: Store) -> Store:
    """A private store holding the shared store's toolchains (hard-linked) whose default is
    the oldest, so Go's own choice (never below the go it starts as) can be any of them."""
    import os

    home = tmp_path / "oldest-default"
    (home / "bin").mkdir(parents=True)
    for version in (PINNED_B, PINNED_A, DEFAULT):
        name = store.toolchain(version).name
        shutil.copytree(store.toolchain(version), home / "toolchains" / name,
                        copy_function=os.link, symlinks=True)  # fmt: skip
        (home / "bin" / f"go{version}").symlink_to(f"../toolchains/{name}/bin/go")
    (home / "current").symlink_to(f"toolchains/{store.toolchain(PINNED_B).name}")
    (home / "bin" / "go").symlink_to("../current/bin/go")
    return Store(home, store.platform)


def _go_chooses(directory: Path, env: dict[str, str], store: Store) -> str:
    """The real go command as the oracle: the default go, switching through gorig's goX.Y.Z
    links (GOTOOLCHAIN=path), says which toolchain it runs here."""
    env = {"GOTOOLCHAIN": "path", **env, "PATH": f"{store.home / 'bin'}:/usr/bin:/bin"}
    done = subprocess.run([str(store.home / "bin" / "go"), "env", "GOVERSION"], cwd=directory,
                          env=env, capture_output=True, text=True, check=True)  # fmt: skip
    return done.stdout.strip()


@pytest.mark.parametrize("shell", SHELLS)
def test_which_and_the_hook_choose_what_go_chooses(shell, tmp_path, clean_env, oldest_default):
    """go.work above go.mod, GOWORK=off, GOWORK=FILE, toolchain lines older and newer than
    the go line, a go line as a minimum, GOTOOLCHAIN in the environment and by go env -w:
    gorig which and the hook agree with Go."""
    store = oldest_default
    clean_env = {**clean_env, "GORIG_HOME": str(store.home)}
    code = tmp_path / f"init.{shell}"
    code.write_text(run_gorig("shell", "init", shell, env=clean_env).stdout)
    for directory, extra in _workspace_layouts(tmp_path / "layouts"):
        env = {**clean_env, "GOTOOLCHAIN": "local", **extra}
        chosen_by_go = _go_chooses(directory, {**clean_env, **extra}, store)
        which = json.loads(run_gorig("which", "--json", env=env, cwd=directory).stdout)
        assert which["version"] == chosen_by_go, (directory.name, extra)
        done = subprocess.run(
            [_need(shell), "-c", f"source '{code}'\n" + _script(shell, [directory])],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        [row] = [line.split("\t")[2] for line in done.stdout.splitlines() if line.startswith("at")]
        found = _observed(row, store)
        hook = "go" + PINNED_B if found == "default" else found.split(".linux")[0]
        assert hook == chosen_by_go, (shell, directory.name, extra, done.stderr)


def test_a_go_line_is_a_minimum_the_default_satisfies(tmp_path, clean_env, store):
    """go 1.22.0 with no 1.22.0 installed: the default (newer) runs, and --explain says why;
    a go line newer than the default takes the newest installed that satisfies it."""
    project = tmp_path / "p"
    project.mkdir()
    (project / "go.mod").write_text("module m\n\ngo 1.22.0\n")
    explained = run_gorig("which", "--explain", env=clean_env, cwd=project)
    assert explained.returncode == 0, explained.stderr
    assert explained.stdout.splitlines()[-1] == (
        f"a go line is a minimum, as for Go: the default (go{DEFAULT}) satisfies it"
    )
    vscode = run_gorig("ide", "vscode", project, env=clean_env)
    assert vscode.returncode == 0, vscode.stderr
    (project / "go.mod").write_text("module m\n\ngo 1.99.0\n")
    missing = run_gorig("which", env=clean_env, cwd=project)
    assert missing.returncode == 1
    assert "asks for Go 1.99.0 or newer, and no installed toolchain is" in missing.stderr
    (project / "go.mod").write_text(f"module m\n\ngo {PINNED_A}\ntoolchain go{PINNED_B}\n")
    exact = json.loads(run_gorig("which", "--json", env=clean_env, cwd=project).stdout)
    assert exact["version"] == f"go{DEFAULT}"  # the go line, a minimum; the toolchain is older


@pytest.mark.parametrize("shell", SHELLS)
def test_setup_then_interactive_shell_follows_pins(shell, tmp_path, clean_env, store):
    env = {**clean_env, "GOTOOLCHAIN": "local"}  # a wrong pick shows, never downloads
    setup = run_gorig("shell", "setup", "--shell", shell, env=env)
    assert setup.returncode == 0, setup.stderr
    proxy = run_gorig("proxy", "set", "cn", "--shell", shell, env=env)
    assert proxy.returncode == 0, proxy.stderr
    one, two = tmp_path / "one", tmp_path / "two" / "cmd"
    two.mkdir(parents=True)
    one.mkdir()
    (one / ".go-version").write_text(f"{PINNED_A}\n")
    (two.parent / "go.mod").write_text(f"module example.com/two\n\ngo {PINNED_B}\n")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    rows = _interactive(shell, env, [one, two], outside)
    gorig_go = str(store.home / "bin" / "go")
    proxy_url = "https://goproxy.cn,direct"
    assert rows == [
        f"{gorig_go} go{DEFAULT} {proxy_url}",
        f"{store.toolchain(PINNED_A)}/bin/go go{PINNED_A} {proxy_url}",
        # go.mod's go line is a minimum the (newer) default satisfies, as for Go
        f"{store.toolchain(DEFAULT)}/bin/go go{DEFAULT} {proxy_url}",
        f"{gorig_go} go{DEFAULT} {proxy_url}",
    ]


def test_path_order_and_gopath_left_alone(tmp_path, clean_env, store):
    """gorig's bin, then GOBIN's fallback GOPATH/bin, ahead of /usr/local/bin; no GOPATH set."""
    env = {**clean_env, "PATH": "/usr/local/bin:/usr/bin:/bin"}
    code = run_gorig("shell", "init", "bash", env=env).stdout
    show = 'source /dev/stdin; echo "$PATH"; echo "GOPATH=${GOPATH-unset}"'
    done = subprocess.run(
        [_need("bash"), "-c", show], input=code, env=env, capture_output=True, text=True, check=True
    )
    path, gopath = done.stdout.splitlines()
    home = env["HOME"]
    assert path == f"{store.home}/bin:{home}/go/bin:/usr/local/bin:/usr/bin:/bin"
    assert gopath == "GOPATH=unset"
    env["GOPATH"] = f"{tmp_path}/gp1:{tmp_path}/gp2"
    done = subprocess.run(
        [_need("bash"), "-c", "source /dev/stdin; source /dev/stdin; echo $PATH"],
        input=code,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    # Sourcing twice changes nothing: every entry appears once.
    assert (
        done.stdout.strip() == f"{store.home}/bin:{tmp_path}/gp1/bin:/usr/local/bin:/usr/bin:/bin"
    )


DARWIN_ARM = HostFacts(
    os="darwin",
    kernel_arch="x86_64",
    userland_bits=64,
    sysctl={"hw.optional.arm64": "1", "sysctl.proc_translated": "1"},
    env={"HOME": "/Users/ada", "SHELL": "/bin/bash"},
)


def test_macos_facts_pick_rc_files_and_homebrew_order():
    """Recorded Apple Silicon facts (a Rosetta shell): arm64 toolchains, bash_profile too."""
    plan = shellcode.plan_for("bash", DARWIN_ARM, {})
    assert plan.platform == "darwin-arm64"
    assert plan.homebrew_first
    code = shellcode.init_code(plan)
    # Homebrew's arm64 prefix goes first, then gorig's entries are put ahead of it.
    assert code.index("__gorig_path_prepend /opt/homebrew/bin") < code.index(
        '__gorig_path_prepend "$__gorig_home/bin"'
    )
    assert shellcode.rc_files("bash", DARWIN_ARM) == [
        Path("/Users/ada/.bashrc"),
        Path("/Users/ada/.bash_profile"),
    ]
    linux = HostFacts(
        os="linux",
        kernel_arch="x86_64",
        userland_bits=64,
        env={"HOME": "/home/ada", "XDG_CONFIG_HOME": "/cfg", "ZDOTDIR": "/z"},
    )
    assert shellcode.rc_files("bash", linux) == [Path("/home/ada/.bashrc")]
    assert shellcode.rc_files("zsh", linux) == [Path("/z/.zshrc")]
    assert shellcode.rc_files("fish", linux) == [Path("/cfg/fish/conf.d/gorig.fish")]
    assert not shellcode.plan_for("bash", linux, {}).homebrew_first


def test_setup_keeps_the_rc_file_and_remove_restores_it(clean_env):
    rc = Path(clean_env["HOME"]) / ".zshrc"
    original = b"# mine\nexport EDITOR=vi\n\xff not utf-8"
    rc.write_bytes(original)
    first = run_gorig("shell", "setup", "--shell", "zsh", "--json", env=clean_env)
    assert first.returncode == 0, first.stderr
    assert rc.read_bytes().startswith(original)
    assert Path(clean_env["HOME"], ".zshrc.gorig-backup").read_bytes() == original
    again = run_gorig("shell", "setup", "--shell", "zsh", env=clean_env)
    assert "already up to date" in again.stdout
    removed = run_gorig("shell", "setup", "--shell", "zsh", "--remove", env=clean_env)
    assert removed.returncode == 0
    assert rc.read_bytes() == original


def test_setup_ends_with_how_to_load_the_block_and_that_works(clean_env, store):
    done = run_gorig("shell", "setup", "--shell", "zsh", env=clean_env)
    rc = Path(clean_env["HOME"]) / ".zshrc"
    assert done.stdout.splitlines()[-1] == f"to load it: open a new shell, or run: source {rc}"
    command = done.stdout.splitlines()[-1].split("run: ", 1)[1]
    loaded = subprocess.run(
        [_need("zsh"), "-f", "-c", f"{command}; command -v go"],
        env=clean_env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert loaded.stdout.strip() == str(store.home / "bin" / "go"), loaded.stderr
    again = run_gorig("shell", "setup", "--shell", "zsh", env=clean_env)
    assert "to load it" not in again.stdout  # nothing changed, nothing to load
    removed = run_gorig("shell", "setup", "--shell", "zsh", "--remove", env=clean_env)
    assert removed.stdout.splitlines()[-1].startswith("open a new shell")


def test_proxy_set_for_one_shell_leaves_the_others_their_own(clean_env, tmp_path):
    env = {**clean_env, "GORIG_HOME": str(tmp_path / "own")}  # the shared store stays read-only
    for preset, shell in (("cn", "zsh"), ("io", "bash")):
        done = run_gorig("proxy", "set", preset, "--shell", shell, env=env)
        assert done.returncode == 0, done.stderr

    def exports(shell: str) -> dict[str, str]:
        return json.loads(run_gorig("shell", "init", shell, "--json", env=env).stdout)["exports"]

    assert exports("zsh")["GOPROXY"] == "https://goproxy.cn,direct"
    assert exports("bash")["GOPROXY"] == "https://goproxy.io,direct"
    assert exports("fish") == {}
    zshrc = (Path(env["HOME"]) / ".zshrc").read_text()
    assert "export GOPROXY='https://goproxy.cn,direct'" in zshrc and "goproxy.io" not in zshrc


def test_exports_written_for_every_shell_by_older_gorig_still_count(tmp_path):
    (tmp_path / shellcode.SHELL_ENV_FILE).write_text('{"GOPROXY": "https://goproxy.cn"}')
    assert shellcode.load_exports(tmp_path, "fish") == {"GOPROXY": "https://goproxy.cn"}
    (tmp_path / shellcode.SHELL_ENV_FILE).write_text('["GOPROXY"]')
    with pytest.raises(GorigError, match="must hold a JSON object of shells"):
        shellcode.load_exports(tmp_path, "fish")


def test_unknown_shell_is_one_line(clean_env):
    done = run_gorig("shell", "init", "tcsh", env=clean_env)
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        == "gorig: error: unsupported shell 'tcsh'; choose one of: bash, zsh, fish"
    )
    done = run_gorig("shell", "setup", env={**clean_env, "SHELL": "/bin/ksh"})
    assert done.returncode == 1 and "pass --shell" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("shell", SHELLS)
def test_hook_starts_no_process(shell, tmp_path, clean_env, store):
    """Loading the code and running the hook (cached, uncached, after cd) forks nothing."""
    binary = _need(shell)
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (scripts/test installs it)")
    deep = tmp_path / "p" / "a" / "b" / "c"
    deep.mkdir(parents=True)
    (tmp_path / "p" / "go.mod").write_text(f"module m\n\ngo 1.21\ntoolchain go{PINNED_A}\n")
    code = tmp_path / f"init.{shell}"
    code.write_text(run_gorig("shell", "init", shell, env=clean_env).stdout)
    if shell == "fish":
        calls = "for i in 1 2 3; __gorig_hook; set -g __gorig_pwd; __gorig_hook; end"
        calls += f"; cd /; cd '{deep}'"
    else:
        calls = (
            f"for i in 1 2 3; do __gorig_hook; __gorig_pwd=; __gorig_hook; done; "
            f"cd /; __gorig_hook; cd '{deep}'; __gorig_hook"
        )
    log = tmp_path / "trace"
    active = store.toolchain(PINNED_A) / "bin"  # the pin was followed
    subprocess.run(
        [
            strace,
            "-f",
            "-qq",
            "-e",
            "trace=process",
            "-o",
            str(log),
            binary,
            "-c",
            f"source '{code}'; {calls}; [ \"$__gorig_active\" = '{active}' ]",
        ],
        env=clean_env,
        cwd=deep,
        check=True,
        timeout=120,
    )
    lines = log.read_text().splitlines()
    execs = [line for line in lines if "execve(" in line]
    forks = [
        line
        for line in lines
        if re.search(r"\b(v?fork|clone3?)\(", line) and "CLONE_THREAD" not in line
    ]
    assert len(execs) == 1 and binary.rsplit("/", 1)[-1] in execs[0]  # only the shell itself
    assert forks == []


def test_macos_setup_writes_bashrc_and_bash_profile(tmp_path, store):
    """With recorded Apple Silicon facts, setup writes both bash files, arm64 and Homebrew."""
    home = tmp_path / "Users" / "ada"
    home.mkdir(parents=True)
    (home / ".bash_profile").write_text("[ -r ~/.bashrc ] && . ~/.bashrc\n")
    facts = HostFacts.from_dict(
        {**DARWIN_ARM.to_dict(), "env": {"HOME": str(home), "GORIG_HOME": str(store.home)}}
    )
    changes = shellcode.setup("bash", facts)
    assert [change.path for change in changes] == [home / ".bashrc", home / ".bash_profile"]
    profile = (home / ".bash_profile").read_text()
    assert profile.startswith("[ -r ~/.bashrc ] && . ~/.bashrc\n\n# >>> gorig >>>\n")
    assert "__gorig_platform='darwin-arm64'" in profile
    assert "/opt/homebrew/bin" in (home / ".bashrc").read_text()
    shellcode.setup("bash", facts, remove=True)
    assert (home / ".bash_profile").read_text() == "[ -r ~/.bashrc ] && . ~/.bashrc\n"


def _pin_files() -> dict[str, list[str | None]]:
    """Contents each pin file may have in a random tree (None: no such file)."""
    a, b = PINNED_A, PINNED_B
    a_series, b_series = a.rsplit(".", 1)[0], b.rsplit(".", 1)[0]
    return {
        ".go-version": [None] * 6
        + [
            f"{a}\n",
            f"go{b}",
            f"{a_series}\n",
            f"{b_series}\n",
            "1.99.0\n",
            f"# c\n\n{a}\n",
            f"{b} # why\n",
            "\n",
        ],
        "go.work": [None] * 8 + [f"go {b}\n\nuse .\n", f"go 1.21\ntoolchain go{a}\n"],
        "go.mod": [None] * 5
        + [
            f"module m\n\ngo {a}\n",
            f"module m\ngo 1.21\ntoolchain go{b}\n",
            f"module m\ngo {a}\ntoolchain go{b}\n",
            "module m\ngo 1.26\n",
            "module m\n",
            f"module m\r\ngo {b}\r\n",
            f"module m\ngo {b}\ntoolchain default\n",
        ],
    }


def _random_tree(root: Path, seed: int) -> list[Path]:
    """A random tree of directories holding random pin files; every directory, listed."""
    rng = random.Random(seed)
    choices = _pin_files()
    directories, queue = [], [(root, 0)]
    while queue:
        directory, depth = queue.pop()
        directory.mkdir(parents=True, exist_ok=True)
        directories.append(directory)
        for name, contents in choices.items():
            text = rng.choice(contents)
            if text is not None:
                (directory / name).write_text(text, newline="")
        if depth < 3:
            queue += [(directory / f"d{i}", depth + 1) for i in range(rng.randint(1, 3))]
    return directories


@pytest.mark.parametrize(
    "variable", ["", "GOWORK=off", "GORIG_GO_VERSION=go" + PINNED_A.rsplit(".", 1)[0]]
)
@pytest.mark.parametrize("shell", SHELLS)
def test_hook_agrees_with_the_resolver_on_random_trees(shell, variable, tmp_path, clean_env, store):
    """Random trees of pin files (fixed seeds): the hook and `explain` pick the same everywhere."""
    binary = _need(shell)
    env = {**clean_env, **dict([variable.split("=", 1)] if variable else [])}
    directories = [d for seed in (1, 2, 3) for d in _random_tree(tmp_path / f"t{seed}", seed)]
    code = tmp_path / f"init.{shell}"
    code.write_text(run_gorig("shell", "init", shell, env=env).stdout)
    script = f"source '{code}'\n" + _script(shell, directories)
    done = subprocess.run(
        [binary, "-c", script], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    rows = [line.split("\t")[1:] for line in done.stdout.splitlines() if line.startswith("at\t")]
    seen = dict(rows)
    mismatches = [
        (str(d.relative_to(tmp_path)), _observed(seen[str(d)], store), _expected(d, env, store))
        for d in directories
        if _observed(seen[str(d)], store) != _expected(d, env, store)
    ]
    assert mismatches == []
    assert len(directories) > 30

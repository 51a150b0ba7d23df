"""gorig ide: VS Code merges keep the user's comments and keys; GoLand options from host facts."""

# ruff: noqa: F811  (the store fixtures are imported by name and requested as arguments)

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from configure_store import (  # noqa: F401
    DEFAULT,
    PINNED_A,
    Store,
    clean_env,
    goland_install,
    store,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_gorig
from gorig.configure import goland, jsonc
from gorig.errors import GorigError
from gorig.host import HostFacts
from support import gobin

USER_SETTINGS = """// Workspace settings: mine.
{
    /* editor */
    "editor.tabSize": 4, // I like four
    "go.goroot": "/usr/local/go",
    "gopls": {
        "ui.semanticTokens": false, // keep my choice
    },
    "files.exclude": {"**/.git": true,},
}
"""

USER_LAUNCH = """{
    // my own debug target
    "version": "0.2.0",
    "configurations": [
        {"name": "Attach", "type": "go", "request": "attach", "mode": "local",},
    ],
}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "cmd" / "srv").mkdir(parents=True)
    (root / "go.mod").write_text(f"module example.com/proj\n\ngo 1.21\ntoolchain go{PINNED_A}\n")
    (root / "cmd" / "srv" / "main.go").write_text("package main\n\nfunc main() {}\n")
    return root


def test_vscode_merge_keeps_comments_trailing_commas_and_keys(project, clean_env, store):
    vscode = project / ".vscode"
    vscode.mkdir()
    (vscode / "settings.json").write_text(USER_SETTINGS)
    (vscode / "launch.json").write_text(USER_LAUNCH)
    done = run_gorig("ide", "vscode", project, env=clean_env)
    assert done.returncode == 0, done.stderr
    text = (vscode / "settings.json").read_text()
    # Every line of the user's file survives, except the toolchain line gorig owns.
    kept = [line for line in USER_SETTINGS.splitlines() if '"go.goroot"' not in line]
    assert all(line in text.splitlines() for line in kept)
    values = jsonc.loads(text)
    root = store.toolchain(PINNED_A)
    assert values["go.goroot"] == str(root)
    assert values["go.alternateTools"] == {"go": str(root / "bin" / "go")}
    assert values["go.toolsEnvVars"]["GOTOOLCHAIN"] == "local"
    assert values["gopls"]["ui.semanticTokens"] is False  # the user's choice stays
    assert values["gopls"]["ui.completion.usePlaceholders"] is True
    assert values["files.exclude"] == {"**/.git": True}
    # The go VS Code will run is the pinned toolchain itself.
    version = subprocess.run(
        [values["go.alternateTools"]["go"], "env", "GOVERSION"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert version == f"go{PINNED_A}"
    launch_text = (vscode / "launch.json").read_text()
    assert "// my own debug target" in launch_text
    launch = jsonc.loads(launch_text)
    names = [item["name"] for item in launch["configurations"]]
    assert names == ["Attach", "Launch package (gorig)", "Test current package (gorig)"]
    assert launch["configurations"][1]["program"] == "${workspaceFolder}/cmd/srv"
    assert launch["configurations"][2]["mode"] == "test"
    assert (vscode / "settings.json.gorig-backup").read_text() == USER_SETTINGS
    # A second run changes nothing.
    again = run_gorig("ide", "vscode", project, "--json", env=clean_env)
    assert [row["changed"] for row in json.loads(again.stdout)["changes"]] == [False, False]


def _go_program(name: str, out_dir: Path, tmp_path: Path, *, goarch: str, go: str) -> Path:
    """A real Go program called ``name`` (standing in for dlv), built for ``goarch``."""
    source = tmp_path / f"src-{name}-{goarch}-{go}"
    source.mkdir()
    (source / "go.mod").write_text(f"module example.com/{name}\n\ngo 1.21\n")
    (source / "main.go").write_text("package main\n\nfunc main() {}\n")
    out_dir.mkdir(parents=True, exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GOCACHE": str(gobin.GOCACHE),
           "GOTOOLCHAIN": "local", "GOARCH": goarch, "CGO_ENABLED": "0"}  # fmt: skip
    subprocess.run([str(gobin.go_binary(go)), "build", "-o", str(out_dir / name), "."],
                   cwd=source, env=env, check=True, capture_output=True)  # fmt: skip
    return out_dir / name


@pytest.mark.toolchain
def test_vscode_checks_dlv_and_gopls_in_gobin(project, tmp_path, clean_env, store):
    """A dlv built for the wrong architecture and a missing gopls are named, with the go
    install lines for the project's own go; a native dlv built by an older Go is too."""
    gobin_dir = Path(clean_env["HOME"]) / "go" / "bin"
    _go_program("dlv", gobin_dir, tmp_path, goarch="arm64", go=gobin.GO_1_27)
    done = run_gorig("ide", "vscode", project, "--json", env=clean_env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["tools"] == [
        {"name": "dlv", "path": str(gobin_dir / "dlv"),
         "problem": f"{gobin_dir / 'dlv'} is built for linux/arm64, not this machine's "
                    "linux/amd64"},
        {"name": "gopls", "path": str(gobin_dir / "gopls"),
         "problem": f"gopls is not installed in {gobin_dir}"},
    ]  # fmt: skip
    go = store.toolchain(PINNED_A) / "bin" / "go"
    assert report["install"] == [
        f"GOTOOLCHAIN=local {go} install github.com/go-delve/delve/cmd/dlv@latest",
        f"GOTOOLCHAIN=local {go} install golang.org/x/tools/gopls@latest",
    ]
    (gobin_dir / "dlv").unlink()
    _go_program("dlv", gobin_dir, tmp_path, goarch="amd64", go=gobin.GO_1_22)
    text = run_gorig("ide", "vscode", project, env=clean_env).stdout
    series = ".".join(PINNED_A.split(".")[:2])
    old = f"was built by go{gobin.GO_1_22}, older than the project's Go {series}"
    assert f"dlv: {gobin_dir / 'dlv'} {old}" in text
    _go_program("gopls", gobin_dir, tmp_path, goarch="amd64", go=PINNED_A)
    (gobin_dir / "dlv").unlink()
    _go_program("dlv", gobin_dir, tmp_path, goarch="amd64", go=gobin.GO_1_27)
    fine = json.loads(run_gorig("ide", "vscode", project, "--json", env=clean_env).stdout)
    assert [one["problem"] for one in fine["tools"]] == [None, None] and fine["install"] == []


@pytest.mark.toolchain
def test_vscode_install_tools_runs_go_install_and_reports_its_failure(project, clean_env, store):
    env = {**clean_env, "GOPROXY": "off", "GOFLAGS": "-modcacherw"}
    done = run_gorig("ide", "vscode", project, "--install-tools", env=env)
    assert done.returncode == 1
    assert "gorig: error: go install failed: install github.com/go-delve/delve/cmd/dlv@latest:" in (
        done.stderr
    )
    assert "GOPROXY=off" in done.stderr  # Go's own reason


def test_vscode_creates_files_and_follows_the_default(tmp_path, clean_env, store):
    plain = tmp_path / "plain"
    plain.mkdir()
    done = run_gorig("ide", "vscode", plain, env=clean_env)
    assert done.returncode == 0, done.stderr
    values = json.loads((plain / ".vscode" / "settings.json").read_text())  # plain JSON too
    assert values["go.goroot"] == str(store.home / "current")
    go = values["go.alternateTools"]["go"]
    assert (
        subprocess.run(
            [go, "env", "GOVERSION"], capture_output=True, text=True, check=True
        ).stdout.strip()
        == f"go{DEFAULT}"
    )


def test_vscode_pin_not_installed_is_one_line(tmp_path, clean_env):
    (tmp_path / ".go-version").write_text("1.19.4\n")
    done = run_gorig("ide", "vscode", tmp_path, env=clean_env)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"gorig: error: {tmp_path / '.go-version'} asks for go1.19.4, which is not installed; "
        "run `gorig install 1.19.4`"
    )


def test_broken_settings_are_refused_with_their_position(project, clean_env):
    (project / ".vscode").mkdir()
    broken = '{\n  "a": 1,\n  "b" 2\n}\n'
    (project / ".vscode" / "settings.json").write_text(broken)
    done = run_gorig("ide", "vscode", project, env=clean_env)
    assert done.returncode == 1
    assert "settings.json:3:7: expected ':' after the key" in done.stderr
    assert (project / ".vscode" / "settings.json").read_text() == broken


_keys = st.text(alphabet="abcdefg.", min_size=1, max_size=6)
_scalars = st.one_of(st.integers(-5, 5), st.booleans(), st.none(), st.text(max_size=5))
_values = st.recursive(
    _scalars,
    lambda inner: st.dictionaries(_keys, inner, max_size=3) | st.lists(inner, max_size=3),
    max_leaves=6,
)


def _jsonc_dump(value, comments: bool, trailing: bool) -> str:
    """Write ``value`` as JSONC with comments and trailing commas sprinkled in."""
    note = " // note\n" if comments else "\n"
    comma = "," if trailing else ""
    if isinstance(value, dict):
        if not value:
            return "{ /* empty */ }" if comments else "{}"
        body = ",\n".join(
            f"{json.dumps(k)}: {_jsonc_dump(v, comments, trailing)}" for k, v in value.items()
        )
        return "{" + note + body + comma + "\n}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[" + ", ".join(_jsonc_dump(v, comments, trailing) for v in value) + comma + "]"
    return json.dumps(value)


@settings(max_examples=200, deadline=None)
@given(
    document=st.dictionaries(_keys, _values, max_size=4),
    comments=st.booleans(),
    trailing=st.booleans(),
    key=_keys,
    value=_values,
)
def test_jsonc_edits_keep_everything_else(document, comments, trailing, key, value):
    """Setting a key changes that key only: all other values read back the same."""
    text = _jsonc_dump(document, comments, trailing)
    assert jsonc.loads(text) == document
    edited = jsonc.set_path(text, ("new", key), value, overwrite=True)
    result = jsonc.loads(edited)
    expected = dict(document)
    inner = expected.get("new")
    expected["new"] = {**inner, key: value} if isinstance(inner, dict) else {key: value}
    assert result == expected
    assert edited.count("// note") == text.count("// note")


def _facts(os_name: str, arch: str, memory_gib: int, **sysctl: str) -> HostFacts:
    return HostFacts(
        os=os_name,
        kernel_arch=arch,
        userland_bits=64,
        sysctl=sysctl,
        memory_bytes=memory_gib << 30,
    )


@pytest.mark.parametrize(
    ("facts", "jdk", "heap", "collector"),
    [
        (_facts("darwin", "arm64", 32, **{"hw.optional.arm64": "1"}), 21, 6144, "ZGC"),
        (_facts("darwin", "x86_64", 64, **{"hw.optional.arm64": "1"}), 17, 8192, "G1"),
        (_facts("linux", "x86_64", 8), 21, 2048, "G1"),
        (_facts("linux", "aarch64", 16), 21, 4096, "G1"),
        (_facts("windows", "arm64", 64), 21, 8192, "G1"),
    ],
)
def test_goland_options_follow_memory_jdk_and_arch(facts, jdk, heap, collector):
    options = goland.jvm_options(facts, jdk)
    assert (options.heap_mb, options.collector) == (heap, collector)
    assert f"-Xmx{heap}m" in options.options


def test_goland_notices_rosetta():
    facts = _facts(
        "darwin", "x86_64", 16, **{"hw.optional.arm64": "1", "sysctl.proc_translated": "1"}
    )
    assert any("Rosetta" in note for note in goland.jvm_options(facts).notes)


def test_goland_writes_a_block_into_vmoptions(tmp_path, clean_env):
    vmoptions = tmp_path / "goland64.vmoptions"
    original = "-Xss2m\n-Dide.no.platform.update=true"
    vmoptions.write_text(original)
    done = run_gorig("ide", "goland", "--file", vmoptions, env=clean_env)
    assert done.returncode == 0, done.stderr
    text = vmoptions.read_text()
    assert text.startswith(original + "\n# >>> gorig >>>\n")
    assert "-Xmx" in text and text.endswith("# <<< gorig <<<\n")
    assert (
        run_gorig("ide", "goland", "--file", vmoptions, "--remove", env=clean_env).returncode == 0
    )
    assert vmoptions.read_text() == original
    printed = run_gorig("ide", "goland", "--json", env=clean_env)
    assert json.loads(printed.stdout)["options"][1].startswith("-Xmx")


BIG_MAC = _facts("darwin", "arm64", 32, **{"hw.optional.arm64": "1"})


def test_goland_installs_with_different_runtimes_get_their_own_options(tmp_path, clean_env):
    """GoLand 2022.3 (JDK 17, standalone) and 2024.1 (JDK 21, Toolbox): each options file gets
    only what its runtime accepts; JDK 17 never sees -XX:+ZGenerational."""
    home = Path(clean_env["HOME"])
    goland_install(home / "GoLand-2022.3.3", "2022.3.3", "17.0.6")
    goland_install(home / ".local/share/JetBrains/Toolbox/apps/goland", "2024.1.4", "21.0.3")
    config = home / ".config" / "JetBrains"
    installs = goland.find_installs(home, "linux", clean_env)
    assert [(one.version, one.jdk, one.vmoptions) for one in installs] == [
        ("2024.1.4", 21, str(config / "GoLand2024.1" / "goland64.vmoptions")),
        ("2022.3.3", 17, str(config / "GoLand2022.3" / "goland64.vmoptions")),
    ]
    new, old = (goland.options_for(BIG_MAC, one, None).options for one in installs)
    assert "-XX:+ZGenerational" in new and "-XX:+ZGenerational" not in old
    assert "-XX:+UseG1GC" in old

    done = run_gorig("ide", "goland", "--write", env=clean_env)
    assert done.returncode == 0, done.stderr
    written = (config / "GoLand2022.3" / "goland64.vmoptions").read_text()
    assert "# GoLand 2022.3.3 bundles JDK 17\n" in written and "ZGenerational" not in written
    assert (
        "GoLand 2024.1.4 bundles JDK 21"
        in (config / "GoLand2024.1" / "goland64.vmoptions").read_text()
    )
    # --file inside a known config directory follows that install's runtime too.
    old_file = config / "GoLand2022.3" / "goland64.vmoptions"
    old_file.write_text("-Xss2m\n")
    by_file = run_gorig("ide", "goland", "--file", old_file, env=clean_env)
    assert by_file.returncode == 0, by_file.stderr
    assert "bundles JDK 17" in old_file.read_text() and "ZGenerational" not in old_file.read_text()


def test_goland_on_a_mac_and_with_nothing_found(tmp_path):
    home = tmp_path / "Users" / "ada"
    goland_install(home / "Applications" / "GoLand.app", "2023.3.6", "17.0.11", mac=True)
    [found] = goland.find_installs(home, "darwin", {})
    support = home / "Library" / "Application Support" / "JetBrains" / "GoLand2023.3"
    assert (found.version, found.jdk, found.vmoptions) == (
        "2023.3.6", 17, str(support / "goland.vmoptions"))  # fmt: skip
    unknown = goland.options_for(BIG_MAC, None, None)
    assert "-XX:+ZGenerational" not in unknown.options and "-XX:+UseG1GC" in unknown.options
    assert (
        unknown.notes[-1] == "runtime unknown: only options every supported GoLand runtime accepts"
    )


def test_jsonc_rejects_non_objects():
    with pytest.raises(GorigError, match="not a JSON object"):
        jsonc.set_path("[1, 2]", ("a",), 1, overwrite=True)


def test_jsonc_keeps_a_byte_order_mark_and_names_bad_strings():
    edited = jsonc.set_path('\ufeff{\n    "a": 1\n}\n', ("b",), 2, overwrite=False)
    assert edited == '\ufeff{\n    "a": 1,\n    "b": 2\n}\n'
    with pytest.raises(GorigError, match=r"s\.json:1:7: bad string"):
        jsonc.loads('{"a": "\\q"}', "s.json")

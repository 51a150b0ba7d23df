"""The store's names, activation rules and prune plan, on a real (tiny) directory tree."""

from __future__ import annotations

from pathlib import Path

from gorig.toolchains.install import activate
from gorig.toolchains.prune import plan_prune, prune
from gorig.toolchains.store import Store, parse_toolchain_name, toolchain_name
from gorig.versions import parse_version


def _fake_toolchain(store: Store, name: str) -> Path:
    """A directory shaped like a toolchain (the store only looks for bin/go)."""
    go = store.toolchains_dir / name / "bin" / ("go.exe" if ".windows-" in name else "go")
    go.parent.mkdir(parents=True)
    go.write_text("")
    return go.parent.parent


def test_names_round_trip_and_pre_1_21_release_names():
    assert toolchain_name(parse_version("1.22.5"), "linux", "amd64") == "go1.22.5.linux-amd64"
    assert toolchain_name(parse_version("1.20.0"), "darwin", "arm64") == "go1.20.darwin-arm64"
    assert parse_toolchain_name("go1.20.darwin-arm64") == (
        parse_version("1.20.0"),
        "darwin",
        "arm64",
    )
    assert parse_toolchain_name(".staging-go1.22.5.linux-amd64-abc") is None


def test_activation_links_native_only_and_first_becomes_default(tmp_path):
    store = Store(tmp_path)
    _fake_toolchain(store, "go1.22.5.linux-amd64")
    _fake_toolchain(store, "go1.23.1.linux-amd64")
    _fake_toolchain(store, "go1.23.1.darwin-arm64")
    old, cross, new = store.installed()
    assert [r.name for r in (old, cross, new)] == [
        "go1.22.5.linux-amd64",
        "go1.23.1.darwin-arm64",
        "go1.23.1.linux-amd64",
    ]
    native = ("linux", "amd64")
    assert "not this machine's platform" in activate(store, cross, native, host_os="linux")[0]
    assert store.default() is None
    activate(store, old, native, host_os="linux")
    activate(store, new, native, host_os="linux")
    assert store.default() == old  # an install never steals the default
    assert (store.bin_dir / "go1.23.1").resolve() == (new.root / "bin" / "go").resolve()
    assert (store.bin_dir / "go").resolve() == (old.root / "bin" / "go").resolve()
    store.set_default(new)
    assert (store.bin_dir / "go").resolve() == (new.root / "bin" / "go").resolve()
    assert not list(store.home.glob("**/.*.tmp"))  # no temporary links left behind


def test_activation_on_windows_says_so(tmp_path):
    store = Store(tmp_path)
    _fake_toolchain(store, "go1.22.5.windows-amd64")
    (record,) = store.installed()
    message = activate(store, record, ("windows", "amd64"), host_os="windows")
    assert message[0].startswith("activation on Windows is not supported yet")
    assert not store.bin_dir.exists()


def test_prune_keeps_default_pinned_and_fresh_parts(tmp_path):
    store = Store(tmp_path)
    for name in ("go1.21.0.linux-amd64", "go1.22.5.linux-amd64", "go1.23.1.linux-amd64"):
        _fake_toolchain(store, name)
    old, pinned, default = store.installed()
    store.set_default(default)
    store.downloads_dir.mkdir()
    (store.downloads_dir / "go1.21.0.linux-amd64.tar.gz").write_text("x")
    (store.downloads_dir / "go1.24.0.linux-amd64.tar.gz.part").write_text("x")  # in progress
    leftover = store.staging_dir("go1.24.0.linux-amd64")
    plan = plan_prune(store, keep=[pinned], toolchains=True)
    assert plan == [store.downloads_dir / "go1.21.0.linux-amd64.tar.gz", leftover, old.root]
    assert prune(store, plan) == plan
    assert [r.name for r in store.installed()] == [pinned.name, default.name]
    assert store.default() == default


def test_which_says_what_is_missing_and_how_to_get_it(tmp_path):
    import os

    from conftest import run_gorig

    env = {
        **os.environ,
        "GORIG_HOME": str(tmp_path / "home"),
        "GORIG_CONFIG": str(tmp_path / "none.toml"),
    }
    env.pop("GORIG_GO_VERSION", None)
    project = tmp_path / "project"
    project.mkdir()
    bare = run_gorig("which", env=env, cwd=project)
    assert (bare.returncode, bare.stderr) == (
        1,
        "gorig: error: no default toolchain is set; run 'gorig install'\n",
    )
    (project / ".go-version").write_text("1.22.5\n")
    pinned = run_gorig("which", env=env, cwd=project)
    assert pinned.stderr == (
        f"gorig: error: .go-version ({project / '.go-version'}) asks for Go 1.22.5, "
        "which is not installed; run 'gorig install 1.22.5'\n"
    )
    data = run_gorig("which", "--json", env=env, cwd=project)
    assert '"requested": "go1.22.5"' in data.stdout and '"go": null' in data.stdout


def test_config_file_errors_are_one_line(tmp_path):
    import os

    from conftest import run_gorig

    config = tmp_path / "config.toml"
    config.write_text("[install\nsource = 'pypi'\n")
    env = {**os.environ, "GORIG_HOME": str(tmp_path / "home"), "GORIG_CONFIG": str(config)}
    broken = run_gorig("install", "1.22.5", env=env)
    assert broken.returncode == 2
    assert broken.stderr.startswith(f"gorig: error: {config} is not valid TOML")
    assert broken.stderr.count("\n") == 1
    config.write_text("[install]\ntimeout = 'soon'\n")
    bad_value = run_gorig("install", "1.22.5", env=env)
    assert bad_value.stderr == (
        f"gorig: error: {config}: [install] timeout must be a number of seconds above 0 and "
        'at most 86400, not the string "soon"\n'
    )

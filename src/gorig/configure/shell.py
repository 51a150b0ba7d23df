"""Shell code for bash, zsh and fish, and where each shell reads it from.

The generated code is plain shell: it puts gorig's ``bin`` and GOBIN (or the first GOPATH
entry's ``bin``) first on PATH, exports the variables ``gorig proxy --shell`` stored, and
installs a directory hook that puts a pinned toolchain's ``bin`` first while inside a project.
No Python runs at a prompt: the hook reads the pin files with shell builtins and caches its
answer on ``$PWD``.
"""

from __future__ import annotations

import json
import re

from gorig.configure import managed
from gorig.errors import GorigError
from gorig.host import HostFacts, native_platform
from gorig.i18n import _
from gorig.paths import Path
from gorig.record import Record
from gorig.resources import package_text
from gorig.toolchains.store import Store

SHELLS = ("bash", "zsh", "fish")
SHELL_ENV_FILE = "shell-env.json"

# Registration of the hook: bash has no directory-change event, so it runs before each
# prompt (and returns at once while $PWD is unchanged); zsh and fish run it on `cd` only.
_REGISTER = {
    "bash": (
        "if [[ ${PROMPT_COMMAND[*]-} != *__gorig_hook* ]]; then\n"
        '  PROMPT_COMMAND="__gorig_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}"\n'
        "fi\n"
        "__gorig_pwd= __gorig_active= __gorig_missing="
    ),
    "zsh": (
        "(( ${chpwd_functions[(I)__gorig_hook]} )) || chpwd_functions+=(__gorig_hook)\n"
        "typeset -g __gorig_pwd= __gorig_active= __gorig_missing= __gorig_ver= __gorig_pinfile=\n"
        "typeset -g __gorig_series= __gorig_bin= __gorig_r= __gorig_k= __gorig_min= __gorig_m="
    ),
}
_HOMEBREW = {
    "posix": (
        "if [[ -d /opt/homebrew/bin ]]; then  # Apple Silicon Homebrew ahead of /usr/local\n"
        "  __gorig_path_prepend /opt/homebrew/sbin\n"
        "  __gorig_path_prepend /opt/homebrew/bin\n"
        "fi\n"
    ),
    "fish": (
        "if test -d /opt/homebrew/bin  # Apple Silicon Homebrew ahead of /usr/local\n"
        "    __gorig_path_prepend /opt/homebrew/sbin\n"
        "    __gorig_path_prepend /opt/homebrew/bin\n"
        "end\n"
    ),
}
# Read a whole pin file into $text without a process. zsh's `read` makes one system call
# per byte; its $(<file) reads in-process. bash's `read -d ''` reads in blocks (and bash
# 3.2, macOS's, forks for $(<file)).
_READ_TEXT = {
    "bash": "text=; read -r -d '' text < \"$file\" || :",
    "zsh": 'text=$(<"$file")',
}
_SURROGATES = re.compile("[\ud800-\udfff]")  # JSON can escape them; no shell can print them
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


class ShellPlan(Record):
    """Everything the generated code bakes in."""

    __slots__ = ("exports", "gorig_home", "homebrew_first", "platform", "shell")
    shell: str
    gorig_home: str
    platform: str  # the native "os-arch" whose toolchains the hook picks
    homebrew_first: bool  # Apple Silicon: /opt/homebrew ahead of /usr/local
    exports: dict[str, str]

    def __init__(
        self,
        shell: str,
        gorig_home: str,
        platform: str,
        homebrew_first: bool = False,
        exports: dict[str, str] | None = None,
    ) -> None:
        super().__init__(shell=shell, gorig_home=gorig_home, platform=platform,
                         homebrew_first=homebrew_first, exports=dict(exports or {}))  # fmt: skip


def check_shell(name: str) -> str:
    if name not in SHELLS:
        raise GorigError(
            _("unsupported shell {name}; choose one of: {shells}").format(
                name=repr(name), shells=", ".join(SHELLS)
            )
        )
    return name


def detect_shell(facts: HostFacts) -> str:
    """The user's login shell from $SHELL, when it is one gorig supports."""
    name = Path(facts.env.get("SHELL", "")).name
    if name not in SHELLS:
        raise GorigError(
            _("cannot tell your shell from {setting}; pass {option}").format(
                setting=f"SHELL={facts.env.get('SHELL', '')!r}",
                option=f"--shell {'|'.join(SHELLS)}",
            )
        )
    return name


def gorig_home(facts: HostFacts) -> Path:
    """The store's home (GORIG_HOME, else the user data directory), as the store sees it."""
    return Store.open(facts.env).home


def plan_for(shell: str, facts: HostFacts, exports: dict[str, str]) -> ShellPlan:
    goos, goarch = native_platform(facts)
    return ShellPlan(
        shell=check_shell(shell),
        gorig_home=str(gorig_home(facts)),
        platform=f"{goos}-{goarch}",
        homebrew_first=goos == "darwin" and facts.hardware_arch == "arm64",
        exports=exports,
    )


def quote(shell: str, value: str) -> str:
    """``value`` as one word for ``shell`` (fish escapes differ from POSIX)."""
    if shell == "fish":
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return "'" + value.replace("'", "'\\''") + "'"


def _exports(plan: ShellPlan) -> str:
    verb = "set -gx {} {}" if plan.shell == "fish" else "export {}={}"
    lines = [verb.format(name, quote(plan.shell, value)) for name, value in plan.exports.items()]
    return "".join(line + "\n" for line in lines)


def init_code(plan: ShellPlan) -> str:
    """The shell code ``gorig shell init SHELL`` prints."""
    flavour = "fish" if plan.shell == "fish" else "posix"
    template = package_text(__file__, "shellcode", "fish.fish" if flavour == "fish" else "posix.sh")
    replacements = {
        "@@SHELL@@": plan.shell,
        "@@HOME@@": quote(plan.shell, plan.gorig_home),
        "@@PLATFORM@@": quote(plan.shell, plan.platform),
        "@@HOMEBREW@@": _HOMEBREW[flavour] if plan.homebrew_first else "",
        "@@EXPORTS@@": _exports(plan),
        "@@REGISTER@@": _REGISTER.get(plan.shell, ""),
        "@@EMULATE@@": "emulate -L zsh" if plan.shell == "zsh" else ":",
        "@@NULLGLOB@@": "setopt null_glob" if plan.shell == "zsh" else ":",
        "@@MATCH@@": "$match[1]" if plan.shell == "zsh" else "${BASH_REMATCH[1]}",
        "@@READ_TEXT@@": _READ_TEXT[plan.shell] if flavour == "posix" else "",
    }
    for marker, text in replacements.items():
        template = template.replace(marker, text)
    return template


def rc_files(shell: str, facts: HostFacts) -> list[Path]:
    """The files ``shell`` reads at start-up that gorig's block goes into."""
    home = Path(facts.home or "~").expanduser()
    if shell == "bash":
        files = [home / ".bashrc"]
        if facts.os == "darwin":  # Terminal.app starts login shells, which skip .bashrc
            files.append(home / ".bash_profile")
        return files
    if shell == "zsh":
        return [Path(facts.env.get("ZDOTDIR") or home) / ".zshrc"]
    config = Path(facts.env.get("XDG_CONFIG_HOME") or home / ".config")
    return [config / "fish" / "conf.d" / "gorig.fish"]


def load_exports(home: Path, shell: str) -> dict[str, str]:
    """The variables ``gorig proxy set --shell SHELL`` asked ``shell``'s block to export."""
    path = home / SHELL_ENV_FILE
    return _exports_by_shell(managed.read_text(path), path).get(shell, {})


def add_exports(home: Path, shell: str, exports: dict[str, str]) -> None:
    """Add ``exports`` to what ``shell``'s block exports; other shells keep their own.

    The file is read, merged and written as one edit, so two ``proxy set`` runs at once
    do not lose each other's variables.
    """
    path = home / SHELL_ENV_FILE

    def merged(old: str | None) -> str:
        tables = _exports_by_shell(old, path)
        tables[shell] = {**tables.get(shell, {}), **exports}
        kept = {name: table for name, table in tables.items() if table}
        return json.dumps(kept, indent=2, sort_keys=True) + "\n"

    managed.edit_file(path, merged)


def _exports_by_shell(text: str | None, path: Path) -> dict[str, dict[str, str]]:
    """Each shell's exports from the text of ``shell-env.json`` (None: no file).

    The file holds one table per shell (``{"zsh": {"GOPROXY": ...}}``); an older file with
    one flat table counts for every shell. The file is gorig's own, but it sits on disk
    where anything can change it: anything else is an error saying what is wrong.
    """
    if text is None:
        return {}
    redo = _("fix or delete it (gorig proxy set ... --shell SHELL writes it again)")
    try:
        data = json.loads(text.encode("utf-8").decode("utf-8"))
    except UnicodeEncodeError:
        raise _bad_exports(_("{path} is not UTF-8 text"), path, redo) from None
    except (json.JSONDecodeError, RecursionError):
        raise _bad_exports(_("{path} is not valid JSON"), path, redo) from None
    if not isinstance(data, dict):
        problem = _("{path} must hold a JSON object of shells, not {type}")
        raise _bad_exports(problem, path, redo, type=_json_type(data))
    if any(isinstance(value, str) for value in data.values()):  # the older flat form
        table = _exports_table(data, path, redo)
        return {name: table for name in SHELLS}
    tables = {}
    for shell, table in data.items():
        if shell not in SHELLS:
            problem = _("{path}: {shell} is not a shell gorig knows ({shells})")
            raise _bad_exports(
                problem, path, redo, shell=json.dumps(shell), shells=", ".join(SHELLS)
            )
        tables[shell] = _exports_table(table, path, redo, f"{shell}: ")
    return tables


def _exports_table(table: object, path: Path, redo: str, where: str = "") -> dict[str, str]:
    if not isinstance(table, dict):
        problem = _(
            "{path}: {where}expected an object of variable names and string values, not {type}"
        )
        raise _bad_exports(problem, path, redo, where=where, type=_json_type(table))
    for name, value in table.items():
        if not _ENV_NAME.fullmatch(name):
            problem = _("{path}: {where}{name} is not a variable name (A-Z, 0-9, _)")
            raise _bad_exports(problem, path, redo, where=where, name=json.dumps(name))
        if not isinstance(value, str):
            problem = _("{path}: {where}{name} must be a string, not {type}")
            raise _bad_exports(problem, path, redo, where=where, name=name, type=_json_type(value))
        if "\x00" in value or _SURROGATES.search(value):
            problem = _(
                "{path}: {where}{name} holds a NUL or a lone surrogate (\\u0000, \\ud800), "
                "which no shell can take"
            )
            raise _bad_exports(problem, path, redo, where=where, name=name)
    return table


def _bad_exports(problem: str, path: Path, redo: str, **values: str) -> GorigError:
    """The exports file's ``problem`` (a message naming ``{path}``) and how to recover."""
    why = problem.format(path=path, **values)
    return GorigError(_("{why}; {redo}").format(why=why, redo=redo), exit_code=2)


def _json_type(value: object) -> str:
    names = {dict: _("an object"), list: _("an array"), str: _("a string"), bool: _("a boolean")}
    return "null" if value is None else names.get(type(value), _("a number"))


def load_hint(changes: list[managed.Change], *, remove: bool = False) -> str | None:
    """How to get a written (or removed) block into the shell that is running now."""
    changed = [change.path for change in changes if change.changed]
    if not changed:
        return None
    if remove:
        return _("open a new shell: the running one keeps gorig's settings until it exits")
    return _("to load it: open a new shell, or run: {command}").format(
        command=f"source {changed[0]}"
    )


def setup(shell: str, facts: HostFacts, *, remove: bool = False) -> list[managed.Change]:
    """Write (or remove) gorig's block in each rc file of ``shell``."""
    home = gorig_home(facts)
    body = None if remove else init_code(plan_for(shell, facts, load_exports(home, shell)))
    return [managed.update_block(path, body) for path in rc_files(shell, facts)]

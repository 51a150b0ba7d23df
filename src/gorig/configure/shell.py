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
from pathlib import Path

from gorig.configure import managed
from gorig.errors import GorigError
from gorig.host import HostFacts, native_platform
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
        "typeset -g __gorig_series= __gorig_bin= __gorig_r= __gorig_k="
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
        raise GorigError(f"unsupported shell {name!r}; choose one of: {', '.join(SHELLS)}")
    return name


def detect_shell(facts: HostFacts) -> str:
    """The user's login shell from $SHELL, when it is one gorig supports."""
    name = Path(facts.env.get("SHELL", "")).name
    if name not in SHELLS:
        raise GorigError(
            f"cannot tell your shell from SHELL={facts.env.get('SHELL', '')!r}; "
            f"pass --shell {'|'.join(SHELLS)}"
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
    """The variables ``gorig proxy set --shell SHELL`` asked ``shell``'s block to export.

    The file holds one table per shell (``{"zsh": {"GOPROXY": ...}}``); an older file with
    one flat table for every shell still counts for each of them.
    """
    path = home / SHELL_ENV_FILE
    text = managed.read_text(path)
    if text is None:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise GorigError(f"{path} is not valid JSON; delete it") from error
    if not isinstance(data, dict):
        raise GorigError(f"{path} must hold a JSON object of shells; delete it")
    if any(isinstance(value, str) for value in data.values()):
        table = data  # the flat form, written before exports were kept per shell
    else:
        table = data.get(shell) or {}
    if not isinstance(table, dict):
        raise GorigError(f"{path}: {shell!r} must be an object of NAME: value; delete it")
    return {str(k): str(v) for k, v in table.items() if _ENV_NAME.match(str(k))}


def add_exports(home: Path, shell: str, exports: dict[str, str]) -> None:
    """Add ``exports`` to what ``shell``'s block exports; other shells keep their own."""
    tables = {name: load_exports(home, name) for name in SHELLS}
    tables[shell] = {**tables[shell], **exports}
    text = json.dumps({k: v for k, v in tables.items() if v}, indent=2, sort_keys=True)
    managed.write_file(home / SHELL_ENV_FILE, text + "\n")


def load_hint(changes: list[managed.Change], *, remove: bool = False) -> str | None:
    """How to get a written (or removed) block into the shell that is running now."""
    changed = [change.path for change in changes if change.changed]
    if not changed:
        return None
    if remove:
        return "open a new shell: the running one keeps gorig's settings until it exits"
    return f"to load it: open a new shell, or run: source {changed[0]}"


def setup(shell: str, facts: HostFacts, *, remove: bool = False) -> list[managed.Change]:
    """Write (or remove) gorig's block in each rc file of ``shell``."""
    home = gorig_home(facts)
    body = None if remove else init_code(plan_for(shell, facts, load_exports(home, shell)))
    return [managed.update_block(path, body) for path in rc_files(shell, facts)]

"""``gorig completion bash|zsh|fish``: a completion script generated from the parsers.

Every command's argparse parser (the ones that parse the command line) is walked into a
tree of command paths (``targets check``), their options (which take a value, which take
a file) and sub-commands. bash and zsh share one POSIX shell function that walks the words
typed so far through that tree; fish gets the same tree as ``complete`` rules.
"""

from __future__ import annotations

import argparse
import sys

from gorig.cli.args import add_json
from gorig.i18n import N_, _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from gorig.cli.args import Parser

SHELLS = ("bash", "zsh", "fish")
FILE_METAVARS = {"FILE", "DIR", "PATH"}
FILES = "__gorig_files__"  # what the shared function prints when files should complete

USAGE = N_("Load it in the running shell, or install it where the shell looks for completions:")
COMMANDS_TO_LOAD = """\
  bash  source <(gorig completion bash)
        gorig completion bash > ~/.local/share/bash-completion/completions/gorig
  zsh   source <(gorig completion zsh)       (after compinit)
        gorig completion zsh > "${fpath[1]}/_gorig"
  fish  gorig completion fish > ~/.config/fish/completions/gorig.fish"""


class Option:
    """One option of a command path, as completion needs it."""

    __slots__ = ("choices", "files", "help", "names", "takes_value")

    def __init__(
        self, names: list[str], help: str, *, takes_value: bool = False,
        choices: list[str] | None = None, files: bool = False,
    ) -> None:  # fmt: skip
        self.names = names
        self.help = help
        self.takes_value = takes_value
        self.choices = choices or []
        self.files = files

    @classmethod
    def of(cls, action: argparse.Action) -> Option:
        takes_value = action.nargs != 0
        help = (action.help or "").replace("%(default)s", str(action.default))
        return cls(list(action.option_strings), help.replace("%%", "%"), takes_value=takes_value,
                   choices=[str(choice) for choice in action.choices or ()],
                   files=takes_value and action.metavar in FILE_METAVARS)  # fmt: skip


class Node:
    """A command path (``""`` for gorig itself): options, sub-commands, what its
    positional argument completes to."""

    __slots__ = ("choices", "commands", "files", "options", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self.options: list[Option] = []
        self.commands: dict[str, str] = {}  # name -> one-line help
        self.choices: list[str] = []
        self.files = False


def tree(parsers: Mapping[str, tuple[argparse.ArgumentParser, str]]) -> list[Node]:
    """Every command path under gorig, from each command's parser and summary."""
    root = Node("")
    root.commands = {name: summary for name, (_parser, summary) in parsers.items()}
    root.options = [Option(["-h", "--help"], "Show the commands."),
                    Option(["-V", "--version"], "Print gorig's version.")]  # fmt: skip
    nodes = [root]
    for name, (parser, _summary) in parsers.items():
        _walk(parser, name, nodes)
    return nodes


def _walk(parser: argparse.ArgumentParser, path: str, nodes: list[Node]) -> None:
    node = Node(path)
    nodes.append(node)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                node.commands[name] = helps.get(name, "")
                _walk(sub, f"{path} {name}", nodes)
        elif action.option_strings:
            node.options.append(Option.of(action))
        elif not node.choices and not node.files:
            node.choices = [str(choice) for choice in action.choices or ()]
            node.files = action.metavar in FILE_METAVARS


def _quote(text: str) -> str:
    """A single-quoted shell word."""
    return "'" + text.replace("'", "'\\''") + "'"


def _fish_quote(text: str) -> str:
    """A single-quoted fish word (fish escapes with backslashes inside single quotes)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _case(subject: str, arms: list[tuple[list[str], str]], default: str) -> str:
    lines = [f'  case "{subject}" in']
    lines += [f"    {'|'.join(_quote(p) for p in patterns)}) {body} ;;" for patterns, body in arms]
    lines.append(f"    *) {default} ;;")
    return "\n".join([*lines, "  esac"])


def _printed(words: list[str]) -> str:
    return f"printf '%s\\n' {' '.join(_quote(word) for word in words)}" if words else ":"


def posix_function(nodes: list[Node]) -> str:
    """``__gorig_candidates WORD... CURRENT``: the candidates for the word being typed, one a
    line, or FILES; plain POSIX shell that bash and zsh both run."""
    steps = [([f"{n.path}/{name}"], f"cmdpath={_quote(f'{n.path} {name}'.strip())}")
             for n in nodes for name in n.commands]  # fmt: skip
    takes = [
        f"{n.path}/{name}" for n in nodes for o in n.options if o.takes_value for name in o.names
    ]
    files = f"printf '%s\\n' {FILES}"
    values = [
        ([f"{n.path}/{name}" for name in o.names], files if o.files else _printed(o.choices))
        for n in nodes
        for o in n.options
        if o.takes_value and (o.files or o.choices)
    ]
    options = [([n.path], _printed([name for o in n.options for name in o.names])) for n in nodes]
    positionals = [
        ([n.path], files if n.files else _printed([*n.commands, *n.choices])) for n in nodes
    ]
    return f"""\
__gorig_candidates() {{
  local cmdpath="" option="" word
  while [ $# -gt 1 ]; do
    word=$1
    shift
    if [ -n "$option" ]; then option=""; continue; fi
    case "$word" in
      --) return 0 ;;
      -*=*) ;;
      -*)
{_case("$cmdpath/$word", [(takes, 'option="$word"')], ":") if takes else ":"}
        ;;
      *)
{_case("$cmdpath/$word", steps, ":")}
        ;;
    esac
  done
  if [ -n "$option" ]; then
{_case("$cmdpath/$option", values, ":")}
    return 0
  fi
  case "$1" in
    -*)
{_case("$cmdpath", options, ":")}
      ;;
    *)
{_case("$cmdpath", positionals, ":")}
      ;;
  esac
}}
"""


BASH = """\
# gorig completion for bash, generated by 'gorig completion bash'.
{function}
_gorig() {{
  local candidates
  candidates=$(__gorig_candidates "${{COMP_WORDS[@]:1:COMP_CWORD}}")
  if [ "$candidates" = {files} ]; then
    COMPREPLY=($(compgen -f -- "${{COMP_WORDS[COMP_CWORD]}}"))
  else
    COMPREPLY=($(compgen -W "$candidates" -- "${{COMP_WORDS[COMP_CWORD]}}"))
  fi
}}
complete -o filenames -F _gorig gorig
"""

ZSH = """\
#compdef gorig
# gorig completion for zsh, generated by 'gorig completion zsh'.
{function}
_gorig() {{
  local candidates
  candidates=$(__gorig_candidates "${{(@)words[2,CURRENT]}}")
  if [ "$candidates" = {files} ]; then
    _files
  else
    compadd -- ${{(f)candidates}}
  fi
}}
if [ "$funcstack[1]" = _gorig ]; then
  _gorig "$@"
else
  compdef _gorig gorig
fi
"""


def bash_script(nodes: list[Node]) -> str:
    return BASH.format(function=posix_function(nodes), files=FILES)


def zsh_script(nodes: list[Node]) -> str:
    return ZSH.format(function=posix_function(nodes), files=FILES)


def fish_script(nodes: list[Node]) -> str:
    """``complete`` rules guarded by ``__gorig_path``, the command path typed so far."""
    steps = "\n".join(
        f"            case {_fish_quote(f'{n.path}/{name}')}\n"
        f"                set cmdpath {_fish_quote(f'{n.path} {name}'.strip())}"
        for n in nodes
        for name in n.commands
    )
    takes = " ".join(
        _fish_quote(f"{n.path}/{name}") for n in nodes for o in n.options if o.takes_value
        for name in o.names
    )  # fmt: skip
    lines = [
        "# gorig completion for fish, generated by 'gorig completion fish'.",
        "function __gorig_path",
        "    set -l cmdpath ''",
        "    set -l skip 0",
        "    for word in (commandline -opc)[2..-1]",
        "        if test $skip = 1",
        "            set skip 0",
        "            continue",
        "        end",
        "        switch $word",
        "            case '--'",
        "                break",
        "            case '-*=*'",
        "            case '-*'",
        f'                contains -- "$cmdpath/$word" {takes}; and set skip 1',
        "            case '*'",
        '                switch "$cmdpath/$word"',
        steps,
        "                end",
        "        end",
        "    end",
        "    echo $cmdpath",
        "end",
        "complete -c gorig -f",
    ]
    for node in nodes:
        guard = f"-n {_fish_quote(f'test (__gorig_path) = {_fish_quote(node.path)}')}"
        for name, summary in node.commands.items():
            lines.append(
                f"complete -c gorig {guard} -a {_fish_quote(name)} -d {_fish_quote(summary)}"
            )
        for option in node.options:
            flags = " ".join(
                f"-l {_fish_quote(n[2:])}" if n.startswith("--") else f"-s {_fish_quote(n[1:])}"
                for n in option.names
            )
            extra = " -r" if option.takes_value else ""
            extra += " -F" if option.files else ""
            if option.choices:
                extra += f" -a {_fish_quote(' '.join(option.choices))}"
            lines.append(f"complete -c gorig {guard} {flags}{extra} -d {_fish_quote(option.help)}")
        if node.files:
            lines.append(f"complete -c gorig {guard} -F")
        if node.choices:
            lines.append(f"complete -c gorig {guard} -a {_fish_quote(' '.join(node.choices))}")
    return "\n".join(lines) + "\n"


SCRIPTS = {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}


def configure(parser: Parser, command: str) -> None:
    parser.description = (
        _("A completion script for bash, zsh or fish, printed.\n\n")
        + _(USAGE)
        + "\n"
        + COMMANDS_TO_LOAD
    )
    parser.add_argument("shell", choices=SHELLS, metavar="SHELL", help=_("bash, zsh or fish"))
    add_json(parser, N_("The script as JSON ({shell, script})."))
    parser.set_defaults(run=_completion)


def _completion(args: argparse.Namespace) -> None:
    from gorig.cli import COMMANDS, command_parser

    parsers = {
        name: (command_parser(name), summary) for name, (_module, summary) in COMMANDS.items()
    }
    script = SCRIPTS[args.shell](tree(parsers))
    if args.json:
        from gorig.cli.output import print_json

        print_json({"shell": args.shell, "script": script})
        return
    sys.stdout.write(script)

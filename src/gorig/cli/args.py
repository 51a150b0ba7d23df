"""The command-line parser every command is declared with: the standard library's argparse.

argparse costs a fraction of a bare interpreter start (docs/cli.md has the figures); a
command module declares its arguments in ``configure(parser, command)`` and sets the
function to run with ``parser.set_defaults(run=...)``. That function receives the parsed
``argparse.Namespace`` and returns an exit code (``None`` meaning 0). The same parsers
generate the shell completion scripts (:mod:`gorig.cli.completion`).
"""

from __future__ import annotations

import os
import re
from functools import cache

from gorig.errors import EXIT_USAGE, GorigError
from gorig.i18n import N_, _, ngettext
from gorig.standin import import_without

# argparse's own words come from gorig's catalogs, like gorig's: Python ships no catalogue
# for them, and looking one up (gettext's search, locale for $LANG) on every parser built
# costs a sixth of a bare start. gorig.i18n chooses the language once per process. argparse
# binds the pair when it is imported, so it is imported without gettext (gorig.standin):
# English never loads gettext (a twelfth of a bare start); a translated language loads it
# for its catalog, and when gettext or argparse came first, the pair is set here.
import_without("argparse", "gettext", gettext=_, ngettext=ngettext)

import argparse  # noqa: E402  (imported just above)

argparse._ = _  # type: ignore[attr-defined]
argparse.ngettext = ngettext  # type: ignore[attr-defined]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    Handler = Callable[[argparse.Namespace], int | None]

# The argparse messages a gorig user meets, marked here so extraction puts them in the
# catalogs (argparse's other messages are about a parser's own mistakes).
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)

HELP_WIDTH = 100  # the widest help text, even on a wider terminal
HELP_COLUMN = 30  # where option descriptions start


class UsageError(GorigError):
    """A bad command line: exit 2, with the command's --help as the hint."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, exit_code=EXIT_USAGE, kind="usage", hint=hint)


@cache
def _width() -> int:
    """The help width: $COLUMNS, else the terminal's, else 80 (never ``shutil``, which
    argparse would import for this)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0")) or os.get_terminal_size(1).columns
    except (ValueError, OSError):
        columns = 80
    return min(columns, HELP_WIDTH) - 2


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's layout with descriptions kept as written and a fixed width source; help
    in a wide script (Chinese) is wrapped by display width, and its headings end with a
    full-width colon."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=HELP_COLUMN, width=_width())

    def _split_lines(self, text: str, width: int) -> list[str]:
        if text.isascii():
            return super()._split_lines(text, width)
        from gorig.cli.output import wrap

        return wrap(text, width)

    def format_help(self) -> str:
        text = super().format_help()
        return text if text.isascii() else re.sub(r"(?m)(?<=[^\x00-\x7f]):$", "：", text)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are :class:`UsageError` (no usage dump, no exit)."""

    def __init__(self, prog: str, description: str | None = None, **kwargs: object) -> None:
        super().__init__(
            prog=prog,
            description=description,
            formatter_class=HelpFormatter,
            allow_abbrev=False,
            **kwargs,  # type: ignore[arg-type]
        )

    def error(self, message: str) -> None:  # type: ignore[override]
        command = self.prog.removeprefix("gorig ")
        hint = _("run '{command} --help'").format(command=self.prog)
        raise UsageError(f"{command}: {message}", hint=hint)

    def commands(self, title: str = N_("commands")) -> argparse._SubParsersAction[Parser]:
        """Sub-commands (``gorig targets check``); without one, the parser's own ``run``."""
        return self.add_subparsers(title=_(title), metavar="COMMAND", parser_class=Parser)


def add_json(parser: argparse.ArgumentParser, help: str = N_("Print JSON.")) -> None:
    """The ``--json`` option every command with output takes (errors become JSON too);
    ``help`` is translated here."""
    parser.add_argument("--json", action="store_true", help=_(help))


def add_command(
    commands: argparse._SubParsersAction[Parser], name: str, help: str, description: str
) -> Parser:
    """A sub-command whose help line is ``help`` and whose --help starts with ``description``."""
    return commands.add_parser(name, help=help, description=description)


def parse(parser: Parser, args: list[str]) -> argparse.Namespace:
    """``args`` parsed; ``--help`` prints and raises ``SystemExit(0)`` as argparse does."""
    namespace = parser.parse_args(args)
    if not hasattr(namespace, "run"):
        parser.error("name a command")
    return namespace

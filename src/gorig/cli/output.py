"""Rendering helpers shared by the command modules: JSON, Rich consoles, Typer apps.

Rich and Typer are imported inside the functions so a command that prints plain text or
JSON never pays for them.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer
    from rich.console import Console


def print_json(data: Any) -> None:
    """Write ``data`` as indented JSON to standard output."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def console(*, stderr: bool = False) -> Console:
    """A Rich console: colour only on a terminal, and never when ``NO_COLOR`` is set."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def new_app(help_text: str) -> typer.Typer:
    """A Typer app with gorig's conventions: no completion install, no pretty tracebacks."""
    import typer

    return typer.Typer(
        help=help_text,
        add_completion=False,
        pretty_exceptions_enable=False,
        no_args_is_help=False,
        rich_markup_mode=None,
    )


def run_app(app: typer.Typer, argv: list[str], *, prog: str = "gorig") -> int:
    """Run a Typer app over ``argv`` and turn its exit into a return code.

    ``GorigError`` propagates to ``gorig.cli.main``, which prints it as one line.
    """
    try:
        app(args=argv, prog_name=prog, standalone_mode=True)
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0

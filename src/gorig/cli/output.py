"""The output contract every command follows (docs/cli.md).

- Results go to standard output: plain lines, or with ``--json`` one JSON document.
- With ``--json`` an error is JSON on standard output too:
  ``{"error": {"message": ..., "kind": ..., "hint": ...}}``; nothing else is printed.
- Otherwise warnings and errors are one line on standard error, each with one prefix:
  ``gorig: warning:`` and ``gorig: error:``, in every language (scripts match them).
- Colour only on a terminal, never when ``NO_COLOR`` is set.
- Rich is imported only to draw a table or a progress bar on a terminal.
"""

from __future__ import annotations

import os
import sys

from gorig.errors import GorigError
from gorig.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, TextIO

    from rich.console import Console

WARNING, ERROR = "gorig: warning: ", "gorig: error: "
ANSI = {"red": "31", "green": "32", "yellow": "33", "cyan": "36", "magenta": "35", "dim": "2"}
ANSI_BOLD = "1;"


def colour_on(stream: TextIO) -> bool:
    """Colour for ``stream``: a terminal, and ``NO_COLOR`` unset or empty."""
    return not os.environ.get("NO_COLOR") and stream.isatty()


def paint(text: str, colour: str, stream: TextIO, *, bold: bool = False) -> str:
    """``text`` in an ANSI colour (``ANSI``'s names) when ``stream`` takes colour."""
    if not colour_on(stream):
        return text
    return f"\033[{ANSI_BOLD if bold else ''}{ANSI[colour]}m{text}\033[0m"


def say(text: str, *, stderr: bool = False) -> None:
    """One line of plain text, never wrapped (paths stay whole)."""
    (sys.stderr if stderr else sys.stdout).write(text + "\n")


def warn(text: str) -> None:
    """One warning line on standard error."""
    sys.stderr.write(paint(WARNING, "yellow", sys.stderr, bold=True) + text + "\n")


def error(text: str) -> None:
    """One error line on standard error (the command goes on, or exits 1 itself)."""
    sys.stderr.write(paint(ERROR, "red", sys.stderr, bold=True) + text + "\n")


def print_json(data: Any) -> None:
    """Write ``data`` as indented JSON to standard output."""
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def error_document(error: GorigError) -> dict[str, Any]:
    """The JSON shape of an error: ``{"error": {"message", "kind", "hint"}}``."""
    return {"error": {"message": str(error), "kind": error.kind, "hint": error.hint}}


def report_error(failure: GorigError, *, as_json: bool) -> int:
    """Print ``failure`` by the contract and return its exit code."""
    if as_json:
        print_json(error_document(failure))
    else:
        line = _("{message}; {hint}") if failure.hint else "{message}"
        error(line.format(message=failure, hint=failure.hint))
    return failure.exit_code


# A Rich table column's padding and border (3 cells) and room for a few cells of values.
CELL_ROOM = 3 + 4
# Wide punctuation that never starts a line (it stays with the character before it).
NO_LINE_START = "，。、；：！？）》」』"


def cells(text: str) -> int:
    """The terminal columns ``text`` takes: East Asian wide and full-width characters (CJK)
    take two."""
    if text.isascii():
        return len(text)
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int) -> str:
    """``text`` filled with spaces to ``width`` cells (``str.ljust`` counts characters)."""
    return text + " " * (width - cells(text))


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken at spaces and beside wide
    characters (CJK text has no spaces between words); a narrow word is never split."""
    tokens: list[str] = []
    for char in " ".join(text.split()):
        glued = tokens and char != " " and tokens[-1][-1] != " "
        if glued and (char in NO_LINE_START or cells(char + tokens[-1][-1]) == 2):
            tokens[-1] += char
        else:
            tokens.append(char)
    lines, line = [], ""
    for token in tokens:
        if line and token != " " and cells(line + token) > width:
            lines.append(line.rstrip())
            line = ""
        line += "" if (token == " " and not line) else token
    return [*lines, line.rstrip()] if line.strip() else lines


def console(*, stderr: bool = False) -> Console:
    """A Rich console (for tables and progress bars on a terminal); Rich honours NO_COLOR."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, title: str | None = None
) -> None:
    """Rows under headers: a Rich table on a terminal, aligned plain columns on a pipe.

    On a pipe nothing is folded or cut, so a script can split the columns on runs of two
    or more spaces; columns are aligned by display width (a CJK character takes two cells,
    as Rich also counts them).
    """
    if sys.stdout.isatty():
        from rich.table import Table

        terminal = console()
        # Rich measures CJK by display width. Headers stay whole (a CJK word cut in two
        # misreads) when they fit side by side with room for values (Rich draws past the
        # terminal's width rather than fold a column under its minimum).
        room = sum(cells(header) + CELL_ROOM for header in headers) + 1
        whole = room <= terminal.width
        drawn = Table(title=title, title_justify="left")
        for header in headers:
            drawn.add_column(header, overflow="fold", min_width=cells(header) if whole else None)
        for row in rows:
            drawn.add_row(*row)
        terminal.print(drawn, markup=False)
        return
    widths = [
        max(cells(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)
    ]
    lines = [title] if title else []
    for row in (headers, *rows):
        padded = [pad(str(cell), width) for cell, width in zip(row, widths, strict=True)]
        lines.append("  ".join(padded).rstrip())
    sys.stdout.write("\n".join(lines) + "\n")

"""``gorig inspect PATH...``: what executables really are.

Start-up time is part of this command's contract (see ``benchmarks/inspect.py``), so its four
options are parsed by hand and Rich is imported only to draw the default table.
"""

from __future__ import annotations

import sys

from gorig.errors import GorigError

try:  # the C string encoders of ``json``, without the ``json`` package (see _write_json)
    from _json import encode_basestring, encode_basestring_ascii
except ImportError:  # pragma: no cover - Python builds without the C accelerator
    from json.encoder import py_encode_basestring as encode_basestring
    from json.encoder import py_encode_basestring_ascii as encode_basestring_ascii

TYPE_CHECKING = False  # importing typing costs start-up time
if TYPE_CHECKING:
    from gorig.binfmt import Executable

USAGE = """\
Usage: gorig inspect [-m | --json] PATH...

  What each executable really is: format, OS and architecture in Go's names, bits, byte
  order, linkage (static, static-pie, dynamic, loader-only), interpreter and libraries,
  stripped or not, DWARF or not, and the Go build information. Directories are walked
  recursively like 'go version'; files met there that are not executables are skipped.
  Files are read, never run.

Options:
  -m          print exactly what 'go version -m PATH...' prints
  --json      a JSON array, one object per file
  -h, --help  show this message
"""


def run(argv: list[str]) -> int:
    """Entry point for ``gorig inspect``; ``argv[0]`` is the command name."""
    mode, paths = _parse(argv[1:])
    if mode == "help":
        sys.stdout.write(USAGE)
        return 0
    if mode == "m":
        return _go_version_m(paths)
    exes, exit_code = _read_all(paths)
    if mode == "json":
        _write_json([exe.to_dict() for exe in exes])
    elif exes:
        _write_table(exes)
    elif exit_code == 0:
        sys.stderr.write("gorig: no executables found (ELF, Mach-O or PE)\n")
    return exit_code


def _parse(args: list[str]) -> tuple[str, list[str]]:
    """(mode, paths) with mode one of ``table``, ``m``, ``json``, ``help``."""
    flags: set[str] = set()
    paths: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            paths.extend(rest)
        elif arg in ("-h", "--help"):
            return "help", []
        elif arg in ("-m", "--json"):
            flags.add(arg)
        elif arg.startswith("-") and arg != "-":
            raise GorigError(
                f"inspect: unknown option {arg!r}; see 'gorig inspect --help'", exit_code=2
            )
        else:
            paths.append(arg)
    if len(flags) > 1:
        raise GorigError("inspect: use either -m or --json, not both", exit_code=2)
    if not paths:
        raise GorigError(
            "inspect: name at least one file or directory, e.g. 'gorig inspect ./bin'", exit_code=2
        )
    return {"-m": "m", "--json": "json"}.get(next(iter(flags), ""), "table"), paths


def _go_version_m(paths: list[str]) -> int:
    from gorig.inspect.goversion import go_version_m

    output = go_version_m(paths)
    streams = {1: sys.stdout, 2: sys.stderr}
    for stream, data in output.chunks:
        target = streams[stream]
        target.flush()
        target.buffer.write(data)
        target.buffer.flush()
    return output.exit_code


def _read_all(paths: list[str]) -> tuple[list[Executable], int]:
    """Every executable under ``paths``; errors become one line each and exit code 1."""
    from gorig.binfmt import BinfmtError, NotExecutable, read_executable
    from gorig.inspect.walk import walk

    exes = []
    exit_code = 0
    for found in walk(paths):
        try:
            if found.error is not None:
                raise GorigError(found.error)
            exes.append(read_executable(found.path))
        except NotExecutable as error:
            if found.explicit:
                exit_code = _report(error)
        except (BinfmtError, GorigError) as error:
            exit_code = _report(error)
    return exes, exit_code


def _report(error: GorigError) -> int:
    sys.stderr.write(f"gorig: error: {error}\n")
    return 1


def _write_json(data: list[dict[str, object]]) -> None:
    """Write ``data`` as ``json.dumps(data, indent=2, ensure_ascii=False)`` would.

    The ``json`` package costs more start-up time (it loads ``re`` and ``enum`` for its
    decoder) than the whole of reading a few binaries, so this command encodes the plain
    values it has itself, with the C string encoder ``json`` uses.
    """
    text = _json_value(data, "") + "\n"
    sys.stdout.buffer.write(text.encode())


def _json_string(text: str) -> str:
    """A JSON string; a file name that is not UTF-8 keeps its bytes as ``\\udcXX`` escapes
    (Python's ``os.fsencode`` of the decoded value gives the name back)."""
    if text.isascii():
        return encode_basestring(text)
    try:
        text.encode()
    except UnicodeEncodeError:
        return encode_basestring_ascii(text)
    return encode_basestring(text)


def _json_value(value: object, indent: str) -> str:
    if isinstance(value, str):
        return _json_string(value)
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return str(value)
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (f"{inner}{_json_string(k)}: {_json_value(v, inner)}" for k, v in value.items())
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _json_value(v, inner) for v in value) + f"\n{indent}]"
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def _write_table(exes: list[Executable]) -> None:
    from rich.table import Table

    from gorig.cli.output import console

    table = Table(box=None, header_style="bold", pad_edge=False)
    for title in (
        "path",
        "format",
        "target",
        "bits",
        "linkage",
        "stripped",
        "DWARF",
        "Go",
        "main package",
    ):
        table.add_column(title, overflow="fold")
    for exe in exes:
        for label, piece in _rows(exe):
            table.add_row(*_cells(label, piece))
    out = console()
    if not out.is_terminal:
        out.width = 1 << 12  # a pipe has no width: never fold a path or a column
    out.print(table)


def _rows(exe: Executable) -> list[tuple[str, Executable]]:
    """One row per file, or per slice of a universal binary."""
    path = exe.path or ""
    if not exe.slices:
        return [(path, exe)]
    return [(f"{path} [{piece.goarch}]", piece) for piece in exe.slices]


def _cells(label: str, exe: Executable) -> list[str]:
    linkage = exe.linkage
    if exe.libraries:
        count = len(exe.libraries)
        linkage += f" ({count} {'library' if count == 1 else 'libraries'})"
    if exe.go is not None:
        go_cell, main = exe.go.go_version, exe.go.path
    else:
        go_cell, main = exe.build_info_error or "-", ""
    endian = "" if exe.endian == "little" else " BE"
    return [
        label,
        exe.format,
        f"{exe.goos}/{exe.goarch}",
        f"{exe.bits}{endian}",
        linkage,
        "yes" if exe.stripped else "no",
        "yes" if exe.dwarf else "no",
        go_cell,
        main,
    ]

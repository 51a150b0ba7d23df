"""``gorig inspect PATH...``: what executables really are."""

from __future__ import annotations

import sys

from gorig.cli.output import error_document, report_error, table, warn
from gorig.errors import GorigError
from gorig.i18n import N_, _, ngettext

try:  # the C string encoders of ``json``, without the ``json`` package (see _write_json)
    from _json import encode_basestring, encode_basestring_ascii
except ImportError:  # pragma: no cover - Python builds without the C accelerator
    from json.encoder import py_encode_basestring as encode_basestring
    from json.encoder import py_encode_basestring_ascii as encode_basestring_ascii

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import Namespace

    from gorig.binfmt import Executable
    from gorig.cli.args import Parser

DESCRIPTION = N_("""\
What each executable really is: format, OS and architecture in Go's names, bits, byte
order, linkage (static, static-pie, dynamic, loader-only), interpreter and libraries,
stripped or not, DWARF or not, and the Go build information. Directories are walked
recursively like 'go version'; files met there that are not executables are skipped.
Files are read, never run.""")


def configure(parser: Parser, command: str) -> None:
    parser.description = _(DESCRIPTION)
    parser.add_argument("paths", nargs="*", metavar="PATH", help=_("files or directories"))
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("-m", dest="go_version_m", action="store_true",
                      help=_("print exactly what 'go version -m PATH...' prints"))  # fmt: skip
    mode.add_argument("--json", action="store_true",
                      help=_("a JSON array, one object per file (or per error)"))  # fmt: skip
    parser.set_defaults(run=_inspect)


def _inspect(args: Namespace) -> int:
    if not args.paths:
        raise GorigError(
            _("inspect: name at least one file or directory, e.g. 'gorig inspect ./bin'"),
            exit_code=2,
        )
    if args.go_version_m:
        return _go_version_m(args.paths)
    read = _read_all(args.paths)
    failed = any(isinstance(item, GorigError) for _path, item in read)
    if args.json:
        _write_json([_json_entry(path, item) for path, item in read])
        return 1 if failed else 0
    exes = [item for _path, item in read if not isinstance(item, GorigError)]
    for _path, item in read:
        if isinstance(item, GorigError):
            report_error(item, as_json=False)
    if exes:
        _write_table(exes)
    elif not failed:
        warn(_("no executables found (ELF, Mach-O or PE)"))
    return 1 if failed else 0


def _json_entry(path: str, item: Executable | GorigError) -> dict[str, object]:
    """One file's object, or ``{"path": ..., "error": {...}}`` when it could not be read."""
    if isinstance(item, GorigError):
        return {"path": path, **error_document(item)}
    return item.to_dict()


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


def _read_all(paths: list[str]) -> list[tuple[str, Executable | GorigError]]:
    """Every executable under ``paths``, or the error reading it, in the walk's order.

    A file met in a directory that is not an executable is skipped; one named is an error.
    """
    from gorig.binfmt import BinfmtError, NotExecutable, read_executable
    from gorig.inspect.walk import walk

    read: list[tuple[str, Executable | GorigError]] = []
    for found in walk(paths):
        try:
            if found.error is not None:
                raise GorigError(found.error)
            read.append((found.path, read_executable(found.path)))
        except NotExecutable as error:
            if found.explicit:
                read.append((found.path, error))
        except (BinfmtError, GorigError) as error:
            read.append((found.path, error))
    return read


def _write_json(data: list[dict[str, object]]) -> None:
    """Write ``data`` as ``json.dumps(data, indent=2, ensure_ascii=False)`` would, except
    that a file name that is not UTF-8 is written with ``\\u`` escapes, so the output stays
    valid UTF-8 (see _json_string). It encodes the plain values it has with the C string
    encoders of ``json``.
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


COLUMNS = (N_("path"), N_("format"), N_("target"), N_("bits"), N_("linkage"), N_("stripped"),
           "DWARF", "Go", N_("main package"))  # fmt: skip


def _write_table(exes: list[Executable]) -> None:
    table(
        [_(column) for column in COLUMNS],
        [_cells(label, piece) for exe in exes for label, piece in _rows(exe)],
    )


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
        linkage += " " + ngettext("({count} library)", "({count} libraries)", count).format(
            count=count
        )
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
        _("yes") if exe.stripped else _("no"),
        _("yes") if exe.dwarf else _("no"),
        go_cell,
        main,
    ]

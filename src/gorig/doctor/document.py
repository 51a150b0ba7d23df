"""Facts documents on disk: loading a saved one, and redacting one before it is shared.

A saved document shows the home directory as ``~`` and hides secrets: credentials in URLs
(``https://user:token@host``), token-like query parameters, and variables named like
secrets. Diagnosing it elsewhere works because the checks treat ``~`` as the home.
"""

from __future__ import annotations

import errno
import os
import re

from gorig.doctor.verdict import EXIT_BROKEN
from gorig.errors import GorigError
from gorig.fs import FileTooLarge, NotRegularFile, read_capped
from gorig.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

    from gorig.doctor.facts import Facts

SCHEMA = 1  # the facts document's version; bump it when a section changes meaning
MAX_BYTES = 2 << 20  # a real document is tens of kB (200 tools at most: about 100 kB)
REDACTED = "***"
URL_CREDENTIALS = r"(?P<scheme>[a-zA-Z][\w+.-]*://)[^/@\s]+@"
SECRET_QUERY = r"(?P<key>[?&][^=&\s]*(?:token|key|secret|password|auth)[^=&\s]*=)[^&\s,|]+"
SECRET_NAME = r"TOKEN|SECRET|PASSWORD|PASSWD|APIKEY|API_KEY|CREDENTIAL"


def redact_text(text: str, home: str) -> str:
    """``text`` with URL credentials and token parameters hidden and ``home`` shown as ``~``."""
    # Patterns compile on first use (re caches them): most runs never save anything.
    text = re.sub(URL_CREDENTIALS, lambda m: f"{m['scheme']}{REDACTED}@", text)
    text = re.sub(SECRET_QUERY, lambda m: f"{m['key']}{REDACTED}", text, flags=re.IGNORECASE)
    if home and home != "/":
        text = re.sub(re.escape(home.rstrip("/")) + r"(?=/|$|:|\s)", "~", text)
    return text


def redact(value: Any, home: str, key: str = "") -> Any:
    """A copy of a facts document (or any part of it) safe to share."""
    if isinstance(value, dict):
        return {k: redact(v, home, k) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(item, home, key) for item in value]
    if isinstance(value, str):
        return (
            REDACTED
            if value and re.search(SECRET_NAME, key, re.IGNORECASE)
            else redact_text(value, home)
        )
    return value


def dumps(facts: Facts) -> str:
    """The redacted document as JSON text, ready for ``--save``."""
    import json  # json only where a document is written or read: the live run needs none

    home = facts["env"].get("HOME", "")
    return json.dumps(redact(facts, home), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def load(path: str) -> Facts:
    """The facts document saved at ``path``, checked; a one-line error when it is not one.

    The file is untrusted: only a regular file is opened (a FIFO or device is refused
    before it can block or stream forever), at most ``MAX_BYTES`` are read, and the
    parsed document must have this gorig's schema and the shape of :class:`Facts`.
    """
    return loads(read_bounded(path), path)


def read_bounded(path: str) -> bytes:
    """The bytes of the regular file at ``path``, refused past ``MAX_BYTES``."""
    try:
        data = read_capped(path, MAX_BYTES)
    except NotRegularFile:
        raise _refuse(_("facts file {source} is not a regular file"), path) from None
    except FileTooLarge:
        raise _refuse(_("facts file {source} is larger than {mib} MiB"), path) from None
    except OSError as error:
        raise _unreadable(path, error.strerror) from None
    if data is None:
        raise _unreadable(path, os.strerror(errno.ENOENT))
    return data


def _unreadable(path: str, reason: str | None) -> GorigError:
    return GorigError(
        _("cannot read facts file {path}: {why}").format(path=path, why=reason),
        exit_code=EXIT_BROKEN,
    )


def _refuse(problem: str, source: str, **values: object) -> GorigError:
    """``problem`` (a message naming ``{source}``) and what to pass instead."""
    why = problem.format(source=source, mib=MAX_BYTES >> 20, **values)
    return GorigError(
        _("{why}; pass a file written by 'gorig doctor --save'").format(why=why),
        exit_code=EXIT_BROKEN,
    )


def _no_constants(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def loads(data: bytes, source: str) -> Facts:
    """A saved facts document from its bytes; ``source`` names it in errors."""
    import json

    try:
        document = json.loads(data.decode("utf-8-sig"), parse_constant=_no_constants)
    except UnicodeDecodeError as error:
        problem = _("facts file {source} is not UTF-8 text (invalid byte at offset {offset})")
        raise _refuse(problem, source, offset=error.start) from None
    except RecursionError:
        raise _refuse(_("facts file {source} is nested too deeply to be one"), source) from None
    except ValueError as error:
        raise _refuse(_("facts file {source} is not JSON ({error})"), source, error=error) from None
    if not isinstance(document, dict) or "schema" not in document:
        raise _refuse(_("facts file {source} is not a gorig facts file (no schema)"), source)
    _check_schema(document, source)
    from gorig.doctor.facts import Facts
    from gorig.doctor.shape import ShapeError, check

    try:
        check(document, Facts)
    except ShapeError as error:
        raise GorigError(
            _("facts file {source}: {error}").format(source=source, error=error),
            exit_code=EXIT_BROKEN,
        ) from None
    return document  # type: ignore[return-value]  # its shape was checked just above


def _check_schema(document: dict[str, Any], source: str) -> None:
    """Refuse a document of another schema version, saying which gorig wrote it."""
    schema = document["schema"]
    if type(schema) is not int or schema == SCHEMA:
        return  # a non-integer schema is reported by the shape check
    writer = document.get("collected_by")
    if isinstance(writer, str):
        written = _("facts file {source} was written by {writer} with facts schema {schema}")
    else:
        written = _("facts file {source} was written with facts schema {schema}")
    if schema > SCHEMA:
        what = _("{written}, newer than this gorig's ({ours}): upgrade gorig to read it")
    else:
        what = _(
            "{written}, older than this gorig's ({ours}): collect the facts again with "
            "'doctor --save'"
        )
    import json

    written = written.format(source=source, writer=json.dumps(str(writer)[:60]), schema=schema)
    raise GorigError(what.format(written=written, ours=SCHEMA), exit_code=EXIT_BROKEN)


MAX_DOCUMENTS = 10_000  # a fleet report's directory: far more machines than any fleet here


def load_each(directory: str) -> list[tuple[str, Facts | GorigError]]:
    """Every ``*.json`` document in ``directory`` by name (its stem), each loaded or refused.

    One bad document is its own refusal, never the end of the others; a directory that
    cannot be listed, holds none, or holds more than ``MAX_DOCUMENTS`` is an error.
    """
    try:
        names = sorted(
            entry.name
            for entry in os.scandir(directory)
            if entry.name.endswith(".json") and not entry.name.startswith(".")
        )
    except OSError as error:
        raise GorigError(
            _(
                "cannot read facts directory {directory}: {why}; pass a directory of files "
                "written by 'gorig doctor --save'"
            ).format(directory=directory, why=error.strerror),
            exit_code=EXIT_BROKEN,
        ) from None
    if not names:
        raise GorigError(
            _(
                "no facts documents (*.json) in {directory}; save one per machine with "
                "'gorig doctor --save DIR/NAME.json'"
            ).format(directory=directory),
            exit_code=EXIT_BROKEN,
        )
    if len(names) > MAX_DOCUMENTS:
        raise GorigError(
            _(
                "{directory} holds {count} documents, more than {most}; split the fleet into "
                "smaller directories"
            ).format(directory=directory, count=len(names), most=MAX_DOCUMENTS),
            exit_code=EXIT_BROKEN,
        )
    documents: list[tuple[str, Facts | GorigError]] = []
    for name in names:
        try:
            documents.append((name.removesuffix(".json"), load(os.path.join(directory, name))))
        except GorigError as error:
            documents.append((name.removesuffix(".json"), error))
    return documents

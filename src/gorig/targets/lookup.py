"""Which port list answers for a Go version: a toolchain of that version, else the table."""

from __future__ import annotations

from gorig.errors import GorigError
from gorig.i18n import _
from gorig.paths import Path
from gorig.targets.distlist import go_version_of, toolchain_ports
from gorig.targets.ports import PortList, shipped_ports, table
from gorig.versions import GoVersion, parse_version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable


def version_of(text: str) -> GoVersion:
    """A toolchain's version; a development build counts as the newest known series."""
    try:
        return parse_version(text.split()[0].split("-")[0])
    except (GorigError, IndexError):
        return parse_version(table()["versions"][-1])


def ports_for(
    version: GoVersion | None, candidates: Iterable[Path], cache_dir: Path | None = None
) -> tuple[GoVersion, PortList]:
    """The first candidate ``go`` of ``version``'s series (any, when None) lists the ports;
    without one, the shipped table does (``version`` is then required)."""
    failures: list[str] = []
    for go in candidates:
        try:
            found = version_of(go_version_of(go))
        except GorigError as error:
            failures.append(str(error))
            continue
        except OSError as error:
            failures.append(_("cannot run {go}: {why}").format(go=go, why=error.strerror or error))
            continue
        if version is None or found.series == version.series:
            try:
                return found, toolchain_ports(go, cache_dir)
            except GorigError as error:  # its version was read, but it does not run here
                failures.append(str(error))
    if version is None and failures:
        raise GorigError(
            _(
                "no Go toolchain could answer: {failures}; fix that go, or pass "
                "--go VERSION to use gorig's own table"
            ).format(failures="; ".join(failures))
        )
    if version is None:
        raise GorigError(_("no Go toolchain found; pass --go VERSION to use gorig's own table"))
    return version, shipped_ports(version)

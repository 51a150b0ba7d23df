"""Phase one of the doctor: gather facts into one JSON-serialisable document.

Probes run concurrently in threads; each records its own time and, when it fails, its
error, so one broken corner (a hanging compiler, an unreadable file) never hides the rest.
"""

from __future__ import annotations

import threading
import time

from gorig import __version__
from gorig.doctor.command import CommandFailed
from gorig.doctor.document import SCHEMA
from gorig.doctor.probes import PROBES, Site
from gorig.host.path import path_entries

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from gorig.doctor.early import Started
    from gorig.doctor.facts import Facts, HostSection, ProbeStatus, Sections
    from gorig.host import HostFacts

DEADLINE = 15.0  # seconds for all probes together; each command has its own shorter timeout

# Environment variables the checks read; everything else stays out of the facts.
ENV_NAMES = frozenset(
    {
        "PATH",
        "HOME",
        "SHELL",
        "XDG_CONFIG_HOME",
        "APPDATA",
        "CC",
        "CXX",
        "AR",
        "PKG_CONFIG",
        "PKG_CONFIG_PATH",
        "CONDA_PREFIX",
        "CONDA_DEFAULT_ENV",
        "DOCKER_DEFAULT_PLATFORM",
        "HOMEBREW_PREFIX",
        "DEVELOPER_DIR",
        "SDKROOT",
        "TERM_PROGRAM",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "no_proxy",
    }
)


def relevant_env(env: dict[str, str]) -> dict[str, str]:
    """Go's own variables (GO*, CGO_*) and the few others the checks read."""
    return {
        name: value
        for name, value in sorted(env.items())
        if name in ENV_NAMES
        or name.startswith("CGO_")
        or (name.startswith("GO") and not name.startswith("GOOGLE"))
    }


class Outcome:
    """What one probe gave: its sections, and its status once it has finished."""

    def __init__(self) -> None:
        self.sections: Sections = {}
        self.status: ProbeStatus | None = None


def _timed(
    function: Callable[[Facts, Site], Sections],
    facts: Facts,
    site: Site,
    out: Outcome,
    start: float | None = None,
) -> None:
    """Run one probe into ``out``; its time counts from ``start`` when it began earlier."""
    start = time.perf_counter() if start is None else start
    error = None
    try:
        out.sections = function(facts, site)
    except CommandFailed as failure:  # the command's own words
        error = str(failure)
    except Exception as failure:  # a probe's failure is a fact, never a crash
        error = f"{type(failure).__name__}: {failure}"
    seconds = round(time.perf_counter() - start, 4)
    out.status = {"ok": error is None, "error": error, "seconds": seconds}


def _host_section(host: HostFacts) -> HostSection:
    return {
        "os": host.os,
        "kernel_arch": host.kernel_arch,
        "userland_bits": host.userland_bits,
        "sysctl": host.sysctl,
        "cpu_count": host.cpu_count,
        "memory_bytes": host.memory_bytes,
        "python_bits": host.python_bits,
        "hardware_arch": host.hardware_arch,
        "translated": host.translated,
    }


def collect(
    probes: Iterable[str] | None = None,
    meanwhile: Callable[[], object] | None = None,
    *,
    host: HostFacts,
    site: Site,
    started: Mapping[str, Started] | None = None,
) -> Facts:
    """Facts about this machine, its Go set-up and the current project.

    ``probes`` limits the work to the named probes (``settings`` always runs).
    ``meanwhile`` runs in this thread while the probes run (the CLI imports the checks
    there). A probe in ``started`` is already under way (``go env -json``, started by the
    CLI before this module was imported); it is finished in its own probe's place.
    """
    env = relevant_env(dict(site.environ))
    facts: Facts = {
        "schema": SCHEMA,
        "collected_by": f"gorig {__version__}",
        "host": _host_section(host),
        "env": env,
        "path": path_entries(env.get("PATH", "")),
        "probes": {},
    }
    wanted = [name for name in PROBES if probes is None or name in probes or name == "settings"]
    first = Outcome()
    _timed(PROBES["settings"], facts, site, first)
    _merge(facts, "settings", first)
    rest = {name: Outcome() for name in wanted if name != "settings"}
    early = started or {}
    threads = [
        threading.Thread(target=_timed, args=_probe(name, early, facts, site, rest[name]),
                         daemon=True)
        for name in rest
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    if meanwhile is not None:
        meanwhile()
    stop = time.monotonic() + DEADLINE
    for thread in threads:
        thread.join(max(0.0, stop - time.monotonic()))
    for name, out in rest.items():
        _merge(facts, name, out)
    return facts


def _probe(
    name: str, started: Mapping[str, Started], facts: Facts, site: Site, out: Outcome
) -> tuple[object, ...]:
    """The arguments of :func:`_timed` for probe ``name``: its function, or the finishing
    half of the same probe when it was started already."""
    if name not in started:
        return (PROBES[name], facts, site, out)
    early = started[name]
    return (lambda _facts, _site: early.finish(), facts, site, out, early.began)


def _merge(facts: Facts, name: str, out: Outcome) -> None:
    """Add a probe's sections and status; one still running has timed out."""
    if out.status is None:
        timed_out: ProbeStatus = {
            "ok": False,
            "error": f"timed out after {DEADLINE:.0f} s",
            "seconds": DEADLINE,
        }
        facts["probes"][name] = timed_out
        return
    facts.update(out.sections)
    facts["probes"][name] = out.status

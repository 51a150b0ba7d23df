"""Phase one of the doctor: gather facts into one JSON-serialisable document.

The probes that run a command (``go env``, ``cc -dumpmachine``, ``xcode-select -p``)
start it first; the others then read files in turn while those processes run, and the
commands' output is read last, each within its own timeout. Every probe records its own
time and, when it fails, its error, so one broken corner (a hanging compiler, an unreadable
file) never hides the rest. No read can block: files are opened without waiting (a FIFO is
not a file here) and commands are killed at their timeout.
"""

from __future__ import annotations

import time

from gorig import __version__
from gorig.doctor.command import CommandFailed
from gorig.doctor.document import SCHEMA
from gorig.doctor.probes import PROBES, STARTERS, Site
from gorig.host.path import path_entries

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from gorig.doctor.early import Started
    from gorig.doctor.facts import Facts, HostSection, ProbeStatus, Sections
    from gorig.host import HostFacts


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


def _timed(
    function: Callable[..., Sections], start: float, *args: object
) -> tuple[Sections, ProbeStatus]:
    """A probe's sections and status from ``function(*args)``; its time counts from
    ``start``."""
    sections: Sections = {}
    error = None
    try:
        sections = function(*args)
    except CommandFailed as failure:  # the command's own words
        error = str(failure)
    except Exception as failure:  # a probe's failure is a fact, never a crash
        error = f"{type(failure).__name__}: {failure}"
    seconds = round(time.perf_counter() - start, 4)
    return sections, {"ok": error is None, "error": error, "seconds": seconds}


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
    ``meanwhile`` runs while the started commands run (the CLI imports the checks there). A
    probe in ``started`` is already under way (``go env``, started by the CLI before
    this module was imported); it is finished in its own probe's place.
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
    _merge(facts, "settings", _timed(PROBES["settings"], time.perf_counter(), facts, site))
    # The others see the facts as settings left them, whatever order they run in.
    pending = {name: early for name, early in (started or {}).items() if name in wanted}
    pending |= {
        name: STARTERS[name](facts, site)
        for name in wanted
        if name in STARTERS and name not in pending
    }
    done = {
        name: _timed(PROBES[name], time.perf_counter(), facts, site)
        for name in wanted
        if name != "settings" and name not in pending
    }
    if meanwhile is not None:
        meanwhile()
    for name, early in pending.items():
        done[name] = _timed(early.finish, time.perf_counter() - early.spent)
    for name in wanted:
        if name in done:
            _merge(facts, name, done[name])
    return facts


def _merge(facts: Facts, name: str, outcome: tuple[Sections, ProbeStatus]) -> None:
    """Add a probe's sections and status."""
    sections, status = outcome
    facts.update(sections)
    facts["probes"][name] = status

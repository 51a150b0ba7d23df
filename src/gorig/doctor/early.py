"""The probe started before the rest of the doctor is imported: ``go env``.

It is the doctor's one slow step (the go command's own start). :func:`start_go_env` runs as
soon as the command line is parsed and needs only the host facts and the environment; the
go command then runs while Python imports and runs the other probes, and ``collect`` reads
its output last, in the ``go_env`` probe's place.
"""

from __future__ import annotations

import time

from gorig.doctor.binaries import describe
from gorig.doctor.command import Running, run
from gorig.host.path import which_all
from gorig.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from gorig.doctor.facts import Executable, Sections

GO_ENV_TIMEOUT = 10.0  # a cold `go env` may build its cache

# The settings the checks read from ``go env`` (through :func:`gorig.doctor.settings.lookup`,
# which refuses any other) and the version in use. Asked by name: ``go env`` then skips its
# costly variables (the cgo flags, GOGCCFLAGS, which makes a work directory), half its time,
# and prints each value on its own line, read without importing json (JSON only when a
# value holds a line break).
GO_ENV_NAMES = (
    "GOARCH",
    "GOOS",
    "GOROOT",
    "GOPATH",
    "GOBIN",
    "GOFLAGS",
    "GOPROXY",
    "GOPRIVATE",
    "GOSUMDB",
    "GONOSUMDB",
    "CGO_ENABLED",
    "CC",
    "GOVERSION",
    "GOARM",
    "GOARM64",
    "GOAMD64",
    "GO386",
    "GOMIPS",
    "GOMIPS64",
    "GOPPC64",
    "GORISCV64",
    "GOWASM",
)


class Started(Record):
    """A probe under way: the seconds its start took, and the function that waits for its
    command and gives its sections (raising as the probe would). The probe's time is both
    together: what it cost the doctor, its command's run overlapping the other probes."""

    __slots__ = ("finish", "spent")
    spent: float
    finish: Callable[[], Sections]

    def __init__(self, spent: float, finish: Callable[[], Sections]) -> None:
        super().__init__(spent=spent, finish=finish)


def gos_on_path(entries: list[str]) -> list[str]:
    """Every executable named ``go`` on PATH, in PATH order."""
    return which_all("go", entries)


def runs_here(entry: Executable, goos: str, hardware_arch: str) -> bool:
    """Whether an executable's headers say it runs natively on this host."""
    return entry.get("goos") == goos and hardware_arch in (entry.get("archs") or [])


def start_go_env(
    entries: list[str], goos: str, hardware_arch: str, environ: Mapping[str, str]
) -> Started:
    """``go env`` of the winning go started, when it runs natively here; never raises
    (a go that cannot be started raises when the probe is finished, as a probe fails).

    ``GOTOOLCHAIN=local`` keeps go from switching to (and downloading) another toolchain
    that a go.mod asks for; GOTOOLCHAIN is therefore not asked.
    """
    return start(lambda: _start(entries, goos, hardware_arch, environ))


def start(begin: Callable[[], Callable[[], Sections]]) -> Started:
    """A probe begun now by ``begin``, which starts its command and gives the function that
    finishes it. Never raises: a failure to start is raised when the probe is finished, as
    any probe's failure is recorded."""
    began = time.perf_counter()
    try:
        finish = begin()
    except Exception as error:  # a probe's failure is a fact, told when it is finished
        failure = error

        def finish() -> Sections:
            raise failure

    return Started(time.perf_counter() - began, finish)


def _start(
    entries: list[str], goos: str, hardware_arch: str, environ: Mapping[str, str]
) -> Callable[[], Sections]:
    candidates = gos_on_path(entries)
    if not candidates:
        return lambda: {"go_env": {"ran": False, "reason": "no go on PATH", "values": None}}
    go = candidates[0]
    if not runs_here(describe(go), goos, hardware_arch):
        reason = "the first go on PATH does not run natively here"
        return lambda: {"go_env": {"ran": False, "go": go, "values": None, "reason": reason}}
    env = {**environ, "GOTOOLCHAIN": "local"}
    running = Running([go, "env", *GO_ENV_NAMES], env, GO_ENV_TIMEOUT)

    def finish() -> Sections:
        values = named_values(running.output())
        if values is None:  # a value holds a line break: asked again, as JSON
            import json

            again = run([go, "env", "-json", *GO_ENV_NAMES], env, GO_ENV_TIMEOUT)
            values = {key: str(value) for key, value in json.loads(again).items()}
        return {"go_env": {"ran": True, "go": go, "values": values}}

    return finish


def named_values(output: str) -> dict[str, str] | None:
    """``go env NAME...``'s output: each named value on its own line, in order; None when
    the count of lines says a value holds a line break (the lines cannot be told apart)."""
    lines = output.split("\n")
    if lines[-1:] == [""]:
        lines.pop()
    return dict(zip(GO_ENV_NAMES, lines, strict=True)) if len(lines) == len(GO_ENV_NAMES) else None

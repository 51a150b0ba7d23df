"""Build a release matrix: validate every target, build in parallel, prove each artifact.

One failing target never stops the others; the report says what each artifact is.
Progress goes to an ``on_event(target, state)`` callback so the CLI decides how to show it
(states: ``building``, ``joining`` (universal), ``verifying``, ``ok``, ``failed``).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gorig.errors import GorigError
from gorig.fs import sha256_file
from gorig.i18n import _
from gorig.matrix.cc import CCompiler
from gorig.matrix.checksums import FILE_NAME, write_checksums
from gorig.matrix.compile import go_build
from gorig.matrix.naming import artifact_name
from gorig.matrix.universal import write_universal
from gorig.matrix.verify import verify_artifact
from gorig.targets import Target
from gorig.targets.check import check_target
from gorig.targets.exported import BuildSetting
from gorig.targets.ports import PortList
from gorig.versions import GoVersion

Events = Callable[[str, str], None]


@dataclass(frozen=True)
class BuildPlan:
    """Everything one matrix build needs; plain data."""

    go: Path
    package: str
    cwd: Path
    out_dir: Path
    name: str  # the program name used in artifact names
    targets: tuple[Target, ...]
    jobs: int
    environ: Mapping[str, str]  # the command's environment, which go build starts from
    cgo: bool = False
    trimpath: bool = True
    ldflags: str | None = None
    tags: str | None = None
    template: str | None = None
    settings: tuple[BuildSetting, ...] = ()  # where GOOS, GOARM, CGO_ENABLED... came from
    compilers: Mapping[str, CCompiler] = field(default_factory=dict)  # thin target -> its CC


@dataclass
class TargetResult:
    target: str
    artifact: str
    ok: bool = False
    error: str | None = None
    seconds: float = 0.0
    size: int | None = None
    sha256: str | None = None
    found: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class BuildReport:
    go: str
    package: str
    out_dir: str
    jobs: int
    results: list[TargetResult]
    checksums: str | None = None
    settings: tuple[BuildSetting, ...] = ()

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "go": self.go,
            "package": self.package,
            "out_dir": self.out_dir,
            "jobs": self.jobs,
            "checksums": self.checksums,
            "settings": [setting.to_dict() for setting in self.settings],
            "targets": [result.to_dict() for result in self.results],
        }


def validate(targets: list[Target], version: GoVersion, ports: PortList, cgo: bool) -> None:
    """Refuse the whole build when a target cannot be right, before any compiler runs."""
    problems = []
    for target in targets:
        verdict = check_target(target, version, ports, cgo=cgo)
        problems += [f"{target}: {message}" for message in verdict.errors]
    if problems:
        raise GorigError(
            _("{problems} (see 'gorig targets check TARGET')").format(problems="; ".join(problems))
        )


def artifact_names(plan: BuildPlan) -> list[str]:
    names = [artifact_name(plan.name, target, plan.template) for target in plan.targets]
    clashes = sorted({name for name in names if names.count(name) > 1})
    if clashes:
        raise GorigError(
            _("two targets would both write {name}; change --name").format(name=clashes[0])
        )
    return names


def _compile(plan: BuildPlan, target: Target, output: Path, scratch: Path, events: Events) -> None:
    def thin(one: Target, into: Path) -> None:
        compiler = plan.compilers.get(str(one))
        go_build(
            plan.go, plan.package, one, into, cwd=plan.cwd, environ=plan.environ, cgo=plan.cgo,
            trimpath=plan.trimpath, ldflags=plan.ldflags, tags=plan.tags,
            env=compiler.env if compiler else None,
        )  # fmt: skip

    if not target.is_universal:
        thin(target, output)
        return
    pieces = [scratch / f"{output.name}.{one.goarch}" for one in target.slices()]
    for one, piece in zip(target.slices(), pieces, strict=True):
        thin(one, piece)
    events(str(target), "joining")
    write_universal(pieces, output)


def build_one(
    plan: BuildPlan, target: Target, name: str, scratch: Path, events: Events
) -> TargetResult:
    """Build and prove one target; every failure lands in the result, never raises."""
    result = TargetResult(target=str(target), artifact=name)
    output = plan.out_dir / name
    started = time.monotonic()
    events(result.target, "building")
    try:
        output.unlink(missing_ok=True)
        _compile(plan, target, output, scratch, events)
        events(result.target, "verifying")
        proof = verify_artifact(output, target, cgo=plan.cgo)
        result.found = proof.found
        result.size = output.stat().st_size
        result.sha256 = sha256_file(output)
        result.ok = proof.ok
        result.error = "; ".join(proof.problems) or None
    except GorigError as error:
        result.error = str(error)
    except OSError as error:
        result.error = f"{error.filename or output}: {error.strerror or error}"
    result.seconds = round(time.monotonic() - started, 2)
    events(result.target, "ok" if result.ok else "failed")
    return result


def run_matrix(plan: BuildPlan, go_version: str, events: Events | None = None) -> BuildReport:
    """Build every target of ``plan`` with ``plan.jobs`` at once; write ``SHA256SUMS``."""
    notify: Events = events or (lambda _target, _state: None)
    names = artifact_names(plan)
    plan.out_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".gorig-build-", dir=plan.out_dir))
    try:
        with ThreadPoolExecutor(max_workers=plan.jobs) as pool:
            futures = [
                pool.submit(build_one, plan, target, name, scratch, notify)
                for target, name in zip(plan.targets, names, strict=True)
            ]
            results = [future.result() for future in futures]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    digests = {r.artifact: r.sha256 for r in results if r.ok and r.sha256 is not None}
    sums = write_checksums(plan.out_dir, digests) if digests else None
    if sums is None:
        (plan.out_dir / FILE_NAME).unlink(missing_ok=True)  # never leave a stale list
    return BuildReport(
        go=go_version,
        package=plan.package,
        out_dir=str(plan.out_dir),
        jobs=plan.jobs,
        results=results,
        checksums=str(sums) if sums else None,
        settings=plan.settings,
    )

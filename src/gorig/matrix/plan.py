"""From a command line's words to a :class:`BuildPlan`: which go, which targets, how many
at once. Every target is validated here, before any compiler runs."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from gorig.host import HostFacts, native_platform
from gorig.matrix.jobs import default_jobs, free_memory
from gorig.matrix.naming import check_template, program_name
from gorig.matrix.run import BuildPlan, validate
from gorig.matrix.toolchain import ports_cache_dir, project_go
from gorig.targets.distlist import toolchain_ports
from gorig.targets.lookup import version_of
from gorig.targets.select import select_targets


def make_plan(
    package: str,
    targets: str,
    *,
    cwd: Path,
    out_dir: Path,
    facts: HostFacts,
    env: Mapping[str, str] | None = None,
    jobs: int = 0,
    cgo: bool = False,
    trimpath: bool = True,
    ldflags: str | None = None,
    tags: str | None = None,
    template: str | None = None,
) -> tuple[BuildPlan, str]:
    """The plan and the Go version that will run it; raises ``GorigError`` on bad input."""
    go = project_go(cwd, env)
    ports = toolchain_ports(go, ports_cache_dir(env))
    chosen = select_targets(targets, ports, host=native_platform(facts), cgo=cgo)
    validate(chosen, version_of(ports.go), ports, cgo)
    if template is not None:
        check_template(template)
    plan = BuildPlan(
        go=go,
        package=package,
        cwd=cwd,
        out_dir=out_dir,
        name=program_name(package, cwd),
        targets=tuple(chosen),
        jobs=jobs or default_jobs(facts.cpu_count, free_memory(), len(chosen)),
        cgo=cgo,
        trimpath=trimpath,
        ldflags=ldflags,
        tags=tags,
        template=template,
    )
    return plan, ports.go

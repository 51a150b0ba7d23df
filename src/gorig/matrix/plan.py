"""From a command line's words to a :class:`BuildPlan`: which go, which targets, how many
at once. Every target is validated here, before any compiler runs."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from gorig.config import BuildConfig, config_path
from gorig.errors import GorigError
from gorig.host import HostFacts, native_platform
from gorig.host.goenv import read_layers
from gorig.matrix.cc import CCompiler, choose_compilers, find_zig
from gorig.matrix.jobs import default_jobs, free_memory
from gorig.matrix.naming import check_template, program_name
from gorig.matrix.run import BuildPlan, validate
from gorig.matrix.toolchain import ports_cache_dir
from gorig.targets import Target
from gorig.targets.distlist import toolchain_ports
from gorig.targets.exported import (
    BuildSetting,
    apply_to_list,
    decide_cgo,
    exported_settings,
    target_from_exported,
)
from gorig.targets.lookup import version_of
from gorig.targets.ports import PortList
from gorig.targets.select import select_targets
from gorig.toolchains import go_here, goroot_of


def choose_targets(
    targets: str | None,
    ports: PortList,
    *,
    exported: Mapping[str, BuildSetting],
    host: tuple[str, str],
    cgo: bool | None,
) -> tuple[list[Target], bool, tuple[BuildSetting, ...]]:
    """The targets and cgo setting to build with, following the exported Go settings as
    ``go build`` would, and where each one came from."""
    cgo_on, cgo_setting = decide_cgo(exported, cgo)
    if targets is None:
        target, settings = target_from_exported(exported, host=host)
        return [target], cgo_on, (*settings, cgo_setting)
    listed = select_targets(targets, ports, host=host, cgo=cgo_on)
    chosen, settings = apply_to_list(listed, exported)
    return chosen, cgo_on, (*settings, cgo_setting)


def choose_cc(
    chosen: list[Target],
    cc: str | None,
    *,
    exported: Mapping[str, BuildSetting],
    host: tuple[str, str],
    env: Mapping[str, str],
    build: BuildConfig,
) -> dict[str, CCompiler]:
    """Each cgo target's C compiler (``--cc``, else config.toml's ``[build] cc``)."""
    choice = cc or build.cc
    said = f"--cc {choice}" if cc else f"[build] cc = {choice!r} in {config_path(env)}"

    def which(name: str) -> str | None:
        return shutil.which(name, path=env.get("PATH", ""))

    zig = find_zig(which) if choice == "zig" else None
    return choose_compilers(
        chosen,
        choice=choice,
        said=said,
        host=host,
        env_cc=exported.get("CC"),
        which=which,
        zig=zig,
    )


def _validate(
    chosen: list[Target], ports: PortList, cgo: bool, settings: tuple[BuildSetting, ...]
) -> None:
    """Validate the targets; a refusal names the exported settings that shaped them."""
    try:
        validate(chosen, version_of(ports.go), ports, cgo)
    except GorigError as error:
        shaping = [f"{s.name}={s.value} ({s.source})" for s in settings if s.shaped_targets]
        if not shaping:
            raise
        raise GorigError(f"{error}; exported: {', '.join(shaping)}") from None


def make_plan(
    package: str,
    targets: str | None,
    *,
    cwd: Path,
    out_dir: Path,
    facts: HostFacts,
    env: Mapping[str, str],
    build: BuildConfig,
    jobs: int = 0,
    cgo: bool | None = None,
    cc: str | None = None,
    trimpath: bool = True,
    ldflags: str | None = None,
    tags: str | None = None,
    template: str | None = None,
) -> tuple[BuildPlan, str]:
    """The plan and the Go version that will run it; raises ``GorigError`` on bad input.

    ``targets`` None builds what the exported ``GOOS``/``GOARCH`` name (else the host);
    ``cgo`` None follows an exported ``CGO_ENABLED`` (else off); ``cc`` (``auto``, ``zig``)
    chooses the C compiler of cgo targets, checked here for each one.
    """
    go = go_here(cwd, env, facts)
    ports = toolchain_ports(go, ports_cache_dir(env))
    host = native_platform(facts)
    exported = exported_settings(read_layers(facts.os, env, goroot_of(go)))
    chosen, cgo_on, settings = choose_targets(targets, ports, exported=exported, host=host, cgo=cgo)
    _validate(chosen, ports, cgo_on, settings)
    compilers = (
        choose_cc(chosen, cc, exported=exported, host=host, env=env, build=build) if cgo_on else {}
    )
    settings += tuple(compiler.setting() for compiler in compilers.values())
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
        environ=env,
        cgo=cgo_on,
        trimpath=trimpath,
        ldflags=ldflags,
        tags=tags,
        template=template,
        settings=settings,
        compilers=compilers,
    )
    return plan, ports.go

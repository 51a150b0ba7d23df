"""Run one ``go build`` for one thin target: the only place gorig invokes the compiler.

The environment is made explicit: the target's ``GOOS``/``GOARCH``/sub-variable replace any
inherited ones (a stray ``GOARM`` in the user's shell must not change a ``linux/arm/6``
build), and ``CGO_ENABLED`` is set either way so the result does not depend on whether a C
compiler happens to be installed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

from gorig.errors import GorigError
from gorig.i18n import _
from gorig.targets import SUBVARIABLES, Target

# Lines of the compiler's stderr quoted in an error.
STDERR_TAIL = 8


def build_env(target: Target, *, cgo: bool, base: Mapping[str, str]) -> dict[str, str]:
    """The environment ``go build`` runs with for ``target``, from the command's ``base``."""
    env = {
        key: value
        for key, value in base.items()
        if key not in SUBVARIABLES and key not in ("GOOS", "GOARCH", "CGO_ENABLED")
    }
    env.update(target.env())
    env["CGO_ENABLED"] = "1" if cgo else "0"
    return env


def build_command(
    go: Path,
    package: str,
    output: Path,
    *,
    trimpath: bool,
    ldflags: str | None,
    tags: str | None,
) -> list[str]:
    """The ``go build`` command line (pure)."""
    command = [str(go), "build", "-o", str(output)]
    if trimpath:
        command.append("-trimpath")
    if ldflags is not None:
        command.append(f"-ldflags={ldflags}")
    if tags is not None:
        command.append(f"-tags={tags}")
    command.append(package)
    return command


def go_build(
    go: Path,
    package: str,
    target: Target,
    output: Path,
    *,
    cwd: Path,
    environ: Mapping[str, str],
    cgo: bool = False,
    trimpath: bool = True,
    ldflags: str | None = None,
    tags: str | None = None,
    env: Mapping[str, str] | None = None,
) -> None:
    """Build ``package`` for one thin ``target`` into ``output``.

    ``env`` adds to (and overrides) the command's environment ``environ``, before the
    target's own variables are applied. Raises :class:`GorigError` with the last lines of
    the compiler's standard error when the build fails.
    """
    base = dict(environ)
    if env is not None:
        base.update(env)
    command = build_command(go, package, output, trimpath=trimpath, ldflags=ldflags, tags=tags)
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            env=build_env(target, cgo=cgo, base=base),
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise GorigError(
            _("cannot run {go}: {why}; check the Go toolchain").format(go=go, why=error.strerror)
        ) from error
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        tail = " | ".join(lines[-STDERR_TAIL:]) or f"exit status {done.returncode}"
        raise GorigError(
            _("{command} for {target} failed: {tail}").format(
                command=f"go build {package}", target=target, tail=tail
            )
        )

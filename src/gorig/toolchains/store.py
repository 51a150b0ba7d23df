"""The on-disk store: installed toolchains, the download cache, activation links, locks.

Layout under ``GORIG_HOME`` (default: the user data directory)::

    toolchains/go1.22.5.linux-amd64/   a whole GOROOT (bin/go inside)
    toolchains/.staging-*              an install in progress (removed under the lock)
    downloads/                         verified archives and resumable *.part files
    locks/                             one lock file per toolchain name
    current -> toolchains/<default>    swapped atomically
    bin/go, bin/gofmt -> ../current/bin/...
    bin/go1.22.5 -> ../toolchains/go1.22.5.<native>/bin/go   (golang.org/dl names)

Every change is a rename or a symlink swap, so a crash leaves the old state or the new.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from gorig.errors import GorigError
from gorig.fs import fresh_directory, remove_tree, swap_symlink
from gorig.record import Record
from gorig.versions.version import GoVersion, parse_version

HOME_ENV = "GORIG_HOME"
STAGING_PREFIX = ".staging-"
_NAME = re.compile(r"^(?P<version>go[0-9][^/]*?)\.(?P<goos>[a-z0-9]+)-(?P<goarch>[a-z0-9]+)$")
ACTIVATED_TOOLS = ("go", "gofmt")


def toolchain_name(version: GoVersion, goos: str, goarch: str) -> str:
    """``go1.22.5.linux-amd64``: the directory (and archive stem) of a toolchain."""
    return f"{version.release_name}.{goos}-{goarch}"


def parse_toolchain_name(name: str) -> tuple[GoVersion, str, str] | None:
    """The inverse of :func:`toolchain_name`, or ``None`` for any other name."""
    match = _NAME.match(name)
    if match is None:
        return None
    try:
        version = parse_version(match["version"]).as_release()
    except GorigError:
        return None
    return version, match["goos"], match["goarch"]


class Installed(Record):
    """One installed toolchain; ``root`` is its GOROOT."""

    __slots__ = ("goarch", "goos", "root", "version")
    version: GoVersion
    goos: str
    goarch: str
    root: Path

    def __init__(self, version: GoVersion, goos: str, goarch: str, root: Path) -> None:
        super().__init__(version=version, goos=goos, goarch=goarch, root=root)

    @property
    def name(self) -> str:
        return self.root.name

    @property
    def platform(self) -> str:
        return f"{self.goos}/{self.goarch}"

    @property
    def go(self) -> Path:
        """The toolchain's own ``go`` executable."""
        return self.root / "bin" / ("go.exe" if self.goos == "windows" else "go")

    def to_dict(self) -> dict[str, str]:
        return {
            "version": self.version.tag,
            "os": self.goos,
            "arch": self.goarch,
            "root": str(self.root),
            "go": str(self.go),
        }


def default_home(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get(HOME_ENV):
        return Path(env[HOME_ENV]).expanduser().absolute()
    from gorig.host.dirs import user_dir

    return Path(user_dir("data", env))


class Store(Record):
    """gorig's data directory. Creating a Store touches nothing on disk."""

    __slots__ = ("home",)
    home: Path

    def __init__(self, home: Path) -> None:
        super().__init__(home=home)

    @classmethod
    def open(cls, env: Mapping[str, str] | None = None) -> Store:
        return cls(default_home(env))

    @property
    def toolchains_dir(self) -> Path:
        return self.home / "toolchains"

    @property
    def downloads_dir(self) -> Path:
        return self.home / "downloads"

    @property
    def bin_dir(self) -> Path:
        return self.home / "bin"

    @property
    def locks_dir(self) -> Path:
        return self.home / "locks"

    @property
    def current_link(self) -> Path:
        return self.home / "current"

    # -- reading -------------------------------------------------------------------------

    def installed(self) -> list[Installed]:
        """Every complete toolchain, oldest version first."""
        found: list[Installed] = []
        try:
            entries = list(os.scandir(self.toolchains_dir))
        except FileNotFoundError:
            return []
        for entry in entries:
            parsed = parse_toolchain_name(entry.name)
            if parsed is None or not entry.is_dir(follow_symlinks=False):
                continue
            record = Installed(*parsed, root=Path(entry.path))
            if record.go.is_file():
                found.append(record)
        return sorted(found, key=lambda r: (r.version.sort_key(), r.goos, r.goarch))

    def find(self, version: GoVersion, goos: str, goarch: str) -> Installed | None:
        root = self.toolchains_dir / toolchain_name(version, goos, goarch)
        record = Installed(version, goos, goarch, root)
        return record if record.go.is_file() else None

    def default(self) -> Installed | None:
        """The toolchain ``current`` points at, or ``None`` (unset or dangling)."""
        try:
            target = self.current_link.readlink()
        except OSError:
            return None
        parsed = parse_toolchain_name(Path(target).name)
        return self.find(*parsed) if parsed else None

    # -- changing ------------------------------------------------------------------------

    @contextmanager
    def lock(self, name: str, *, timeout: float = -1) -> Iterator[None]:
        """Hold the lock of one toolchain name (installs and removals of it serialise)."""
        from gorig.toolchains.lockfile import LockBusy, hold

        self.locks_dir.mkdir(parents=True, exist_ok=True)
        try:
            with hold(str(self.locks_dir / f"{name}.lock"), timeout):
                yield
        except LockBusy:
            raise GorigError(f"another gorig is installing {name}; try again shortly") from None

    def staging_dir(self, name: str) -> Path:
        """A fresh temporary directory beside the toolchains (same file system)."""
        self.toolchains_dir.mkdir(parents=True, exist_ok=True)
        return Path(fresh_directory(self.toolchains_dir, f"{STAGING_PREFIX}{name}-"))

    def clear_staging(self, name: str) -> list[Path]:
        """Remove leftovers of interrupted installs of ``name``; call with its lock held."""
        removed = sorted(self.toolchains_dir.glob(f"{STAGING_PREFIX}{name}-*"))
        for path in removed:
            remove_tree(path)
        return removed

    def set_default(self, record: Installed) -> None:
        """Point ``current`` at ``record`` (atomic swap) and make sure bin/go, bin/gofmt exist."""
        _refuse_windows_activation()
        swap_symlink(self.current_link, Path("toolchains") / record.name)
        for tool in ACTIVATED_TOOLS:
            swap_symlink(self.bin_dir / tool, Path("..") / "current" / "bin" / tool)

    def link_version(self, record: Installed) -> Path:
        """``bin/go1.22.5`` -> that toolchain's go, as golang.org/dl and GOTOOLCHAIN name it."""
        _refuse_windows_activation()
        link = self.bin_dir / record.version.release_name
        swap_symlink(link, Path("..") / "toolchains" / record.name / "bin" / "go")
        return link

    def unlink_version(self, record: Installed) -> None:
        link = self.bin_dir / record.version.release_name
        if link.is_symlink() and link.readlink().parts[2:3] == (record.name,):
            link.unlink()

    def clear_default(self) -> None:
        for path in (self.current_link, *(self.bin_dir / tool for tool in ACTIVATED_TOOLS)):
            if path.is_symlink():
                path.unlink()

    def remove(self, record: Installed) -> None:
        """Delete a toolchain: rename it aside first so no half-deleted GOROOT is ever seen."""
        with self.lock(record.name):
            doomed = self.staging_dir(record.name)
            record.root.replace(doomed / "old")
            remove_tree(doomed)


def _refuse_windows_activation() -> None:
    if os.name == "nt":
        raise GorigError(
            "activating toolchains on Windows is not supported yet; "
            "run the toolchain's bin\\go.exe directly (gorig which prints it)"
        )

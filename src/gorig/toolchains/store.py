"""The on-disk store: installed toolchains, the download cache, activation links, locks.

Layout under ``GORIG_HOME`` (default: the user data directory)::

    toolchains/go1.22.5.linux-amd64/   a whole GOROOT (bin/go inside)
    toolchains/.staging-<name>-*       an install or removal in progress (removed under the lock)
    downloads/                         verified archives and resumable *.part files
    locks/<name>.lock                  one lock per toolchain name; locks/activation.lock
    current -> toolchains/<default>    swapped atomically
    bin/go, bin/gofmt -> ../current/bin/...
    bin/go1.22.5 -> ../toolchains/go1.22.5.<native>/bin/go   (golang.org/dl names)

Every change is a rename, a directory exchange or a symlink swap, so a kill leaves the old
state or the new. Locks: whoever changes a toolchain (install, ``--force``, uninstall, ``use``)
holds its lock first; whoever changes ``current`` or ``bin/`` then also holds the store-wide
activation lock. Always in that order, so two commands never wait on each other.
"""

from __future__ import annotations

import os
import re

from gorig.errors import GorigError
from gorig.fs import fresh_directory, remove_tree, swap_symlink
from gorig.i18n import _
from gorig.paths import Path
from gorig.record import Record
from gorig.versions.version import GoVersion, parse_version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from contextlib import AbstractContextManager
    from typing import TypeAlias

HOME_ENV = "GORIG_HOME"
STAGING_PREFIX = ".staging-"
_NAME = re.compile(r"^(?P<version>go[0-9][^/]*?)\.(?P<goos>[a-z0-9]+)-(?P<goarch>[a-z0-9]+)$")
ACTIVATED_TOOLS = ("go", "gofmt")

Note: TypeAlias = "Callable[[str], object]"  # a string: collections.abc stays unimported


def quiet(_: str) -> None:
    """The default :data:`Note`: say nothing."""


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


def default_home(env: Mapping[str, str]) -> Path:
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
    def open(cls, env: Mapping[str, str]) -> Store:
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

    # -- locks ---------------------------------------------------------------------------

    def lock(
        self, name: str, *, wait: bool = True, note: Note = quiet
    ) -> AbstractContextManager[None]:
        """Hold the lock of toolchain ``name``: install, ``--force``, uninstall and ``use`` of it
        serialise. The holder owns that name's staging directories, so any found on entry
        are leftovers of a killed holder and are removed (a 240 MB tree otherwise stays)."""
        from gorig.toolchains.storelock import toolchain_lock

        return toolchain_lock(self.locks_dir, name, wait, note, lambda: self.clear_staging(name))

    def activation(self, note: Note = quiet) -> AbstractContextManager[None]:
        """Hold the store-wide lock for ``current`` and ``bin/`` (after a toolchain's lock).
        Temporary links found on entry are a killed holder's (:func:`gorig.fs.swap_symlink`)."""
        from gorig.toolchains.storelock import activation_lock

        return activation_lock(self.locks_dir, (self.home, self.bin_dir), note)

    # -- changing: call with the toolchain's lock held -----------------------------------

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

    def put(self, tree: Path, name: str) -> bool:
        """Make the checked GOROOT ``tree`` the toolchain ``name`` in one atomic step.

        A reinstall (``--force``) exchanges the two directories (:func:`exchange`), so
        ``toolchains/<name>`` and every link through it always resolve to a complete tree;
        the old one ends up at ``tree`` (and True is returned). Exchanging rather than
        pointing ``toolchains/<name>`` at a fresh directory through one more symlink keeps the
        GOROOT's path stable: Go derives GOROOT from its executable's real path, so a link
        layout would put a changing directory name into ``go env GOROOT`` and IDE settings,
        and a ``go build`` running during the switch would lose its tree when the old one is
        deleted. The layout every reader relies on stays as it is.
        """
        final = self.toolchains_dir / name
        if os.path.lexists(final):
            exchange(tree, final)
            return True
        tree.rename(final)
        return False

    def remove(self, record: Installed) -> None:
        """Delete a toolchain: rename it aside first so no half-deleted GOROOT is ever seen."""
        doomed = self.staging_dir(record.name)
        record.root.replace(doomed / "old")
        remove_tree(doomed)

    def uninstall(
        self, record: Installed, *, force: bool, wait: bool = True, note: Note = quiet
    ) -> None:
        """Remove ``record`` and its links; the default only with ``force``."""
        with self.lock(record.name, wait=wait, note=note):
            self._still_installed(record)
            with self.activation(note):
                if record == self.default():
                    if not force:
                        raise GorigError(
                            _(
                                "{version} is the default; 'gorig use' another version first, "
                                "or pass --force"
                            ).format(version=record.version.tag)
                        )
                    self.clear_default()
                self.unlink_version(record)
            self.remove(record)

    def use(self, record: Installed, note: Note = quiet) -> None:
        """Make ``record`` the default and link its ``bin/goX.Y.Z``."""
        with self.lock(record.name, note=note):
            self._still_installed(record)
            with self.activation(note):
                self.set_default(record)
                self.link_version(record)

    def _still_installed(self, record: Installed) -> None:
        if self.find(record.version, record.goos, record.goarch) is None:
            raise GorigError(
                _("{version} {platform} is no longer installed (another gorig removed it)").format(
                    version=record.version.tag, platform=record.platform
                )
            )

    # -- activation links: call with the activation lock held ----------------------------

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


def exchange(first: Path, second: Path) -> None:
    """Swap two directory entries in one atomic step.

    Linux: ``renameat2(RENAME_EXCHANGE)`` (3.15+; ext4, xfs, btrfs, tmpfs, overlayfs), macOS:
    ``renamex_np(RENAME_SWAP)`` (APFS), both through ctypes. Elsewhere, or on a file system
    without it, nothing moves and the message says how to reinstall instead: a swap done as
    two renames would leave a moment (or, after a kill, a state) with no toolchain at all.
    """
    import errno

    code = _exchange(os.fsencode(first), os.fsencode(second))
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        raise GorigError(
            f"{second.parent} cannot swap directories atomically (this system or file system "
            f"lacks it), so --force would leave a moment without {second.name}; run "
            "'gorig uninstall --force' then 'gorig install' for it instead"
        )
    if code:
        raise OSError(code, os.strerror(code), str(second), None, str(first))


def _exchange(first: bytes, second: bytes) -> int:
    """0, or the errno of the system's atomic exchange (``ENOSYS`` where there is none)."""
    import ctypes
    import errno

    if os.name == "nt":
        return errno.ENOSYS
    libc = ctypes.CDLL(None, use_errno=True)
    if hasattr(libc, "renameat2"):
        done = libc.renameat2(_AT_FDCWD, first, _AT_FDCWD, second, _RENAME_EXCHANGE)
    elif hasattr(libc, "renamex_np"):
        done = libc.renamex_np(first, second, _RENAME_SWAP)
    else:
        return errno.ENOSYS
    return 0 if done == 0 else ctypes.get_errno()


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS sys/stdio.h


def _refuse_windows_activation() -> None:
    if os.name == "nt":
        raise GorigError(
            "activating toolchains on Windows is not supported yet; "
            "run the toolchain's bin\\go.exe directly (gorig which prints it)"
        )

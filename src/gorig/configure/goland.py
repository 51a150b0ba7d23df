"""GoLand's JVM options for this machine: heap from memory size, a collector for the JDK/arch.

The options go into a ``.vmoptions`` file inside gorig's marked block (the file is the
user's: see :mod:`gorig.configure.managed`), or to standard output.

Each GoLand bundles its own runtime (JetBrains Runtime: JDK 17 up to 2023.3, 21 from
2024.1), and a JVM refuses an option it does not know, so the IDE would not start. gorig
finds the installed GoLands (``product-info.json`` of the app, the standalone or Toolbox
install), reads each one's runtime version (``jbr/release``) and the user's ``.vmoptions``
it reads (``<config>/JetBrains/<dataDirectoryName>/<name>.vmoptions``), and writes only
options that runtime accepts. Without a known runtime, only options every supported runtime
accepts (JDK 17's).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gorig.host import HostFacts, native_platform
from gorig.i18n import _

GIB = 1 << 30
# (memory up to, heap in MiB): a quarter of memory, at least JetBrains' 2 GiB, at most 8 GiB.
_HEAP_STEPS = ((8 * GIB, 2048), (16 * GIB, 4096), (32 * GIB, 6144))
_MAX_HEAP_MB = 8192
# Where the JDK's generational ZGC runs: x86-64 and arm64, except Windows on arm64.
_ZGC_PLATFORMS = {
    ("linux", "amd64"),
    ("linux", "arm64"),
    ("darwin", "amd64"),
    ("darwin", "arm64"),
    ("windows", "amd64"),
}
_COLLECTOR_NAMES = {"-XX:+UseZGC": "ZGC", "-XX:+UseG1GC": "G1"}
OLDEST_JDK = 17  # the oldest runtime a supported GoLand bundles: its options suit them all
_JAVA_VERSION = re.compile(r'^JAVA_VERSION="?(?:1\.)?([0-9]+)', re.MULTILINE)
PRODUCT_INFO_LIMIT = 1 << 20


@dataclass(frozen=True)
class GoLandInstall:
    """One installed GoLand: its version, its runtime's JDK major, the options file it reads."""

    version: str
    home: str  # where product-info.json was found
    jdk: int | None  # None: the runtime's release file could not be read
    vmoptions: str

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class JvmOptions:
    """The options and, as comments, why they were chosen."""

    heap_mb: int
    collector: str
    options: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def heap_mb(memory_bytes: int) -> int:
    for limit, heap in _HEAP_STEPS:
        if memory_bytes <= limit:
            return heap
    return _MAX_HEAP_MB


def collector(facts: HostFacts, heap: int, jdk: int) -> list[str]:
    """Generational ZGC for big heaps on a JDK that has it, else G1 (the JDK default)."""
    if jdk >= 21 and heap >= 6144 and native_platform(facts) in _ZGC_PLATFORMS:
        return ["-XX:+UseZGC"] if jdk >= 23 else ["-XX:+UseZGC", "-XX:+ZGenerational"]
    return ["-XX:+UseG1GC", "-XX:+UseStringDeduplication"]


def jvm_options(facts: HostFacts, jdk: int = OLDEST_JDK, why: str = "") -> JvmOptions:
    heap = heap_mb(facts.memory_bytes)
    gc = collector(facts, heap, jdk)
    sized = _("{memory} GiB of memory -> {heap} MiB heap; JDK {jdk}")
    notes = [sized.format(memory=facts.memory_bytes // GIB, heap=heap, jdk=jdk)]
    if why:
        notes.append(why)
    if facts.translated:
        notes.append(_("this shell runs under Rosetta: install the Apple Silicon build of GoLand"))
    options = [
        f"-Xms{min(1024, heap // 4)}m",
        f"-Xmx{heap}m",
        *gc,
        "-XX:ReservedCodeCacheSize=512m",
        "-XX:SoftRefLRUPolicyMSPerMB=50",
        "-XX:+HeapDumpOnOutOfMemoryError",
        "-XX:-OmitStackTraceInFastThrow",
    ]
    return JvmOptions(heap_mb=heap, collector=_COLLECTOR_NAMES[gc[0]], options=options, notes=notes)


def block_body(options: JvmOptions) -> str:
    """The ``.vmoptions`` lines: notes as ``#`` comments, then one option per line."""
    lines = [f"# {note}" for note in options.notes] + options.options
    return "".join(line + "\n" for line in lines)


def install_globs(home: Path, goos: str) -> list[tuple[Path, str]]:
    """Where GoLand's ``product-info.json`` files are, as (directory, glob) pairs: the apps in
    /Applications and ~/Applications (macOS), Toolbox's apps (its current ``goland/`` and
    its older ``Goland/ch-0/<build>/``), standalone unpacks in ~ and /opt, the snap."""
    if goos == "darwin":
        app = "GoLand*.app/Contents/Resources/product-info.json"
        toolbox = home / "Library" / "Application Support" / "JetBrains" / "Toolbox" / "apps"
        return [(Path("/Applications"), app), (home / "Applications", app),
                (toolbox, f"Goland/ch-*/*/{app}")]  # fmt: skip
    toolbox = home / ".local" / "share" / "JetBrains" / "Toolbox" / "apps"
    return [(toolbox, "goland/product-info.json"), (toolbox, "Goland/ch-*/*/product-info.json"),
            (home, "GoLand-*/product-info.json"), (Path("/opt"), "[Gg]o[Ll]and*/product-info.json"),
            (Path("/snap/goland"), "current/product-info.json")]  # fmt: skip


def config_root(home: Path, goos: str, env: Mapping[str, str]) -> Path:
    """JetBrains' per-user configuration directory (one ``GoLandYYYY.N`` per version)."""
    if goos == "darwin":
        return home / "Library" / "Application Support" / "JetBrains"
    return Path(env.get("XDG_CONFIG_HOME") or home / ".config") / "JetBrains"


def _runtime_jdk(app: Path) -> int | None:
    """The JDK major of the JetBrains Runtime bundled in ``app`` (``jbr/release``)."""
    for release in (app / "jbr" / "release", app / "jbr" / "Contents" / "Home" / "release"):
        try:
            text = release.read_text(encoding="utf-8", errors="replace")[:PRODUCT_INFO_LIMIT]
        except OSError:
            continue
        match = _JAVA_VERSION.search(text)
        if match:
            return int(match.group(1))
    return None


def read_install(info_file: Path, config: Path, goos: str) -> GoLandInstall | None:
    """One install from its ``product-info.json``; None when it is not a readable GoLand."""
    try:
        with info_file.open(encoding="utf-8", errors="replace") as file:
            info = json.loads(file.read(PRODUCT_INFO_LIMIT))
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict) or info.get("name") != "GoLand":
        return None
    data_dir = info.get("dataDirectoryName")
    if not isinstance(data_dir, str) or not re.fullmatch(r"GoLand[0-9.]+", data_dir):
        return None
    app = info_file.parent.parent if info_file.parent.name == "Resources" else info_file.parent
    wanted = {"darwin": "macOS", "linux": "Linux", "windows": "Windows"}.get(goos, "")
    launches = [entry for entry in info.get("launch") or [] if isinstance(entry, dict)]
    path = next((str(entry.get("vmOptionsFilePath", "")) for entry in launches
                 if entry.get("os") == wanted), "")  # fmt: skip
    name = Path(path).name or ("goland.vmoptions" if goos == "darwin" else "goland64.vmoptions")
    return GoLandInstall(
        version=str(info.get("version", data_dir.removeprefix("GoLand"))),
        home=str(app),
        jdk=_runtime_jdk(app),
        vmoptions=str(config / data_dir / name),
    )


def find_installs(home: Path, goos: str, env: Mapping[str, str]) -> list[GoLandInstall]:
    """Every GoLand installed for this user, newest first; one per options file."""
    config = config_root(home, goos, env)
    infos = {info for root, pattern in install_globs(home, goos) for info in root.glob(pattern)}
    installs = [read_install(info, config, goos) for info in sorted(infos)]
    by_file = {one.vmoptions: one for one in installs if one is not None}
    return sorted(by_file.values(), key=lambda one: _version_key(one.version), reverse=True)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"[0-9]+", version))


def install_reading(file: Path, installs: list[GoLandInstall]) -> GoLandInstall | None:
    """The install whose configuration directory holds ``file``."""
    folder = file.absolute().parent
    return next((one for one in installs if Path(one.vmoptions).parent == folder), None)


def options_for(facts: HostFacts, install: GoLandInstall | None, jdk: int | None) -> JvmOptions:
    """The options for one install's runtime: ``--jdk`` if given, else the runtime it
    bundles, else only options every supported runtime accepts."""
    if jdk is not None:
        return jvm_options(facts, jdk, _("JDK from --jdk"))
    if install is not None and install.jdk is not None:
        bundles = _("GoLand {version} bundles JDK {jdk}")
        return jvm_options(
            facts, install.jdk, bundles.format(version=install.version, jdk=install.jdk)
        )
    unknown = _("runtime unknown: only options every supported GoLand runtime accepts")
    return jvm_options(facts, OLDEST_JDK, unknown)

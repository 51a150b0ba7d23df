"""GoLand's JVM options for this machine: heap from memory size, a collector for the JDK/arch.

The options go into a ``.vmoptions`` file inside gorig's marked block (the file is the
user's: see :mod:`gorig.configure.managed`), or to standard output.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gorig.host import HostFacts, native_platform

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
BUNDLED_JDK = 21  # the JetBrains Runtime GoLand ships since 2024.1


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


def jvm_options(facts: HostFacts, jdk: int = BUNDLED_JDK) -> JvmOptions:
    heap = heap_mb(facts.memory_bytes)
    gc = collector(facts, heap, jdk)
    notes = [f"{facts.memory_bytes // GIB} GiB of memory -> {heap} MiB heap; JDK {jdk}"]
    if facts.translated:
        notes.append("this shell runs under Rosetta: install the Apple Silicon build of GoLand")
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

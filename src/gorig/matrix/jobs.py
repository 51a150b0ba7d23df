"""How many builds to run at once: bounded by cores and by free memory.

``go build`` is already parallel inside (one compile per package per core), so more
concurrent builds than cores only adds memory pressure; peers that default to the CPU
count alone run machines out of memory. Each build is budgeted ``MEMORY_PER_BUILD``.
"""

from __future__ import annotations

from pathlib import Path

MEMORY_PER_BUILD = 1 << 30  # a large program's compile and link stay well under 1 GiB


def default_jobs(cpus: int, free_bytes: int | None, targets: int) -> int:
    """Concurrent builds (pure): at most the cores, the memory budget and the targets."""
    jobs = max(cpus, 1)
    if free_bytes:
        jobs = min(jobs, max(free_bytes // MEMORY_PER_BUILD, 1))
    return max(min(jobs, targets), 1)


def free_memory(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """Available memory in bytes (Linux ``MemAvailable``), or None where unknown."""
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None

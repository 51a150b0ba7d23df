"""Ask an installed toolchain for its ports, with a cache keyed by the ``go`` binary.

Running ``go tool dist list`` costs a process or two; the answer depends only on the
toolchain, so it is cached under the gorig home, keyed by the binary's path, size and mtime.
"""

from __future__ import annotations

import json
import zlib

from gorig.errors import GorigError
from gorig.fs import write_atomic
from gorig.paths import Path
from gorig.targets.ports import Port, PortList, parse_dist_list


def _run(go: Path, *args: str) -> str:
    import subprocess

    try:
        done = subprocess.run(
            [str(go), *args], capture_output=True, text=True, check=False, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GorigError(f"cannot run {go} {' '.join(args)}: {error}") from error
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise GorigError(f"{go} {' '.join(args)} failed: {last}")
    return done.stdout


def go_version_of(go: Path) -> str:
    """``1.22.10``: the release in the toolchain's ``VERSION`` file, read without running
    anything; else what ``go env GOVERSION`` says (``go1.22.10``, prefix removed)."""
    text = _release_of(go) or _run(go, "env", "GOVERSION").strip()
    return text.removeprefix("go").split()[0] if text else ""


def _release_of(go: Path) -> str | None:
    """``go1.22.10`` from the first line of ``GOROOT/VERSION`` (release builds have one)."""
    from gorig.toolchains import goroot_of

    try:
        with (Path(goroot_of(go)) / "VERSION").open(encoding="utf-8") as file:
            first = file.readline(64).strip()
    except (OSError, UnicodeDecodeError):
        return None
    return first if first.startswith("go1") else None


def _cache_key(go: Path) -> str:
    """What a cached answer is for: the real binary, its size and its modification time."""
    stat = go.resolve().stat()
    return f"{go.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"


def _cache_file(key: str, cache_dir: Path) -> Path:
    """Where the answer for ``key`` is kept. The name is a checksum (hashlib would load
    OpenSSL on every ``gorig targets``); the file holds the key, checked on reading."""
    return cache_dir / f"ports-{zlib.crc32(key.encode()):08x}.json"


def toolchain_ports(go: Path, cache_dir: Path | None = None) -> PortList:
    """The ports ``go`` itself lists (``go tool dist list -json -broken``), cached."""
    key = _cache_key(go)
    cache = _cache_file(key, cache_dir) if cache_dir is not None else None
    if cache is not None and cache.is_file():
        try:
            saved = json.loads(cache.read_text())
            if saved.get("key") != key:
                raise KeyError("key")  # another binary's answer under the same name
            return PortList(
                go=saved["go"],
                source="go tool dist list",
                ports=tuple(parse_dist_list(json.dumps(saved["ports"]))),
            )
        except (OSError, ValueError, KeyError, GorigError):
            pass  # a damaged cache entry is simply recomputed
    ports = PortList(
        go=go_version_of(go), source="go tool dist list", ports=tuple(_listed_ports(go))
    )
    if cache is not None:
        _write_atomic(cache, json.dumps({**ports.to_dict(), "key": key}))
    return ports


def _listed_ports(go: Path) -> list[Port]:
    """``-broken`` exists from Go 1.21; older toolchains hide broken ports anyway."""
    try:
        return parse_dist_list(_run(go, "tool", "dist", "list", "-json", "-broken"))
    except GorigError:
        return parse_dist_list(_run(go, "tool", "dist", "list", "-json"))


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode())

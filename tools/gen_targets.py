#!/usr/bin/env python3
"""Regenerate ``src/gorig/targets/data/ports.json``, the table gorig ships for when no Go
toolchain of the asked version is installed.

Sources, newest first:
1. ``go tool dist list -json -broken`` of real toolchains, one per Go release series, given
   as ``SERIES=PATH_TO_GO`` arguments (the tests check the result against them again).
2. For Go 1.16 to 1.20, which no installable toolchain here covers, the 1.21 list is walked
   backwards with the port changes of ``cmd/dist/build.go`` (its ``cgoEnabled``,
   ``incomplete``/``broken`` and ``firstClass`` maps) and the "Ports" sections of the
   release notes, recorded in ``HISTORY`` below.
3. The sub-variables (``GOARM``, ``GOAMD64``...) per version, from ``internal/buildcfg``
   (``cfg.go``: accepted values, defaults, Go's own error text), in ``SUBVARIABLES``.

Usage: tools/gen_targets.py 1.21=/path/go1.21/bin/go 1.22=... [--check]
``--check`` compares instead of writing and exits 1 on a difference.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "gorig" / "targets" / "data" / "ports.json"
OLDEST = (1, 16)

# Walking back from the oldest real list: what each series changed against the one before.
# "added": ports dist list started listing; "broken": ports newly marked broken (they were
# listed as working before). Before 1.21 incomplete ports were hidden from dist list
# entirely, so linux/sparc64 and openbsd/ppc64 count as added in 1.21.
HISTORY: dict[str, dict[str, list[str]]] = {
    "1.21": {
        "added": ["wasip1/wasm", "linux/sparc64", "openbsd/ppc64"],
        "broken": ["openbsd/mips64"],
    },
    "1.20": {"added": ["freebsd/riscv64"], "broken": []},
    "1.19": {"added": ["linux/loong64"], "broken": []},
    "1.18": {"added": [], "broken": []},
    "1.17": {"added": ["windows/arm64"], "broken": []},
}

# The Go version that first had a port, for ports older than the table (release notes).
ADDED_BEFORE_TABLE: dict[str, str] = {
    "linux/arm64": "1.5",
    "linux/ppc64": "1.5",
    "linux/ppc64le": "1.5",
    "linux/mips64": "1.6",
    "linux/mips64le": "1.6",
    "linux/s390x": "1.7",
    "linux/mips": "1.8",
    "linux/mipsle": "1.8",
    "js/wasm": "1.11",
    "windows/arm": "1.12",
    "aix/ppc64": "1.12",
    "illumos/amd64": "1.13",
    "linux/riscv64": "1.14",
    "freebsd/arm64": "1.14",
    "darwin/arm64": "1.16",
    "ios/arm64": "1.16",
    "ios/amd64": "1.16",
    "netbsd/arm64": "1.16",
    "openbsd/mips64": "1.16",
}

# Ports Go dropped before the table starts: the last Go version that had each.
REMOVED_BEFORE_TABLE: dict[str, str] = {
    "darwin/386": "1.14",
    "darwin/arm": "1.14",
    "nacl/386": "1.13",
    "nacl/amd64p32": "1.13",
    "nacl/arm": "1.13",
}

_GOARM_OLD = "invalid GOARM: must be 5, 6, 7"
_GOARM_NEW = (
    'invalid GOARM: must start with 5, 6, or 7, and may optionally end in either ",hardfloat"'
    ' or ",softfloat"'
)
_GOARM64 = (
    'invalid GOARM64: must start with v8.{0-9} or v9.{0-5} and may optionally end in ",lse"'
    ' and/or ",crypto"'
)
_ARM64_LEVELS = [f"v8.{n}" for n in range(10)] + [f"v9.{n}" for n in range(6)]

# Sub-variable eras: from "since", the accepted values, optional suffixes, the default and
# Go's own error text. "suffix_mode": "one" (at most one suffix, GOARM), "any" (any
# combination, GOARM64), "list" (comma-separated features, GOWASM). "ignored": Go accepts
# and ignores the variable from that version.
SUBVARIABLES: dict[str, dict[str, object]] = {
    "GO386": {
        "goarch": ["386"],
        "eras": [
            {
                "since": "1.16",
                "values": ["sse2", "softfloat"],
                "default": "sse2",
                "error": "unsupported setting GO386={value}",
            },
        ],
    },
    "GOAMD64": {
        "goarch": ["amd64"],
        "eras": [
            {
                "since": "1.18",
                "values": ["v1", "v2", "v3", "v4"],
                "default": "v1",
                "error": "invalid GOAMD64: must be v1, v2, v3, v4",
            },
        ],
    },
    "GOARM": {
        "goarch": ["arm"],
        "eras": [
            {"since": "1.16", "values": ["5", "6", "7"], "default": "7", "error": _GOARM_OLD},
            # 1.22 and 1.23 print the float ABI in the default (go env GOARM: 7,hardfloat).
            {
                "since": "1.22",
                "values": ["5", "6", "7"],
                "default": "7,hardfloat",
                "error": _GOARM_NEW,
                "suffixes": [",softfloat", ",hardfloat"],
                "suffix_mode": "one",
            },
            {
                "since": "1.24",
                "values": ["5", "6", "7"],
                "default": "7",
                "error": _GOARM_NEW,
                "suffixes": [",softfloat", ",hardfloat"],
                "suffix_mode": "one",
            },
        ],
    },
    "GOARM64": {
        "goarch": ["arm64"],
        "eras": [
            {
                "since": "1.23",
                "values": _ARM64_LEVELS,
                "default": "v8.0",
                "error": _GOARM64,
                "suffixes": [",lse", ",crypto"],
                "suffix_mode": "any",
            },
        ],
    },
    "GOMIPS": {
        "goarch": ["mips", "mipsle"],
        "eras": [
            {
                "since": "1.16",
                "values": ["hardfloat", "softfloat"],
                "default": "hardfloat",
                "error": "invalid GOMIPS: must be hardfloat, softfloat",
            },
        ],
    },
    "GOMIPS64": {
        "goarch": ["mips64", "mips64le"],
        "eras": [
            {
                "since": "1.16",
                "values": ["hardfloat", "softfloat"],
                "default": "hardfloat",
                "error": "invalid GOMIPS64: must be hardfloat, softfloat",
            },
        ],
    },
    "GOPPC64": {
        "goarch": ["ppc64", "ppc64le"],
        "eras": [
            {
                "since": "1.16",
                "values": ["power8", "power9"],
                "default": "power8",
                "error": "invalid GOPPC64: must be power8, power9",
            },
            {
                "since": "1.21",
                "values": ["power8", "power9", "power10"],
                "default": "power8",
                "error": "invalid GOPPC64: must be power8, power9, power10",
            },
        ],
    },
    "GORISCV64": {
        "goarch": ["riscv64"],
        "eras": [
            {
                "since": "1.23",
                "values": ["rva20u64", "rva22u64"],
                "default": "rva20u64",
                "error": "invalid GORISCV64: must be rva20u64, rva22u64",
            },
            {
                "since": "1.25",
                "values": ["rva20u64", "rva22u64", "rva23u64"],
                "default": "rva20u64",
                "error": "invalid GORISCV64: must be rva20u64, rva22u64, rva23u64",
            },
        ],
    },
    "GOWASM": {
        "goarch": ["wasm"],
        "eras": [
            {
                "since": "1.16",
                "values": ["satconv", "signext"],
                "default": "",
                "error": 'invalid GOWASM: no such feature "{value}"',
                "suffix_mode": "list",
            },
            {
                "since": "1.26",
                "values": ["satconv", "signext"],
                "default": "",
                "error": 'invalid GOWASM: no such feature "{value}"',
                "suffix_mode": "list",
                "ignored": True,
            },
        ],
    },
}


def series_key(series: str) -> tuple[int, int]:
    major, minor = series.split(".")
    return int(major), int(minor)


def dist_list(go: str) -> dict[str, dict[str, bool]]:
    """``go tool dist list -json -broken`` of one toolchain, as port -> flags."""
    out = subprocess.run(
        [go, "tool", "dist", "list", "-json", "-broken"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        f"{item['GOOS']}/{item['GOARCH']}": {
            "cgo": bool(item["CgoSupported"]),
            "first_class": bool(item.get("FirstClass", False)),
            "broken": bool(item.get("Broken", False)),
        }
        for item in json.loads(out)
    }


def reconstruct(lists: dict[str, dict[str, dict[str, bool]]]) -> None:
    """Add the 1.16-1.20 lists by walking back from the oldest real one with HISTORY."""
    series = min(lists, key=series_key)
    while series_key(series) > OLDEST:
        change = HISTORY[series]
        older = {
            port: dict(flags)
            for port, flags in lists[series].items()
            if port not in change["added"]
        }
        for port in change["broken"]:
            older[port]["broken"] = False
        major, minor = series_key(series)
        series = f"{major}.{minor - 1}"
        lists[series] = older


def port_rows(lists: dict[str, dict[str, dict[str, bool]]]) -> dict[str, dict[str, object]]:
    ordered = sorted(lists, key=series_key)
    rows: dict[str, dict[str, object]] = {}
    for port in sorted({port for listed in lists.values() for port in listed}):
        present = [series for series in ordered if port in lists[series]]
        eras: list[dict[str, object]] = []
        for series in present:
            flags = lists[series][port]
            if not eras or {k: eras[-1][k] for k in flags} != flags:
                eras.append({"since": series, **flags})
        first = present[0]
        rows[port] = {
            "first": first,
            "added": ADDED_BEFORE_TABLE.get(port, first) if first == ordered[0] else first,
            "last": None if present[-1] == ordered[-1] else present[-1],
            "eras": eras,
        }
    for port, last in REMOVED_BEFORE_TABLE.items():
        rows[port] = {"first": None, "added": None, "last": last, "eras": []}
    return dict(sorted(rows.items()))


def table(lists: dict[str, dict[str, dict[str, bool]]], real: list[str]) -> dict[str, object]:
    reconstruct(lists)
    versions = sorted(lists, key=series_key)
    return {
        "comment": "Generated by tools/gen_targets.py; do not edit by hand.",
        "versions": versions,
        "measured": sorted(real, key=series_key),
        "ports": port_rows(lists),
        "subvariables": SUBVARIABLES,
    }


def main(argv: list[str]) -> int:
    check = "--check" in argv
    pairs = [arg.split("=", 1) for arg in argv if arg != "--check"]
    lists = {series: dist_list(go) for series, go in pairs}
    text = json.dumps(table(lists, [s for s, _ in pairs]), indent=1, sort_keys=False) + "\n"
    if check:
        same = OUT.read_text() == text
        print("ports.json is up to date" if same else "ports.json differs from the toolchains")
        return 0 if same else 1
    OUT.write_text(text)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

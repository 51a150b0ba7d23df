"""CONTRIBUTING.md's map stays true: every command is in it, every file it names exists,
every package of src/gorig and every test area is placed."""

from __future__ import annotations

import re
from pathlib import Path

from gorig.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "CONTRIBUTING.md").read_text()
MAP = TEXT.split("## The map", 1)[1].split("## Tests", 1)[0]
TESTS = TEXT.split("## Tests", 1)[1].split("## Running", 1)[0]


def test_every_command_has_a_row():
    rows = [line for line in MAP.splitlines() if line.startswith("| `")]
    named = {word for row in rows for word in re.findall(r"`([a-z]+)", row.split("|")[1])}
    assert set(COMMANDS) - named == set()


def test_every_named_file_exists():
    named = set(re.findall(r"`((?:[a-z_]+/)+[a-z_]*(?:\.py)?)`", TEXT))
    missing = sorted(
        path
        for path in named
        if not any((base / path).exists() for base in (ROOT, ROOT / "src", ROOT / "src" / "gorig"))
    )
    assert missing == []


def test_every_package_and_test_area_is_placed():
    packages = {path.parent.name for path in (ROOT / "src" / "gorig").glob("*/__init__.py")}
    assert {name for name in packages if f"`{name}/" not in MAP} == set()
    areas = {path.name for path in (ROOT / "tests").iterdir() if path.name.startswith("test")}
    areas |= {path.parent.name for path in (ROOT / "tests").glob("*/test_*.py")}
    assert {name for name in areas if f"`tests/{name}/`" not in TESTS} == set()

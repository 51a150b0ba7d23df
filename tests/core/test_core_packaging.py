"""The built wheel holds every package and every data file of ``src/gorig``.

A package named like build output (``build/``, ``dist/``) or a data file left out of the
build configuration would be silently missing from the wheel users install; the editable
install the tests run from would never notice.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "gorig"
# Data files that must ship; listed so that losing a whole kind of them cannot pass unseen.
DATA = (
    "gorig/configure/shellcode/posix.sh",
    "gorig/configure/shellcode/fish.fish",
    "gorig/bench/workloads/go.mod",
    "gorig/toolchains/trust/keys/golang-release.asc",
    "gorig/targets/data/ports.json",
    "gorig/locale/zh_CN/LC_MESSAGES/gorig.po",
)


def source_files() -> set[str]:
    """Every file under ``src/gorig`` as a wheel names it, bytecode caches left out."""
    found = set()
    for directory, subdirectories, files in os.walk(SOURCE):
        subdirectories[:] = [name for name in subdirectories if name != "__pycache__"]
        for name in files:
            path = Path(directory, name).relative_to(SOURCE.parent)
            found.add(path.as_posix())
    return found


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    pytest.importorskip("hatchling", reason="hatchling (the build backend) is in the test extra")
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
               "--no-build-isolation", "--wheel-dir", str(out), str(ROOT)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    (wheel,) = out.glob("gorig-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_wheel_holds_every_package(wheel_names):
    packages = {
        Path(directory).relative_to(SOURCE.parent).as_posix()
        for directory, _, files in os.walk(SOURCE)
        if "__init__.py" in files
    }
    assert "gorig/matrix" in packages
    missing = sorted(package for package in packages if f"{package}/__init__.py" not in wheel_names)
    assert missing == []


def test_wheel_holds_every_source_and_data_file(wheel_names):
    assert set(DATA) <= source_files()
    assert sorted(source_files() - wheel_names) == []

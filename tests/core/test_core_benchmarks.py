"""The benchmark scripts run as ``python benchmarks/NAME.py``, which puts their folder first on
``sys.path``: a script named like a standard-library module would replace that module for
everything the script imports (``benchmarks/inspect.py`` once broke every benchmark that
loaded filelock, which imports ``inspect``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
SCRIPTS = sorted(BENCHMARKS.glob("*.py"))


def test_benchmarks_exist():
    assert SCRIPTS, f"no benchmark scripts found in {BENCHMARKS}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.stem)
def test_no_benchmark_shadows_a_standard_module(script):
    assert script.stem not in sys.stdlib_module_names, (
        f"{script.name} would shadow the standard library's {script.stem} module"
    )

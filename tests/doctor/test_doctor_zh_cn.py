"""The doctor on recorded darwin facts under LANG=zh_CN.UTF-8, against a reviewed output.

The report's frame (the head line, each passing check's summary, "fix:", the counts) and
the Apple Silicon findings (doctor/checks/platform.py: Rosetta, the first go's
architecture, a shadowed go, Intel Homebrew) are Chinese; commands in fixes stay as typed.
Check ids, severities and the JSON keys never change with the language.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_gorig

FACTS_DIR = Path(__file__).with_name("facts")
EXPECTED_DIR = Path(__file__).with_name("zh_CN")
FACTS = FACTS_DIR / "darwin-intel-brew-go.json"


def doctor(*args: str, lang: str, tmp_path: Path, facts: Path = FACTS):
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": lang,
           "XDG_CACHE_HOME": str(tmp_path / "cache")}  # fmt: skip
    return run_gorig("doctor", "--facts", facts, *args, env=env)


@pytest.mark.parametrize("name", ["darwin-intel-brew-go", "darwin-translated-shell"])
def test_doctor_report_in_chinese(name, tmp_path):
    done = doctor(lang="zh_CN.UTF-8", tmp_path=tmp_path, facts=FACTS_DIR / f"{name}.json")
    assert done.returncode == 1
    assert done.stdout == (EXPECTED_DIR / f"{name}.txt").read_text(encoding="utf-8")


HUMAN = ("title", "detail", "fix")  # a finding's words, in the chosen language


def without_words(document):
    """The JSON with every finding's human words left out: what programs read."""
    if isinstance(document, dict):
        return {k: without_words(v) for k, v in document.items() if k not in HUMAN}
    if isinstance(document, list):
        return [without_words(item) for item in document]
    return document


def test_doctor_json_differs_only_in_the_findings_words(tmp_path):
    chinese = json.loads(doctor("--json", lang="zh_CN.UTF-8", tmp_path=tmp_path).stdout)
    english = json.loads(doctor("--json", lang="en_US.UTF-8", tmp_path=tmp_path).stdout)
    assert without_words(chinese) == without_words(english)
    assert [f["id"] for f in chinese["findings"]] == ["go.arch", "brew.intel-prefix"]
    assert chinese["findings"][0]["title"] != english["findings"][0]["title"]

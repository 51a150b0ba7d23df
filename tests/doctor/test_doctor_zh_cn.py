"""The doctor on recorded darwin facts under LANG=zh_CN.UTF-8, against a reviewed output.

The report's frame (the head line, each passing check's summary, "fix:", the counts) is
Chinese; the findings' own titles and details are still English (the next translation
slice: doctor/checks/), so the expected file shows exactly what a user sees today.
Check ids and the --json document never change with the language.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import run_gorig

FACTS = Path(__file__).with_name("facts") / "darwin-intel-brew-go.json"
EXPECTED = Path(__file__).with_name("zh_CN") / "darwin-intel-brew-go.txt"


def doctor(*args: str, lang: str, tmp_path: Path):
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": lang,
           "XDG_CACHE_HOME": str(tmp_path / "cache")}  # fmt: skip
    return run_gorig("doctor", "--facts", FACTS, *args, env=env)


def test_doctor_report_in_chinese(tmp_path):
    done = doctor(lang="zh_CN.UTF-8", tmp_path=tmp_path)
    assert done.returncode == 1
    assert done.stdout == EXPECTED.read_text(encoding="utf-8")


def test_doctor_json_is_the_same_in_every_language(tmp_path):
    chinese = json.loads(doctor("--json", lang="zh_CN.UTF-8", tmp_path=tmp_path).stdout)
    english = json.loads(doctor("--json", lang="en_US.UTF-8", tmp_path=tmp_path).stdout)
    assert chinese == english

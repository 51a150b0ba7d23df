"""``gorig doctor --facts DIR --report``: one table for many machines' saved facts.

The documents are the recorded machines' (tests/doctor/facts), plus ones another gorig
wrote or that are not facts at all: those are listed as refused, and the rest still report.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import run_gorig

FACTS = Path(__file__).resolve().parent / "facts"


def fleet_dir(tmp_path: Path, *names: str) -> Path:
    fleet = tmp_path / "fleet"
    fleet.mkdir()
    for name in names:
        shutil.copy(FACTS / f"{name}.json", fleet / f"{name}.json")
    return fleet


def test_report_groups_findings_by_id_and_names_each_machine(tmp_path: Path):
    fleet = fleet_dir(
        tmp_path, "darwin-clean", "darwin-intel-go", "darwin-intel-brew-go", "darwin-dlv-amd64"
    )
    done = run_gorig("doctor", "--facts", fleet, "--report", "--json")
    assert done.returncode == 1, done.stderr  # errors on some machines
    report = json.loads(done.stdout)
    assert (report["read"], report["refused"]) == (4, 0)
    by_id = {f["id"]: f for f in report["findings"]}
    assert by_id["go.arch"]["machines"] == ["darwin-intel-brew-go", "darwin-intel-go"]
    assert by_id["go.arch"]["count"] == 2 and by_id["go.arch"]["severity"] == "error"
    assert set(by_id["go.arch"]["fixes"]) == {"darwin-intel-brew-go", "darwin-intel-go"}
    assert by_id["tools.arch"]["machines"] == ["darwin-dlv-amd64"]
    clean = next(m for m in report["machines"] if m["name"] == "darwin-clean")
    assert clean["status"] == "read" and clean["counts"]["error"] == 0
    text = run_gorig("doctor", "--facts", fleet, "--report").stdout
    row = next(line for line in text.splitlines() if line.startswith("go.arch"))
    assert "2/4" in row and "darwin-intel-brew-go,darwin-intel-go" in row
    assert by_id["go.arch"]["fix"] in row


def test_documents_of_other_versions_are_refused_one_line_each(tmp_path: Path):
    fleet = fleet_dir(tmp_path, "darwin-clean")
    newer = json.loads((FACTS / "darwin-clean.json").read_text()) | {"schema": 99}
    (fleet / "future.json").write_text(json.dumps(newer))
    (fleet / "garbage.json").write_bytes(b"\xff\xfe not json")
    (fleet / "list.json").write_text("[1, 2]")
    done = run_gorig("doctor", "--facts", fleet, "--report")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"1 of 4 facts documents read from {fleet}"
    refused = [line for line in lines if line.startswith("refused ")]
    assert len(refused) == 3
    assert any("future" in line and "schema 99, newer" in line for line in refused)
    assert any("garbage" in line and "not UTF-8" in line for line in refused)
    assert "No problems found on 1 machine." in lines
    report = json.loads(run_gorig("doctor", "--facts", fleet, "--report", "--json").stdout)
    statuses = {m["name"]: m["status"] for m in report["machines"]}
    assert statuses == {
        "darwin-clean": "read", "future": "refused", "garbage": "refused", "list": "refused"
    }  # fmt: skip


def test_a_directory_with_no_readable_document_is_an_input_error(tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run_gorig("doctor", "--facts", empty, "--report", "--json")
    assert done.returncode == 2
    assert "no facts documents" in json.loads(done.stdout)["error"]["message"]
    (empty / "bad.json").write_text("{}")
    assert run_gorig("doctor", "--facts", empty, "--report").returncode == 2
    missing = run_gorig("doctor", "--facts", tmp_path / "nowhere", "--report")
    assert missing.returncode == 2 and "cannot read facts directory" in missing.stderr
    usage = run_gorig("doctor", "--report")
    assert usage.returncode == 2 and "--facts DIR" in usage.stderr

"""examples/ansible/fleet.yml, run for real by ansible-core against two local hosts.

Each host is ``connection: local`` with its own HOME and GORIG_HOME; gorig is pip-installed
on each from this source tree, installs Go from the loopback server, saves its facts; the
control play reports. One host has ``GOARCH`` in its ``go env -w`` file: the report must
name it, with the finding, and not the other.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import gobin
from support.dlserver import DownloadServer

pytestmark = [pytest.mark.toolchain, pytest.mark.network]

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOK = ROOT / "examples" / "ansible" / "fleet.yml"
ANSIBLE = Path(sys.executable).with_name("ansible-playbook")
GORIG = Path(sys.executable).with_name("gorig")


def host(tmp_path: Path, name: str, server: DownloadServer) -> dict[str, object]:
    home = tmp_path / name
    (home / ".config").mkdir(parents=True)
    return {
        "ansible_connection": "local",
        "ansible_python_interpreter": sys.executable,
        "host_environment": {
            "HOME": str(home),
            "GORIG_HOME": str(home / "gorig"),
            "GORIG_CONFIG": str(home / "no-config.toml"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "GORIG_INDEX_URL": server.index_url,
            "GORIG_DOWNLOAD_BASE": server.download_base,
            "NO_PROXY": "127.0.0.1",
            "PATH": "/usr/bin:/bin",
        },
    }


@pytest.mark.skipif(not ANSIBLE.exists(), reason="ansible-core is not installed (test extra)")
def test_playbook_reports_the_misconfigured_host(tmp_path: Path):
    with DownloadServer() as server:
        server.add_archive(gobin.GO_1_27)
        hosts = {name: host(tmp_path, name, server) for name in ("good", "broken")}
        go_env = tmp_path / "broken" / ".config" / "go" / "env"
        go_env.parent.mkdir()
        go_env.write_text("GOARCH=arm64\n")
        inventory = {
            "fleet": {
                "hosts": hosts,
                "vars": {
                    "go_version": gobin.GO_1_27,
                    "gorig_package": str(ROOT),
                    "gorig_python": sys.executable,
                    "gorig_source": "official",
                },
            }
        }
        (tmp_path / "inventory.json").write_text(json.dumps(inventory))
        env = {
            **os.environ,
            "ANSIBLE_HOME": str(tmp_path / "ansible"),
            "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible" / "local"),
            "ANSIBLE_REMOTE_TEMP": str(tmp_path / "ansible" / "remote"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_LOCALHOST_WARNING": "0",
        }
        done = subprocess.run(
            [str(ANSIBLE), "-i", str(tmp_path / "inventory.json"), str(PLAYBOOK),
             "-e", f"gorig_control={GORIG}", "-e", f"facts_dir={tmp_path / 'facts'}"],
            env=env, capture_output=True, text=True, timeout=900, cwd=tmp_path,
        )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert sorted(p.name for p in (tmp_path / "facts").iterdir()) == ["broken.json", "good.json"]
    for name in hosts:
        assert (
            tmp_path / name / "gorig" / "toolchains" / f"go{gobin.GO_1_27}.linux-amd64"
        ).is_dir()
    report = json.loads(
        subprocess.run(
            [str(GORIG), "doctor", "--facts", str(tmp_path / "facts"), "--report", "--json"],
            capture_output=True, text=True, check=False,
        ).stdout
    )  # fmt: skip
    overrides = next(f for f in report["findings"] if f["id"] == "env.overrides")
    assert overrides["machines"] == ["broken"] and "GOARCH" in overrides["fix"]
    row = next(line for line in done.stdout.splitlines() if "env.overrides" in line)
    assert "1/2" in row and "broken" in row and "good" not in row

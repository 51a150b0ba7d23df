"""shell setup in Chinese writes the same marked block English gorig recognises.

The block's marker lines never change with the language, so a Chinese gorig's block is
found and removed by an English gorig (and the other way round); what the user reads is
Chinese. The expected lines below are the reviewed output.
"""

from __future__ import annotations

import os
from pathlib import Path

from conftest import run_gorig


def env_for(home: Path, lang: str) -> dict[str, str]:
    return {
        "HOME": str(home),
        "PATH": os.environ["PATH"],
        "SHELL": "/bin/bash",
        "GORIG_HOME": str(home / "gorig"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "LANG": lang,
    }


def test_setup_in_chinese_and_removal_in_english(tmp_path):
    rc = tmp_path / ".bashrc"
    rc.write_text("alias ll='ls -l'\n")
    written = run_gorig("shell", "setup", "--shell", "bash", env=env_for(tmp_path, "zh_CN.UTF-8"))
    assert written.returncode == 0, written.stderr
    shown = written.stdout.replace(str(tmp_path), "~")
    assert shown.splitlines()[0].startswith("已把 gorig 的配置块写入 ~/.bashrc（备份：~/.bashrc")
    assert shown.splitlines()[-1] == "要让它生效：打开一个新的 shell，或运行：source ~/.bashrc"
    text = rc.read_text()
    assert "# >>> gorig >>>\n" in text and text.endswith("# <<< gorig <<<\n")

    again = run_gorig("shell", "setup", "--shell", "bash", env=env_for(tmp_path, "zh_CN.UTF-8"))
    assert again.stdout.replace(str(tmp_path), "~") == "~/.bashrc：已是最新，无需改动\n"

    removed = run_gorig(
        "shell", "setup", "--shell", "bash", "--remove", env=env_for(tmp_path, "en_US.UTF-8")
    )
    assert removed.stdout.startswith(f"removed gorig's block from {rc}")
    assert rc.read_text() == "alias ll='ls -l'\n"

"""`gorig use --local` writes `.go-version` as every user file is written: atomically,
through a symlink (a dotfiles checkout), with a backup of a different old one."""

from __future__ import annotations

from pathlib import Path

from conftest import run_gorig


def test_pin_goes_through_a_symlink_and_keeps_a_backup(tmp_path: Path, gorig_home: Path):
    project = tmp_path / "project"
    project.mkdir()
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "go-version").write_text("1.21.13\n")
    (project / ".go-version").symlink_to(dotfiles / "go-version")
    done = run_gorig("use", "--local", "1.22.5", cwd=project)
    assert done.returncode == 0, done.stderr
    assert (project / ".go-version").is_symlink()
    assert (dotfiles / "go-version").read_text() == "1.22.5\n"
    assert (dotfiles / "go-version.gorig-backup").read_text() == "1.21.13\n"
    assert sorted(p.name for p in dotfiles.iterdir()) == ["go-version", "go-version.gorig-backup"]
    again = run_gorig("use", "--local", "1.22.5", cwd=project)
    assert again.returncode == 0, again.stderr
    assert (dotfiles / "go-version.gorig-backup").read_text() == "1.21.13\n"  # unchanged

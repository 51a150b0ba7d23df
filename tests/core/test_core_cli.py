"""The dispatcher as a user meets it: help, version, unknown commands, clean errors."""

from __future__ import annotations

from conftest import run_gorig
from gorig import __version__
from gorig.cli import COMMANDS


def test_version_prints_the_package_version():
    done = run_gorig("--version")
    assert done.returncode == 0
    assert done.stdout == f"gorig {__version__}\n"


def test_help_lists_every_command():
    done = run_gorig("--help")
    assert done.returncode == 0
    for name in COMMANDS:
        assert f"  {name} " in done.stdout


def test_no_arguments_prints_usage_and_fails():
    done = run_gorig()
    assert done.returncode == 2
    assert "Usage: gorig" in done.stdout


def test_unknown_command_is_one_line_without_traceback():
    done = run_gorig("instal")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "unknown command 'instal'" in done.stderr
    assert "Traceback" not in done.stderr


def test_every_command_module_exists_and_has_configure():
    import importlib

    for module_name, _ in COMMANDS.values():
        module = importlib.import_module(module_name)
        assert callable(module.configure), module_name

"""gorig's command line: a tiny dispatcher that imports only the command being run.

Start-up time is part of the product, so nothing heavy (Typer, Rich, httpx) is imported
here: each command lives in its own module under ``gorig.cli`` exposing
``run(argv) -> int``, and only that module is imported.
"""

from __future__ import annotations

import sys

from gorig import __version__

# command -> (module, one-line summary). Several commands may share a module.
COMMANDS: dict[str, tuple[str, str]] = {
    "inspect": ("gorig.cli.inspect", "What executables are: OS, arch, linkage, Go build info."),
    "install": ("gorig.cli.toolchains", "Install a verified Go toolchain for this machine."),
    "use": ("gorig.cli.toolchains", "Make a version the default, or pin it here (--local)."),
    "list": ("gorig.cli.toolchains", "Installed toolchains (or --remote releases)."),
    "uninstall": ("gorig.cli.toolchains", "Remove an installed toolchain."),
    "prune": ("gorig.cli.toolchains", "Delete downloads and toolchains nothing uses."),
    "which": ("gorig.cli.toolchains", "The toolchain that runs here, and why."),
    "exec": ("gorig.cli.toolchains", "Run a command with a given toolchain first on PATH."),
    "home": ("gorig.cli.toolchains", "Where gorig keeps its files."),
    "verify": ("gorig.cli.verify", "Check a downloaded Go archive: SHA-256, signature."),
    "doctor": ("gorig.cli.doctor", "Diagnose this machine's Go setup and print each fix."),
    "targets": ("gorig.cli.targets", "Go's ports per version; check a target or the environment."),
    "build": ("gorig.cli.build", "Build a release matrix in parallel and prove every artifact."),
    "shell": ("gorig.cli.shell", "Shell set-up for bash, zsh and fish."),
    "proxy": ("gorig.cli.proxy", "Module proxy, checksum database and private modules."),
    "ide": ("gorig.cli.ide", "VS Code and GoLand set-up."),
    "dockerfile": ("gorig.cli.dockerfile", "A multi-platform Dockerfile that cross-compiles."),
    "bench": ("gorig.cli.bench", "What emulation (Rosetta, qemu-user) costs against native code."),
}


def _usage() -> str:
    width = max(map(len, COMMANDS))
    rows = "\n".join(f"  {name.ljust(width)}  {summary}" for name, (_, summary) in COMMANDS.items())
    return (
        f"Usage: gorig [--version] COMMAND [ARGS]...\n\n"
        f"A correct, native, verified Go toolchain on any machine.\n\nCommands:\n{rows}\n\n"
        f"Run 'gorig COMMAND --help' for a command's options.\n"
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gorig`` console script."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(_usage())
        return 0 if args else 2
    if args[0] in ("-V", "--version"):
        sys.stdout.write(f"gorig {__version__}\n")
        return 0
    entry = COMMANDS.get(args[0])
    if entry is None:
        sys.stderr.write(f"gorig: unknown command {args[0]!r}; run 'gorig --help' to list them\n")
        return 2
    from importlib import import_module

    from gorig.errors import GorigError

    try:
        return import_module(entry[0]).run(args)
    except GorigError as error:
        sys.stderr.write(f"gorig: error: {error}\n")
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("gorig: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

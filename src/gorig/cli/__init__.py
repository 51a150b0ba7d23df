"""gorig's command line: a dispatcher that imports only the command being run.

Each command lives in a module under ``gorig.cli`` exposing ``configure(parser, command)``
(see :mod:`gorig.cli.args`); only that module is imported. Every outcome follows the output
contract of :mod:`gorig.cli.output`.
"""

from __future__ import annotations

import sys

from gorig import __version__
from gorig.cli.output import report_error
from gorig.errors import EXIT_OK, EXIT_USAGE, GorigError, os_error_message
from gorig.i18n import N_, _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gorig.cli.args import Parser

# command -> (module, one-line summary, translated where shown). Several commands may share
# a module.
COMMANDS: dict[str, tuple[str, str]] = {
    "inspect": ("gorig.cli.inspect", N_("What executables are: OS, arch, linkage, Go build info.")),
    "install": ("gorig.cli.toolchains", N_("Install a verified Go toolchain for this machine.")),
    "use": ("gorig.cli.toolchains", N_("Make a version the default, or pin it here (--local).")),
    "list": ("gorig.cli.toolchains", N_("Installed toolchains (or --remote releases).")),
    "uninstall": ("gorig.cli.toolchains", N_("Remove an installed toolchain.")),
    "prune": ("gorig.cli.toolchains", N_("Delete downloads and toolchains nothing uses.")),
    "which": ("gorig.cli.toolchains", N_("The toolchain that runs here, and why.")),
    "exec": ("gorig.cli.toolchains", N_("Run a command with a given toolchain first on PATH.")),
    "home": ("gorig.cli.toolchains", N_("Where gorig keeps its files.")),
    "mirror": ("gorig.cli.mirror", N_("A verified toolchain mirror any file server can serve.")),
    "verify": ("gorig.cli.verify", N_("Check a downloaded Go archive: SHA-256, signature.")),
    "doctor": ("gorig.cli.doctor", N_("Diagnose this machine's Go setup and print each fix.")),
    "targets": (
        "gorig.cli.targets",
        N_("Go's ports per version; check a target or the environment."),
    ),
    "build": (
        "gorig.cli.build",
        N_("Build a release matrix in parallel and prove every artifact."),
    ),
    "shell": ("gorig.cli.shell", N_("Shell set-up for bash, zsh and fish.")),
    "proxy": ("gorig.cli.proxy", N_("Module proxy, checksum database and private modules.")),
    "ide": ("gorig.cli.ide", N_("VS Code and GoLand set-up.")),
    "dockerfile": ("gorig.cli.dockerfile", N_("A multi-platform Dockerfile that cross-compiles.")),
    "bench": (
        "gorig.cli.bench",
        N_("What emulation (Rosetta, qemu-user) costs against native code."),
    ),
    "completion": ("gorig.cli.completion", N_("A completion script for bash, zsh or fish.")),
}


def _usage() -> str:
    width = max(map(len, COMMANDS))
    rows = "\n".join(
        f"  {name.ljust(width)}  {_(summary)}" for name, (_module, summary) in COMMANDS.items()
    )
    return _(
        "Usage: gorig [--version] COMMAND [ARGS]...\n\n"
        "A correct, native, verified Go toolchain on any machine.\n\nCommands:\n{rows}\n\n"
        "Run 'gorig COMMAND --help' for a command's options.\n"
        "Exit status: 0 success, 1 failed or found errors, 2 usage or input error.\n"
    ).format(rows=rows)


def command_parser(name: str) -> Parser:
    """The parser of one command, from its module's ``configure``."""
    from gorig.cli.args import Parser

    module, summary = COMMANDS[name]
    parser = Parser(f"gorig {name}", _(summary))
    __import__(module, fromlist=["configure"]).configure(parser, name)  # importlib: an import
    return parser


def _json_requested(args: list[str]) -> bool:
    """``--json`` among the options (before any ``--``), for errors met before parsing ends."""
    options = args[: args.index("--")] if "--" in args else args
    return "--json" in options


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gorig`` console script (``argv`` given: a caller's own run).

    Run as the script, the process exits next: its objects are frozen first, so the
    interpreter's last garbage collections skip them (about a third of a bare Python start
    for the doctor, whose imports made them). Module teardown and atexit handlers still run.
    """
    try:
        return _run(argv)
    finally:
        if argv is None:
            import gc

            gc.freeze()


def _run(argv: list[str] | None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(_usage())
        return EXIT_OK if args else EXIT_USAGE
    if args[0] in ("-V", "--version"):
        sys.stdout.write(f"gorig {__version__}\n")
        return EXIT_OK
    as_json = _json_requested(args)
    from gorig.cli.args import UsageError, parse

    try:
        if args[0] not in COMMANDS:
            raise UsageError(
                _("unknown command {name}").format(name=repr(args[0])),
                hint=_("run 'gorig --help' to list them"),
            )
        namespace = parse(command_parser(args[0]), args[1:])
        as_json = bool(getattr(namespace, "json", False))
        from gorig.context import from_process

        namespace.context = from_process()  # the one context of this command, handed down
        return namespace.run(namespace) or EXIT_OK
    except SystemExit as done:  # --help, or exec's child on Windows
        return done.code if isinstance(done.code, int) else EXIT_OK
    except GorigError as error:
        return report_error(error, as_json=as_json)
    except BrokenPipeError:
        return EXIT_OK
    except OSError as error:  # the one place an operating-system error becomes one line
        failed = GorigError(os_error_message(error, _store_home()), kind="failed")
        return report_error(failed, as_json=as_json)
    except KeyboardInterrupt:
        return report_error(GorigError(_("interrupted"), exit_code=130, kind="interrupted"),
                            as_json=as_json)  # fmt: skip


def _store_home() -> str | None:
    """gorig's store directory, named in OS errors inside it (None when it cannot be told)."""
    from gorig.context import from_process
    from gorig.toolchains.store import default_home

    try:
        return str(default_home(from_process().environ))
    except OSError:  # a relative GORIG_HOME, or the working directory, deleted
        return None


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

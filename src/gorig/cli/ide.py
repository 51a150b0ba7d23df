"""``gorig ide vscode [DIR]`` and ``gorig ide goland [--file PATH]``."""

from __future__ import annotations

import sys
from pathlib import Path

from gorig.cli.args import add_command, add_json
from gorig.cli.output import error, print_json
from gorig.cli.shell import change_dict
from gorig.errors import GorigError
from gorig.i18n import N_, _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import Namespace

    from gorig.cli.args import Parser
    from gorig.configure.goland import JvmOptions
    from gorig.configure.managed import Change

JDK_HELP = N_("The runtime's JDK major version (default: the one each GoLand bundles).")


def configure(parser: Parser, command: str) -> None:
    parser.description = _("VS Code and GoLand set-up.")
    commands = parser.commands()
    vscode = add_command(commands, "vscode", _("Create or merge .vscode settings and launch.json."),
                         _("Create or merge .vscode/settings.json and launch.json (comments and "
                         "keys kept)."))  # fmt: skip
    vscode.add_argument("directory", nargs="?", type=Path, default=Path(), metavar="DIR",
                        help=_("The project (default: here)."))  # fmt: skip
    vscode.add_argument("--install-tools", action="store_true",
                        help=_("Run go install for a missing or wrong dlv/gopls."))  # fmt: skip
    add_json(vscode, N_("Print what changed and the tools' state as JSON."))
    vscode.set_defaults(run=_vscode)
    goland = add_command(
        commands,
        "goland",
        _("JVM options for this machine."),
        _("JVM options for this machine: heap from memory, a collector for the JDK and arch."),
    )
    goland.add_argument("--file", type=Path, metavar="FILE",
                        help=_("A .vmoptions file to write gorig's block into."))  # fmt: skip
    goland.add_argument("--jdk", type=int, metavar="N", help=_(JDK_HELP))
    goland.add_argument("--write", action="store_true",
                        help=_("Write into each installed GoLand's .vmoptions."))  # fmt: skip
    goland.add_argument(
        "--remove", action="store_true", help=_("With --file/--write, take it out.")
    )
    add_json(goland, N_("Print the options as JSON."))
    goland.set_defaults(run=_goland)


def _vscode(args: Namespace) -> int:
    from gorig.configure import tools, vscode

    ctx = args.context
    facts = ctx.facts
    changes = vscode.configure(args.directory, ctx.environ, facts)
    checks, go = vscode.tool_checks(args.directory, ctx.environ, facts)
    commands = tools.install_commands(go, checks)
    errors = tools.install_tools(commands, ctx.environ) if args.install_tools else []
    lines = [" ".join(["GOTOOLCHAIN=local", *command]) for command in commands]
    if args.json:
        print_json({"changes": [change_dict(change) for change in changes],
                    "tools": [one.to_dict() for one in checks], "install": lines,
                    "installed": args.install_tools and not errors,
                    "errors": errors})  # fmt: skip
        return 1 if errors else 0
    _report(changes, False)
    for one in checks:
        if one.problem:
            sys.stdout.write(
                _("{tool}: {problem}").format(tool=one.name, problem=one.problem) + "\n"
            )
    if lines and not args.install_tools:
        sys.stdout.write(_("install them with the project's go (or pass --install-tools):") + "\n")
        sys.stdout.write("".join(f"  {line}\n" for line in lines))
    for failure in errors:
        error(_("go install failed: {failure}").format(failure=failure))
    if args.install_tools and lines and not errors:
        installed = ", ".join(one.name for one in checks if one.problem)
        sys.stdout.write(_("installed {tools}").format(tools=installed) + "\n")
    return 1 if errors else 0


def _goland(args: Namespace) -> None:
    from gorig.configure import goland, managed

    facts = args.context.facts
    installs = goland.find_installs(Path.home(), facts.os, args.context.environ)
    if args.file is not None:
        install = goland.install_reading(args.file, installs)
        body = None if args.remove else goland.block_body(
            goland.options_for(facts, install, args.jdk))  # fmt: skip
        _report([managed.update_block(args.file, body)], args.json)
        return
    chosen = [(one, goland.options_for(facts, one, args.jdk)) for one in installs]
    if args.write:
        if not chosen:
            raise GorigError(_("no GoLand found; pass --file with its .vmoptions file"))
        changes = [managed.update_block(Path(one.vmoptions), None if args.remove
                                        else goland.block_body(options))
                   for one, options in chosen]  # fmt: skip
        _report(changes, args.json)
        return
    fallback = goland.options_for(facts, None, args.jdk)
    if args.json:
        first = chosen[0][1] if chosen else fallback
        print_json({**_options_dict(first), "installs": [
            {**one.to_dict(), **_options_dict(options)} for one, options in chosen]})  # fmt: skip
        return
    for one, options in chosen:
        sys.stdout.write(f"# GoLand {one.version}: {one.vmoptions}\n{goland.block_body(options)}")
    if not chosen:
        sys.stdout.write("# " + _("no GoLand found") + f"\n{goland.block_body(fallback)}")


def _options_dict(options: JvmOptions) -> dict[str, object]:
    return {"heap_mb": options.heap_mb, "collector": options.collector,
            "options": options.options, "notes": options.notes}  # fmt: skip


def _report(changes: list[Change], as_json: bool) -> None:
    if as_json:
        print_json([change_dict(change) for change in changes])
        return
    for change in changes:
        if change.created:
            line = _("{path}: created")
        elif change.changed:
            line = _("{path}: updated")
        else:
            line = _("{path}: already up to date")
        line = line.format(path=change.path)
        if change.backup:
            line += _(" (backup: {backup})").format(backup=change.backup)
        sys.stdout.write(line + "\n")

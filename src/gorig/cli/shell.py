"""``gorig shell init SHELL`` and ``gorig shell setup``: gorig on PATH, pins honoured."""

from __future__ import annotations

import sys

from gorig.cli.args import add_command, add_json
from gorig.cli.output import print_json
from gorig.i18n import N_, _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import Namespace

    from gorig.cli.args import Parser
    from gorig.configure.managed import Change


def configure(parser: Parser, command: str) -> None:
    parser.description = _("Shell set-up for bash, zsh and fish.")
    commands = parser.commands()
    init = add_command(
        commands,
        "init",
        _("Print the shell code for SHELL."),
        _("Print the shell code (PATH and the directory hook) for SHELL."),
    )
    init.add_argument("shell", metavar="SHELL", help=_("bash, zsh or fish"))
    add_json(init, N_("The code and its facts as JSON."))
    init.set_defaults(run=_init)
    setup = add_command(
        commands,
        "setup",
        _("Write gorig's block into the rc file(s) of SHELL."),
        _("Write gorig's block into the rc file(s) of SHELL (backup beside, atomic write)."),
    )
    setup.add_argument("--shell", metavar="SHELL", help=_("bash, zsh or fish (default $SHELL)"))
    setup.add_argument("--remove", action="store_true", help=_("Take gorig's block out again."))
    add_json(setup, N_("Print what changed as JSON."))
    setup.set_defaults(run=_setup)


def _init(args: Namespace) -> None:
    from gorig.configure import shell as shellcode

    facts = args.context.facts
    home = shellcode.gorig_home(facts)
    plan = shellcode.plan_for(args.shell, facts, shellcode.load_exports(home, args.shell))
    code = shellcode.init_code(plan)
    if not args.json:
        sys.stdout.write(code)
        return
    print_json(
        {
            "shell": plan.shell,
            "gorig_home": plan.gorig_home,
            "platform": plan.platform,
            "homebrew_first": plan.homebrew_first,
            "exports": plan.exports,
            "rc_files": [str(path) for path in shellcode.rc_files(plan.shell, facts)],
            "code": code,
        }
    )


def _setup(args: Namespace) -> None:
    from gorig.configure import shell as shellcode

    facts = args.context.facts
    name = shellcode.check_shell(args.shell) if args.shell else shellcode.detect_shell(facts)
    changes = shellcode.setup(name, facts, remove=args.remove)
    if args.json:
        print_json([change_dict(change) for change in changes])
        return
    for change in changes:
        sys.stdout.write(_change_line(change, args.remove) + "\n")
    hint = shellcode.load_hint(changes, remove=args.remove)
    if hint:
        sys.stdout.write(hint + "\n")


def change_dict(change: Change) -> dict[str, object]:
    """A changed file as JSON (``shell setup``, ``ide``)."""
    return {
        "path": str(change.path),
        "changed": change.changed,
        "created": change.created,
        "backup": str(change.backup) if change.backup else None,
    }


def _change_line(change: Change, remove: bool) -> str:
    if not change.changed:
        return _("{path}: already up to date").format(path=change.path)
    line = _("removed gorig's block from {path}") if remove else _("wrote gorig's block to {path}")
    line = line.format(path=change.path)
    if change.backup:
        line += _(" (backup: {backup})").format(backup=change.backup)
    return line

"""``gorig proxy [show | set PRESET|URL]``: module proxy, checksum database, private modules."""

from __future__ import annotations

import sys

from gorig.cli.args import add_command, add_json
from gorig.cli.output import cells, pad, print_json, warn
from gorig.i18n import N_, _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import Namespace

    from gorig.cli.args import Parser
    from gorig.context import Context
    from gorig.host.goenv import GoSetting


def configure(parser: Parser, command: str) -> None:
    parser.description = _(
        "Module proxy (presets: official, cn, io, aliyun), checksum database, private modules.\n"
        "Without a command: the same as 'show'."
    )
    add_json(parser, N_("Print as JSON."))
    parser.set_defaults(run=_show)
    commands = parser.commands()
    show = add_command(commands, "show", _("Each setting's value and where it comes from."),
                       _("Each setting's value and where it comes from (environment, go env -w "
                       "file, $GOROOT/go.env)."))  # fmt: skip
    add_json(show, N_("Print as JSON."))
    show.set_defaults(run=_show)
    change = add_command(commands, "set", _("Set the proxy (and GOPRIVATE, GOSUMDB)."),
                         _("Set the proxy (and optionally GOPRIVATE, GOSUMDB) through go env -w "
                         "or a shell."))  # fmt: skip
    change.add_argument("target", nargs="?", metavar="PRESET|URL",
                        help=_("official, cn, io, aliyun, or proxy URLs"))  # fmt: skip
    change.add_argument("--private", metavar="PATTERNS",
                        help=_("GOPRIVATE: module path patterns, comma-separated"))  # fmt: skip
    change.add_argument("--sumdb", metavar="GOSUMDB", help=_("GOSUMDB (never 'off')"))
    change.add_argument("--shell", metavar="SHELL",
                        help=_("Write into this shell's gorig block, not go env -w."))  # fmt: skip
    add_json(change, N_("Print what was set as JSON."))
    change.set_defaults(run=_set)


def _go(ctx: Context) -> str:
    from gorig.toolchains import go_here

    return str(go_here(ctx.directory, ctx.environ, ctx.facts))


def _show(args: Namespace) -> None:
    from gorig.configure import proxy

    ctx = args.context
    _render(proxy.show(_go(ctx), ctx.environ), args.json)


def _render(settings: list[GoSetting], as_json: bool) -> None:
    if as_json:
        from gorig.configure.proxy import setting_dict

        print_json([setting_dict(setting) for setting in settings])
        return
    from gorig.host.goenv import shown_source

    # Plain aligned columns: values and paths are never wrapped or cut.
    rows = [(_("variable"), _("value"), _("from"))] + [
        (
            item.key,
            item.value or _("(empty)"),
            f"{shown_source(item.source)} ({item.path})"
            if item.path
            else shown_source(item.source),
        )
        for item in settings
    ]
    name_width = max(cells(row[0]) for row in rows)
    value_width = max(cells(row[1]) for row in rows)
    for name, value, where in rows:
        sys.stdout.write(f"{pad(name, name_width)}  {pad(value, value_width)}  {where}\n")


def _set(args: Namespace) -> None:
    from gorig.configure import proxy, shell

    ctx = args.context
    settings = proxy.plan(args.target, args.private, args.sumdb)
    if args.shell is not None:
        facts = ctx.facts
        shell.check_shell(args.shell)
        home = shell.gorig_home(facts)
        shell.add_exports(home, args.shell, settings)
        paths = [str(change.path) for change in shell.setup(args.shell, facts)]
        if args.json:
            return print_json({"settings": settings, "via": args.shell, "files": paths})
        for path in paths:
            written = _("wrote {settings} into {path}")
            sys.stdout.write(written.format(settings=", ".join(settings), path=path) + "\n")
        return None
    warnings = proxy.write_go_env(_go(ctx), settings, ctx.environ)
    if args.json:
        return print_json({"settings": settings, "via": "go env -w", "warnings": warnings})
    for warning in warnings:
        warn(warning)
    for key, value in settings.items():
        sys.stdout.write(f"go env -w {key}={value}\n")
    return None

"""``gorig targets``: Go's ports per version, and ``gorig targets check`` for one target."""

from __future__ import annotations

import sys

from gorig.cli.args import add_command, add_json
from gorig.cli.output import print_json, table
from gorig.i18n import N_, _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import Namespace

    from gorig.cli.args import Parser
    from gorig.context import Context
    from gorig.targets.ports import PortList
    from gorig.versions import GoVersion

LEVELS = {"error": N_("error"), "warning": N_("warning"), "note": N_("note")}
GO_HELP = N_("Go version (default: the toolchain gorig resolves here, or go on PATH).")


def _ports(ctx: Context, go: str | None) -> tuple[GoVersion, PortList]:
    from gorig.matrix.toolchain import gos_to_ask_for_ports, ports_cache_dir
    from gorig.targets.lookup import ports_for
    from gorig.versions import parse_version

    version = parse_version(go) if go else None
    asked = gos_to_ask_for_ports(ctx.directory, ctx.environ, ctx.facts)
    return ports_for(version, asked, ports_cache_dir(ctx.environ))


def _list(ctx: Context, go: str | None, first_class: bool, cgo: bool, as_json: bool) -> int:
    from gorig.targets.subvars import all_rules

    version, ports = _ports(ctx, go)
    chosen = [p for p in ports.ports if (p.first_class or not first_class) and (p.cgo or not cgo)]
    rules = all_rules(version)
    if as_json:
        print_json({"go": str(version), "source": ports.source,
                    "ports": [p.to_dict() for p in chosen],
                    "subvariables": [rule.to_dict() for rule in rules]})  # fmt: skip
        return 0
    broken = _("broken")
    table(
        (_("port"), "cgo", _("first class"), broken),
        [
            (port.name, _yes(port.cgo), _yes(port.first_class), broken if port.broken else "")
            for port in chosen
        ],
        title=_("Go {version} ports ({source})").format(version=version, source=ports.source),
    )
    variables = []
    for rule in rules:
        values = ", ".join(rule.values) + "".join(f" [{s}]" for s in rule.suffixes)
        default = _("ignored") if rule.ignored else rule.default or _("(none)")
        variables.append((rule.name, ", ".join(rule.goarch), values, default))
    sys.stdout.write("\n")
    table((_("variable"), "GOARCH", _("values"), _("default")), variables,
          title=_("Sub-variables in Go {version}").format(version=version))  # fmt: skip
    return 0


def _yes(flag: bool) -> str:
    return _("yes") if flag else ""


def _check(
    ctx: Context, target: str | None, env: bool, go: str | None, cgo: bool, as_json: bool
) -> int:
    from gorig.errors import GorigError
    from gorig.host import native_platform
    from gorig.targets import parse_target
    from gorig.targets.check import check_env, check_target

    if (target is None) == (not env):
        raise GorigError(
            _("targets check: name a TARGET (like linux/arm/7) or pass --env"), exit_code=2
        )
    version, ports = _ports(ctx, go)
    if env:
        verdict = check_env(ctx.environ, version, ports, host=native_platform(ctx.facts))
    else:
        verdict = check_target(parse_target(target or ""), version, ports, cgo=cgo)
    if as_json:
        print_json(verdict.to_dict())
        return 0 if verdict.ok else 1
    state = (
        _("{target}: valid for Go {go} ({source})")
        if verdict.ok
        else _("{target}: invalid for Go {go} ({source})")
    )
    lines = [state.format(target=verdict.target, go=verdict.go, source=verdict.source)]
    lines += [
        "  "
        + _("{level}: {message}").format(level=_(LEVELS[finding.level]), message=finding.message)
        for finding in verdict.findings
    ]
    if verdict.ok and verdict.env:
        settings = " ".join(f"{k}={v}" for k, v in verdict.env.items())
        lines.append("  " + _("env: {settings}").format(settings=settings))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0 if verdict.ok else 1


def configure(parser: Parser, command: str) -> None:
    parser.description = _("Go's ports for a Go version (from its toolchain, else gorig's table).")
    parser.add_argument("--go", metavar="VERSION", help=_(GO_HELP))
    parser.add_argument("--first-class", action="store_true", help=_("Only first-class ports."))
    parser.add_argument("--cgo", action="store_true", help=_("Only ports that support cgo."))
    add_json(parser, N_("Print JSON (Go's own keys)."))
    parser.set_defaults(
        run=lambda args: _list(args.context, args.go, args.first_class, args.cgo, args.json)
    )
    check = add_command(
        parser.commands(),
        "check",
        _("Validate a target (or the environment)."),
        _("Validate a target (or the environment) and explain what Go would do."),
    )
    check.add_argument("target", nargs="?", metavar="TARGET",
                       help=_("linux/arm/7, linux/amd64/v3, ..."))  # fmt: skip
    check.add_argument("--env", action="store_true", help=_("Check GOOS, GOARCH, GOARM... as set."))
    check.add_argument("--go", metavar="VERSION", help=_(GO_HELP))
    check.add_argument("--cgo", action="store_true", help=_("The target will be built with cgo."))
    add_json(check)
    check.set_defaults(run=_run_check)


def _run_check(args: Namespace) -> int:
    return _check(args.context, args.target, args.env, args.go, args.cgo, args.json)

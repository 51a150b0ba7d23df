"""``gorig targets``: Go's ports per version, and ``gorig targets check`` for one target."""

import os
import sys
from pathlib import Path

from gorig.cli.output import console, new_app, print_json, run_app

TYPE_CHECKING = False  # typing costs start-up time; the imports below are for mypy only
if TYPE_CHECKING:
    from gorig.targets.ports import PortList
    from gorig.versions import GoVersion

GO_HELP = "Go version (default: the toolchain gorig resolves here, or go on PATH)."


def _ports(go: str | None) -> "tuple[GoVersion, PortList]":
    from gorig.matrix.toolchain import go_candidates, ports_cache_dir
    from gorig.targets.lookup import ports_for
    from gorig.versions import parse_version

    version = parse_version(go) if go else None
    cwd = Path.cwd()
    return ports_for(version, go_candidates(cwd), ports_cache_dir())


def _list(go: str | None, first_class: bool, cgo: bool, as_json: bool) -> int:
    from rich.table import Table

    from gorig.targets.subvars import all_rules

    version, ports = _ports(go)
    chosen = [p for p in ports.ports if (p.first_class or not first_class) and (p.cgo or not cgo)]
    rules = all_rules(version)
    if as_json:
        print_json({"go": str(version), "source": ports.source,
                    "ports": [p.to_dict() for p in chosen],
                    "subvariables": [rule.to_dict() for rule in rules]})  # fmt: skip
        return 0
    table = Table(title=f"Go {version} ports ({ports.source})", title_justify="left")
    for column in ("port", "cgo", "first class", "broken"):
        table.add_column(column)
    for port in chosen:
        table.add_row(
            port.name, _yes(port.cgo), _yes(port.first_class), "broken" if port.broken else ""
        )
    variables = Table(title=f"Sub-variables in Go {version}", title_justify="left")
    for column in ("variable", "GOARCH", "values", "default"):
        variables.add_column(column)
    for rule in rules:
        values = ", ".join(rule.values) + "".join(f" [{s}]" for s in rule.suffixes)
        default = "ignored" if rule.ignored else rule.default or "(none)"
        variables.add_row(rule.name, ", ".join(rule.goarch), values, default)
    out = console()
    out.print(table)
    out.print(variables, markup=False)
    return 0


def _yes(flag: bool) -> str:
    return "yes" if flag else ""


def _check(target: str | None, env: bool, go: str | None, cgo: bool, as_json: bool) -> int:
    from gorig.errors import GorigError
    from gorig.host import native_platform, probe
    from gorig.targets import parse_target
    from gorig.targets.check import check_env, check_target

    if (target is None) == (not env):
        raise GorigError(
            "targets check: name a TARGET (like linux/arm/7) or pass --env", exit_code=2
        )
    version, ports = _ports(go)
    if env:
        verdict = check_env(os.environ, version, ports, host=native_platform(probe()))
    else:
        verdict = check_target(parse_target(target or ""), version, ports, cgo=cgo)
    if as_json:
        print_json(verdict.to_dict())
        return 0 if verdict.ok else 1
    state = "valid" if verdict.ok else "invalid"
    lines = [f"{verdict.target}: {state} for Go {verdict.go} ({verdict.source})"]
    lines += [f"  {finding.level}: {finding.message}" for finding in verdict.findings]
    if verdict.ok and verdict.env:
        lines.append("  env: " + " ".join(f"{k}={v}" for k, v in verdict.env.items()))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0 if verdict.ok else 1


def run(argv: list[str]) -> int:
    """Entry point for ``gorig targets``; ``argv[0]`` is the command name."""
    import typer

    app = new_app("Go's ports for a Go version (from its toolchain, else gorig's table).")
    outcome = {"code": 0}

    @app.callback(invoke_without_command=True)
    def targets(
        ctx: typer.Context,
        go: str | None = typer.Option(None, "--go", help=GO_HELP),
        first_class: bool = typer.Option(False, "--first-class", help="Only first-class ports."),
        cgo: bool = typer.Option(False, "--cgo", help="Only ports that support cgo."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON (Go's own keys)."),
    ) -> None:
        if ctx.invoked_subcommand is None:
            outcome["code"] = _list(go, first_class, cgo, as_json)

    @app.command()
    def check(
        target: str | None = typer.Argument(None, help="linux/arm/7, linux/amd64/v3, ..."),
        env: bool = typer.Option(False, "--env", help="Check GOOS, GOARCH, GOARM... as set."),
        go: str | None = typer.Option(None, "--go", help=GO_HELP),
        cgo: bool = typer.Option(False, "--cgo", help="The target will be built with cgo."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Validate a target (or the environment) and explain what Go would do."""
        outcome["code"] = _check(target, env, go, cgo, as_json)

    code = run_app(app, argv[1:], prog="gorig targets")
    return code or outcome["code"]

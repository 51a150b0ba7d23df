"""``gorig proxy [show | set PRESET|URL]``: module proxy, checksum database, private modules."""

import os
import sys
from typing import TYPE_CHECKING, Annotated

from gorig.cli.output import new_app, print_json, run_app

if TYPE_CHECKING:
    import typer


def _app() -> "typer.Typer":
    import typer

    from gorig.configure import proxy, shell
    from gorig.host import probe
    from gorig.toolchains.store import Store

    app = new_app(
        "Module proxy (presets: official, cn, io, aliyun), checksum database, private modules."
    )

    def go() -> str:
        default = Store.open(os.environ).default()
        return proxy.find_go(os.environ, default.go if default else None)

    def render(settings: list[proxy.Setting], json: bool) -> None:
        if json:
            print_json([setting.to_dict() for setting in settings])
            return
        # Plain aligned columns: values and paths are never wrapped or cut.
        rows = [("variable", "value", "from")] + [
            (
                item.name,
                item.value or "(empty)",
                f"{item.source} ({item.file})" if item.file else item.source,
            )
            for item in settings
        ]
        name_width = max(len(row[0]) for row in rows)
        value_width = max(len(row[1]) for row in rows)
        for name, value, where in rows:
            sys.stdout.write(f"{name.ljust(name_width)}  {value.ljust(value_width)}  {where}\n")

    @app.callback(invoke_without_command=True)
    def main(
        ctx: typer.Context,
        json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    ) -> None:
        """Without a subcommand: the same as `show`."""
        if ctx.invoked_subcommand is None:
            render(proxy.show(go(), os.environ), json)

    @app.command("show")
    def show_command(
        json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    ) -> None:
        """Each setting's value and where it comes from (environment, go env -w, go.env)."""
        render(proxy.show(go(), os.environ), json)

    @app.command("set")
    def set_command(
        target: Annotated[
            str | None, typer.Argument(help="official, cn, io, aliyun, or proxy URLs")
        ] = None,
        private: Annotated[
            str | None, typer.Option(help="GOPRIVATE: module path patterns, comma-separated")
        ] = None,
        sumdb: Annotated[str | None, typer.Option(help="GOSUMDB (never 'off')")] = None,
        shell_name: Annotated[
            str | None,
            typer.Option("--shell", help="Write into this shell's gorig block, not go env -w."),
        ] = None,
    ) -> None:
        """Set the proxy (and optionally GOPRIVATE, GOSUMDB) through go env -w or a shell."""
        settings = proxy.plan(target, private, sumdb)
        if shell_name is not None:
            facts = probe()
            shell.check_shell(shell_name)
            home = shell.gorig_home(facts)
            shell.add_exports(home, shell_name, settings)
            for change in shell.setup(shell_name, facts):
                sys.stdout.write(f"wrote {', '.join(settings)} into {change.path}\n")
            return
        for warning in proxy.write_go_env(go(), settings, os.environ):
            sys.stderr.write(f"gorig: warning: {warning}\n")
        for key, value in settings.items():
            sys.stdout.write(f"go env -w {key}={value}\n")

    return app


def run(argv: list[str]) -> int:
    return run_app(_app(), argv[1:], prog="gorig proxy")

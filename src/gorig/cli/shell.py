"""``gorig shell init SHELL`` and ``gorig shell setup``: gorig on PATH, pins honoured."""

import sys
from typing import TYPE_CHECKING, Annotated

from gorig.cli.output import new_app, print_json, run_app

if TYPE_CHECKING:
    import typer

    from gorig.configure.managed import Change


def _app() -> "typer.Typer":
    import typer

    from gorig.configure import shell as shellcode
    from gorig.host import probe

    app = new_app("Shell set-up for bash, zsh and fish.")

    @app.command()
    def init(
        shell: Annotated[str, typer.Argument(help="bash, zsh or fish")],
        json: Annotated[
            bool, typer.Option("--json", help="The code and its facts as JSON.")
        ] = False,
    ) -> None:
        """Print the shell code (PATH and the directory hook) for SHELL."""
        facts = probe()
        home = shellcode.gorig_home(facts)
        plan = shellcode.plan_for(shell, facts, shellcode.load_exports(home, shell))
        code = shellcode.init_code(plan)
        if json:
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
            return
        sys.stdout.write(code)

    @app.command()
    def setup(
        shell: Annotated[
            str | None, typer.Option(help="bash, zsh or fish (default $SHELL)")
        ] = None,
        remove: Annotated[bool, typer.Option(help="Take gorig's block out again.")] = False,
        json: Annotated[bool, typer.Option("--json", help="Print what changed as JSON.")] = False,
    ) -> None:
        """Write gorig's block into the rc file(s) of SHELL (backup beside, atomic write)."""
        facts = probe()
        name = shellcode.check_shell(shell) if shell else shellcode.detect_shell(facts)
        changes = shellcode.setup(name, facts, remove=remove)
        if json:
            print_json([_change_dict(change) for change in changes])
            return
        for change in changes:
            sys.stdout.write(_change_line(change, remove) + "\n")
        hint = shellcode.load_hint(changes, remove=remove)
        if hint:
            sys.stdout.write(hint + "\n")

    return app


def _change_dict(change: "Change") -> dict[str, object]:
    return {
        "path": str(change.path),
        "changed": change.changed,
        "created": change.created,
        "backup": str(change.backup) if change.backup else None,
    }


def _change_line(change: "Change", remove: bool) -> str:
    if not change.changed:
        return f"{change.path}: already up to date"
    verb = "removed gorig's block from" if remove else "wrote gorig's block to"
    backup = f" (backup: {change.backup})" if change.backup else ""
    return f"{verb} {change.path}{backup}"


def run(argv: list[str]) -> int:
    return run_app(_app(), argv[1:], prog="gorig shell")

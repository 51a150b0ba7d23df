"""``gorig ide vscode [DIR]`` and ``gorig ide goland [--file PATH]``."""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from gorig.cli.output import new_app, print_json, run_app

if TYPE_CHECKING:
    import typer


def _app() -> "typer.Typer":
    import typer

    from gorig.configure import goland, managed, vscode
    from gorig.host import probe

    app = new_app("VS Code and GoLand set-up.")

    @app.command("vscode")
    def vscode_command(
        directory: Annotated[Path, typer.Argument(help="The project (default: here).")] = Path(),
        json: Annotated[bool, typer.Option("--json", help="Print what changed as JSON.")] = False,
    ) -> None:
        """Create or merge .vscode/settings.json and launch.json (comments and keys kept)."""
        changes = vscode.configure(directory, os.environ, probe())
        _report(changes, json)

    @app.command("goland")
    def goland_command(
        file: Annotated[
            Path | None, typer.Option(help="A .vmoptions file to write gorig's block into.")
        ] = None,
        jdk: Annotated[int, typer.Option(help="GoLand's JDK major version.")] = goland.BUNDLED_JDK,
        remove: Annotated[bool, typer.Option(help="With --file, take the block out.")] = False,
        json: Annotated[bool, typer.Option("--json", help="Print the options as JSON.")] = False,
    ) -> None:
        """JVM options for this machine: heap from memory, a collector for the JDK and arch."""
        options = goland.jvm_options(probe(), jdk)
        if file is not None:
            body = None if remove else goland.block_body(options)
            _report([managed.update_block(file, body)], json)
        elif json:
            print_json(
                {
                    "heap_mb": options.heap_mb,
                    "collector": options.collector,
                    "options": options.options,
                    "notes": options.notes,
                }
            )
        else:
            sys.stdout.write(goland.block_body(options))

    return app


def _report(changes: list, json: bool) -> None:
    if json:
        print_json(
            [
                {
                    "path": str(change.path),
                    "changed": change.changed,
                    "created": change.created,
                    "backup": str(change.backup) if change.backup else None,
                }
                for change in changes
            ]
        )
        return
    for change in changes:
        state = "created" if change.created else "updated" if change.changed else "up to date"
        backup = f" (backup: {change.backup})" if change.backup else ""
        sys.stdout.write(f"{change.path}: {state}{backup}\n")


def run(argv: list[str]) -> int:
    return run_app(_app(), argv[1:], prog="gorig ide")

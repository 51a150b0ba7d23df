"""``gorig verify FILE``: check a downloaded Go archive, one verdict per check."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from gorig.cli.output import console, new_app, print_json, run_app

if TYPE_CHECKING:
    from gorig.toolchains.trust.checks import Check

STYLES = {"pass": "green", "fail": "bold red", "warn": "yellow", "skip": "dim"}


def run(argv: list[str]) -> int:
    """Entry point for ``gorig verify``; ``argv[0]`` is the command name."""
    import typer

    app = new_app("Check a downloaded Go archive: SHA-256, OpenPGP signature, checksum database.")
    outcome: dict[str, int] = {}

    @app.command()
    def verify(
        file: Annotated[
            Path,
            typer.Argument(metavar="FILE", help="The archive, e.g. go1.22.5.linux-amd64.tar.gz."),
        ],
        sha256: Annotated[
            str | None, typer.Option("--sha256", help="The expected SHA-256 (hex).")
        ] = None,
        signature: Annotated[
            Path | None,
            typer.Option("--signature", help="The detached signature (default: FILE.asc)."),
        ] = None,
        signing_key: Annotated[
            Path | None,
            typer.Option("--signing-key", help="Key file to trust instead of Go's release key."),
        ] = None,
        sumdb: Annotated[
            bool, typer.Option("--sumdb", help="Also check Go's checksum database (GOSUMDB).")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print verdicts as JSON.")] = False,
    ) -> None:
        from gorig.toolchains.trust.checks import verify_file

        checks = verify_file(
            file, sha256=sha256, signature=signature, signing_key=signing_key, sumdb=sumdb
        )
        failed = any(check.verdict == "fail" for check in checks)
        if as_json:
            print_json(
                {"file": str(file), "ok": not failed, "checks": [c.to_dict() for c in checks]}
            )
        else:
            _render(file, checks, failed)
        outcome["code"] = 1 if failed else 0

    code = run_app(app, argv[1:], prog="gorig verify")
    return code or outcome.get("code", 0)


def _render(file: Path, checks: "list[Check]", failed: bool) -> None:
    from rich.markup import escape

    out = console()
    out.print(escape(file.name))
    for check in checks:
        style = STYLES[check.verdict]
        out.print(
            f"  {check.name:<10} [{style}]{check.verdict:<4}[/{style}]  {escape(check.detail)}"
        )
    warned = any(check.verdict == "warn" for check in checks)
    if failed:
        out.print("[bold red]FAILED[/bold red]: do not use this archive")
    elif warned:
        out.print("[yellow]OK with warnings[/yellow]: some checks could not be made (see above)")
    else:
        out.print("[green]OK[/green]")

"""``gorig build [PACKAGE] --targets LIST``: a proven release matrix."""

import sys
from pathlib import Path
from typing import Any

from gorig.cli.output import console, new_app, print_json, run_app

TYPE_CHECKING = False  # typing costs start-up time; the import below is for mypy only
if TYPE_CHECKING:
    from gorig.matrix.run import BuildPlan, BuildReport

STATE_STYLE = {"waiting": "dim", "building": "yellow", "joining": "yellow",
               "verifying": "cyan", "ok": "green", "failed": "red"}  # fmt: skip


def _plan(package: str, targets: str | None, options: dict[str, Any]) -> "tuple[BuildPlan, str]":
    from gorig.host import probe
    from gorig.matrix.plan import make_plan

    out_dir = Path(options.pop("out")).absolute()
    return make_plan(package, targets, cwd=Path.cwd(), out_dir=out_dir, facts=probe(), **options)


def _run_live(plan: "BuildPlan", go_version: str) -> "BuildReport":
    """Run the matrix under a live per-target table (terminal only)."""
    from threading import Lock

    from rich.live import Live
    from rich.table import Table

    from gorig.matrix.run import run_matrix

    states = {str(target): "waiting" for target in plan.targets}
    lock = Lock()

    def render() -> Table:
        table = Table(title=f"gorig build ({plan.jobs} at once)", title_justify="left")
        table.add_column("target")
        table.add_column("state")
        for target, state in states.items():
            table.add_row(target, f"[{STATE_STYLE[state]}]{state}[/]")
        return table

    with Live(render(), console=console(stderr=True), refresh_per_second=4) as live:

        def on_event(target: str, state: str) -> None:
            with lock:
                states[target] = state
                live.update(render())

        return run_matrix(plan, go_version, on_event)


def _summary(report: "BuildReport") -> None:
    from rich.table import Table

    table = Table(title=f"Built with go{report.go} into {report.out_dir}", title_justify="left")
    for column in ("target", "artifact", "result", "found", "linkage", "size", "seconds"):
        table.add_column(column)
    for result in report.results:
        found = result.found
        seen = "/".join(str(found[key]) for key in ("goos", "goarch") if found.get(key))
        if found.get("variant"):
            seen += f" {found['variant']}"
        verdict = "[green]ok[/]" if result.ok else f"[red]FAILED[/] {result.error or ''}"
        size = f"{result.size / 1e6:.1f} MB" if result.size else ""
        table.add_row(result.target, result.artifact, verdict, seen,
                      found.get("linkage") or "", size, f"{result.seconds:.1f}")  # fmt: skip
    out = console()
    if not out.is_terminal:
        out.width = max(out.width, 160)  # a log file has no edge to wrap at
    out.print(table)
    if report.checksums:
        out.print(f"checksums: {report.checksums}", markup=False)


def _build(package: str, targets: str | None, as_json: bool, options: dict[str, Any]) -> int:
    from gorig.matrix.run import run_matrix

    plan, go_version = _plan(package, targets, options)
    if not as_json:
        sys.stdout.write("".join(f"setting: {setting}\n" for setting in plan.settings))
    live = not as_json and console(stderr=True).is_terminal
    report = _run_live(plan, go_version) if live else run_matrix(plan, go_version)
    if as_json:
        print_json(report.to_dict())
    else:
        _summary(report)
    failed = [r.target for r in report.results if not r.ok]
    if failed and not as_json:
        sys.stderr.write(f"gorig: {len(failed)} of {len(report.results)} targets failed: "
                         f"{', '.join(failed)}\n")  # fmt: skip
    return 1 if failed else 0


def run(argv: list[str]) -> int:
    """Entry point for ``gorig build``; ``argv[0]`` is the command name."""
    import typer

    app = new_app("Build a release matrix in parallel and prove every artifact.")
    outcome = {"code": 0}

    @app.command()
    def build(
        package: str = typer.Argument(".", help="The package to build (default: .)."),
        targets: str | None = typer.Option(
            None, "--targets", "-t", help="Targets, groups, !exclusions (default: GOOS/GOARCH)."
        ),
        jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Builds at once (0: auto)."),
        cgo: bool | None = typer.Option(
            None, "--cgo/--no-cgo", help="CGO_ENABLED=1 or 0 (default: CGO_ENABLED, else 0)."
        ),
        trimpath: bool = typer.Option(True, "--trimpath/--no-trimpath", help="Pass -trimpath."),
        ldflags: str | None = typer.Option(None, "--ldflags", help="Passed to go build."),
        tags: str | None = typer.Option(None, "--tags", help="Passed to go build."),
        name: str | None = typer.Option(
            None, "--name", help="File name template: {name} {os} {arch} {variant} {ext}."
        ),
        out: str = typer.Option("dist", "--out", "-o", help="Output directory."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        """Build PACKAGE for every target of the list in parallel, prove each artifact by
        reading it back, and write SHA256SUMS. Targets: linux/arm/7, linux/amd64/v3,
        darwin/universal; groups: first-class, all, host; exclusions: !windows/386. Exported
        GOOS, GOARCH, GOARM... and CGO_ENABLED count, as for go build."""
        options = {"jobs": jobs, "cgo": cgo, "trimpath": trimpath, "ldflags": ldflags,
                   "tags": tags, "template": name, "out": out}  # fmt: skip
        outcome["code"] = _build(package, targets, as_json, options)

    code = run_app(app, argv[1:], prog="gorig build")
    return code or outcome["code"]

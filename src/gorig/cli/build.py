"""``gorig build [PACKAGE] --targets LIST``: a proven release matrix."""

from __future__ import annotations

import sys
from argparse import BooleanOptionalAction

from gorig.cli.args import add_json
from gorig.cli.output import console, print_json, table
from gorig.errors import GorigError
from gorig.i18n import N_, _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import Namespace
    from typing import Any

    from gorig.cli.args import Parser
    from gorig.context import Context
    from gorig.matrix.run import BuildPlan, BuildReport

# A target's states (the build's ids) as shown.
STATES = {"waiting": N_("waiting"), "building": N_("building"), "joining": N_("joining"),
          "verifying": N_("verifying"), "ok": N_("ok"), "failed": N_("failed")}  # fmt: skip
STATE_STYLE = {"waiting": "dim", "building": "yellow", "joining": "yellow",
               "verifying": "cyan", "ok": "green", "failed": "red"}  # fmt: skip


def _plan(
    ctx: Context, package: str, targets: str | None, options: dict[str, Any]
) -> tuple[BuildPlan, str]:
    from gorig.matrix.plan import make_plan

    out_dir = ctx.directory / options.pop("out")
    return make_plan(package, targets, cwd=ctx.directory, out_dir=out_dir, facts=ctx.facts,
                     env=ctx.environ, build=ctx.config.build, **options)  # fmt: skip


def _run_live(plan: BuildPlan, go_version: str) -> BuildReport:
    """Run the matrix under a live per-target table (terminal only)."""
    from threading import Lock

    from rich.live import Live
    from rich.table import Table

    from gorig.matrix.run import run_matrix

    states = {str(target): "waiting" for target in plan.targets}
    lock = Lock()

    def render() -> Table:
        title = _("gorig build ({jobs} at once)").format(jobs=plan.jobs)
        table = Table(title=title, title_justify="left")
        table.add_column(_("target"))
        table.add_column(_("state"))
        for target, state in states.items():
            table.add_row(target, f"[{STATE_STYLE[state]}]{_(STATES[state])}[/]")
        return table

    with Live(render(), console=console(stderr=True), refresh_per_second=4) as live:

        def on_event(target: str, state: str) -> None:
            with lock:
                states[target] = state
                live.update(render())

        return run_matrix(plan, go_version, on_event)


def _summary(report: BuildReport) -> None:
    rows = []
    for result in report.results:
        found = result.found
        seen = "/".join(str(found[key]) for key in ("goos", "goarch") if found.get(key))
        if found.get("variant"):
            seen += f" {found['variant']}"
        verdict = _("ok") if result.ok else _("FAILED {error}").format(error=result.error or "")
        size = f"{result.size / 1e6:.1f} MB" if result.size else ""
        rows.append((result.target, result.artifact, verdict, seen,
                     found.get("linkage") or "", size, f"{result.seconds:.1f}"))  # fmt: skip
    headers = (_("target"), _("artifact"), _("result"), _("found"), _("linkage"), _("size"),
               _("seconds"))  # fmt: skip
    title = _("Built with go{version} into {directory}")
    table(headers, rows, title=title.format(version=report.go, directory=report.out_dir))
    if report.checksums:
        sys.stdout.write(_("checksums: {file}").format(file=report.checksums) + "\n")


def _build(
    ctx: Context, package: str, targets: str | None, as_json: bool, options: dict[str, Any]
) -> int:
    from gorig.matrix.run import run_matrix

    plan, go_version = _plan(ctx, package, targets, options)
    if not as_json:
        setting_line = _("setting: {setting}")
        sys.stdout.write(
            "".join(setting_line.format(setting=s.shown()) + "\n" for s in plan.settings)
        )
    live = not as_json and sys.stderr.isatty()
    report = _run_live(plan, go_version) if live else run_matrix(plan, go_version)
    if as_json:
        print_json(report.to_dict())
    else:
        _summary(report)
    failed = [r.target for r in report.results if not r.ok]
    if failed and not as_json:
        raise GorigError(_("{failed} of {total} targets failed: {targets}").format(
            failed=len(failed), total=len(report.results), targets=", ".join(failed)))  # fmt: skip
    return 1 if failed else 0


def configure(parser: Parser, command: str) -> None:
    parser.description = _(
        "Build PACKAGE for every target of the list in parallel, prove each artifact by\n"
        "reading it back, and write SHA256SUMS. Targets: linux/arm/7, linux/amd64/v3,\n"
        "darwin/universal; groups: first-class, all, host; exclusions: !windows/386. Exported\n"
        "GOOS, GOARCH, GOARM... and CGO_ENABLED count, as for go build."
    )
    parser.add_argument("package", nargs="?", default=".", metavar="PACKAGE",
                        help=_("The package to build (default: .)."))  # fmt: skip
    parser.add_argument("--targets", "-t", metavar="LIST",
                        help=_("Targets, groups, !exclusions (default: GOOS/GOARCH)."))  # fmt: skip
    parser.add_argument("--jobs", "-j", type=_jobs, default=0, metavar="N",
                        help=_("Builds at once (0: auto)."))  # fmt: skip
    parser.add_argument("--cgo", action=BooleanOptionalAction,
                        help=_("CGO_ENABLED=1 or 0 (default: CGO_ENABLED, else 0)."))  # fmt: skip
    parser.add_argument(
        "--cc",
        choices=("auto", "zig"),
        help=_("C compiler of cgo targets (default: config, else auto)."),
    )
    parser.add_argument("--trimpath", action=BooleanOptionalAction, default=True,
                        help=_("Pass -trimpath."))  # fmt: skip
    parser.add_argument("--ldflags", metavar="FLAGS", help=_("Passed to go build."))
    parser.add_argument("--tags", metavar="TAGS", help=_("Passed to go build."))
    parser.add_argument(
        "--name",
        metavar="TEMPLATE",
        help=_("File name template: {name} {os} {arch} {variant} {ext}."),
    )
    parser.add_argument("--out", "-o", default="dist", metavar="DIR",
                        help=_("Output directory (default: dist)."))  # fmt: skip
    add_json(parser, N_("Print the report as JSON."))
    parser.set_defaults(run=_run)


def _jobs(text: str) -> int:
    """A job count, 0 or more (argparse turns the ValueError into a usage error)."""
    jobs = int(text)
    if jobs < 0:
        raise ValueError(text)
    return jobs


def _run(args: Namespace) -> int:
    options = {"jobs": args.jobs, "cgo": args.cgo, "cc": args.cc, "trimpath": args.trimpath,
               "ldflags": args.ldflags, "tags": args.tags, "template": args.name,
               "out": args.out}  # fmt: skip
    return _build(args.context, args.package, args.targets, args.json, options)

"""``gorig bench``: native against emulated (Rosetta, qemu-user) on this machine."""

from __future__ import annotations

import sys
from pathlib import Path

from gorig.cli.args import add_json
from gorig.cli.output import console, print_json, table
from gorig.errors import GorigError
from gorig.i18n import N_, _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import Namespace
    from collections.abc import Callable

    from gorig.bench import BenchReport, Measurement, Plans, Step
    from gorig.bench.stats import Timing
    from gorig.cli.args import Parser
    from gorig.context import Context

PLOT_SUFFIXES = (".svg", ".png")


def configure(parser: Parser, command: str) -> None:
    parser.description = _(
        "What emulation (Rosetta, qemu-user) costs against native code, measured here.\n\n"
        "Build each workload natively and for ARCH, run both, compare the times."
    )
    parser.add_argument("--workloads", default="", metavar="LIST",
                        help=_("Comma-separated workloads (default: all of them)."))  # fmt: skip
    parser.add_argument(
        "--against",
        metavar="ARCH",
        help=_("Foreign GOARCH (default: amd64 on arm64 hosts, else arm64)."),
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        metavar="N",
        help=_("Measured runs per binary, after a warm-up (default: 5)."),
    )
    parser.add_argument("--scale", type=int, default=5, metavar="N",
                        help=_("Work per run, in each workload's units (default: 5)."))  # fmt: skip
    add_json(parser, N_("Print the results as JSON."))
    parser.add_argument("--plot", type=Path, metavar="FILE",
                        help=_("Write a bar chart of the ratios (.svg or .png)."))  # fmt: skip
    parser.set_defaults(run=_bench)


def _bench(args: Namespace) -> None:
    plot = args.plot
    if plot is not None and plot.suffix.lower() not in PLOT_SUFFIXES:
        raise GorigError(f"--plot {plot}: name the chart .svg or .png", exit_code=2)
    report = _measure(
        args.context, args.workloads, args.against, args.runs, args.scale, quiet=args.json
    )
    if plot is not None:
        _write_plot(report, plot)
    if args.json:
        print_json(report.to_dict())
    else:
        _print_table(report)
    differ = [result.name for result in report.results if not result.answers_match]
    if differ:
        raise GorigError(
            f"emulated {', '.join(differ)} gave a different answer than native: "
            "the emulator is miscomputing; try a newer version of it"
        )


def _measure(
    ctx: Context, workloads: str, against: str | None, runs: int, scale: int, *, quiet: bool
) -> BenchReport:
    from gorig.bench import make_plans, make_settings, run_bench
    from gorig.bench.emulation import default_against, find_emulators
    from gorig.toolchains import go_here

    facts = ctx.facts
    arch = against or default_against(facts)
    names = [name.strip() for name in workloads.split(",") if name.strip()]
    settings = make_settings(facts, names, arch, runs, scale)
    plans = make_plans(facts, arch, find_emulators(facts))
    go = go_here(ctx.directory, ctx.environ, facts)
    work = lambda step: run_bench(go, plans, settings, step, ctx.environ)  # noqa: E731
    return work(lambda _label: None) if quiet else _with_progress(work, settings, plans)


def _with_progress(
    work: Callable[[Step], BenchReport], settings: Measurement, plans: Plans
) -> BenchReport:
    """Run ``work`` under a Rich progress bar on a terminal, silently otherwise."""
    if not sys.stderr.isatty():
        return work(lambda _label: None)
    err = console(stderr=True)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        label = _("bench against {via}").format(via=plans.foreign.via)
        task = progress.add_task(label, total=settings.steps)

        def step(label: str) -> None:
            progress.update(task, description=label, advance=1)

        return work(step)


def _print_table(report: BenchReport) -> None:
    plans = report.plans
    rows = [
        (result.name, _time(result.native), _time(result.emulated), f"{result.ratio:.2f}×",
         _("same") if result.answers_match else _("DIFFERENT"))
        for result in report.results
    ]  # fmt: skip
    rows.append((_("geometric mean"), "", "", f"{report.geomean_ratio:.2f}×", ""))
    title = _(
        "{native} native against {foreign} via {via} ({go}, {runs} runs, scale {scale})"
    ).format(
        native=f"{plans.goos}/{plans.native.goarch}",
        foreign=f"{plans.goos}/{plans.foreign.goarch}",
        via=plans.foreign.via,
        go=report.go_version,
        runs=report.settings.runs,
        scale=report.settings.scale,
    )
    headers = (_("workload"), _("native"), _("emulated"), _("ratio"), _("answer"))
    table(headers, rows, title=title)


def _time(timing: Timing) -> str:
    """Median in milliseconds with the spread of the runs: ``12.3 ms ±4%``."""
    return f"{timing.median_ns / 1e6:.1f} ms ±{timing.spread * 100:.0f}%"


def _write_plot(report: BenchReport, path: Path) -> None:
    """Write the ratio chart, as PNG or SVG by the file's suffix."""
    from gorig.bench.plot import layout, to_svg
    from gorig.bench.png import to_png

    plans = report.plans
    title = (
        f"{plans.foreign.goarch} via {plans.foreign.via} vs native {plans.native.goarch}, "
        "times slower"
    )
    ratios = [(result.name, result.ratio) for result in report.results]
    chart = layout(title, ratios, report.geomean_ratio)
    data = to_png(chart) if path.suffix.lower() == ".png" else to_svg(chart).encode()
    try:
        path.write_bytes(data)
    except OSError as error:
        raise GorigError(
            _("cannot write --plot {path}: {why}").format(path=path, why=error.strerror)
        ) from error

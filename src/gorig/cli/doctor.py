"""``gorig doctor``: collect facts (or load saved ones), run the checks, print each fix."""

from __future__ import annotations

import sys

from gorig.cli.args import add_json
from gorig.doctor.verdict import (
    EXIT_BROKEN,
    EXIT_CLEAN,
    counts,
    exit_code,
    facts_summary,
    json_report,
)
from gorig.errors import GorigError
from gorig.i18n import N_, _, ngettext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import Namespace
    from typing import Any

    from gorig.cli.args import Parser
    from gorig.doctor.facts import Facts
    from gorig.doctor.findings import CheckResult

MARKS = {"ok": "✓", "info": "i", "warning": "!", "error": "✗", "failed": "☠"}
COLOURS = {"ok": "32", "info": "36", "warning": "33", "error": "31", "failed": "35"}

DESCRIPTION = N_(
    "Find what is wrong with this machine's Go set-up, and print the fix for each problem."
)
EPILOG = N_("""\
Exit status: 0 clean or warnings only, 1 errors (or warnings with --strict),
2 when the doctor itself could not run.
""")


def configure(parser: Parser, command: str) -> None:
    parser.description = _(DESCRIPTION)
    parser.epilog = _(EPILOG)
    add_json(parser, N_("print findings as JSON"))
    parser.add_argument(
        "--strict",
        action="store_true",
        help=_("exit 1 on warnings and on checks that could not run, too"),
    )
    parser.add_argument(
        "--save",
        metavar="FILE",
        help=_("also write the facts to FILE (home shown as ~, secrets redacted)"),
    )
    parser.add_argument(
        "--facts",
        metavar="FILE",
        help=_(
            "diagnose facts saved with --save instead of this machine (with --report: a "
            "directory of them)"
        ),
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help=_("one report for a fleet: each finding, how many machines have it, which, the fix"),
    )
    parser.add_argument(
        "--check",
        action="extend",
        nargs="+",
        default=[],
        metavar="ID",
        help=_("run only these checks (see --list-checks)"),
    )
    parser.add_argument("--list-checks", action="store_true", help=_("list the check ids"))
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help=_("show each probe's time (and every fact with --json)"),
    )
    parser.set_defaults(run=_doctor)


def _doctor(options: Namespace) -> int:
    if options.list_checks:
        return _list_checks(options.json)
    if options.report:
        return _fleet_report(options)
    facts = _facts(options)
    if options.save:
        _save(facts, options.save, quiet=options.json)
    from gorig.doctor.checks import run_checks

    results = run_checks(facts, options.check)
    if options.json:
        _print_json(facts, results, options.verbose)
    else:
        _print_text(facts, results, options.verbose)
    return exit_code(results, options.strict)


def _facts(options: Namespace) -> Facts:
    """Saved facts, or this machine's: all probes, or only those the named checks need.

    ``go env`` starts first, before the rest of the doctor is imported, and the checks
    are imported while the probes run: the go command's start overlaps Python's work.
    """
    if options.facts:
        from gorig.doctor.document import load

        return load(options.facts)
    ctx = options.context
    needed = None
    if options.check and not options.save:
        from gorig.doctor.checks import probes_for

        needed = probes_for(options.check)
    started = {}
    if needed is None or "go_env" in needed:
        from gorig.doctor.early import start_go_env
        from gorig.host.path import path_entries

        host, entries = ctx.facts, path_entries(ctx.environ.get("PATH", ""))
        started["go_env"] = start_go_env(entries, host.os, host.hardware_arch, ctx.environ)
    from gorig.doctor.collect import collect
    from gorig.doctor.probes import Site

    try:
        return collect(
            needed,
            meanwhile=lambda: __import__("gorig.doctor.checks"),
            host=ctx.facts,
            site=Site(ctx.environ, ctx.cwd),
            started=started,
        )
    except Exception as error:  # probes catch their own failures; this is a doctor bug
        raise GorigError(
            _(
                "could not collect facts ({error}); please report it with the output of "
                "'gorig doctor -v --json'"
            ).format(error=f"{type(error).__name__}: {error}"),
            exit_code=EXIT_BROKEN,
        ) from None


def _fleet_report(options: Namespace) -> int:
    """``--facts DIR --report``: every saved document diagnosed, one table for all."""
    from gorig.cli.args import UsageError

    if not options.facts or options.save:
        raise UsageError(
            _("doctor: --report reads a directory of saved facts: pass --facts DIR, not --save"),
            hint=_("run 'gorig doctor --help'"),
        )
    from gorig.doctor.checks import run_checks
    from gorig.doctor.document import load_each
    from gorig.doctor.fleet import Machine, exit_code, report

    machines = [
        Machine(name, None, str(loaded))
        if isinstance(loaded, GorigError)
        else Machine(name, run_checks(loaded, options.check))
        for name, loaded in load_each(options.facts)
    ]
    fleet = report(machines)
    if options.json:
        from gorig.cli.output import print_json

        print_json(fleet)
    else:
        _print_fleet(fleet, options.facts)
    return exit_code(machines, options.strict)


def _print_fleet(fleet: dict[str, Any], directory: str) -> None:
    from gorig.cli.output import cells, pad

    total = fleet["read"] + fleet["refused"]
    read = _("{read} of {total} facts documents read from {directory}")
    lines = [_visible(read.format(read=fleet["read"], total=total, directory=directory))]
    lines += [
        _visible(_("refused {name}: {error}").format(name=m["name"], error=m["error"]))
        for m in fleet["machines"]
        if m["status"] == "refused"
    ]
    if not fleet["findings"]:
        clean = ngettext(
            "No problems found on {count} machine.",
            "No problems found on {count} machines.",
            fleet["read"],
        )
        lines.append(clean.format(count=fleet["read"]))
    rows = [(_("finding"), "", _("machines"), _("which"), _("fix"))] + [
        (
            f["id"],
            MARKS[f["severity"]],
            f"{f['count']}/{fleet['read']}",
            ",".join(f["machines"]),
            f["fix"] or f["title"],
        )
        for f in fleet["findings"]
    ]
    widths = [max(cells(row[i]) for row in rows) for i in range(4)]
    for row in rows if fleet["findings"] else []:
        padded = [pad(cell, width) for cell, width in zip(row, widths, strict=False)]
        lines.append(_visible("  ".join([*padded, row[4]])))
    sys.stdout.write("\n".join(lines) + "\n")


def _save(facts: Facts, target: str, *, quiet: bool) -> None:
    """Write the redacted facts atomically (:func:`gorig.fs.write_atomic`)."""
    from gorig.doctor.document import dumps
    from gorig.fs import write_atomic

    try:
        write_atomic(target, dumps(facts).encode())
    except OSError as error:
        raise GorigError(
            _("cannot write facts to {path}: {why}; choose a writable path").format(
                path=target, why=error.strerror
            ),
            exit_code=EXIT_BROKEN,
        ) from None
    if not quiet:  # with --json only the report is printed
        sys.stderr.write(_("gorig doctor: facts saved to {path}").format(path=target) + "\n")


def _list_checks(as_json: bool) -> int:
    from gorig.doctor import CHECKS

    if as_json:
        from gorig.cli.output import print_json

        print_json([{"id": c.id, "severity": c.severity, "summary": c.summary} for c in CHECKS])
        return EXIT_CLEAN
    width = max(len(c.id) for c in CHECKS)
    for c in CHECKS:
        sys.stdout.write(f"{c.id.ljust(width)}  {c.severity[0].upper()}  {_(c.summary)}\n")
    return EXIT_CLEAN


def _print_json(facts: Facts, results: list[CheckResult], verbose: bool) -> None:
    from gorig.cli.output import print_json

    print_json(json_report(facts, results, verbose))


# Control characters in facts (a saved file is untrusted) are shown, never sent to the
# terminal: an escape sequence in a path could rewrite the screen.
CONTROLS = {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))}


def _visible(text: str) -> str:
    return text.translate(CONTROLS)


def _paint(status: str, text: str) -> str:
    from gorig.cli.output import colour_on

    if not colour_on(sys.stdout):
        return text
    return f"\033[{COLOURS[status]}m{text}\033[0m"


def _check_lines(result: CheckResult, width: int) -> list[str]:
    name = result.id.ljust(width)
    if result.status == "skipped":
        return []
    if result.status == "failed":
        failed = _("probe {name} failed: {error}")
        why = "; ".join(failed.format(name=n, error=e) for n, e in result.failed_probes.items())
        could_not = _("could not check: {why}").format(why=_visible(why))
        return [f"{_paint('failed', MARKS['failed'])} {name}  {could_not}"]
    if not result.findings:
        return [f"{_paint('ok', MARKS['ok'])} {name}  {_(result.summary)}"]
    lines = []
    for finding in result.findings:
        mark = _paint(finding.severity, MARKS[finding.severity])
        lines.append(f"{mark} {name}  {_visible(finding.title)}")
        lines += [f"      {_visible(line)}" for line in finding.detail.splitlines()]
        if finding.fix:
            lines.append("      " + _("fix: {fix}").format(fix=_visible(finding.fix)))
    return lines


def _summary_line(counts: dict[str, int]) -> str:
    checks = counts["checks"]
    if not (counts["error"] or counts["warning"] or counts["failed"]):
        return _("No problems found in {checks} checks: this Go set-up is ready.").format(
            checks=checks
        )
    words = {
        "error": ngettext("{n} error", "{n} errors", counts["error"]),
        "warning": ngettext("{n} warning", "{n} warnings", counts["warning"]),
        "failed": _("{n} could not run"),
    }
    found = [word.format(n=counts[kind]) for kind, word in words.items() if counts[kind]]
    return _("Doctor found {found} in {checks} checks.").format(
        found=_(", ").join(found), checks=checks
    )


def _print_text(facts: Facts, results: list[CheckResult], verbose: bool) -> None:
    summary = facts_summary(facts)
    go = summary["go"]
    head = _("{host} (hardware {arch})").format(host=summary["host"], arch=summary["hardware_arch"])
    head += _(", {version} {platform} at {path}").format(**go) if go else _(", no go on PATH")
    width = max((len(r.id) for r in results), default=0)
    lines = [_visible(head), *(line for r in results for line in _check_lines(r, width))]
    if verbose:
        lines.append(_("probes:"))
        lines += [
            _visible(
                f"  {name.ljust(10)} {probe['seconds'] * 1000:8.1f} ms"
                + ("" if probe["ok"] else "  " + _("FAILED: {error}").format(error=probe["error"]))
            )
            for name, probe in facts["probes"].items()
        ]
    lines.append(_summary_line(counts(results)))
    sys.stdout.write("\n".join(lines) + "\n")

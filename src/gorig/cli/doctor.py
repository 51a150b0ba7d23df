"""``gorig doctor``: collect facts (or load saved ones), run the checks, print each fix.

Plain ``argparse`` and hand-written output instead of Typer and Rich: the whole command
must finish within a few times ``go env -json``, and importing Rich alone costs more.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gorig.errors import GorigError

if TYPE_CHECKING:
    from gorig.doctor.findings import CheckResult

MARKS = {"ok": "✓", "info": "i", "warning": "!", "error": "✗", "failed": "☠"}
COLOURS = {"ok": "32", "info": "36", "warning": "33", "error": "31", "failed": "35"}
EXIT_CLEAN, EXIT_FOUND, EXIT_BROKEN = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise GorigError(f"{message}; run 'gorig doctor --help'", exit_code=EXIT_BROKEN)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gorig doctor",
        description="Find what is wrong with this machine's Go set-up, with fixes.",
    )
    parser.add_argument("--json", action="store_true", help="print findings as JSON")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 on warnings and on checks that could not run"
    )
    parser.add_argument(
        "--save", metavar="FILE", help="write the facts (home as ~, secrets redacted) to FILE"
    )
    parser.add_argument(
        "--facts", metavar="FILE", help="diagnose facts saved with --save instead of this machine"
    )
    parser.add_argument(
        "--check",
        metavar="ID",
        nargs="+",
        action="extend",
        default=[],
        help="run only these checks (see --list-checks)",
    )
    parser.add_argument("--list-checks", action="store_true", help="list the check ids")
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="show each probe's time (and all facts with --json)",
    )
    return parser


def run(argv: list[str]) -> int:
    options = _parser().parse_args(argv[1:])
    if options.list_checks:
        return _list_checks(options.json)
    from gorig.doctor import select

    checks = select(options.check)
    facts = _facts(options, checks)
    if options.save:
        _save(facts, options.save)
    from gorig.doctor import run_checks

    results = run_checks(facts, options.check)
    if options.json:
        _print_json(facts, results, options.verbose)
    else:
        _print_text(facts, results, options.verbose)
    return _exit_code(results, options.strict)


def _facts(options: argparse.Namespace, checks: tuple[Any, ...]) -> dict[str, Any]:
    if options.facts:
        from gorig.doctor.document import loads

        try:
            text = Path(options.facts).read_text(encoding="utf-8")
        except OSError as error:
            raise GorigError(
                f"cannot read facts file {options.facts}: {error.strerror}", exit_code=EXIT_BROKEN
            ) from None
        return loads(text, options.facts)
    from gorig.doctor import collect

    if options.save or not options.check:
        return collect()
    needed = {name for check in checks for name in check.needs} | {"gos"}
    return collect(needed)


def _save(facts: dict[str, Any], target: str) -> None:
    """Write the redacted facts atomically: a temporary file beside the target, renamed."""
    from gorig.doctor.document import dumps

    path = Path(target)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(dumps(facts))
        Path(temporary).replace(path)
    except OSError as error:
        raise GorigError(
            f"cannot write facts to {target}: {error.strerror}; choose a writable path",
            exit_code=EXIT_BROKEN,
        ) from None
    sys.stderr.write(f"gorig doctor: facts saved to {target}\n")


def _list_checks(as_json: bool) -> int:
    from gorig.doctor import CHECKS

    if as_json:
        from gorig.cli.output import print_json

        print_json([{"id": c.id, "severity": c.severity, "summary": c.summary} for c in CHECKS])
        return EXIT_CLEAN
    width = max(len(c.id) for c in CHECKS)
    for c in CHECKS:
        sys.stdout.write(f"{c.id.ljust(width)}  {c.severity[0].upper()}  {c.summary}\n")
    return EXIT_CLEAN


def _counts(results: list[CheckResult]) -> dict[str, int]:
    ran = [result for result in results if result.status != "skipped"]
    counts = {"error": 0, "warning": 0, "info": 0, "failed": 0, "checks": len(ran)}
    for result in results:
        for finding in result.findings:
            counts[finding.severity] += 1
        counts["failed"] += result.status == "failed"
    return counts


def _exit_code(results: list[CheckResult], strict: bool) -> int:
    counts = _counts(results)
    if counts["error"] or (strict and (counts["warning"] or counts["failed"])):
        return EXIT_FOUND
    return EXIT_CLEAN


def _go_summary(go: dict[str, Any] | None) -> dict[str, Any] | None:
    if go is None:
        return None
    platform = f"{go.get('goos')}/{'+'.join(go.get('archs') or [])}"
    return {"path": go["path"], "version": go.get("go_version"), "platform": platform}


def _summary(facts: dict[str, Any]) -> dict[str, Any]:
    host = facts.get("host", {})
    gos = facts.get("gos") or []
    return {
        "host": f"{host.get('os')}/{host.get('kernel_arch')}",
        "hardware_arch": host.get("hardware_arch"),
        "translated": host.get("translated"),
        "go": _go_summary(gos[0] if gos else None),
        "gos_on_path": len(gos),
        "c_compiler": (facts.get("cc") or {}).get("path"),
        "project": (facts.get("project") or {}).get("dir"),
        "failed_probes": sorted(n for n, p in facts.get("probes", {}).items() if not p.get("ok")),
    }


def _print_json(facts: dict[str, Any], results: list[CheckResult], verbose: bool) -> None:
    from gorig.cli.output import print_json

    document: dict[str, Any] = {
        "schema": facts.get("schema"),
        "findings": [f.to_dict() for r in results for f in r.findings],
        "checks": [r.to_dict() for r in results],
        "counts": _counts(results),
        "facts_summary": _summary(facts),
    }
    if verbose:
        document["probes"] = facts.get("probes", {})
        document["facts"] = facts
    print_json(document)


def _paint(status: str, text: str) -> str:
    if os.environ.get("NO_COLOR") or not sys.stdout.isatty():
        return text
    return f"\033[{COLOURS[status]}m{text}\033[0m"


def _check_lines(result: CheckResult, width: int) -> list[str]:
    name = result.id.ljust(width)
    if result.status == "skipped":
        return []
    if result.status == "failed":
        why = "; ".join(f"probe {n} failed: {e}" for n, e in result.failed_probes.items())
        return [f"{_paint('failed', MARKS['failed'])} {name}  could not check: {why}"]
    if not result.findings:
        return [f"{_paint('ok', MARKS['ok'])} {name}  {result.summary}"]
    lines = []
    for finding in result.findings:
        lines.append(f"{_paint(finding.severity, MARKS[finding.severity])} {name}  {finding.title}")
        lines += [f"      {line}" for line in finding.detail.splitlines()]
        if finding.fix:
            lines.append(f"      fix: {finding.fix}")
    return lines


def _summary_line(counts: dict[str, int]) -> str:
    if not (counts["error"] or counts["warning"] or counts["failed"]):
        return f"No problems found in {counts['checks']} checks: this Go set-up is ready."
    parts = [
        f"{counts[k]} {k}{'s' if counts[k] != 1 else ''}" for k in ("error", "warning") if counts[k]
    ]
    if counts["failed"]:
        parts.append(f"{counts['failed']} could not run")
    return f"Doctor found {', '.join(parts)} in {counts['checks']} checks."


def _print_text(facts: dict[str, Any], results: list[CheckResult], verbose: bool) -> None:
    summary = _summary(facts)
    go = summary["go"]
    head = f"{summary['host']} (hardware {summary['hardware_arch']})"
    head += f", {go['version']} {go['platform']} at {go['path']}" if go else ", no go on PATH"
    width = max((len(r.id) for r in results), default=0)
    lines = [head, *(line for r in results for line in _check_lines(r, width))]
    if verbose:
        lines.append("probes:")
        lines += [
            f"  {name.ljust(10)} {probe.get('seconds', 0) * 1000:8.1f} ms"
            f"{'' if probe.get('ok') else '  FAILED: ' + str(probe.get('error'))}"
            for name, probe in facts.get("probes", {}).items()
        ]
    lines.append(_summary_line(_counts(results)))
    sys.stdout.write("\n".join(lines) + "\n")

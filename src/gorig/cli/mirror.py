"""``gorig mirror sync|verify``: a verified toolchain mirror in go.dev's layout."""

from __future__ import annotations

import sys
from pathlib import Path

from gorig.cli.args import UsageError, add_command, add_json
from gorig.cli.output import print_json, say
from gorig.i18n import N_, _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import Namespace
    from typing import Any

    from gorig.cli.args import Parser
    from gorig.toolchains.download import ProgressHook
    from gorig.toolchains.mirrordir import Entry

DEFAULT_PLATFORMS = "darwin/arm64,darwin/amd64,linux/amd64,linux/arm64"


def configure(parser: Parser, command: str) -> None:
    from gorig.cli.toolchains import add_trust_options

    parser.description = _(
        "Keep a directory of verified Go archives in go.dev's layout (archives, .sha256, "
        "index.json) that any static file server can serve to 'gorig install --source "
        "mirror:URL'."
    )
    commands = parser.commands()
    sync = add_command(commands, "sync", _("Download and verify the selected archives into DIR."),
                       _("Download each selected archive from the best reachable source, verify "
                       "it, and write it, its .sha256 and index.json into DIR."))  # fmt: skip
    sync.add_argument("directory", type=Path, metavar="DIR", help=_("The mirror directory."))
    sync.add_argument("--versions", required=True, metavar="LIST",
                      help=_("Comma-separated: 1.22 (newest 1.22.x), 1.22.5, latest."))  # fmt: skip
    sync.add_argument(
        "--platforms",
        default=DEFAULT_PLATFORMS,
        metavar="LIST",
        help=_("GOOS/GOARCH list (default: Mac and Linux, both arches)."),
    )
    sync.add_argument("--source", metavar="SOURCE", help=_("As for install (default: config)."))
    sync.add_argument("--prune", action="store_true",
                      help=_("Remove archives the selection no longer names."))  # fmt: skip
    sync.add_argument("--jobs", type=int, default=2, metavar="N",
                      help=_("Downloads at once (1-4, default 2)."))  # fmt: skip
    add_trust_options(sync)
    add_json(sync, N_("Print what was fetched, kept, pruned and failed as JSON."))
    sync.set_defaults(run=_sync)
    verify = add_command(commands, "verify", _("Re-hash DIR against its index."),
                         _("Re-hash every file of DIR against its index.json (and the checksum "
                         "database with --sumdb); exit 1 on any difference."))  # fmt: skip
    verify.add_argument("directory", type=Path, metavar="DIR", help=_("The mirror directory."))
    verify.add_argument("--sumdb", action="store_true",
                        help=_("Also ask Go's checksum database (when reachable)."))  # fmt: skip
    add_json(verify, N_("Print the differences as JSON."))
    verify.set_defaults(run=_verify)


def _platforms(text: str) -> list[tuple[str, str]]:
    platforms = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        goos, _slash, goarch = item.partition("/")
        if not goos.isalnum() or not goarch.isalnum():
            raise UsageError(
                _("mirror sync: platform {platform} is not GOOS/GOARCH (linux/amd64)").format(
                    platform=repr(item)
                )
            )
        platforms.append((goos, goarch))
    if not platforms:
        raise UsageError("mirror sync: --platforms names no platform")
    return platforms


def _requests(text: str) -> list[tuple[str, Any]]:
    from gorig.versions.select import parse_request

    items = filter(None, map(str.strip, text.split(",")))
    requests = [(item, parse_request(item)) for item in items]
    if not requests:
        raise UsageError("mirror sync: --versions names no version")
    return requests


def _sync(args: Namespace) -> int:
    from gorig.cli.toolchains import trust_request
    from gorig.toolchains import mirrordir
    from gorig.toolchains.install import fetch, settings_from
    from gorig.toolchains.sources import make_source
    from gorig.toolchains.stamps import Stamps
    from gorig.toolchains.trust import check_artifact

    if not 1 <= args.jobs <= mirrordir.MAX_JOBS:
        raise UsageError(
            _("mirror sync: --jobs must be 1 to {most}").format(most=mirrordir.MAX_JOBS)
        )
    requests, platforms = _requests(args.versions), _platforms(args.platforms)
    ctx = args.context
    settings = settings_from(ctx.environ, ctx.config.install, ctx.http,
                             trust_mirror=args.trust_mirror)  # fmt: skip
    trust = trust_request(ctx, args.verify_signature, args.signing_key, args.verify_sumdb)
    source = make_source(args.source or ctx.config.install.source, settings)
    outcome = mirrordir.Outcome()
    if not args.json:
        resolving = _("resolving {versions} versions x {platforms} platforms from {source}")
        say(resolving.format(versions=len(requests), platforms=len(platforms),
                             source=source.label), stderr=True)  # fmt: skip
    artifacts = mirrordir.resolve_all(source.resolve, requests, platforms, outcome)
    bar, progress_for = (None, _no_progress) if args.json else _progress()
    if bar is not None:
        bar.start()
    try:
        mirrordir.sync(
            args.directory,
            artifacts,
            lambda artifact, hook: fetch(args.directory, artifact, settings, hook),
            check=lambda path, artifact: check_artifact(path, artifact, trust),
            prune=args.prune,
            jobs=args.jobs,
            outcome=outcome,
            progress_for=progress_for,
            stamps=Stamps.load(settings.cache_dir, args.directory),
        )
    finally:
        if bar is not None:
            bar.stop()
    if args.json:
        print_json({"directory": str(args.directory), **outcome.to_dict()})
    else:
        _print_outcome(args.directory, outcome)
    return 1 if outcome.failed else 0


def _no_progress(_name: str) -> ProgressHook | None:
    return None


def _progress() -> tuple[Any, Any]:
    """One Rich bar per archive on a terminal; narration only on a pipe."""
    if not sys.stderr.isatty():
        return None, _no_progress
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    from gorig.cli.output import console

    bar = Progress("{task.description}", BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                   console=console(stderr=True), transient=True)  # fmt: skip

    def progress_for(name: str) -> ProgressHook:
        task = bar.add_task(name, total=None)
        return lambda done, total: bar.update(task, completed=done, total=total)

    return bar, progress_for


def _print_outcome(directory: Path, outcome: Any) -> None:
    for name in outcome.fetched:
        say(_("fetched {file}").format(file=name))
    for name in outcome.pruned:
        say(_("pruned  {file}").format(file=name))
    for what, why in outcome.failed.items():
        say(_("FAILED  {what}: {why}").format(what=what, why=why))
    summary = _(
        "{directory}: {fetched} fetched, {present} already present and verified, {pruned} "
        "pruned, {failed} failed"
    )
    say(summary.format(directory=directory, fetched=len(outcome.fetched),
                       present=len(outcome.present), pruned=len(outcome.pruned),
                       failed=len(outcome.failed)))  # fmt: skip


def _verify(args: Namespace) -> int:
    from gorig.toolchains import mirrordir

    ctx = args.context

    def sumdb_problem(path: Path, entry: Entry) -> str | None:
        return mirrordir.sumdb_problem(path, entry, env=ctx.environ, http=ctx.http)

    problems = mirrordir.verify(args.directory, sumdb_problem if args.sumdb else None)
    if args.json:
        print_json({"directory": str(args.directory), "ok": not problems, "problems": problems})
    else:
        for problem in problems:
            say(_("{file}: {problem}").format(file=problem["file"], problem=problem["problem"]))
        listed = len(mirrordir.read_index(args.directory))
        summary = (
            _("{directory}: {listed} files listed, {differ} differ")
            if problems
            else _("{directory}: all {listed} files match the index")
        )
        say(summary.format(directory=args.directory, listed=listed, differ=len(problems)))
    return 1 if problems else 0

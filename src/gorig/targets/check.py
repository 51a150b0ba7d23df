"""Validate a target, or the ``GO*`` environment, for one Go version, and explain.

Each finding is one sentence: what is wrong (in Go's words where Go has some), what is
ignored, what needs external linking, what did not exist yet and which version added it.
Pure: the port list and the version come in, findings go out.
"""

from __future__ import annotations

from gorig.i18n import _
from gorig.record import Record
from gorig.targets import subvars
from gorig.targets.ports import PortList, port_row, series_of
from gorig.targets.target import SUBVARIABLE_OF, Target
from gorig.versions import GoVersion

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

ERROR, WARNING, NOTE = "error", "warning", "note"


class Finding(Record):
    __slots__ = ("level", "message")
    level: str  # "error", "warning" or "note"
    message: str

    def __init__(self, level: str, message: str) -> None:
        super().__init__(level=level, message=message)


class TargetCheck:
    """The verdict on one target for one Go version (filled in as the checks run)."""

    __slots__ = ("env", "findings", "go", "source", "target")

    def __init__(self, target: str, go: str, source: str) -> None:
        self.target = target
        self.go = go
        self.source = source
        self.findings: list[Finding] = []
        self.env: dict[str, str] = {}  # what go build would see

    @property
    def ok(self) -> bool:
        return not any(finding.level == ERROR for finding in self.findings)

    @property
    def errors(self) -> list[str]:
        return [finding.message for finding in self.findings if finding.level == ERROR]

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "go": self.go,
            "source": self.source,
            "ok": self.ok,
            "env": self.env,
            "findings": [{"level": f.level, "message": f.message} for f in self.findings],
        }


def external_link_reason(goos: str, goarch: str) -> str | None:
    """Go's reason a port cannot link with cgo off, or None (``internal/platform``).

    ``MustLinkExternal``: android except arm64, and ios/arm64. ``DefaultPIE`` without
    ``InternalLinkPIESupported``: ios/amd64, whose default PIE build needs the C linker.
    """
    if (goos == "android" and goarch != "arm64") or (goos, goarch) == ("ios", "arm64"):
        return f"{goos}/{goarch} requires external (cgo) linking, but cgo is not enabled"
    if goos == "ios":
        return "default PIE binary requires external (cgo) linking, but cgo is not enabled"
    return None


def must_link_external(goos: str, goarch: str) -> bool:
    """The port cannot be built with ``CGO_ENABLED=0``."""
    return external_link_reason(goos, goarch) is not None


def _missing_port(port: str, version: GoVersion, ports: PortList) -> str:
    row = port_row(port) or {}
    if row.get("last") and series_of(row["last"]) < version.series:
        removed = _("{port} was removed after Go {last}: Go {version} cannot build it")
        return removed.format(port=port, last=row["last"], version=version)
    if row.get("added") and series_of(row["added"]) > version.series:
        added = _("{port} does not exist in Go {version}: it was added in Go {added}")
        return added.format(port=port, version=version, added=row["added"])
    goos = port.split("/")[0]
    same_os = sorted(p.goarch for p in ports.ports if p.goos == goos)
    hint = (
        _("; GOOS={goos} has {goarchs}").format(goos=goos, goarchs=", ".join(same_os))
        if same_os
        else _("; {goos} is no GOOS").format(goos=goos)
    )
    # Go's own words first (what go build prints), gorig's hint after them
    return f"unsupported GOOS/GOARCH pair {port} in Go {version}{hint}"


def _port_findings(target: Target, version: GoVersion, ports: PortList, cgo: bool) -> list[Finding]:
    port = ports.get(target.port)
    if port is None:
        return [Finding(ERROR, _missing_port(target.port, version, ports))]
    found: list[Finding] = []
    if port.broken:
        found.append(
            Finding(
                WARNING,
                _("{port} is marked broken in Go {version}: it may not build").format(
                    port=port.name, version=version
                ),
            )
        )
    if cgo and not port.cgo:
        message = _("{port} does not support cgo; build it without --cgo").format(port=port.name)
        found.append(Finding(ERROR, message))
    reason = None if cgo else external_link_reason(port.goos, port.goarch)
    if reason is not None:
        message = _(
            "{reason}: {port} cannot build with CGO_ENABLED=0; use --cgo with a C cross-compiler"
        ).format(reason=reason, port=port.name)
        found.append(Finding(ERROR, message))
    return found


def _variant_findings(target: Target, version: GoVersion) -> tuple[list[Finding], dict[str, str]]:
    name = target.subvariable
    if name is None:
        return [], {}
    rules = subvars.rules(name, version)
    if rules is None:
        if target.variant is None:
            return [], {}
        first = subvars.first_version(name)
        message = _(
            "{name} does not exist in Go {version} (Go {first} added it), "
            "so {name}={variant} would be ignored"
        ).format(name=name, version=version, first=first, variant=target.variant)
        return [Finding(ERROR, message)], {}
    value = target.variant if target.variant is not None else rules.default
    if rules.ignored:
        ignored = _("{name} is ignored from Go {since} on").format(name=name, since=rules.since)
        found = [Finding(WARNING, ignored)]
        return (found if target.variant is not None else []), {}
    invalid = rules.invalid(value) if target.variant is not None else None
    if invalid is not None:
        return [Finding(ERROR, f"{name}={value}: {invalid}")], {}
    note = (
        f"{name}={value}"
        if target.variant
        else _("{setting} (Go's default)").format(setting=f"{name}={value}")
    )
    return [Finding(NOTE, note)], ({name: value} if value else {})


def check_target(
    target: Target, version: GoVersion, ports: PortList, *, cgo: bool = False
) -> TargetCheck:
    """Every finding about building ``target`` with Go ``version``."""
    result = TargetCheck(target=str(target), go=str(version), source=ports.source)
    if target.is_universal:
        result.findings.append(
            Finding(NOTE, _("darwin/universal is darwin/amd64 + darwin/arm64 in one Mach-O file"))
        )
        for thin in target.slices():
            result.findings += check_target(thin, version, ports, cgo=cgo).findings
        return result
    result.findings += _port_findings(target, version, ports, cgo)
    if ports.get(target.port) is None:
        return result
    variant_findings, variant_env = _variant_findings(target, version)
    result.findings += variant_findings
    result.env = {"GOOS": target.goos, "GOARCH": target.goarch, **variant_env}
    return result


def check_env(
    env: Mapping[str, str],
    version: GoVersion,
    ports: PortList,
    *,
    host: tuple[str, str],
) -> TargetCheck:
    """Check the ``GO*`` variables of an environment as ``go build`` would read them."""
    goos = env.get("GOOS") or host[0]
    goarch = env.get("GOARCH") or host[1]
    own = SUBVARIABLE_OF.get(goarch)
    variant = env.get(own) or None if own else None
    cgo = env.get("CGO_ENABLED", "0" if goos != host[0] or goarch != host[1] else "1") == "1"
    result = check_target(Target(goos, goarch, variant), version, ports, cgo=cgo)
    for name in sorted(set(SUBVARIABLE_OF.values()) - {own}):
        if env.get(name):
            applies = "/".join(a for a, v in SUBVARIABLE_OF.items() if v == name)
            message = _("{name} is ignored with GOARCH={goarch} (it applies to {applies})").format(
                name=name, goarch=goarch, applies=applies
            )
            result.findings.append(Finding(WARNING, message))
    return result

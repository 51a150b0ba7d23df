"""The ports of one Go version: from ``go tool dist list -json -broken`` or the shipped table.

:func:`parse_dist_list` reads Go's JSON; :func:`shipped_ports` answers from
``data/ports.json`` when no toolchain of the version is at hand. Both give a
:class:`PortList`, so nothing downstream cares where the list came from.
"""

from __future__ import annotations

import json
from functools import cache

from gorig.errors import GorigError
from gorig.record import Record
from gorig.resources import package_text
from gorig.versions import GoVersion

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Port(Record):
    """One ``GOOS/GOARCH`` pair with the flags Go's own list gives it."""

    __slots__ = ("broken", "cgo", "first_class", "goarch", "goos")
    goos: str
    goarch: str
    cgo: bool
    first_class: bool
    broken: bool

    def __init__(
        self, goos: str, goarch: str, cgo: bool, first_class: bool, broken: bool = False
    ) -> None:
        super().__init__(goos=goos, goarch=goarch, cgo=cgo, first_class=first_class, broken=broken)

    @property
    def name(self) -> str:
        return f"{self.goos}/{self.goarch}"

    def to_dict(self) -> dict[str, Any]:
        """Go's own JSON keys, as ``go tool dist list -json -broken`` prints them."""
        data: dict[str, Any] = {
            "GOOS": self.goos,
            "GOARCH": self.goarch,
            "CgoSupported": self.cgo,
            "FirstClass": self.first_class,
        }
        if self.broken:
            data["Broken"] = True
        return data


class PortList(Record):
    """The ports of one Go version and where the list came from."""

    __slots__ = ("go", "ports", "source")
    go: str  # the version asked or reported: "1.22.10", "1.22"
    source: str  # "go tool dist list" or "shipped table"
    ports: tuple[Port, ...]

    def __init__(self, go: str, source: str, ports: tuple[Port, ...]) -> None:
        super().__init__(go=go, source=source, ports=ports)

    def get(self, name: str) -> Port | None:
        return next((port for port in self.ports if port.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "go": self.go,
            "source": self.source,
            "ports": [port.to_dict() for port in self.ports],
        }


def parse_dist_list(text: str) -> list[Port]:
    """Ports from the output of ``go tool dist list -json [-broken]``."""
    try:
        items = json.loads(text)
        return [
            Port(
                goos=item["GOOS"],
                goarch=item["GOARCH"],
                cgo=bool(item.get("CgoSupported", False)),
                first_class=bool(item.get("FirstClass", False)),
                broken=bool(item.get("Broken", False)),
            )
            for item in items
        ]
    except (ValueError, KeyError, TypeError) as error:
        raise GorigError(
            f"go tool dist list printed something that is not its JSON list ({error})"
        ) from error


@cache
def table() -> dict[str, Any]:
    """The shipped table (``data/ports.json``), read once."""
    data = package_text(__file__, "data", "ports.json")
    table_data: dict[str, Any] = json.loads(data)
    return table_data


def series_of(text: str) -> tuple[int, int]:
    major, minor = text.split(".")[:2]
    return int(major), int(minor)


def table_series(version: GoVersion) -> str:
    """The table's series for ``version``: its own, or the newest for a newer version."""
    versions: list[str] = table()["versions"]
    if version.series < series_of(versions[0]):
        raise GorigError(
            f"gorig knows the ports of Go {versions[0]} and later, not Go {version}; "
            "install that toolchain and run its 'go tool dist list'"
        )
    known = [series for series in versions if series_of(series) <= version.series]
    return known[-1]


def era_at(eras: list[dict[str, Any]], series: str) -> dict[str, Any] | None:
    """The last era whose ``since`` is at or before ``series``."""
    current = None
    for era in eras:
        if series_of(era["since"]) <= series_of(series):
            current = era
    return current


def port_row(name: str) -> dict[str, Any] | None:
    """The table's history of one port (first, added, last, eras), if Go ever had it."""
    row: dict[str, Any] | None = table()["ports"].get(name)
    return row


def shipped_ports(version: GoVersion) -> PortList:
    """The ports of ``version`` from the shipped table."""
    series = table_series(version)
    ports = []
    for name, row in table()["ports"].items():
        last = row["last"]
        era = era_at(row["eras"], series)
        if era is None or (last is not None and series_of(series) > series_of(last)):
            continue
        goos, goarch = name.split("/")
        ports.append(Port(goos, goarch, era["cgo"], era["first_class"], era["broken"]))
    source = "shipped table"
    if version.series > series_of(series):  # a release newer than gorig: say what answers
        source = f"shipped table for Go {series}"
    return PortList(go=str(version), source=source, ports=tuple(ports))

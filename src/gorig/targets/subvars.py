"""Sub-variables (``GOARM``, ``GOAMD64``...) per Go version: values, defaults, Go's errors.

The facts live in the shipped table's ``subvariables`` section (from ``internal/buildcfg``);
this module answers questions about one value. Pure: plain data in, plain data out.
"""

from __future__ import annotations

from gorig.record import Record
from gorig.targets.ports import era_at, table, table_series
from gorig.versions import GoVersion

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class SubvarRules(Record):
    """What one sub-variable accepts in one Go version."""

    __slots__ = ("default", "error", "goarch", "ignored", "name", "since", "suffix_mode",
                 "suffixes", "values")  # fmt: skip
    name: str
    since: str  # the Go version this era starts
    values: tuple[str, ...]
    default: str
    error: str  # Go's own text for a bad value; "{value}" is replaced by the value
    suffixes: tuple[str, ...]
    suffix_mode: str  # "", "one", "any" or "list" (see tools/gen_targets.py)
    ignored: bool
    goarch: tuple[str, ...]

    def __init__(
        self,
        name: str,
        since: str,
        values: tuple[str, ...],
        default: str,
        error: str,
        suffixes: tuple[str, ...] = (),
        suffix_mode: str = "",
        ignored: bool = False,
        goarch: tuple[str, ...] = (),
    ) -> None:
        super().__init__(name=name, since=since, values=values, default=default, error=error,
                         suffixes=suffixes, suffix_mode=suffix_mode, ignored=ignored,
                         goarch=goarch)  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "goarch": list(self.goarch),
            "values": list(self.values),
            "suffixes": list(self.suffixes),
            "default": self.default,
            "since": self.since,
            "ignored": self.ignored,
        }

    def invalid(self, value: str) -> str | None:
        """Go's error text when ``value`` is not accepted, else None."""
        if self._accepts(value):
            return None
        if self.suffix_mode == "list":  # Go names the first unknown feature of the list
            value = next(part for part in value.split(",") if part and part not in self.values)
        return self.error.replace("{value}", value)

    def _accepts(self, value: str) -> bool:
        if self.suffix_mode == "list":
            return all(part in self.values for part in value.split(",") if part)
        base = value
        if self.suffix_mode == "one":
            base = next((base[: -len(s)] for s in self.suffixes if base.endswith(s)), base)
        elif self.suffix_mode == "any":
            while any(base.endswith(s) for s in self.suffixes):
                base = next(base[: -len(s)] for s in self.suffixes if base.endswith(s))
        return base in self.values


def _entry(name: str) -> dict[str, Any]:
    entry: dict[str, Any] = table()["subvariables"][name]
    return entry


def first_version(name: str) -> str:
    """The first Go version (in the table) that reads ``name``."""
    return str(_entry(name)["eras"][0]["since"])


def rules(name: str, version: GoVersion) -> SubvarRules | None:
    """The rules of ``name`` in ``version``, or None if that Go does not read it yet."""
    entry = _entry(name)
    era = era_at(entry["eras"], table_series(version))
    if era is None:
        return None
    return SubvarRules(
        name=name,
        since=era["since"],
        values=tuple(era["values"]),
        default=era["default"],
        error=era["error"],
        suffixes=tuple(era.get("suffixes", ())),
        suffix_mode=era.get("suffix_mode", ""),
        ignored=bool(era.get("ignored", False)),
        goarch=tuple(entry["goarch"]),
    )


def all_rules(version: GoVersion) -> list[SubvarRules]:
    """Every sub-variable that ``version`` reads."""
    found = (rules(name, version) for name in table()["subvariables"])
    return [rule for rule in found if rule is not None]


def canonical_variant(name: str, value: str) -> str:
    """A sub-variable value spelled the way Go 1.22-1.23 record it, so values compare equal
    whatever spelling was used: ``GOARM=7`` is ``7,hardfloat`` (5 defaults to softfloat),
    ``GOARM64=v8.2`` is ``v8.2,lse`` (LSE is part of v8.1 and later)."""
    if name == "GOARM":
        base, _, abi = value.partition(",")
        return f"{base},{abi or ('softfloat' if base == '5' else 'hardfloat')}"
    if name == "GOARM64":
        version, *features = value.split(",")
        lse = "lse" in features or version != "v8.0"
        return version + (",lse" if lse else "") + (",crypto" if "crypto" in features else "")
    return value

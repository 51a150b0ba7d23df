"""Go version strings: parse, compare and select, with Go's own ordering rules."""

from gorig.versions.version import GoVersion, parse_version

__all__ = ["GoVersion", "parse_version"]

"""Artifact names: ``{name}_{os}_{arch}[_{variant}][.exe]`` by default, or a template.

Template fields: ``{name}``, ``{os}``, ``{arch}``, ``{variant}`` (empty without one) and
``{ext}`` (``.exe`` for windows, else empty). A template without ``{ext}`` still gets
``.exe`` for windows, since Windows will not run the file without it.
"""

from __future__ import annotations

import string
from pathlib import Path

from gorig.errors import GorigError
from gorig.targets import Target

FIELDS = frozenset({"name", "os", "arch", "variant", "ext"})


def program_name(package: str, cwd: Path) -> str:
    """What ``go build`` would call the program: the package path's last element."""
    path = package.split("@", 1)[0].rstrip("/")
    if path in ("", "."):
        return cwd.resolve().name
    last = path.rsplit("/", 1)[-1]
    return cwd.joinpath(path).resolve().name if last in (".", "..") else last


def check_template(template: str) -> None:
    """Reject unknown fields up front, with the list of known ones."""
    try:
        fields = {field for _, field, _, _ in string.Formatter().parse(template) if field}
    except ValueError as error:
        raise GorigError(f"--name {template!r} is not a valid template: {error}") from error
    unknown = fields - FIELDS
    if unknown:
        raise GorigError(
            f"--name {template!r} uses {', '.join(sorted(unknown))}; "
            f"the fields are {', '.join('{' + f + '}' for f in sorted(FIELDS))}"
        )
    if "/" in template or "\\" in template:
        raise GorigError(f"--name {template!r} must name a file, not a path")


def artifact_name(name: str, target: Target, template: str | None = None) -> str:
    """The file name of ``target``'s artifact (pure)."""
    ext = ".exe" if target.goos == "windows" else ""
    if template is None:
        variant = f"_{target.variant}" if target.variant else ""
        return f"{name}_{target.goos}_{target.goarch}{variant}{ext}"
    text = template.format(
        name=name, os=target.goos, arch=target.goarch, variant=target.variant or "", ext=ext
    )
    return text if "{ext}" in template or text.endswith(ext) else text + ext

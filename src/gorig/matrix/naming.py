"""Artifact names: ``{name}_{os}_{arch}[_{variant}][.exe]`` by default, or a template.

Template fields: ``{name}``, ``{os}``, ``{arch}``, ``{variant}`` (empty without one) and
``{ext}`` (``.exe`` for windows, else empty). A template without ``{ext}`` still gets
``.exe`` for windows, since Windows will not run the file without it.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from gorig.errors import GorigError
from gorig.targets import Target

FIELDS = frozenset({"name", "os", "arch", "variant", "ext"})


def _last_element(import_path: str) -> str:
    """Go's executable name for an import path: its last element, skipping a ``/vN``
    major-version suffix (``example.com/tool/v2`` builds ``tool``)."""
    parts = [part for part in import_path.split("/") if part]
    if len(parts) > 1 and re.fullmatch(r"v[0-9]+", parts[-1]):
        return parts[-2]
    return parts[-1]


def _module_of(directory: Path) -> tuple[Path, str] | None:
    """The enclosing module's root and path, from the nearest ``go.mod``."""
    for root in (directory, *directory.parents):
        mod = root / "go.mod"
        if mod.is_file():
            match = re.search(r"^module\s+\"?([^\s\"]+)", mod.read_text(), re.MULTILINE)
            return (root, match[1]) if match else None
    return None


def program_name(package: str, cwd: Path) -> str:
    """What ``go build`` would call the program: its import path's last element."""
    path = package.split("@", 1)[0].rstrip("/") or "."
    if not (path in (".", "..") or path.startswith(("./", "../"))):
        return _last_element(path)
    directory = (cwd / path).resolve()
    module = _module_of(directory)
    if module is None:
        return directory.name
    root, module_path = module
    relative = directory.relative_to(root).as_posix()
    return _last_element(module_path if relative == "." else f"{module_path}/{relative}")


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

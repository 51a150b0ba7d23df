"""Exported Go settings applied to a build's targets, as ``go build`` would apply them.

``GOOS``, ``GOARCH``, the sub-variables (``GOARM``...) and ``CGO_ENABLED`` come from Go's
setting layers (:mod:`gorig.host.goenv`: the environment, the ``go env -w`` file,
``$GOROOT/go.env``), which is how the go command reads them. A
matrix build that dropped them would build a different binary than the user asked for
(``GOARM=6`` for a Raspberry Pi Zero quietly giving a ``GOARM=7`` binary), so:

- with no target list, the exported ``GOOS``/``GOARCH`` (else the host's) and that
  architecture's sub-variable are the target;
- with a list, an exported sub-variable gives its value to the listed targets of its
  architecture that name no variant of their own; an exported ``GOOS``/``GOARCH`` that no
  listed target matches is a contradiction, and an error;
- ``CGO_ENABLED`` decides cgo unless ``--cgo``/``--no-cgo`` does.

Every decision is returned as a :class:`BuildSetting` saying where the value came from, so the
plan can print it. Pure: plain data in, plain data out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from gorig.errors import GorigError
from gorig.host.goenv import ENVIRONMENT, GOENV_FILE, GOROOT_ENV, GoSettingLayers, lookup
from gorig.i18n import N_, _
from gorig.targets.target import SUBVARIABLE_OF, SUBVARIABLES, VARIANT_SHAPE, WORD_SHAPE, Target

PORT_NAMES = ("GOOS", "GOARCH")
NAMES = (*PORT_NAMES, *SUBVARIABLES, "CGO_ENABLED", "CC")


@dataclass(frozen=True)
class BuildSetting:
    """One build setting, where its value came from and what it did."""

    name: str
    value: str
    source: str  # "environment", "go env -w file PATH", "host", "--targets", "--cgo"...
    effect: str = ""  # in the user's language
    shapes: bool = False  # the effect chose or changed a target (not ignored)

    def to_dict(self) -> dict[str, str]:
        return {key: value for key, value in self.__dict__.items() if key != "shapes"}

    @property
    def shaped_targets(self) -> bool:
        """An exported value that chose or changed a target (not host, flag or ignored)."""
        exported = self.source.startswith((ENVIRONMENT, GOENV_FILE, GOROOT_ENV))
        return exported and self.shapes

    def __str__(self) -> str:
        text = f"{self.name}={self.value} ({self.source})"
        return f"{text}: {self.effect}" if self.effect else text

    def shown(self) -> str:
        """The setting as ``build`` prints it, in the user's language: the effect is, and so
        is a source of gorig's own words (marked ``N_``); values and paths stay as read."""
        text = _("{setting} ({source})").format(
            setting=f"{self.name}={self.value}", source=_(self.source) if self.source else ""
        )
        return _("{text}: {effect}").format(text=text, effect=self.effect) if self.effect else text


def exported_settings(layers: GoSettingLayers) -> dict[str, BuildSetting]:
    """The build settings the go command would read from its layers (the environment, the
    ``go env -w`` file, ``$GOROOT/go.env``), each with the place it came from."""
    found: dict[str, BuildSetting] = {}
    for name in NAMES:
        read = lookup(layers, name)
        if read.source is not None and read.value.strip():
            where = f"{read.source} {read.path}" if read.path else read.source
            found[name] = BuildSetting(name, read.value.strip(), where)
        if name in found and not _shaped(found[name]):
            setting = found[name]
            raise GorigError(
                f"{name}={setting.value!r} ({setting.source}) is not a value Go reads; "
                f"fix or unset {name}",
                exit_code=2,
            )
    return found


def _shaped(setting: BuildSetting) -> bool:
    if setting.name in ("CGO_ENABLED", "CC"):
        return True  # decide_cgo says what CGO_ENABLED accepts; CC is a command line
    shape = WORD_SHAPE if setting.name in PORT_NAMES else VARIANT_SHAPE
    return bool(re.match(shape, setting.value)) and len(setting.value) <= 64


def decide_cgo(
    exported: Mapping[str, BuildSetting], flag: bool | None
) -> tuple[bool, BuildSetting]:
    """cgo on or off: ``--cgo``/``--no-cgo``, else an exported ``CGO_ENABLED``, else off."""
    if flag is not None:
        value, source = ("1", "--cgo") if flag else ("0", "--no-cgo")
        return flag, BuildSetting("CGO_ENABLED", value, source)
    setting = exported.get("CGO_ENABLED")
    if setting is None:
        default = N_("gorig's default")
        return False, BuildSetting("CGO_ENABLED", "0", default, _("--cgo turns cgo on"))
    if setting.value not in ("0", "1"):
        raise GorigError(
            _("{setting} must be 0 or 1; fix it or pass --cgo/--no-cgo").format(
                setting=setting.shown()
            ),
            exit_code=2,
        )
    return setting.value == "1", setting


def _port_matches(target: Target, goos: str | None, goarch: str | None) -> bool:
    return any(
        (goos is None or one.goos == goos) and (goarch is None or one.goarch == goarch)
        for one in target.slices()
    )


def _check_port(listed: list[Target], exported: Mapping[str, BuildSetting]) -> list[BuildSetting]:
    """Exported ``GOOS``/``GOARCH`` must match a listed target, else the list contradicts."""
    port = [exported[name] for name in PORT_NAMES if name in exported]
    if not port:
        return []
    goos = exported["GOOS"].value if "GOOS" in exported else None
    goarch = exported["GOARCH"].value if "GOARCH" in exported else None
    matching = [str(target) for target in listed if _port_matches(target, goos, goarch)]
    if not matching:
        wanted = "/".join(value for value in (goos, goarch) if value)
        raise GorigError(
            _(
                "{settings} contradicts --targets {targets}, which builds nothing for {wanted}; "
                "unset {names} or add a target for {wanted}"
            ).format(
                settings=_(" and ").join(s.shown() for s in port),
                targets=",".join(map(str, listed)),
                wanted=wanted,
                names=_(" and ").join(s.name for s in port),
            ),
            exit_code=2,
        )
    effect = _("matches {targets}").format(targets=", ".join(matching))
    return [replace(setting, effect=effect, shapes=True) for setting in port]


def _apply_subvariable(
    targets: list[Target], setting: BuildSetting
) -> tuple[list[Target], str, bool]:
    """Give ``setting`` to the targets of its architecture that name no variant: the
    targets, the effect (to which it applied, and not), and whether it gave it to any."""
    given, own, universal = [], [], []
    result = []
    for target in targets:
        if target.is_universal and setting.name in ("GOAMD64", "GOARM64"):
            universal.append(str(target))
        elif target.subvariable == setting.name and target.variant is None:
            target = target.replace(variant=setting.value)
            given.append(str(target))
        elif target.subvariable == setting.name:
            own.append(str(target))
        result.append(target)
    parts = [_("applies to {targets}").format(targets=", ".join(given))] if given else []
    if own:
        parts.append(_("not to {targets}, which name their own").format(targets=", ".join(own)))
    if universal:
        parts.append(
            _("not to {targets}, whose slices use Go's defaults").format(
                targets=", ".join(universal)
            )
        )
    if not parts:
        arches = "/".join(arch for arch, name in SUBVARIABLE_OF.items() if name == setting.name)
        parts.append(_("ignored: no target is {arches}").format(arches=arches))
    return result, _("; ").join(parts), bool(given)


def apply_to_list(
    listed: list[Target], exported: Mapping[str, BuildSetting]
) -> tuple[list[Target], list[BuildSetting]]:
    """``--targets`` given: exported sub-variables fill in variants; contradictions fail."""
    settings = _check_port(listed, exported)
    targets = list(listed)
    for name in SUBVARIABLES:
        if name in exported:
            targets, effect, gave = _apply_subvariable(targets, exported[name])
            settings.append(replace(exported[name], effect=effect, shapes=gave))
    return targets, settings


def target_from_exported(
    exported: Mapping[str, BuildSetting], *, host: tuple[str, str]
) -> tuple[Target, list[BuildSetting]]:
    """No ``--targets``: the exported ``GOOS``/``GOARCH`` (else the host's) and the
    architecture's exported sub-variable are the one target, as for ``go build``."""
    goos = exported.get("GOOS") or BuildSetting("GOOS", host[0], N_("host"))
    goarch = exported.get("GOARCH") or BuildSetting("GOARCH", host[1], N_("host"))
    target = Target(goos.value, goarch.value)
    chose = _("the target is {port}").format(port=target.port)
    settings = [replace(one, effect=chose, shapes=True) for one in (goos, goarch)]
    for name in SUBVARIABLES:
        if name not in exported:
            continue
        if name == target.subvariable:
            target = target.replace(variant=exported[name].value)
            applies = _("applies to {targets}").format(targets=target)
            settings.append(replace(exported[name], effect=applies, shapes=True))
        else:
            effect = _("ignored with GOARCH={goarch}").format(goarch=target.goarch)
            settings.append(replace(exported[name], effect=effect))
    return target, settings

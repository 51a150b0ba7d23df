"""Exported settings (GOOS, GOARCH, sub-variables, CGO_ENABLED) applied to a target list.

The real builds (inspect, qemu-arm -cpu arm1176) are in the build tests; these pin the rules.
"""

from __future__ import annotations

import pytest

from gorig.errors import GorigError
from gorig.host.goenv import GoSettingLayers, SettingsFile
from gorig.targets import parse_target
from gorig.targets.exported import (
    apply_to_list,
    decide_cgo,
    exported_settings,
    target_from_exported,
)

HOST = ("linux", "amd64")


def exported(**env: str) -> dict:
    return exported_settings(GoSettingLayers(env, SettingsFile("/home/u/.config/go/env", {})))


def listed(*texts: str):
    return [parse_target(text) for text in texts]


def test_no_list_uses_exported_goos_goarch_and_their_subvariable():
    target, settings = target_from_exported(
        exported(GOOS="linux", GOARCH="arm", GOARM="6", GOAMD64="v3"), host=HOST
    )
    assert str(target) == "linux/arm/6"
    said = {s.name: str(s) for s in settings}
    assert said["GOARM"] == "GOARM=6 (environment): applies to linux/arm/6"
    assert said["GOOS"] == "GOOS=linux (environment): the target is linux/arm"
    assert said["GOAMD64"] == "GOAMD64=v3 (environment): ignored with GOARCH=arm"


def test_no_list_and_nothing_exported_is_the_host():
    target, settings = target_from_exported({}, host=HOST)
    assert str(target) == "linux/amd64"
    assert [s.source for s in settings] == ["host", "host"]


def test_subvariable_fills_only_targets_without_their_own_variant():
    targets, settings = apply_to_list(
        listed("linux/arm", "linux/arm/7", "linux/amd64"), exported(GOARM="6")
    )
    assert [str(t) for t in targets] == ["linux/arm/6", "linux/arm/7", "linux/amd64"]
    (goarm,) = settings
    assert goarm.effect == "applies to linux/arm/6; not to linux/arm/7, which name their own"


def test_subvariable_for_no_listed_architecture_is_said_to_be_ignored():
    targets, settings = apply_to_list(listed("linux/arm64"), exported(GOAMD64="v3"))
    assert [str(t) for t in targets] == ["linux/arm64"]
    assert [str(s) for s in settings] == ["GOAMD64=v3 (environment): ignored: no target is amd64"]


def test_exported_goarch_no_target_matches_is_a_contradiction():
    with pytest.raises(GorigError) as caught:
        apply_to_list(listed("linux/amd64"), exported(GOARCH="arm64"))
    assert str(caught.value) == (
        "GOARCH=arm64 (environment) contradicts --targets linux/amd64, which builds nothing "
        "for arm64; unset GOARCH or add a target for arm64"
    )


def test_exported_port_matching_one_target_or_a_universal_slice_is_fine():
    _, settings = apply_to_list(
        listed("linux/amd64", "darwin/universal"), exported(GOOS="darwin", GOARCH="arm64")
    )
    assert {s.effect for s in settings} == {"matches darwin/universal"}


def test_cgo_enabled_exported_unless_a_flag_says():
    assert decide_cgo(exported(CGO_ENABLED="1"), None)[0]
    off, setting = decide_cgo(exported(CGO_ENABLED="1"), False)
    assert not off and str(setting) == "CGO_ENABLED=0 (--no-cgo)"
    assert str(decide_cgo({}, None)[1]) == "CGO_ENABLED=0 (gorig's default): --cgo turns cgo on"
    with pytest.raises(GorigError, match=r"CGO_ENABLED=yes \(environment\) must be 0 or 1"):
        decide_cgo(exported(CGO_ENABLED="yes"), None)


def test_the_go_env_file_counts_when_the_environment_is_empty():
    file = SettingsFile("/x/go/env", {"GOARM": "5", "GOOS": "linux"})
    found = exported_settings(GoSettingLayers({"GOARM": ""}, file))
    assert str(found["GOARM"]) == "GOARM=5 (go env -w file /x/go/env)"
    assert exported_settings(GoSettingLayers({"GOARM": "6"}, file))["GOARM"].value == "6"


def test_goroots_go_env_counts_last():
    shipped = SettingsFile("/usr/local/go/go.env", {"GOARM": "6", "GOARCH": "arm"})
    found = exported_settings(GoSettingLayers({}, SettingsFile("/x/go/env", {}), shipped))
    assert str(found["GOARM"]) == "GOARM=6 ($GOROOT/go.env /usr/local/go/go.env)"
    assert found["GOARCH"].shaped_targets is False  # no effect decided yet


@pytest.mark.parametrize(("name", "value"), [("GOARM", "../../x"), ("GOOS", "Linux x")])
def test_a_value_go_never_reads_is_refused_naming_its_source(name, value):
    with pytest.raises(GorigError, match=f"{name}=.* \\(environment\\) is not a value Go reads"):
        exported(**{name: value})

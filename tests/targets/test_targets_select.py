"""Target lists: targets, groups (first-class, all, host) and ``!`` exclusions."""

from __future__ import annotations

import pytest

from gorig.errors import GorigError
from gorig.targets import Target, parse_target
from gorig.targets.check import must_link_external
from gorig.targets.ports import shipped_ports
from gorig.targets.select import select_targets
from gorig.versions import parse_version

PORTS = shipped_ports(parse_version("1.27"))
HOST = ("linux", "amd64")


def names(text: str, **kwargs) -> list[str]:
    return [str(t) for t in select_targets(text, PORTS, host=HOST, **kwargs)]


def test_first_class_minus_one():
    chosen = names("first-class,!windows/386")
    expected = sorted(p.name for p in PORTS.ports if p.first_class and p.name != "windows/386")
    assert sorted(chosen) == expected
    assert "windows/386" not in chosen


def test_targets_keep_order_variants_and_drop_duplicates():
    chosen = names("linux/arm/6, linux/arm64/v8.2,lse host linux/arm/6 darwin/universal")
    assert chosen == ["linux/arm/6", "linux/arm64/v8.2,lse", "linux/amd64", "darwin/universal"]


def test_excluding_a_port_removes_all_its_variants_but_a_variant_only_itself():
    assert names("linux/arm/6,linux/arm/7,host,!linux/arm") == ["linux/amd64"]
    assert names("linux/arm/6,linux/arm/7,!linux/arm/6") == ["linux/arm/7"]


def test_all_leaves_out_broken_and_external_link_only_ports():
    chosen = select_targets("all", PORTS, host=HOST)
    ports = {p.name: p for p in PORTS.ports}
    assert all(not ports[t.port].broken for t in chosen)
    assert all(not must_link_external(t.goos, t.goarch) for t in chosen)
    assert Target("android", "arm64") in chosen
    with_cgo = select_targets("all", PORTS, host=HOST, cgo=True)
    assert all(ports[t.port].cgo for t in with_cgo)


def test_goreleaser_spelling_is_accepted():
    assert parse_target("linux_arm_7") == Target("linux", "arm", "7")


@pytest.mark.parametrize("text", ["!linux/amd64", "first-class,!first-class", ""])
def test_a_list_that_selects_nothing_is_an_error(text):
    with pytest.raises(GorigError, match="selects nothing"):
        select_targets(text, PORTS, host=HOST)


def test_a_port_without_sub_variable_takes_no_variant():
    with pytest.raises(GorigError, match="takes no variant"):
        parse_target("linux/s390x/z15")


def test_canonical_variants_follow_gos_defaults():
    from gorig.targets.subvars import canonical_variant

    assert canonical_variant("GOARM", "7") == canonical_variant("GOARM", "7,hardfloat")
    assert canonical_variant("GOARM", "5") == "5,softfloat"
    assert canonical_variant("GOARM", "6,softfloat") != canonical_variant("GOARM", "6")
    assert canonical_variant("GOARM64", "v8.2") == "v8.2,lse"
    assert canonical_variant("GOARM64", "v8.0,crypto,lse") == "v8.0,lse,crypto"
    assert canonical_variant("GOARM64", "v8.0") == "v8.0"
    assert canonical_variant("GOAMD64", "v3") == "v3"

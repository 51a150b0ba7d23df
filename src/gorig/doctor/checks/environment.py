"""Checks about Go settings: who set them, which are ignored, GOROOT, GOBIN, CC overrides."""

from __future__ import annotations

from gorig.doctor.checks.facts_view import fix_for, native, on_path, same_path
from gorig.doctor.checks.registry import check
from gorig.doctor.findings import WARNING, Finding
from gorig.doctor.settings import first_go, lookup
from gorig.host.goenv import ENVIRONMENT, GOENV_FILE, GOROOT_ENV, GoSetting, shown_source
from gorig.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gorig.doctor.facts import Facts

PERSISTENT_KEYS = (
    "GOARCH",
    "GOOS",
    "CGO_ENABLED",
    "GOAMD64",
    "GOFLAGS",
    "GOROOT",
    "GOTOOLCHAIN",
    "CC",
)

# Architecture sub-variables and the GOARCH values that read them.
ARCH_VARIABLES: dict[str, tuple[str, ...]] = {
    "GOARM": ("arm",),
    "GOARM64": ("arm64",),
    "GOAMD64": ("amd64",),
    "GO386": ("386",),
    "GOMIPS": ("mips", "mipsle"),
    "GOMIPS64": ("mips64", "mips64le"),
    "GOPPC64": ("ppc64", "ppc64le"),
    "GORISCV64": ("riscv64",),
    "GOWASM": ("wasm",),
}

# First fields of target triples (and of compilers named after one) -> Go's arch.
TRIPLE_ARCH = {
    "x86_64": "amd64",
    "amd64": "amd64",
    "aarch64": "arm64",
    "arm64": "arm64",
    "i386": "386",
    "i486": "386",
    "i586": "386",
    "i686": "386",
}


def triple_arch(text: str) -> str | None:
    """The Go arch of a target triple (``x86_64-linux-gnu``) or of a compiler named after one
    (``x86_64-apple-darwin13.4.0-clang``); ``None`` for ``gcc``, ``clang-14`` and the like."""
    fields = text.rsplit("/", 1)[-1].split("-")
    if len(fields) < 2:
        return None
    if fields[0] in TRIPLE_ARCH:
        return TRIPLE_ARCH[fields[0]]
    return "arm" if fields[0].startswith("armv") else None


def compiler_overrides(facts: Facts) -> list[tuple[str, str, str]]:
    """(variable, value, why) for CC/CXX/AR exported by conda or naming another target."""
    env = facts["env"]
    conda = env.get("CONDA_PREFIX", "")
    goarch = native(facts)[1]
    found = []
    for name in ("CC", "CXX", "AR"):
        value = env.get(name, "")
        arch = triple_arch(value)
        if value and conda and (value.startswith(conda) or arch is not None):
            # the words name conda in every language: cc_override's fix depends on it
            why = _("set by the conda environment {conda}").format(conda=conda)
            found.append((name, value, why))
        elif arch is not None and arch != goarch:
            why = _("it targets {arch}, this machine is {goarch}")
            found.append((name, value, why.format(arch=arch, goarch=goarch)))
    return found


def _goroot_mismatch(facts: Facts) -> bool:
    goroot = facts.get("goroot")
    if not goroot:
        return False
    set_realpath, in_use = goroot["set_realpath"], goroot["in_use"]
    return bool(set_realpath and in_use and not same_path(set_realpath, in_use))


def _reported_elsewhere(setting: GoSetting, facts: Facts) -> bool:
    """Overrides another check explains better (so each problem is reported once)."""
    key, source = setting.key, setting.source
    if key == "GOROOT":
        return _goroot_mismatch(facts)
    if key == "GOTOOLCHAIN":
        return source == GOENV_FILE or (source == GOROOT_ENV and setting.value == "auto")
    if key == "CC":
        return any(name == "CC" for name, _value, _why in compiler_overrides(facts))
    return False


@check(
    "env.overrides", WARNING, "no persistent GOOS/GOARCH/CGO/GOFLAGS/CC overrides", ("settings",)
)
def env_overrides(facts: Facts) -> list[Finding]:
    found = []
    for key in PERSISTENT_KEYS:
        setting = lookup(facts, key)
        if setting.source not in (ENVIRONMENT, GOENV_FILE, GOROOT_ENV):
            continue
        if _reported_elsewhere(setting, facts):
            continue
        found.append(
            Finding(
                "env.overrides",
                WARNING,
                _("{setting} is set in the {source}").format(
                    setting=f"{key}={setting.value}", source=shown_source(setting.source)
                ),
                _(
                    "Every go command here uses it: builds can silently target another platform "
                    "or mode. Keep {key} per command or per project instead."
                ).format(key=key),
                fix_for(key, setting.source),
            )
        )
    return found


@check("env.goarm-ignored", WARNING, "no architecture variables for another GOARCH", ("settings",))
def arch_variables_ignored(facts: Facts) -> list[Finding]:
    goarch = lookup(facts, "GOARCH").value
    found = []
    for key, archs in ARCH_VARIABLES.items():
        setting = lookup(facts, key)
        if not setting.set_by_user or goarch in archs:
            continue
        hint = (
            _(" (for arm64 use GOARM64, Go 1.23+)") if key == "GOARM" and goarch == "arm64" else ""
        )
        found.append(
            Finding(
                "env.goarm-ignored",
                WARNING,
                _("{setting} is ignored: GOARCH is {goarch}").format(
                    setting=f"{key}={setting.value}", goarch=goarch
                ),
                _("{key} applies only to GOARCH={archs}{hint}; set from the {source}.").format(
                    key=key, archs="/".join(archs), hint=hint, source=shown_source(setting.source)
                ),
                fix_for(key, setting.source),
            )
        )
    return found


@check("goroot.mismatch", WARNING, "GOROOT matches the go in use", ("gos", "settings"))
def goroot_mismatch(facts: Facts) -> list[Finding]:
    goroot, go = facts.get("goroot"), first_go(facts)
    if not goroot:
        return []
    binary = go.get("go_version") if go else None
    found = []
    if _goroot_mismatch(facts):
        setting = lookup(facts, "GOROOT")
        found.append(
            Finding(
                "goroot.mismatch",
                WARNING,
                _("GOROOT={value} is not the tree of the go in use ({in_use})").format(
                    value=setting.value, in_use=goroot["in_use"]
                ),
                _(
                    "GOROOT is {set_version}, the go binary is {binary}: it compiles against the "
                    "wrong standard library ('compile: version ... does not match go tool "
                    "version'). Without GOROOT, go finds its own tree."
                ).format(
                    set_version=goroot["set_version"] or _("an unknown version"),
                    binary=binary or "?",
                ),
                fix_for("GOROOT", setting.source),
            )
        )
    stamped = goroot["in_use_version"]
    if stamped and binary and stamped.split()[:1] != binary.split()[:1]:
        found.append(
            Finding(
                "goroot.mismatch",
                WARNING,
                _("{file} says {stamped} but its go binary is {binary}").format(
                    file=f"{goroot['in_use']}/VERSION", stamped=stamped, binary=binary
                ),
                _(
                    "A Go was extracted over another one: stray files from the old release break "
                    "builds ('Undefined symbols ... _darwin_arm_init_mach_exception_handler')."
                ),
                f"rm -rf {goroot['in_use']}   # " + _("then install cleanly: gorig install"),
            )
        )
    return found


def _missing_tool_dirs(facts: Facts) -> list[str]:
    """Tool directories that exist (or GOBIN, when set) but are not on PATH."""
    gobin_set = lookup(facts, "GOBIN").set_by_user
    tools = facts.get("tools")
    return [
        d["path"]
        for d in (tools["dirs"] if tools else [])
        if (d["exists"] or gobin_set) and not on_path(facts, d["path"])
    ]


@check("gobin.path", WARNING, "GOBIN / GOPATH/bin is on PATH", ("tools", "settings"))
def gobin_path(facts: Facts) -> list[Finding]:
    return [
        Finding(
            "gobin.path",
            WARNING,
            _("{directory} is not on PATH").format(directory=directory),
            _(
                "Tools installed with `go install` (gopls, dlv, staticcheck) land there and are "
                "not found, or an older copy elsewhere on PATH is used."
            ),
            f'export PATH="$PATH:{directory}"   # ' + _("in your shell profile"),
        )
        for directory in _missing_tool_dirs(facts)
    ]


@check("cc.override", WARNING, "CC/CXX/AR are not overridden by conda or for another target")
def cc_override(facts: Facts) -> list[Finding]:
    return [
        Finding(
            "cc.override",
            WARNING,
            _("{setting} is exported ({why})").format(setting=f"{name}={value}", why=why),
            _(
                "cgo builds use this compiler and link against libraries for its target "
                "(golang/go#39992)."
            ),
            "conda deactivate   # "
            + _("for Go work; or: {command}").format(
                command="conda config --set auto_activate_base false"
            )
            if "conda" in why
            else f"unset {name}",
        )
        for name, value, why in compiler_overrides(facts)
    ]

"""A multi-stage, multi-platform Dockerfile that cross-compiles on the build machine.

The build stage runs on ``$BUILDPLATFORM`` and cross-compiles for ``$TARGETPLATFORM`` (Go
needs no emulation; with cgo, tonistiigi/xx supplies the target's C cross-compiler). The
final stage is non-root with CA certificates and time zone data: distroless ships both;
scratch and alpine get the certificates from the build stage and tzdata embedded in the
binary (``-tags timetzdata``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gorig.configure import managed
from gorig.configure.project import main_packages
from gorig.errors import GorigError
from gorig.host.goenv import GoSettingLayers, lookup
from gorig.i18n import _
from gorig.targets import parse_target
from gorig.versions import GoVersion, parse_version
from gorig.versions.pins import module_pin

BASES = ("distroless", "scratch", "alpine")
DEFAULT_PLATFORMS = ("linux/amd64", "linux/arm64")
XX_IMAGE = "tonistiigi/xx:1.6.1"
ALPINE_IMAGE = "alpine:3.22"
GO_BUILD_ARGS = ("GOPROXY", "GOSUMDB", "GOPRIVATE", "GOFLAGS")
_REGISTRY = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._-]+)*$")
NONROOT_UID = "65532"  # distroless's nonroot user; used for scratch and alpine too
_MAJOR_SUFFIX = re.compile(r"^v[0-9]+$")
# The variants a Docker platform may carry, and so what TARGETVARIANT can be.
DOCKER_VARIANTS = {"arm": ("v5", "v6", "v7"), "amd64": ("v1", "v2", "v3", "v4"), "arm64": ("v8",)}


@dataclass(frozen=True)
class Project:
    """What the Dockerfile needs to know about a Go module."""

    module: str
    go: GoVersion
    go_is_exact: bool  # from a toolchain line or --go: use that image, not the series'
    main: str  # "." or "./cmd/app"
    binary: str
    has_go_sum: bool


@dataclass(frozen=True)
class DockerPlan:
    project: Project
    base: str = "distroless"
    cgo: bool = False
    platforms: tuple[str, ...] = DEFAULT_PLATFORMS
    # GOPROXY, GOSUMDB, GOPRIVATE, GOFLAGS: build arguments defaulting to the user's values
    build_args: tuple[tuple[str, str], ...] = ()
    registry: str | None = None  # a Docker Hub mirror the base images are pulled through

    @property
    def go_tag(self) -> str:
        """The golang image tag: the toolchain exactly, or the newest patch of the go line."""
        version = self.project.go
        if self.project.go_is_exact:
            return version.release_name.removeprefix("go")
        return f"{version.major}.{version.minor}"


def _pick_main(root: Path, requested: str | None) -> str:
    if requested:
        return requested if requested.startswith(".") else f"./{requested}"
    found = main_packages(root)
    if "." in found:
        return "."
    if len(found) == 1:
        return found[0]
    if not found:
        raise GorigError(
            _("no main package under {path}; pass --main ./path/to/cmd").format(path=root)
        )
    raise GorigError(
        _("several main packages ({found}); choose one with --main").format(found=", ".join(found))
    )


def _binary_name(module: str, main: str) -> str:
    parts = (module if main == "." else main).rstrip("/").split("/")
    if len(parts) > 1 and _MAJOR_SUFFIX.match(parts[-1]):
        parts.pop()  # example.com/app/v2 builds "app"
    return re.sub(r"[^A-Za-z0-9._-]", "-", parts[-1]) or "app"


def _go_version(text: str, go_mod: Path, requested: str | None) -> tuple[GoVersion, bool]:
    """The Go version and whether it is exact (``--go 1.22.5``, a toolchain line)."""
    if requested is not None:
        version = parse_version(requested)
        return version, not version.is_language
    pin = module_pin(text, "go.mod", go_mod)
    if pin is None or pin.version is None:
        raise GorigError(_("{path} has no go line; pass --go VERSION").format(path=go_mod))
    return pin.version, pin.source.endswith("toolchain")


def read_project(root: Path, *, go: str | None = None, main: str | None = None) -> Project:
    """Read go.mod (module path, toolchain or go line) and find the main package."""
    go_mod = root / "go.mod"
    try:
        text = go_mod.read_text(encoding="utf-8")
    except OSError as error:
        raise GorigError(
            _("no go.mod in {path}; run `go mod init` there first").format(path=root)
        ) from error
    module = re.search(r"^\s*module\s+(\S+)", text, re.MULTILINE)
    if module is None:
        raise GorigError(_("{path} has no module line").format(path=go_mod))
    version, exact = _go_version(text, go_mod, go)
    chosen = _pick_main(root, main)
    return Project(
        module.group(1).strip('"'),
        version,
        exact,
        chosen,
        _binary_name(module.group(1).strip('"'), chosen),
        (root / "go.sum").is_file(),
    )


def check_platforms(text: str) -> tuple[str, ...]:
    """``linux/amd64,linux/arm/v7`` checked: Linux images only, a valid Go target each."""
    platforms = tuple(item.strip() for item in text.split(",") if item.strip())
    if not platforms:
        raise GorigError(_("--platforms is empty; give e.g. linux/amd64,linux/arm64"))
    for item in platforms:
        target = parse_target(item)
        if target.goos != "linux":
            raise GorigError(
                _("{platform}: container images here are Linux ones; use linux/...").format(
                    platform=item
                )
            )
        allowed = DOCKER_VARIANTS.get(target.goarch, ())
        if target.variant and target.variant not in allowed:
            choices = ", ".join(allowed) or _("none")
            raise GorigError(
                _("{platform}: Docker variants of {goarch} are: {choices}").format(
                    platform=item, goarch=target.goarch, choices=choices
                )
            )
    return platforms


def go_build_args(layers: GoSettingLayers) -> tuple[tuple[str, str], ...]:
    """The user's module settings (the environment, else ``go env -w``) to pass into the
    build, so ``go mod download`` in the image uses the same proxy as on the machine. Go's
    own defaults are left to Go. A value that could break out of its ``ARG`` line is refused."""
    args = []
    for name in GO_BUILD_ARGS:
        found = lookup(layers, name)
        value = found.value if found.set_by_user else ""
        if any(ord(char) < 32 for char in value):
            where = f"{found.source} {found.path}" if found.path else found.source
            raise GorigError(
                _("{name} from {where} holds a control character; fix it first").format(
                    name=name, where=where
                )
            )
        args.append((name, value))
    return tuple(args)


def check_registry(text: str) -> str:
    """A registry mirror as ``host[:port][/path]`` (a scheme and trailing ``/`` are dropped)."""
    registry = re.sub(r"^https?://", "", text.strip()).rstrip("/")
    if not _REGISTRY.match(registry):
        raise GorigError(
            _(
                "--registry {value} is not a registry; give host[:port][/path], like {example}"
            ).format(value=repr(text), example="docker.m.daocloud.io"),
            exit_code=2,
        )
    return registry


def image(name: str, registry: str | None) -> str:
    """``name`` pulled through the Docker Hub mirror ``registry`` (official images live under
    ``library/``); images of other registries (gcr.io...) are left as they are."""
    first, slash, _ = name.partition("/")
    other_registry = slash and ("." in first or ":" in first or first == "localhost")
    if registry is None or name == "scratch" or other_registry:
        return name
    return f"{registry}/{name if '/' in name else 'library/' + name}"


def registry_notes(plan: DockerPlan) -> list[str]:
    """What ``--registry`` cannot reach: base images outside Docker Hub."""
    final = _final_image(plan)
    if plan.registry is None or image(final, plan.registry) != final or final == "scratch":
        return []  # pulled through the mirror, or nothing to pull
    return [
        _(
            "{image} is not on Docker Hub, so {registry} does not serve it; if its registry is "
            "unreachable, use --base alpine or --base scratch"
        ).format(image=final, registry=plan.registry)
    ]


def _arg_lines(name: str, value: str) -> list[str]:
    """``ARG NAME="value"`` (escaped so Docker substitutes nothing), or a bare ``ARG``."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    line = f'ARG {name}="{escaped}"' if value else f"ARG {name}"
    if name == "GOPRIVATE":  # hadolint reads "PRIVATE" in a name as a secret
        return [
            *_comments(_("GOPRIVATE holds module path patterns, not a secret.")),
            "# hadolint ignore=DL3064",
            line,
        ]
    return [line]


def check_base(base: str) -> str:
    if base not in BASES:
        raise GorigError(
            _("unknown base {base}; choose one of: {bases}").format(
                base=repr(base), bases=", ".join(BASES)
            )
        )
    return base


def buildx_command(plan: DockerPlan, tag: str | None = None) -> str:
    name = tag or plan.project.binary
    return f"docker buildx build --platform {','.join(plan.platforms)} -t {name} ."


def _final_image(plan: DockerPlan) -> str:
    if plan.base == "distroless":
        flavour = "base" if plan.cgo else "static"  # cgo binaries link glibc dynamically
        return f"gcr.io/distroless/{flavour}-debian12:nonroot"
    return "scratch" if plan.base == "scratch" else ALPINE_IMAGE


def _build_flags(plan: DockerPlan) -> tuple[str, str]:
    """(tags, ldflags) for go build: static cgo links for scratch/alpine, embedded tzdata."""
    tags = [] if plan.base == "distroless" else ["timetzdata"]
    ldflags = "-s -w"
    if plan.cgo and plan.base != "distroless":
        tags = ["netgo", "osusergo", *tags]  # no NSS: a static glibc binary needs neither
        ldflags += " -linkmode external -extldflags -static"
    return ",".join(tags), ldflags


def _go_build(plan: DockerPlan) -> list[str]:
    tags, ldflags = _build_flags(plan)
    tag_flag = f" -tags {tags}" if tags else ""
    out = "/out/app"
    build = f'go build -trimpath{tag_flag} -ldflags="{ldflags}" -o {out} {plan.project.main}'
    caches = [
        "RUN --mount=type=cache,target=/go/pkg/mod \\",
        "    --mount=type=cache,target=/root/.cache/go-build \\",
    ]
    if plan.cgo:  # xx-go maps TARGETPLATFORM to GOOS/GOARCH/GOARM/GOAMD64 and sets CC
        verify = "xx-verify --static" if plan.base != "distroless" else "xx-verify"
        return [*caches, f"    CGO_ENABLED=1 xx-{build} && \\", f"    {verify} {out}"]
    return [
        *caches,
        '    case "$TARGETARCH" in \\',
        '      arm) GOARM="${TARGETVARIANT#v}" && export GOARM ;; \\',
        '      amd64) if [ -n "$TARGETVARIANT" ]; then export GOAMD64="$TARGETVARIANT"; fi ;; \\',
        "    esac && \\",
        f'    CGO_ENABLED=0 GOOS="$TARGETOS" GOARCH="$TARGETARCH" {build}',
    ]


def render(plan: DockerPlan) -> str:
    """The Dockerfile text for ``plan``."""
    project = plan.project
    builder = f"golang:{plan.go_tag}-bookworm" if plan.cgo else f"golang:{plan.go_tag}"
    head = _(
        ": the build stage runs on the build machine and\n"
        "cross-compiles for each target platform (no emulation). Build with:"
    )  # after the fixed mark, so an English and a Chinese gorig know each other's file
    lines = [
        "# syntax=docker/dockerfile:1",
        *_comments(GENERATED_MARK.removeprefix("# ") + head),
        f"#   {buildx_command(plan)}",
        "",
    ]
    if plan.cgo:
        lines += [f"FROM --platform=$BUILDPLATFORM {image(XX_IMAGE, plan.registry)} AS xx", ""]
    lines += [f"FROM --platform=$BUILDPLATFORM {image(builder, plan.registry)} AS build"]
    if plan.cgo:
        lines += [
            "COPY --from=xx /usr/bin/ /usr/bin/",  # the xx image holds only its scripts
            "ARG TARGETPLATFORM",
            *_comments(_("The C cross-compiler and libc for the target platform.")),
            "RUN xx-apt-get install -y --no-install-recommends gcc libc6-dev",
        ]
    sums = "go.mod go.sum" if project.has_go_sum else "go.mod"
    if plan.build_args:
        lines += [
            *_comments(
                _(
                    "Module proxy, checksum database, private modules and flags: the values of "
                    "the\nmachine that wrote this file; change them with --build-arg NAME=VALUE."
                )
            ),
            *(line for name, value in plan.build_args for line in _arg_lines(name, value)),
        ]
    lines += [
        "WORKDIR /src",
        *_comments(_("Modules in their own layer: editing sources does not download them again.")),
        f"COPY {sums} ./",
        "RUN --mount=type=cache,target=/go/pkg/mod go mod download",
        "COPY . .",
        "ARG TARGETOS TARGETARCH TARGETVARIANT",
        *_comments(
            _(
                "TARGETVARIANT v5/v6/v7 -> GOARM, v2/v3/v4 -> GOAMD64; both caches outlive the "
                "build."
            )
        ),
        *_go_build(plan),
        "",
        f"FROM {image(_final_image(plan), plan.registry)}",
    ]
    if plan.base != "distroless":
        lines.append("COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/")
    lines += [
        f"COPY --from=build /out/app /usr/local/bin/{project.binary}",
        f"USER {NONROOT_UID}:{NONROOT_UID}",
        f'ENTRYPOINT ["/usr/local/bin/{project.binary}"]',
    ]
    return "\n".join(lines) + "\n"


def _comments(text: str) -> list[str]:
    """``text``'s lines as Dockerfile comments (a translation keeps its own line breaks)."""
    return ["# " + line for line in text.split("\n")]


def dockerignore_body() -> str:
    """What the build context leaves out (kept in a marked block of .dockerignore)."""
    entries = [
        ".git",
        ".github",
        ".idea",
        ".vscode",
        "**/.DS_Store",
        "bin/",
        "dist/",
        "Dockerfile",
        ".dockerignore",
    ]
    return "".join(entry + "\n" for entry in entries)


GENERATED_MARK = "# Generated by `gorig dockerfile`"


def is_generated(text: str) -> bool:
    return GENERATED_MARK in text.split("\n", 3)[1] if text.count("\n") >= 2 else False


def write(directory: Path, text: str, *, force: bool = False) -> list[managed.Change]:
    """Write ``Dockerfile`` (only over one gorig generated, unless ``force``) and the
    ``.dockerignore`` block, each with a backup and an atomic rename."""
    target = directory / "Dockerfile"
    existing = managed.read_text(target)
    if existing is not None and not is_generated(existing) and not force:
        raise GorigError(
            _("{path} exists and gorig did not write it; pass --force to replace it").format(
                path=target
            )
        )
    return [
        managed.write_file(target, text),
        managed.update_block(directory / ".dockerignore", dockerignore_body()),
    ]

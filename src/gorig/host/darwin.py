"""macOS facts read through libc, without starting a process.

``sysctlbyname`` gives the hardware and Rosetta values ``probe()`` needs; ``sysctl`` on
``kern.proc.pid.PID`` gives a process's flags (is it translated by Rosetta?) and
``proc_pidpath`` its executable, for the doctor's look at the parent process. ctypes is
imported only when one of these runs, which is only on darwin. The decoders are pure
functions from the bytes the kernel returns to values, tested with recorded bytes on any
machine. The one process started is ``defaults``, for the user's language preference
(``apple_languages``), and only when no locale variable names a language.
"""

from __future__ import annotations

import struct

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ctypes

# The sysctl names probe() reads, and the C type of each (sysctl(3): hw.memsize is a
# uint64_t, the others are int).
SYSCTL_FORMATS = {
    "hw.optional.arm64": "<i",
    "sysctl.proc_translated": "<i",
    "hw.memsize": "<Q",
    "hw.ncpu": "<i",
}
ENOENT = 2  # an oid this kernel does not have (no Rosetta, an Intel Mac)
# struct kinfo_proc: 648 bytes on 64-bit macOS; kp_proc.p_flag is an int at offset 32, after
# p_starttime (a 16-byte timeval), p_vmspace and p_sigacts (pointers).
KINFO_PROC_SIZE = 648
P_FLAG_OFFSET = 32
P_TRANSLATED = 0x00020000  # p_flag: the process runs under Rosetta
MAXPATHLEN = 1024
PROC_PIDPATHINFO_MAXSIZE = 4 * MAXPATHLEN


def decode_sysctl(name: str, raw: bytes) -> str | None:
    """The value of ``name`` as ``sysctl -n`` prints it, or None when ``raw`` is not the
    value of that C type."""
    layout = SYSCTL_FORMATS.get(name)
    if layout is None or len(raw) != struct.calcsize(layout):
        return None
    return str(struct.unpack(layout, raw)[0])


def decode_translated(kinfo: bytes) -> bool | None:
    """Whether a ``struct kinfo_proc`` describes a process Rosetta translates; None when
    the bytes are not a whole kinfo_proc."""
    if len(kinfo) != KINFO_PROC_SIZE:
        return None
    (flags,) = struct.unpack_from("<i", kinfo, P_FLAG_OFFSET)
    return bool(flags & P_TRANSLATED)


def _libc() -> ctypes.CDLL | None:
    """libSystem (dlopen of the running program, which links it), or None off macOS."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        size_p, int_p, void_p = (
            ctypes.POINTER(ctypes.c_size_t),
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_void_p,
        )
        libc.sysctlbyname.argtypes = [ctypes.c_char_p, void_p, size_p, void_p, ctypes.c_size_t]
        libc.sysctlnametomib.argtypes = [ctypes.c_char_p, int_p, size_p]
        libc.sysctl.argtypes = [int_p, ctypes.c_uint, void_p, size_p, void_p, ctypes.c_size_t]
        libc.proc_pidpath.argtypes = [ctypes.c_int, void_p, ctypes.c_uint32]
    except (ImportError, OSError, AttributeError):  # not libSystem: no such functions
        return None
    return libc


def sysctls(names: list[str] | tuple[str, ...]) -> dict[str, str] | None:
    """``names`` read with sysctlbyname; an oid the kernel lacks is absent. None when libc
    cannot be used here (the caller falls back to the ``sysctl`` command)."""
    libc = _libc()
    if libc is None:
        return None
    import ctypes

    values: dict[str, str] = {}
    for name in names:
        buffer = ctypes.create_string_buffer(8)
        size = ctypes.c_size_t(len(buffer))
        if libc.sysctlbyname(name.encode(), buffer, ctypes.byref(size), None, 0) != 0:
            if ctypes.get_errno() == ENOENT:
                continue
            return None  # any other failure: let the command answer
        value = decode_sysctl(name, buffer.raw[: size.value])
        if value is not None:
            values[name] = value
    return values


def process_info(pid: int) -> tuple[bool | None, str | None] | None:
    """(translated by Rosetta, executable path) of process ``pid``; None when libc cannot
    be used here. Either part is None when the kernel would not say."""
    libc = _libc()
    if libc is None:
        return None
    import ctypes

    mib = (ctypes.c_int * 4)()
    depth = ctypes.c_size_t(3)
    if libc.sysctlnametomib(b"kern.proc.pid", mib, ctypes.byref(depth)) != 0:
        return None
    mib[3] = pid
    kinfo = ctypes.create_string_buffer(KINFO_PROC_SIZE)
    size = ctypes.c_size_t(KINFO_PROC_SIZE)
    ok = libc.sysctl(mib, 4, kinfo, ctypes.byref(size), None, 0) == 0
    translated = decode_translated(kinfo.raw[: size.value]) if ok else None
    path = ctypes.create_string_buffer(PROC_PIDPATHINFO_MAXSIZE)
    length = libc.proc_pidpath(pid, path, PROC_PIDPATHINFO_MAXSIZE)
    executable = path.raw[:length].decode("utf-8", "surrogateescape") if length > 0 else None
    return translated, executable


def decode_apple_languages(text: str) -> list[str]:
    """The language tags of ``defaults read -g AppleLanguages`` output, most preferred first.

    The output is an old-style property list array, ``(\n    "zh-Hans-CN",\n    en\n)``;
    anything else, or an item that is not a tag of letters, digits and dashes, gives nothing.
    """
    body = text.strip()
    if not (body.startswith("(") and body.endswith(")")):
        return []
    tags = [item.strip().strip('"') for item in body[1:-1].split(",")]
    return [
        tag for tag in tags if tag.isascii() and tag.replace("-", "").replace("_", "").isalnum()
    ]


def apple_languages() -> list[str]:
    """The user's preferred languages (System Settings, Language & Region); [] if unreadable."""
    import subprocess

    try:
        done = subprocess.run(["defaults", "read", "-g", "AppleLanguages"],
                              capture_output=True, text=True, timeout=2, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return []
    return decode_apple_languages(done.stdout) if done.returncode == 0 else []

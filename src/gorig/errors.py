"""The one error type every gorig package raises for bad input or a failed step.

The CLI prints it as one line (or, with ``--json``, as ``{"error": {...}}``) and exits with
``exit_code``; it never shows a traceback for these. The message names what failed and what
to do next; ``hint`` may carry the next step separately.
"""

from gorig.i18n import N_, _

# Exit codes, the same for every command (docs/cli.md has the table).
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class GorigError(Exception):
    """A failure the user can act on: one clear line, a non-zero exit.

    ``kind`` names the class of failure for scripts: ``failed`` (exit 1, the step did not
    work), ``input`` (exit 2, a bad value, file or setting) or ``usage`` (exit 2, a bad
    command line); it follows ``exit_code`` unless given.
    """

    exit_code: int = EXIT_FAILED

    def __init__(
        self,
        message: str,
        *,
        exit_code: int | None = None,
        kind: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code
        self.kind = kind or ("failed" if self.exit_code == EXIT_FAILED else "input")
        self.hint = hint


# errno name -> what to do about it (the path itself is named by the message)
_ADVICE = {
    "EACCES": N_("permission denied: check the owner and mode of it and its directories"),
    "EPERM": N_("not permitted: check the owner and mode of it and its directories"),
    "EROFS": N_("that file system is read-only: remount it read-write or work elsewhere"),
    "ENOSPC": N_("no space left on that device: free some ('gorig prune' deletes downloads)"),
    "EDQUOT": N_("disk quota exceeded: free some space ('gorig prune' deletes downloads)"),
    "ENOTDIR": N_("a part of that path is a file, not a directory: move the file away"),
    "EEXIST": N_("it already exists: remove it or choose another name"),
    "EISDIR": N_("it is a directory, not a file: name a file"),
    "ENOENT": N_("it does not exist"),
    "ELOOP": N_("too many symbolic links: one of them loops"),
    "ENAMETOOLONG": N_("the name is too long"),
}


def os_error_message(error: OSError, store_home: str | None = None) -> str:
    """One line for an operating-system error: the path, what went wrong, what to do.

    Every command's ``OSError`` ends here (``gorig.cli.main``); an error inside gorig's
    store (``store_home``) also says how to point gorig elsewhere.
    """
    import errno
    from pathlib import Path

    if error.filename is None and not _cwd_exists():
        return _("the current directory no longer exists: cd to an existing directory and retry")
    code = errno.errorcode.get(error.errno or 0, "")
    advice = _(_ADVICE[code]) if code in _ADVICE else (error.strerror or str(error)).lower()
    path = " -> ".join(str(name) for name in (error.filename, error.filename2) if name)
    line = f"{path}: {advice}" if path else advice
    if store_home is None or not error.filename:
        return line
    if Path(str(error.filename)) == Path(store_home):
        return line + _(" (GORIG_HOME must name a directory gorig may write)")
    if Path(str(error.filename)).is_relative_to(store_home):
        return line + _(" (gorig's store is {home}; GORIG_HOME chooses another)").format(
            home=store_home
        )
    return line


def _cwd_exists() -> bool:
    from pathlib import Path

    try:
        Path.cwd()
    except OSError:
        return False
    return True


class os_errors_at:  # a context manager, named like contextlib's
    """Name ``path`` in an ``OSError`` raised without a file name (a failed write names none)."""

    def __init__(self, path: object) -> None:
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if isinstance(error, OSError) and error.filename is None:
            error.filename = str(self.path)

"""The one error type every gorig package raises for bad input or a failed step.

The CLI prints it as one line (or, with ``--json``, as ``{"error": {...}}``) and exits with
``exit_code``; it never shows a traceback for these. The message names what failed and what
to do next; ``hint`` may carry the next step separately.
"""

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

"""The one error type every gorig package raises for bad input or a failed step.

The CLI prints ``str(error)`` as one line and exits with ``exit_code``; it never shows a
traceback for these. The message names what failed and what to do next.
"""


class GorigError(Exception):
    """A failure the user can act on: one clear line, a non-zero exit."""

    exit_code: int = 1

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

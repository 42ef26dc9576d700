"""Errors people can act on, and the exit-code table of the command line.

Every error knows where it happened (`Loc`) and how to fix it. The CLI prints them as
`source/x.md:12: error: message (hint: …)` and shows a traceback only with `--debug`.
"""

from __future__ import annotations

from .model import Loc

EXIT_OK = 0
"""Everything selected was built and published."""
EXIT_GATE_FAILED = 1
"""At least one artifact failed a gate and was withheld."""
EXIT_BAD_INPUT = 2
"""Bad input, configuration or usage: nothing was built."""


class PlainpressError(Exception):
    """An error in a project file or in how the tool was called (exit status 2)."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, loc: Loc | None = None, hint: str | None = None,
                 code: str = "input"):
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.hint = hint
        self.code = code

    def __str__(self) -> str:
        where = f"{self.loc}: " if self.loc else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{where}error: {self.message}{hint}"


class SourceError(PlainpressError):
    """A problem in a source document, snippet or other content file."""

    def __init__(self, loc: Loc, message: str, hint: str | None = None, code: str = "source"):
        super().__init__(message, loc, hint, code)


class ConfigError(PlainpressError):
    """A problem in `[tool.plainpress]` or the theme."""

    def __init__(self, message: str, loc: Loc | None = None, hint: str | None = None):
        super().__init__(message, loc, hint, code="config")


class UsageError(PlainpressError):
    """The command line asked for something that does not exist or cannot be done."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message, None, hint, code="usage")

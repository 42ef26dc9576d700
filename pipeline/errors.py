"""Errors people can act on, and the exit-code table of the command line.

Every error knows where it happened (`Loc`) and how to fix it. The CLI prints them as
`source/x.md:12: error: message (hint: …)` and shows a traceback only with `--debug`.
"""

from __future__ import annotations

from pipeline.model import Loc

EXIT_OK = 0
"""Everything selected was built and published."""
EXIT_GATE_FAILED = 1
"""At least one artifact failed a gate and was withheld."""
EXIT_BAD_INPUT = 2
"""Bad input, configuration or usage: nothing was built."""
EXIT_BELOW_TARGET = 3
"""`i18n stats`: a locale's translation is below `--min-percent`. Its own status, because the
PO files are fine: a CI job waiting for translators must not read it as a failed gate."""


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


MAX_REPORTED = 50
"""Source errors printed per run: enough to fix a batch of mistakes in one go, few enough that a
file of garbage does not scroll the first real error away."""


class SourceErrors(SourceError):
    """Several source errors of one run, sorted by file and line, printed one per line.

    Its own `loc`, `message` and `hint` are the first error's, for callers that show one."""

    def __init__(self, errors: list[SourceError], total: int | None = None):
        self.errors = sorted(errors, key=_place)
        self.total = max(total or 0, len(self.errors))
        first = self.errors[0]
        super().__init__(first.loc, first.message, first.hint, code=first.code)

    def __str__(self) -> str:
        shown = self.errors[:MAX_REPORTED]
        lines = [str(error) for error in shown]
        if self.total > len(shown):
            lines.append(f"… and {self.total - len(shown)} more errors not shown")
        lines.append(f"plainpress: {self.total} errors in the sources; nothing was built")
        return "\n".join(lines)


def _place(error: PlainpressError) -> tuple:
    loc = error.loc
    return (loc.path, loc.line or 0, loc.column or 0) if loc else ("", 0, 0)


class Problems:
    """The source errors of one run, collected so that one run reports them all.

    The reader adds an error and reads on; a file whose next line cannot be trusted (not
    UTF-8, binary, front matter never closed) stops itself. At most `MAX_REPORTED` errors are
    kept per file: a file of garbage cannot fill memory with errors.
    """

    def __init__(self) -> None:
        self.errors: list[SourceError] = []
        self.total = 0
        self._per_file: dict[str, int] = {}
        self._seen: set[tuple[str, str]] = set()

    def add(self, error: SourceError) -> None:
        """Keep `error` (or each error of a `SourceErrors`)."""
        if isinstance(error, SourceErrors):
            for one in error.errors:
                self.add(one)
            self.total += error.total - len(error.errors)
            return
        key = (str(error.loc), error.message)
        if key in self._seen:  # the same mistake found twice on one line is one error
            return
        self._seen.add(key)
        self.total += 1
        path = error.loc.path if error.loc else ""
        kept = self._per_file.get(path, 0)
        if kept < MAX_REPORTED:
            self._per_file[path] = kept + 1
            self.errors.append(error)

    def count(self, path: str) -> int:
        """Errors found so far in `path`."""
        return self._per_file.get(path, 0)

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        """The one error as itself, several as `SourceErrors`."""
        if self.total == 1:
            raise self.errors[0]
        if self.total:
            raise SourceErrors(self.errors, self.total)

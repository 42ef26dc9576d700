"""What happened to each job of a build, typed: `Status`, `Outcome`, `BuildResult`.

The summary table, the report and `plainpress check` read these values; nothing matches
status text back (a status is an enum, its words are made for display only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from pipeline.errors import EXIT_GATE_FAILED, EXIT_OK
from pipeline.model import CheckResult


class Status(StrEnum):
    """What became of one job in this run (or, for `check`, of the file in `build/`)."""

    BUILT = "built"
    """Rendered, gated and published."""
    REUSED = "reused"
    """Unchanged since the last build, and still published."""
    WITHHELD = "withheld"
    """Rendered, but a gate failed: not published (any earlier copy withdrawn)."""
    HELD = "held"
    """Not rendered: its translation or glyphs hold it back."""
    UNCHANGED_WITHHELD = "withheld-unchanged"
    """Withheld last time, and nothing it depends on changed since."""
    PASSES = "passes"
    """`check`: the file in build/ passes its gates."""
    FAILS = "fails-gates"
    """`check`: the file in build/ fails a gate."""
    STALE = "stale"
    """`check`: the file is older than its inputs."""
    MISSING = "not-built"
    """`check`: there is no file."""
    HELD_BACK = "held-back"
    """`check`: its translation holds it back (whatever build/ has of it is not judged)."""


SHOWN = {Status.BUILT: "built", Status.REUSED: "reused",
         Status.HELD: "WITHHELD: translation or glyph problems",
         Status.PASSES: "passes", Status.FAILS: "FAILS GATES",
         Status.STALE: "stale: run `plainpress build`", Status.MISSING: "not built",
         Status.HELD_BACK: "held back: translation problems"}
"""What the summary table prints for a status (withheld ones print their reasons)."""


@dataclass
class Outcome:
    """What happened to one job."""

    document: str
    locale: str
    output: str
    filename: str
    results: list[CheckResult]
    published: bool
    size: int = 0
    sha256: str = ""
    pages: int | None = None
    status: Status = Status.BUILT
    page_size: str | None = None
    """The edition's paper size (None for the HTML page)."""

    @property
    def withheld_because(self) -> list[str]:
        return [r.message for r in self.results if r.blocks]

    @property
    def shown(self) -> str:
        """The summary table's words for this outcome."""
        if self.status is Status.WITHHELD:
            return "WITHHELD: " + "; ".join(self.withheld_because)[:120]
        if self.status is Status.UNCHANGED_WITHHELD:
            return "WITHHELD (unchanged): " + "; ".join(self.withheld_because)[:110]
        return SHOWN.get(self.status, self.status.value)

    def record(self) -> dict:
        return {"path": self.filename, "document": self.document, "locale": self.locale,
                "output": self.output, "published": self.published, "size": self.size,
                "pages": self.pages, "sha256": self.sha256, "page_size": self.page_size,
                "withheld_because": self.withheld_because}

    @classmethod
    def from_state(cls, record: dict) -> "Outcome":
        """The outcome a state record describes, as this build reuses it."""
        return cls(record["document"], record["locale"], record["output"], record["path"],
                   [CheckResult.from_record(r) for r in record["results"]],
                   record["published"], record["size"], record["sha256"], record["pages"],
                   Status.REUSED if record["published"] else Status.UNCHANGED_WITHHELD,
                   page_size=record.get("page_size"))


@dataclass
class BuildResult:
    """Every outcome and check of a build, and the exit status it implies."""

    outcomes: list[Outcome] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    """Jobs that were not rendered, with the reason."""
    removed: list[str] = field(default_factory=list)
    """Artifacts removed because their document or locale no longer exists."""
    out_dir: Path | None = None
    timings: dict = field(default_factory=dict)
    """Seconds per artifact and peak memory per worker, for the benchmark."""
    summary: str = ""
    """The last line `check` prints (a build's is made from its outcomes)."""

    @property
    def exit_code(self) -> int:
        return EXIT_GATE_FAILED if any(c.blocks for c in self.checks) else EXIT_OK


def distinct(checks) -> list[CheckResult]:
    """Checks without repeats (a locale-wide problem is carried by each of its artifacts)."""
    seen, out = set(), []
    for check in checks:
        key = (check.check, check.document, check.locale, check.output, check.message,
               check.location)
        if key not in seen:
            seen.add(key)
            out.append(check)
    return out

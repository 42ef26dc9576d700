"""What the stages say about a document: rendered artifacts and the gates' typed findings.

A `CheckResult` keeps its `Loc` (a person opens `file:line`) and its `Severity` as values, not
flattened strings; `record()` and `from_record()` are the one way results become the JSON of
`report.json` and the state file (location written as `file:line`) and come back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pipeline.model import Loc
from pipeline.outputs import shows


class Severity(StrEnum):
    """How much a finding weighs: an `error` withholds its artifact."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Artifact:
    """One rendered output of one document in one locale, before it is published."""

    document: str
    locale: str
    output: str
    """An output kind (`pipeline.outputs`)."""
    filename: str
    """Path inside the build folder, e.g. `en/x.pdf`."""
    data: bytes


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One finding of one gate about one artifact (or one document × locale)."""

    check: str
    """Gate id, e.g. `required-text`, `pdf-ua`."""
    document: str
    locale: str
    output: str
    """The output kind it is about, `*` (all of them), or a part (`article`, `handouts`)."""
    severity: Severity
    """`error` (blocks publication), `warning` or `info` (text is accepted and converted)."""
    passed: bool
    message: str
    location: Loc | None = None
    """Where a person fixes it (`file:line` text is accepted and parsed)."""
    hint: str | None = None
    """How to fix it."""
    metrics: dict = field(default_factory=dict, hash=False, compare=False)
    """Figures behind the result (reading grade, page count, size …)."""

    def __post_init__(self):
        object.__setattr__(self, "severity", Severity(self.severity))
        if isinstance(self.location, str):
            object.__setattr__(self, "location", Loc.parse(self.location))

    @property
    def blocks(self) -> bool:
        """True when this result withholds its artifact."""
        return self.severity is Severity.ERROR and not self.passed

    def concerns(self, output: str) -> bool:
        """Whether this result is about artifacts of the output kind `output`."""
        return shows(self.output, output)

    def record(self) -> dict:
        """The result as JSON-ready values (the location as `file:line`)."""
        return {"check": self.check, "document": self.document, "locale": self.locale,
                "output": self.output, "severity": self.severity.value, "passed": self.passed,
                "message": self.message,
                "location": str(self.location) if self.location else None,
                "hint": self.hint, "metrics": self.metrics}

    @classmethod
    def from_record(cls, record: dict) -> "CheckResult":
        return cls(**record)

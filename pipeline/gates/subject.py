"""What every gate receives: one `Subject`, the artifact and everything it is judged against.

Why one record: gates used to take five different argument lists, so adding one meant editing
the dispatcher. Now every gate module has the same `check(subject) -> list[CheckResult]` (and
may say `applies(subject) -> bool`, a policy such as "jargon is checked in the source locale"),
and `run.gate` loops over the output row's gate ids. What the gates read back from the artifact
(page count, text blocks) is computed once per artifact and shared through the readback caches.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.model import Artifact, Document
from pipeline.outputs import Output
from pipeline.settings.config import Config
from pipeline.settings.labels import Labels
from pipeline.settings.theme import Theme


@dataclass(frozen=True)
class Subject:
    """One artifact to gate, with the localized model it was rendered from."""

    doc: Document
    """The localized Document, as this output rendered it (draft mark included)."""
    row: Output
    artifact: Artifact
    labels: Labels
    stamp: str
    """The review stamp as the renderer printed it ("Updated by … — August 2025")."""
    config: Config
    theme: Theme

    @property
    def output(self) -> str:
        return self.row.kind.value

    @property
    def data(self) -> bytes:
        return self.artifact.data

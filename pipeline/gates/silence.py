"""Why a document in a locale has no spoken edition (shared by the two audio gates)."""

from __future__ import annotations

from pipeline.model import Document
from pipeline.settings import voices


def _texts(doc: Document, stamp: str) -> list[str]:
    from pipeline.gates.fidelity import units
    return [unit.text for unit in units(doc, "html", stamp)]


def why_silent(doc: Document, config, stamp: str) -> tuple[str, str] | None:
    """(severity, reason) when this document in this locale has no spoken edition."""
    reason = voices.unreadable(doc.locale, _texts(doc, stamp))
    if doc.locale not in voices.audio_locales(config):
        if reason and voices.voice_for(doc.locale) is not None:
            return "warning", f"no spoken edition: {reason}"
        if reason:
            return "info", f"no spoken edition: {reason}"
        return "info", f"no spoken edition: `{doc.locale}` is not in audio_locales"
    return ("warning", f"no spoken edition: {reason}") if reason else None



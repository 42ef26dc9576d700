"""Gate: reading level of what a reader gets, per document, locale and output.

The text comes from the rendered artifact (PDF structure tree blocks, HTML text), without the
contact block, disclaimer, review stamp and QR caption: those approved blocks are measured on
their own (as `boilerplate`, info only). Targets come from `[tool.plainpress.reading_level]`:
handouts must meet theirs (error), articles get a warning. Languages without a validated formula
are reported "not measured" with plain statistics, never with an invented grade.
"""

from __future__ import annotations

from ..config import ReadingTargets
from ..readability import Reading, measure
from ..model import CheckResult, Document
from .readback import squash
from .required_text import snippet_texts

CHECK = "reading-level"


def split_boilerplate(doc: Document, units: list[str], stamp: str) -> tuple[list[str], list[str]]:
    """(reader's text, approved boilerplate) from the rendered units."""
    approved = {squash(t) for t in snippet_texts(doc.contact.blocks) +
                snippet_texts(doc.disclaimer.blocks) + [stamp, doc.meta.url.value]}
    body, boilerplate = [], []
    for unit in units:
        (boilerplate if squash(unit) in approved else body).append(unit)
    return body, boilerplate


def _target(output: str, reading: Reading, targets: ReadingTargets) -> tuple[float, str, str]:
    """(limit, comparison, severity) for this output and scale."""
    handout = output.startswith("handout")
    if reading.scale == "grade":
        return ((targets.handout_max_grade, "at most", "error") if handout
                else (targets.article_warn_grade, "at most", "warning"))
    return ((targets.handout_min_inflesz, "at least", "error") if handout
            else (targets.article_warn_inflesz, "at least", "warning"))


def metrics_of(reading: Reading) -> dict:
    return {"measured": reading.measured, "formula": reading.formula, "value": reading.value,
            "scale": reading.scale, **reading.secondary, **reading.stats,
            "hardest": [{"sentence": s.text, "score": s.difficulty, "long_words": list(s.long_words)}
                        for s in reading.hardest]}


def check(doc: Document, output: str, units: list[str], stamp: str, targets: ReadingTargets
          ) -> list[CheckResult]:
    """The reading-level result for the reader's text, and an info result for the boilerplate."""
    body, boilerplate = split_boilerplate(doc, units, stamp)
    reading = measure(body, doc.locale)
    where = str(doc.handout_loc if output.startswith("handout") else doc.meta.title.loc)
    results = []
    if not reading.measured:
        results.append(CheckResult(
            CHECK, doc.id, doc.locale, output, "info", True,
            f"not measured: no validated readability formula for `{doc.locale}`; "
            f"{reading.stats['sentences']} sentences, {reading.stats['words_per_sentence']} "
            "words per sentence", where, None, metrics_of(reading)))
    else:
        limit, comparison, severity = _target(output, reading, targets)
        ok = reading.value <= limit if comparison == "at most" else reading.value >= limit
        name = {"grade": "grade", "inflesz": "INFLESZ"}[reading.scale]
        extra = "".join(f", {k.upper()} {v}" for k, v in reading.secondary.items())
        message = (f"{reading.formula} {name} {reading.value} (target {comparison} {limit}"
                   f"{extra})")
        hint = None
        if not ok:
            worst = "; ".join(f"“{s.text}” ({', '.join(s.long_words) or 'long sentence'})"
                              for s in reading.hardest[:3])
            hint = f"rewrite the hardest sentences in shorter, everyday words: {worst}"
        results.append(CheckResult(CHECK, doc.id, doc.locale, output, severity, ok, message,
                                   where, hint, metrics_of(reading)))
    approved = measure(boilerplate, doc.locale)
    results.append(CheckResult(
        CHECK + "-boilerplate", doc.id, doc.locale, output, "info", True,
        "contact, disclaimer and stamp measured on their own: " + (
            f"{approved.formula} {approved.value}" if approved.measured else "not measured"),
        str(doc.disclaimer.loc), None, metrics_of(approved)))
    return results

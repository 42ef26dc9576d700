"""Gate `braille-page-budget` (a warning): the braille handout fits its page budget
(`handout_pages` in [tool.plainpress.braille], 6 by default; braille runs long, and a clinic
may still send it)."""

from __future__ import annotations

from pipeline.model import CheckResult, Document
from pipeline.readback.braille import page_count


def budget_check(doc: Document, output: str, data: bytes, settings) -> list[CheckResult]:
    """The braille handout's page budget, as a warning (braille runs long; a clinic may
    still send it)."""
    pages, budget = page_count(data), settings.handout_pages
    ok = pages <= budget
    return [CheckResult("braille-page-budget", doc.id, doc.locale, output, "warning", ok,
                        f"{pages} braille page(s), budget {budget}" if ok else
                        f"the braille handout runs to {pages} pages, over its budget of "
                        f"{budget}", str(doc.handout_loc), None if ok else
                        "shorten the handout container, or raise `handout_pages` in "
                        "[tool.plainpress.braille]", {"pages": pages, "budget": budget})]


def check(subject) -> list[CheckResult]:
    return budget_check(subject.doc, subject.output, subject.data, subject.config.braille)

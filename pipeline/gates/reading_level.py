"""Gate: reading level of what a reader gets, per document, locale and output.

The text comes from the rendered artifact (PDF structure tree blocks, HTML text), without the
contact block, disclaimer, review stamp and QR caption: those approved blocks are measured on
their own (as `boilerplate`, info only). Targets come from `[tool.plainpress.reading_level]`:
handouts must meet theirs (error), articles get a warning. Languages without a validated formula
are reported "not measured" with plain statistics, never with an invented grade.
"""

from __future__ import annotations

from pipeline import model as m
from pipeline.outputs import is_handout
from pipeline.settings.config import ReadingTargets
from pipeline.read.markdown import plain
from pipeline.gates.readability import Origin, Reading, measure
from pipeline.model import CheckResult, Document, walk
from pipeline.readback.text import squash
from pipeline.gates.required_text import snippet_texts

CHECK = "reading-level"


def split_boilerplate(doc: Document, units: list[str], stamp: str) -> tuple[list[str], list[str]]:
    """(reader's text, approved boilerplate) from the rendered units."""
    approved = {squash(t) for t in snippet_texts(doc.contact.blocks) +
                snippet_texts(doc.disclaimer.blocks) + [stamp, doc.meta.url.value]}
    body, boilerplate = [], []
    for unit in units:
        (boilerplate if squash(unit) in approved else body).append(unit)
    return body, boilerplate


LABELS = ("title", "heading", "table header")
"""Kinds of text that are counted in the score but never ranked: they name, they do not say."""


def model_texts(doc: Document) -> dict[str, Origin]:
    """The document's texts (squashed) → where each came from, so that a rendered unit can be
    traced back to its block and line. Headings, the title and table headers are not
    rankable."""
    found: dict[str, Origin] = {}

    def add(kind: str, text: str, loc: m.Loc, source: str = "") -> None:
        key = squash(text)
        if key and key not in found:
            found[key] = Origin(kind not in LABELS, str(loc) if loc.line else None,
                                source or text)

    add("title", doc.meta.title.value, doc.meta.title.loc)
    add("summary", doc.meta.summary.value, doc.meta.summary.loc)

    for block in walk.blocks(doc.body + doc.handout):
        if isinstance(block, m.Heading):
            add("heading", plain(block.inlines), block.loc, block.source)
        elif isinstance(block, m.Paragraph):
            add("paragraph", plain(block.inlines), block.loc, block.source)
        elif isinstance(block, m.Table):
            for cell in block.header:
                add("table header", plain(cell.inlines), cell.loc, cell.source)
            for row in block.rows:
                for cell in row:
                    add("table cell", plain(cell.inlines), cell.loc, cell.source)
        elif isinstance(block, m.Figure):
            add("image alt text", block.alt, block.loc)
            if block.caption:
                add("image caption", block.caption, block.loc)
    return found


def origins(doc: Document, units: list[str]) -> list[Origin]:
    """Where each rendered unit came from: its block (same text), else the longest block its
    text starts with (a list item of several paragraphs is one unit in a PDF); a unit the
    template adds ("Key points") is counted but not ranked."""
    texts = model_texts(doc)
    out = []
    for unit in units:
        key = squash(unit)
        origin = texts.get(key)
        if origin is None:
            prefixes = [text for text in texts if key.startswith(text) and len(text) > 20]
            origin = texts[max(prefixes, key=len)] if prefixes else Origin(False)
        out.append(origin)
    return out


def _target(output: str, reading: Reading, targets: ReadingTargets) -> tuple[float, str, str]:
    """(limit, comparison, severity) for this output and scale."""
    handout = is_handout(output)
    if reading.scale == "grade":
        return ((targets.handout_max_grade, "at most", "error") if handout
                else (targets.article_warn_grade, "at most", "warning"))
    return ((targets.handout_min_inflesz, "at least", "error") if handout
            else (targets.article_warn_inflesz, "at least", "warning"))


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "…"


def metrics_of(reading: Reading) -> dict:
    return {"measured": reading.measured, "formula": reading.formula, "value": reading.value,
            "scale": reading.scale, **reading.secondary, **reading.stats,
            "hardest": [{"sentence": s.text, "score": s.difficulty, "adds": s.adds,
                         "location": s.location, "long_words": list(s.long_words)}
                        for s in reading.hardest]}


def evaluate(doc: Document, output: str, units: list[str], stamp: str, targets: ReadingTargets
          ) -> list[CheckResult]:
    """The reading-level result for the reader's text, and an info result for the boilerplate."""
    body, boilerplate = split_boilerplate(doc, units, stamp)
    reading = measure(body, doc.locale, origins=origins(doc, body))
    where = str(doc.handout_loc if is_handout(output) else doc.meta.title.loc)
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
        if not ok and reading.hardest:
            unit = "grade" if reading.scale == "grade" else "INFLESZ"
            sign = "+" if reading.scale == "grade" else "−"
            worst = "; ".join(
                f"{s.location + ' ' if s.location else ''}“{_short(s.text)}” ({sign}{s.adds:g} "
                f"{unit}; {', '.join(s.long_words[:4]) or 'long sentence'})"
                for s in reading.hardest[:3])
            hint = ("rewrite these sentences, which weigh most on the score, in shorter, "
                    f"everyday words: {worst}")
        elif not ok:
            hint = "use shorter sentences and everyday words"
        results.append(CheckResult(CHECK, doc.id, doc.locale, output, severity, ok, message,
                                   where, hint, metrics_of(reading)))
    approved = measure(boilerplate, doc.locale)
    results.append(CheckResult(
        CHECK + "-boilerplate", doc.id, doc.locale, output, "info", True,
        "contact, disclaimer and stamp measured on their own: " + (
            f"{approved.formula} {approved.value}" if approved.measured else "not measured"),
        str(doc.disclaimer.loc), None, metrics_of(approved)))
    return results


def check(subject) -> list[CheckResult]:
    """Measured on the text a reader gets: the PDF's structure blocks or the DOCX paragraphs."""
    if subject.row.pdf:
        from pipeline.readback.pdf_blocks import blocks
        units = [block.text for block in blocks(subject.data)]
    else:
        from pipeline.readback.docx import docx_text
        units = docx_text(subject.data).splitlines()
    return evaluate(subject.doc, subject.output, units, subject.stamp, subject.config.reading)

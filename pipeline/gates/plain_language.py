"""Gate (warnings): a plain-language assistant for handouts, in every locale.

The reading-level gate measures; this one says what to change, at the line to change it:
- rare words (Zipf frequency below `[tool.plainpress.plain_language] rare_zipf`, default 3)
  not explained in the sentence that first uses them or the next one;
- sentences longer than `sentence_limit` (words; characters for Chinese);
- the passive voice (English, Spanish);
- words with a plainer equivalent in `styles/plain-words/<locale>.toml`;
- the CDC Clear Communication Index / PEMAT-P structure items (`plain_structure`), as a score.
Every finding is reported once, at its first use. A summary result carries the figures and
every sentence with its highlights for the report; for Arabic and Chinese, which have no
validated readability formula, those figures are statistics, labelled "not a grade".
Terms of the configured jargon list are left to the jargon gate where it runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline import model as m
from pipeline.gates import plain_structure as structure
from pipeline.gates import plain_text as pt
from pipeline.gates.readability import Origin, _line_of
from pipeline.model import CheckResult
from pipeline.read.markdown import plain

CHECK = "plain-language"
SUMMARY = "plain-language-summary"
MEASURED = ("en", "es")
"""Languages with a validated formula (the reading-level gate's); the rest get statistics."""


@dataclass
class Line:
    """One sentence of the handout and what is flagged in it."""

    text: str
    location: str | None
    kind: str
    length: int = 0
    long: bool = False
    passive: str | None = None
    rare: list[str] = field(default_factory=list)
    plainer: list[tuple[str, str]] = field(default_factory=list)

    def record(self) -> dict:
        return {"text": self.text, "location": self.location, "kind": self.kind,
                "length": self.length, "long": self.long, "passive": self.passive,
                "rare": self.rare, "plainer": [{"word": w, "suggestion": s}
                                               for w, s in self.plainer]}


def units(blocks, kind: str = "paragraph"):
    """(kind, Loc, source, text) of every heading, paragraph, list item and cell in order."""
    for block in blocks:
        if isinstance(block, m.Heading):
            yield "heading", block.loc, block.source, plain(block.inlines)
        elif isinstance(block, m.Paragraph):
            yield kind, block.loc, block.source, plain(block.inlines)
        elif isinstance(block, (m.BulletList, m.OrderedList)):
            for item in block.items:
                yield from units(item.blocks, "list item")
        elif isinstance(block, m.KeyPoints):
            yield from units(block.blocks, "key point")
        elif isinstance(block, m.BlockQuote):
            yield from units(block.blocks, kind)
        elif isinstance(block, m.Table):
            for cell in (*block.header, *(c for row in block.rows for c in row)):
                yield "table cell", cell.loc, cell.source, plain(cell.inlines)


def lines(doc: m.Document) -> list[Line]:
    """The handout's sentences in reading order, each with its `file:line`."""
    out = []
    for kind, loc, source, text in units(doc.handout):
        origin = Origin(True, str(loc) if loc.line else None, source or text)
        for sentence in pt.split_sentences(text, doc.locale):
            out.append(Line(sentence, _line_of(sentence, origin), kind))
    return out


def analyse(doc: m.Document, config, table, skip: frozenset[str] = frozenset()):
    """(sentences with their flags, findings as (kind, location, message, hint), statistics)."""
    locale = doc.locale
    threshold = config.plain.limit("rare_zipf", locale)
    limit = int(config.plain.limit("sentence_limit", locale))
    unit = "characters" if pt.lang_of(locale) == "zh" else "words"
    found = lines(doc)
    findings: list[tuple[str, str | None, str, str]] = []
    seen_rare: set[str] = set()
    seen_plain: set[str] = set()
    total_words = rare_words = 0
    for index, line in enumerate(found):
        words = pt.words(line.text, locale)
        total_words += len(words)
        suggestions = pt.suggestions(line.text, locale, table)
        plainer = {written.lower(): better for written, better in suggestions}
        for word in words:
            if word.zipf >= threshold or len(word.text) < (2 if pt.HAN.search(word.text) else 3):
                continue
            rare_words += 1
            if word.text in skip or word.key in skip:
                continue
            line.rare.append(word.text)
            if word.key in seen_rare:
                continue
            seen_rare.add(word.key)
            following = [other.text for other in found[index:index + 2]]
            if any(pt.explains(word.text, sentence, locale) for sentence in following):
                continue
            better = plainer.get(word.text)
            findings.append(("rare", line.location,
                             f"rare word “{word.text}” (Zipf {word.zipf:g}, below {threshold:g}) "
                             "is not explained at its first use",
                             f"say what it means in the same or the next sentence"
                             + (f", or write “{better}”" if better else "")))
            if better:
                seen_plain.add(word.text)
        for written, better in suggestions:
            line.plainer.append((written, better))
            if written.lower() in seen_plain:
                continue
            seen_plain.add(written.lower())
            findings.append(("plainer", line.location, f"“{written}” has a plainer word",
                             f"write “{better}” (styles/plain-words/{pt.lang_of(locale)}"
                             " or its locale file lists it)"))
        line.length = pt.length(line.text, locale)
        if line.kind != "heading" and line.length > limit:
            line.long = True
            findings.append(("long", line.location,
                             f"sentence of {line.length} {unit} (limit {limit}): "
                             f"“{_short(line.text)}”",
                             "split it into sentences of one idea each"))
        line.passive = pt.passive(line.text, locale)
        if line.passive:
            findings.append(("passive", line.location,
                             f"passive voice “{line.passive}”: “{_short(line.text)}”",
                             "say who does it: “the doctor takes …”, not “… is taken”"))
    prose = [line for line in found if line.kind != "heading"]
    stats = {"sentences": len(prose), "words": total_words,
             "length_unit": unit,
             "mean_sentence_length": round(sum(l.length for l in prose) / len(prose), 1)
             if prose else 0.0,
             "longest_sentence": max((l.length for l in prose), default=0),
             "sentence_limit": limit, "rare_zipf": threshold,
             "rare_share": round(100 * rare_words / total_words, 1) if total_words else 0.0,
             "flagged_sentences": sum(1 for l in found if l.long or l.passive
                                      or l.rare or l.plainer)}
    return found, findings, stats


def _short(text: str) -> str:
    return text if len(text) <= 70 else text[:67] + "…"


def _pages(subject) -> list[tuple[int, str]] | None:
    """(page, text) of the rendered handout's blocks, or None when it is not a PDF."""
    if not subject.row.pdf:
        return None
    from pipeline.readback.pdf_blocks import blocks
    return [(block.page, block.text) for block in blocks(subject.data)]


def evaluate(doc: m.Document, config, output: str, pages, jargon_checked: bool,
             table=None) -> list[CheckResult]:
    """Findings, the structure score and the summary of one handout. `pages` is its rendered
    text as (page, text) blocks (None: judge the model only); `table` the plainer words
    (default: the locale's file under `styles/plain-words/`)."""
    if table is None:
        table = pt.substitutions(config.styles_dir, doc.locale)
    skip = (frozenset(pt.singular(term.lower()) for term in config.jargon) if jargon_checked
            else frozenset())
    found, findings, stats = analyse(doc, config, table, skip)
    results = [CheckResult(CHECK, doc.id, doc.locale, output, "warning", False, message,
                           location, hint) for _, location, message, hint in findings]
    items = structure.items(doc, pages)
    score = structure.score(items)
    failing = [item for item in items if not item.passed]
    met = f"{len(items) - len(failing)} of {len(items)} items met ({score}%)"
    results.append(CheckResult(
        CHECK, doc.id, doc.locale, output, "warning", not failing,
        f"structure (CDC Clear Communication Index, PEMAT-P): {met}" + (
            "; failing: " + "; ".join(f"{i.label.lower()}" + (f" ({i.detail})" if i.detail
                                                              else "") for i in failing)
            if failing else ""),
        failing[0].location if failing else str(doc.handout_loc),
        "put the key points first, add a “What you can do” list, and fix the items listed"
        if failing else None, {"score": score, "items": [i.record() for i in items]}))
    counts = {kind: sum(1 for f in findings if f[0] == kind)
              for kind in ("rare", "long", "passive", "plainer")}
    grade = pt.lang_of(doc.locale) in MEASURED
    results.append(CheckResult(
        SUMMARY, doc.id, doc.locale, output, "info", True,
        ("" if grade else "statistics, not a grade: ") +
        f"{counts['rare']} unexplained rare words, {counts['long']} long sentences, "
        f"{counts['passive']} passive, {counts['plainer']} plainer words; "
        f"{stats['rare_share']}% rare words, {stats['mean_sentence_length']} "
        f"{stats['length_unit']} per sentence; structure {score}%",
        str(doc.handout_loc), None,
        {**stats, **counts, "not_a_grade": not grade, "score": score,
         "items": [i.record() for i in items],
         "findings": [{"kind": kind, "location": location, "message": message, "hint": hint}
                      for kind, location, message, hint in findings],
         "lines": [line.record() for line in found]}))
    return results


def applies(subject) -> bool:
    """Languages wordfreq has frequencies for; never a pseudo-locale (its accented English
    would make every word rare)."""
    from pipeline.settings.locale import PSEUDO

    locale = subject.doc.locale
    return locale not in PSEUDO and pt.supported(locale)


def check(subject) -> list[CheckResult]:
    doc = subject.doc
    try:
        table = pt.substitutions(subject.config.styles_dir, doc.locale)
    except ValueError as exc:
        return [CheckResult(CHECK, doc.id, doc.locale, subject.output, "error", False,
                            f"the plain-words table cannot be read: {exc}",
                            f"styles/{pt.PLAIN_WORDS_DIR}",
                            "fix the TOML syntax: one `\"phrase\" = \"plainer\"` per line "
                            "under [words]")]
    jargon = doc.locale == subject.config.source_locale and "jargon" in subject.row.gates
    return evaluate(doc, subject.config, subject.output, _pages(subject), jargon, table)

"""Gate `braille-readback`: liblouis back-translates the BRF (as `lou_translate --backward`
does) and the share of the model's words it gives back is measured (the article must reach
`min_recovered`, 98% by default); the disclaimer and the review stamp must come back whole (as
`required-text`). Chinese braille spells syllables, not characters: liblouis reads a syllable
back as one of its homophones, so for Chinese the words are compared with what liblouis reads
back from the model's own text translated directly, and the share of characters that come back
as printed is reported beside it. In Arabic text, Latin-letter words share cells with Arabic
letters: they are compared the same way and listed in a warning.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.model import (BlockQuote, BulletList, CheckResult, Document, Figure, Heading,
                            KeyPoints, OrderedList, Paragraph, Table)
from pipeline.outputs import Part
from pipeline.read.markdown import plain
from pipeline.readback import louis
from pipeline.readback.braille import CJK, flow, read_brf, table_of, uses_continuation, words
from pipeline.settings.locale import script

CHECK = "braille-readback"
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[./:@_-]+[A-Za-z0-9]+)*")
"""A word in Latin letters (an abbreviation, a name, a web address) inside other text."""


def model_texts(doc: Document, part: str, stamp: str) -> list[str]:
    """The print text of the article or handout, unit by unit, as the model holds it."""
    texts = [doc.meta.title.value]
    if part == "article":
        texts.append(doc.meta.summary.value)
    texts += _block_texts(doc.body if part == "article" else doc.handout)
    return texts + _block_texts(doc.contact.blocks) + _block_texts(doc.disclaimer.blocks) \
        + [stamp]


def _block_texts(blocks) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            out.append(plain(block.inlines))
        elif isinstance(block, (BulletList, OrderedList)):
            for item in block.items:
                out += _block_texts(item.blocks)
        elif isinstance(block, Table):
            out += [plain(cell.inlines) for row in (block.header, *block.rows) for cell in row]
        elif isinstance(block, Figure):
            out += [block.alt, block.caption]
        elif isinstance(block, (BlockQuote, KeyPoints)):
            out += _block_texts(block.blocks)
    return [text for text in out if text]


def recovered(expected: list[str], found: list[str]) -> tuple[int, int, Counter]:
    """(words recovered, words expected, the missing ones): each expected word counts as
    recovered as often as it occurs in what was read back."""
    want, have = Counter(expected), Counter(found)
    missing = want - have
    return sum(want.values()) - sum(missing.values()), sum(want.values()), missing


def _contains(haystack: list[str], needle: list[str]) -> bool:
    """`needle` occurs as a contiguous run of words in `haystack`."""
    if not needle:
        return True
    joined = "\x00" + "\x00".join(haystack) + "\x00"
    return "\x00" + "\x00".join(needle) + "\x00" in joined


def readback_check(doc: Document, output: str, data: bytes, stamp: str, config, part: str
                   ) -> list[CheckResult]:
    """Back-translate the BRF with the locale's table and compare with the model."""
    from pipeline.gates.required_text import snippet_texts

    table = table_of(config, doc.locale)
    cells = flow(read_brf(data), config.braille.page_numbers, uses_continuation(table))
    back = words(louis.back_translate(table, cells))
    texts = model_texts(doc, part, stamp)
    sound = bool(CJK.search(" ".join(texts)))
    foreign = script(doc.locale) != "latin" and not sound
    latin: list[str] = []

    def as_read(text: str, form: int = 0) -> list[str]:
        """What liblouis reads back from `text` translated directly, unformatted."""
        braille = louis.translate(table, text, [form] * len(text) if form else None)
        return words(louis.back_translate(table, braille))

    def reference(text: str) -> list[str]:
        """The words the braille of `text` must read back as: the text's own words; for
        Chinese what liblouis reads back from its direct translation (the same syllables);
        in Arabic text, a Latin-letter word the way the table reads it back (its letters
        share cells with Arabic letters)."""
        if sound:
            return as_read(text)
        if not foreign:
            return words(text)
        out, last = [], 0
        for match in LATIN_RUN.finditer(text):
            out += words(text[last:match.start()]) + as_read(match.group(0))
            latin.append(match.group(0))
            last = match.end()
        return out + words(text[last:])

    expected = [word for text in texts for word in reference(text)]
    if part == "handout":
        # The article's address, written uncontracted: compared with liblouis's reading of
        # its own braille (UEB's colon shares its cell with the `cc` sign, and liblouis reads
        # `https:` back as `httpscc`).
        expected += as_read(doc.meta.url.value, louis.NO_CONTRACT)
    got, total, missing = recovered(expected, back)
    share = 100.0 * got / total if total else 100.0
    minimum = config.braille.min_recovered
    metrics = {"share": round(share, 2), "recovered": got, "words": total, "table": table,
               "minimum": minimum, "missing": [w for w, _ in missing.most_common(10)],
               "compared": "syllables" if sound else "words"}
    if sound:
        literal, _, _ = recovered([w for t in texts for w in words(t)], back)
        metrics["literal_share"] = round(100.0 * literal / total, 2) if total else 100.0
    if latin:
        metrics["latin_words"] = sorted(set(latin))
    ok = share >= minimum
    what = "syllables of the words" if sound else "words"
    message = (f"liblouis reads back {share:.1f}% of the {what} ({got} of {total}) with "
               f"{table}" + (f"; {metrics['literal_share']:.1f}% of the characters as printed "
                             "(braille does not tell homophones apart)" if sound else ""))
    results = [CheckResult(
        "braille-readback", doc.id, doc.locale, output, "error", ok,
        message if ok else message + f", below {minimum:g}%; not read back: "
        + ", ".join(metrics["missing"]), doc.path,
        None if ok else "check the table in [tool.plainpress.braille.tables] (a contracted "
        "table may read some words back wrongly; grade 1 reads back more)", metrics)]
    if latin:
        shown = ", ".join(sorted(set(latin))[:8])
        results.append(CheckResult(
            "braille-readback", doc.id, doc.locale, output, "warning", False,
            f"{len(set(latin))} word(s) in Latin letters are written with {table}'s cells, "
            f"which a reader (and liblouis) reads as Arabic letters: {shown}", doc.path,
            "spell them out in the translation, or accept that a braille reader meets them "
            "letter by letter", {"latin_words": sorted(set(latin))}))
    wanted = [("disclaimer", text, str(doc.disclaimer.loc))
              for text in snippet_texts(doc.disclaimer.blocks)]
    wanted.append(("review stamp", stamp, str(doc.meta.reviewed_loc)))
    for name, text, location in wanted:
        shown = text if len(text) <= 60 else text[:57] + "…"
        found = _contains(back, reference(text))
        results.append(CheckResult(
            "required-text", doc.id, doc.locale, output, "error", found,
            f"{name} read back from the braille: “{shown}”" if found else
            f"the {name} does not read back from the {output}: “{shown}”", location,
            None if found else "check the braille table and the layout: the text must be "
            "transcribed in full"))
    return results


def check(subject) -> list[CheckResult]:
    part = "handout" if subject.row.part is Part.HANDOUT else "article"
    return readback_check(subject.doc, subject.output, subject.data, subject.stamp,
                          subject.config, part)

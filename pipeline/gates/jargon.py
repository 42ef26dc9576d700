"""Gate (warning): a configured medical term in a handout is explained at its first use.

A term counts as explained when the sentence that first uses it, or the sentence after it (a
question heading is usually answered by the paragraph under it), defines it: the sentence starts with the term ("A biopsy takes …"), or uses a
defining phrase ("means", "is called", "is a", "where", parentheses or a dash). Checked on the
source-locale model, where `[tool.plainpress] jargon` terms are written.
"""

from __future__ import annotations

import re

from pipeline.read.markdown import plain
from pipeline.model import BlockQuote, CheckResult, Document, Heading, Paragraph, walk
from pipeline.gates.readability import sentences

CHECK = "jargon"
DEFINING = re.compile(r"\b(means?|is called|are called|called|is an?|are|refers to|where|"
                      r"which is|that is)\b|[(—–:]", re.I)


def _units(blocks):
    """(where, text) of each heading and paragraph, in lists and key points too (not in a
    block quote)."""
    for block in walk.blocks(blocks, into=lambda node: not isinstance(node, BlockQuote)):
        if isinstance(block, (Paragraph, Heading)):
            yield block.loc, plain(block.inlines)


def _explained(term: str, following: list[str]) -> bool:
    pattern = re.compile(rf"^(an?|the)?\s*{re.escape(term)}\b", re.I)
    return any(pattern.match(sentence) or DEFINING.search(sentence) for sentence in following)


def evaluate(doc: Document, terms: tuple[str, ...], output: str) -> list[CheckResult]:
    flat = [(loc, sentence) for loc, text in _units(doc.handout) for sentence in sentences([text])]
    results = []
    for term in terms:
        first = next((i for i, (_, sentence) in enumerate(flat)
                      if re.search(rf"\b{re.escape(term)}\b", sentence, re.I)), None)
        if first is None:
            continue
        ok = _explained(term, [sentence for _, sentence in flat[first:first + 2]])
        results.append(CheckResult(
            CHECK, doc.id, doc.locale, output, "warning", ok,
            f"“{term}” is {'explained' if ok else 'used without a plain explanation'} at its "
            "first use in the handout", str(flat[first][0]),
            None if ok else f"say what {term} means in the same or the next sentence, "
            f"e.g. “{term} means …”"))
    return results


def applies(subject) -> bool:
    """The configured terms are words of the source language: checked there only."""
    return subject.doc.locale == subject.config.source_locale


def check(subject) -> list[CheckResult]:
    return evaluate(subject.doc, subject.config.jargon, subject.output)

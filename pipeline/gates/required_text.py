"""Gate: the approved disclaimer and the review stamp are in the rendered artifact, in full.

Read back from the artifact itself (PDF text layer, HTML text), never assumed from the template:
a font without the glyphs, a clipped footer or a template edit that drops the block all fail.

Right-to-left pages: a PDF stores glyphs in visual order, and text extraction returns
punctuation, digits and Latin runs of a right-to-left line in visual positions. There the check
compares the words (letters and digits) of each required text as a multiset against the words of
the artifact: every word must be present as often as the text has it, in any order.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.settings.locale import direction
from pipeline.read.markdown import plain
from pipeline.model import CheckResult, Document, ListItem, Paragraph, walk
from pipeline.readback.text import ArtifactUnreadable, squash, text_of

CHECK = "required-text"


def snippet_texts(blocks) -> list[str]:
    """The plain text of each paragraph of a snippet, at its top or in its lists (at any
    depth)."""
    return [plain(block.inlines) for block in walk.blocks(blocks, into=_list_or_item)
            if isinstance(block, Paragraph)]


def _list_or_item(node) -> bool:
    return isinstance(node, (*walk.LISTS, ListItem))


def evaluate(doc: Document, output: str, data: bytes, stamp: str) -> list[CheckResult]:
    """One result per required piece of text."""
    def result(passed: bool, message: str, location: str | None, hint: str | None = None):
        return CheckResult(CHECK, doc.id, doc.locale, output, "error", passed, message,
                           location, hint)

    try:
        text = text_of(output, data)
    except ArtifactUnreadable as exc:
        return [result(False, str(exc), None, "rebuild the artifact")]
    rtl = direction(doc.locale) == "rtl"
    haystack = words(text) if rtl else squash(text)
    results = []
    wanted = [("disclaimer", text, str(doc.disclaimer.loc))
              for text in snippet_texts(doc.disclaimer.blocks)]
    wanted.append(("review stamp", stamp, str(doc.meta.reviewed_loc)))
    for name, text, location in wanted:
        if rtl:
            found = not (words(text) - haystack)
        else:
            found = squash(text) in haystack
        shown = text if len(text) <= 60 else text[:57] + "…"
        if found:
            results.append(result(True, f"{name} present: “{shown}”", location))
        else:
            results.append(result(False, f"the {name} is missing from the {output}: “{shown}”",
                                  location, "check the template and fonts: the text must be "
                                  "rendered in full on the page"))
    return results


def words(text: str) -> Counter:
    """The words (runs of letters and digits) of a text, counted."""
    return Counter(re.findall(r"\w+", text))


def check(subject) -> list[CheckResult]:
    return evaluate(subject.doc, subject.output, subject.data, subject.stamp)

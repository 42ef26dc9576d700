"""The text a reader copies out of a PDF with poppler (`pdftotext`; Evince and Okular share its
text layer), and whether each unit of the model reads right in it.

pypdf, which the rest of the text-fidelity gate reads, restores right-to-left text its own way;
poppler spreads each glyph's text over its width and reorders by position. A PDF can read right
in one and garbled in the other, so the gate asks both.

What poppler's text can prove, and how it is compared (`missing`):
* Left-to-right units: the squashed text (`readback.squash`, bidi marks dropped) occurs in the
  page text. Hyphens are ignored on both sides: poppler joins a word broken after a hyphen at
  the end of a line and drops the hyphen ("non-" + "obstructive" → "nonobstructive").
* Right-to-left units: the unit's words, each with its vowel marks, occur one after the other.
  Poppler's own bidi reordering places neutral characters next to Latin words and digits on
  the wrong side ("()IVF" for "(IVF)"), which no PDF can prevent; letters, marks and the order
  of words it gets right when the PDF gives it one character per glyph.
* A unit may be split by a page break, with the running footer and header between its halves.
Order between units is not compared here (the structure tree proves it, read by pypdf).

A right-to-left unit whose words are all there, but not one after the other, is told apart
from one with a word read wrong: WeasyPrint lays out the inline boxes of a right-to-left line
one by one, so a left-to-right phrase broken into several boxes (an emphasised word in a Latin
sentence of a right-to-left page) shows its pieces in right-to-left order on the page itself,
and poppler copies what is shown. That is a layout matter to look at, not a text-layer defect.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from functools import lru_cache

from pipeline.readback.text import ArtifactUnreadable

FURNITURE = 200
"""At most this many characters of running footer and header between the two halves of a unit
that a page break splits."""
_SEP = "\x1f"
"""Between words, when right-to-left units are compared word by word."""


class PopplerMissing(Exception):
    """`pdftotext` is not installed."""


@lru_cache(maxsize=4)
def pages(data: bytes) -> tuple[str, ...]:
    """The PDF's text as `pdftotext` gives it, page by page (cached on the bytes)."""
    if shutil.which("pdftotext") is None:
        raise PopplerMissing("pdftotext (Debian package poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", "-", "-"], input=data,
                          capture_output=True, timeout=120)
    if done.returncode != 0:
        raise ArtifactUnreadable(f"pdftotext cannot read the PDF (exit {done.returncode})")
    return tuple(done.stdout.decode("utf-8", "replace").split("\f"))


def _occurs(needle: str, found: list[str], cuts: list[int], overlap: int = 0) -> bool:
    """`needle` in the pages, or cut at one of `cuts` across a page break: `needle[:cut +
    overlap]` ending at most FURNITURE characters before the end of one page, `needle[cut:]`
    starting at most FURNITURE characters into the next."""
    if needle in "".join(found):
        return True
    for before, after in zip(found, found[1:]):
        tail, head = before[-(len(needle) + FURNITURE):], after[:len(needle) + FURNITURE]
        for cut in cuts:
            first, rest = needle[:cut + overlap], needle[cut:]
            at = tail.rfind(first)
            if at >= 0 and len(tail) - at - len(first) <= FURNITURE and \
                    0 <= head.find(rest) <= FURNITURE:
                return True
    return False


def _words(text: str, words) -> str:
    return _SEP + _SEP.join(words(text)) + _SEP


def missing(units, data: bytes, rtl_unit, norm, words) -> tuple[object, bool] | None:
    """(the first of `units` that does not read right in poppler's text, whether all of its
    words are there nonetheless), or None. `rtl_unit(unit)` says whether to compare word by
    word; `norm` squashes; `words` splits into words."""
    found = pages(data)
    flat = [_unhyphenated(norm(page)) for page in found]
    worded = [_words(page, words) for page in found]
    every_word = Counter(word for page in found for word in words(page))
    for unit in units:
        if rtl_unit(unit):
            needle = _words(unit.text, words)
            # cut between two words; both parts keep the separator: they match whole words
            cuts = [i for i in range(1, len(needle) - 1) if needle[i] == _SEP]
            if needle != _SEP * 2 and not _occurs(needle, worded, cuts, overlap=1):
                return unit, not Counter(words(unit.text)) - every_word
        else:
            needle = _unhyphenated(norm(unit.text))
            if needle and not _occurs(needle, flat, list(range(1, len(needle)))):
                return unit, False
    return None


def _unhyphenated(text: str) -> str:
    return text.replace("-", "").replace("\u2010", "")

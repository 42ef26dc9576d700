"""Pseudo-locales, generated from the source text and never published.

`en_XA`: every vowel and some consonants accented, each message about 40% longer and
bracketed, so untranslated text (plain ASCII vowels) and layouts that break when text grows
stand out. `ar_XB`: the same text on a right-to-left page (`dir=rtl`, Arabic locale data), so
layouts that break when the direction flips show up. Link targets, code spans, `{placeholders}`
and Markdown punctuation are left alone; Markdown messages get escaped brackets.
"""

from __future__ import annotations

import math
import re

ACCENTS = str.maketrans("aeiouycnAEIOUYCN", "áéíóúýçñÅÉÍÖÜÝÇÑ")
KEEP = re.compile(r"(\]\([^)]*\)|`[^`]*`|\{[A-Za-z_]+\}|https?://\S+|[*_\\]+)")


def pseudo_text(text: str, locale: str, markdown: bool = True) -> str:
    """The pseudo-translation of one message (inline Markdown kept intact)."""
    parts = KEEP.split(text)
    body = "".join(part if index % 2 else part.translate(ACCENTS)
                   for index, part in enumerate(parts))
    padding = "·" * max(1, math.ceil(len(text) * 0.4) - 3)
    left, right = ("\\[", "\\]") if markdown else ("[", "]")
    return f"{left}{body} {padding}{right}"

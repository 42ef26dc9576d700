"""Pseudo-locales, generated from the source text and never published.

`en_XA`: every letter accented, each message about 40% longer and bracketed, so untranslated
text (plain ASCII vowels) and layouts that break when text grows stand out. `ar_XB`: the same
text forced right-to-left, laid out as an Arabic page (`dir=rtl`), so mirrored layouts break
visibly. Link targets, code spans, `{placeholders}` and Markdown punctuation are left alone.
"""

from __future__ import annotations

import math
import re

ACCENTS = str.maketrans("aeiouycnAEIOUYCN", "áéíóúýçñÅÉÍÖÜÝÇÑ")
KEEP = re.compile(r"(\]\([^)]*\)|`[^`]*`|\{[A-Za-z_]+\}|https?://\S+|[*_\\]+)")
RLO, PDF = "\u202e", "\u202c"


def pseudo_text(text: str, locale: str) -> str:
    """The pseudo-translation of one message (inline Markdown kept intact)."""
    parts = KEEP.split(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:  # a kept piece
            out.append(part)
        elif locale == "ar_XB" and part.strip():
            out.append(RLO + part.translate(ACCENTS) + PDF)
        else:
            out.append(part.translate(ACCENTS))
    body = "".join(out)
    padding = "·" * max(1, math.ceil(len(text) * 0.4) - 3)
    return f"\\[{body} {padding}\\]"

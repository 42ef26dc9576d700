"""Pages of Unicode braille cells → BRF bytes, and the Unicode braille preview text.

BRF: the cells as ASCII braille through liblouis's display table `en-us-brf.dis`, CR LF line
ends, a form feed between pages. The preview: the same pages as Unicode braille (U+2800 block)
with LF line ends, blank cells as U+2800 so that a braille font keeps the columns. The readers
are in `pipeline.readback.braille`.
"""

from __future__ import annotations

from pipeline.readback import louis
from pipeline.settings.braille import DISPLAY_TABLE


def write_brf(pages: list[list[str]]) -> bytes:
    """Pages → BRF bytes."""
    out = []
    for page in pages:
        lines = [louis.dots_to_chars(DISPLAY_TABLE, line) if line else "" for line in page]
        out.append("".join(line + "\r\n" for line in lines))
    return "\f".join(out).encode("ascii", "replace")


def write_text(pages: list[list[str]]) -> bytes:
    """Pages → the Unicode braille preview (UTF-8)."""
    return "\f".join("".join(line + "\n" for line in page) for page in pages).encode("utf-8")

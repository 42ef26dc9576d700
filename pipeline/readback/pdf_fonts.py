"""Reading the fonts embedded in a PDF: what the renderer's text-layer repair and the gates that
look for missing glyphs both need to know about a font dictionary."""

from __future__ import annotations

import pikepdf


def widths(descendant) -> dict[int, float]:
    """Glyph advances (thousandths of an em) from a CIDFont's /W array."""
    out, items, index = {}, list(descendant.get("/W", [])), 0
    while index < len(items):
        first, second = int(items[index]), items[index + 1]
        if isinstance(second, pikepdf.Array):
            out.update((first + k, float(v)) for k, v in enumerate(second))
            index += 2
        else:
            out.update((code, float(items[index + 2])) for code in range(first, int(second) + 1))
            index += 3
    return out

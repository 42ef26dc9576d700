"""Gate: every character of a localized document has a glyph in the theme's fonts.

A character no font can draw would print as a box (or vanish); here it is an error that names
the character, the locale and the source line, before anything is rendered, and holds back the
outputs that show that text (`Unit.outputs`). The fonts checked are the theme's stack for the
locale's script, read from their cmaps through fontconfig.
"""

from __future__ import annotations

import unicodedata

from pipeline.settings.fonts import coverage
from pipeline.translate.units import units
from pipeline.settings.locale import script
from pipeline.model import CheckResult, Document
from pipeline.settings.theme import Theme

CHECK = "glyphs"
IGNORED = {"Cc", "Cf", "Zs", "Zl", "Zp"}


def check(doc: Document, theme: Theme) -> list[CheckResult]:
    families = theme.stack(script(doc.locale))
    covered: set[int] = set()
    loaded = 0
    results = []
    reported = set()
    for unit in units(doc):
        if unit.kind == "keyword":
            continue  # metadata, never painted
        for char in unit.msgid:
            point = ord(char)
            if point in covered or (point, unit.outputs) in reported or \
                    unicodedata.category(char) in IGNORED:
                continue
            while point not in covered and loaded < len(families):
                covered |= coverage(families[loaded])  # load the next font only when needed
                loaded += 1
            if point in covered:
                continue
            reported.add((point, unit.outputs))
            name = unicodedata.name(char, "unnamed character")
            results.append(CheckResult(
                CHECK, doc.id, doc.locale, unit.outputs, "error", False,
                f"no font in the theme has a glyph for “{char}” U+{point:04X} {name}",
                str(unit.loc), f"replace the character, or add a font that has it to "
                               f"[fonts] in {theme.path}"))
    return results

"""`[tool.plainpress.braille]`: page size in cells, where page numbers go, the page budget of
the braille handout, the share of words back-translation must recover, and the liblouis table
of each locale.

Kept apart from `pipeline/config.py` so that the braille outputs can move as one piece; the
config loader hands this module its table and the line finder for error messages. Table names
are file names inside liblouis's table folder, never paths: liblouis opens whatever it is
given, so a name with a slash could make it read any file.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable

from pipeline.errors import ConfigError
from pipeline.model import Loc

DEFAULT_TABLES = {
    "en": "en-ueb-g2.ctb",   # Unified English Braille, contracted (grade 2): what adults read
    "es": "es-g1.ctb",       # Spanish uncontracted: what ONCE and most readers use
    "ar": "ar-ar-g1.utb",    # Arabic uncontracted
    "zh": "zhcn-cbs.ctb",    # Chinese (Mandarin) current braille, as liblouis has it
}
"""By language; a locale's own entry (`zh_Hans`) wins over its language's."""
DISPLAY_TABLE = "en-us-brf.dis"
"""Cells → ASCII braille: the North American BRF character set."""
PAGE_NUMBER_PLACES = ("bottom", "top")
TABLE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(ctb|utb|tbl|cti|uti|dis)$")


@dataclass(frozen=True, slots=True)
class BrailleSettings:
    """How braille pages are laid out and judged."""

    cells: int = 40
    """Cells per line (BANA: 40 on 11 × 11.5 inch paper)."""
    lines: int = 25
    """Lines per page, the page-number line included."""
    page_numbers: str = "bottom"
    """`bottom` (the last line's right end, as BANA places braille page numbers) or `top`."""
    handout_pages: int = 6
    """The braille handout's page budget (a warning when over)."""
    min_recovered: float = 98.0
    """Percent of the model's words back-translation must give back (the article)."""
    tables: dict = field(default_factory=dict)
    """locale or language → liblouis table list, over `DEFAULT_TABLES`."""

    def table_for(self, locale: str) -> str | None:
        """The table list for a locale: its own entry, its language's, or the default."""
        from pipeline.settings.locale import PSEUDO

        code = PSEUDO.get(locale, locale)
        language = re.split(r"[_-]", code)[0]
        for key in (locale, code, language):
            if key in self.tables:
                return self.tables[key]
        return DEFAULT_TABLES.get(language)


_KEYS = {"cells": int, "lines": int, "page_numbers": str, "handout_pages": int,
         "min_recovered": (int, float), "tables": dict}


def parse(table: dict, where: Callable[[str], Loc]) -> BrailleSettings:
    """Validate `[tool.plainpress.braille]`; every error names pyproject.toml and the line."""
    for key, value in table.items():
        if key not in _KEYS:
            raise ConfigError(f"unknown setting `{key}` in [tool.plainpress.braille]",
                              where(key), hint=f"known keys: {', '.join(_KEYS)}")
        if not isinstance(value, _KEYS[key]) or isinstance(value, bool):
            raise ConfigError(f"`{key}` in [tool.plainpress.braille] has the wrong type",
                              where(key), hint=f"write it as {_example(key)}")
    settings = BrailleSettings(**{k: v for k, v in table.items() if k != "tables"})
    if not 20 <= settings.cells <= 100:
        raise ConfigError(f"`cells = {settings.cells}` is not a braille line length",
                          where("cells"), hint="use 20 to 100 cells; 40 is the BRF standard")
    if not 5 <= settings.lines <= 100:
        raise ConfigError(f"`lines = {settings.lines}` is not a braille page length",
                          where("lines"), hint="use 5 to 100 lines; 25 is the BRF standard")
    if settings.page_numbers not in PAGE_NUMBER_PLACES:
        raise ConfigError(f"unknown page_numbers `{settings.page_numbers}`",
                          where("page_numbers"), hint="use \"bottom\" or \"top\"")
    if settings.handout_pages < 1:
        raise ConfigError("`handout_pages` must be at least 1", where("handout_pages"),
                          hint="write it as `handout_pages = 6`")
    if not (math.isfinite(settings.min_recovered) and 0 <= settings.min_recovered <= 100):
        raise ConfigError("`min_recovered` must be a percentage from 0 to 100",
                          where("min_recovered"), hint="write it as `min_recovered = 98`")
    tables = {}
    for locale, names in table.get("tables", {}).items():
        if not isinstance(names, str) or not names or not all(
                TABLE_NAME.match(name) for name in names.split(",")):
            raise ConfigError(f"`{locale} = {names!r}` is not a liblouis table name",
                              where(locale), hint='name tables in liblouis\'s folder, e.g. '
                              '`en = "en-ueb-g1.ctb"` (several: "a.ctb,b.cti"); no paths')
        tables[locale] = names
    return BrailleSettings(settings.cells, settings.lines, settings.page_numbers,
                           settings.handout_pages, float(settings.min_recovered), tables)


def _example(key: str) -> str:
    return {"cells": "`cells = 40`", "lines": "`lines = 25`",
            "page_numbers": '`page_numbers = "bottom"`', "handout_pages": "`handout_pages = 6`",
            "min_recovered": "`min_recovered = 98`",
            "tables": "a [tool.plainpress.braille.tables] table, e.g. "
                      '`en = "en-ueb-g2.ctb"`'}[key]

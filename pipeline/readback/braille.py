"""Reading braille files back: BRF and the Unicode preview → pages of cells → the text a
reader reads, and the liblouis table each locale is read (and written) with.

Here, below both the renderer and the gates, because both need it: the renderer to know which
table to write with and which cells mean what, the gates to read a BRF the way liblouis and a
braille reader do. BRF is ASCII braille: each of the 64 six-dot cells is one printable ASCII
character (the North American set, liblouis's `en-us-brf.dis`), lines end in CR LF, and a form
feed separates pages.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.readback import louis
from pipeline.settings.braille import DISPLAY_TABLE

BLANK = "\u2800"
"""The blank cell (U+2800), what liblouis writes for a space."""
HYPHEN = "\u2824"
"""Dots 3-6: the hyphen."""
CONTINUATION = "\u2810"
"""Dot 5: UEB's line continuation indicator, ending a line inside an undivided sequence."""
BRF_CHARACTERS = frozenset(" A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)=")
"""The 64 characters of ASCII braille (space and the 63 cells with dots)."""
ARABIC_MARKS = re.compile("[\u0640\u064b-\u065f\u0670]")
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK = re.compile(f"[{CJK_CLASS}]")


def read_brf(data: bytes) -> list[list[str]]:
    """BRF bytes → pages of lines of Unicode braille cells (an unknown byte stays as it is,
    for the gates to name)."""
    text = data.decode("ascii", "replace")
    pages = []
    for page in text.split("\f"):
        lines = page.split("\r\n")
        if lines and lines[-1] == "":
            lines.pop()
        pages.append([louis.chars_to_dots(DISPLAY_TABLE, line.upper()) if line else ""
                      for line in lines])
    return pages


def read_text(data: bytes) -> list[list[str]]:
    """The Unicode preview → pages of lines."""
    pages = []
    for page in data.decode("utf-8", "replace").split("\f"):
        lines = page.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        pages.append(lines)
    return pages


def page_count(data: bytes) -> int:
    """Braille pages of a BRF or preview (form feeds + 1)."""
    return data.count(b"\f") + 1


def flow(pages: list[list[str]], place: str, continuation: bool = True) -> str:
    """The cells a reader reads, page after page: page-number lines left out, lines joined
    with a blank cell, a word divided after a hyphen or (UEB) with the continuation indicator
    joined back together."""
    out = ""
    for page in pages:
        body = page[1:] if place == "top" else page[:-1]
        for line in body:
            line = line.strip(BLANK + " ")
            if not line:
                continue
            if continuation and out.endswith(CONTINUATION):
                out = out[:-1] + line
            elif out.endswith(HYPHEN):
                out += line
            else:
                out += (BLANK if out else "") + line
    return out


def words(text: str) -> list[str]:
    """Words as compared: letter runs and digit runs, each Chinese character alone; case,
    Arabic short-vowel marks (whose order liblouis changes) and digit shapes ignored."""
    text = ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", text)).casefold()
    text = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)
    return re.findall(f"[{CJK_CLASS}]|\\d+|[^\\W\\d_{CJK_CLASS}]+", text)


def uses_continuation(table: str) -> bool:
    """UEB has a line continuation indicator (dot 5) for dividing a sequence too long for a
    line (a URL); other codes read dot 5 as a letter or a comma, so there the sequence is
    divided without a mark."""
    return table.startswith("en-ueb-")


def table_of(config, locale: str) -> str:
    """The liblouis table list of a locale; an error naming pyproject.toml when there is none
    or it does not compile."""
    from pipeline.errors import ConfigError
    from pipeline.model import Loc

    table = config.braille.table_for(locale)
    if table is None:
        raise ConfigError(f"no braille table for locale `{locale}`", Loc("pyproject.toml"),
                          hint=f'add it under [tool.plainpress.braille.tables], e.g. '
                               f'`{locale} = "…ctb"` (liblouis table names; see README)')
    problem = louis.check_table(table)
    if problem:
        raise ConfigError(f"the braille table `{table}` for `{locale}` cannot be used: {problem}",
                          Loc("pyproject.toml"), hint="use a table shipped by Debian's "
                          "liblouis-data (ls /usr/share/liblouis/tables)")
    return table


def check_tables(config, locales) -> None:
    """Every locale to be transcribed has a table liblouis can compile (before anything is
    built: a bad table is bad configuration, exit status 2)."""
    for locale in locales:
        table_of(config, locale)

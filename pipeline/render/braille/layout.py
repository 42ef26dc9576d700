"""Braille units → lines → pages, by the placement rules of BANA *Braille Formats* (2016).

A `Unit` is one formatted thing (a heading, a paragraph, a list item, a table entry, a
transcriber's note) already translated to cells: the first line starts at `first`, runover lines
at `runover` (BANA's "3-1" paragraph is first=2, runover=0), or every line is `centred`. Lines
are broken only between cells of different print characters (never inside a contraction or a
Chinese syllable): at blank cells, after a hyphen, between Chinese characters, and, for a
sequence longer than a whole line (a URL), anywhere with UEB's line continuation indicator
(dot 5) at the end of the broken line. Pages keep a heading with the two lines after it, drop a
blank line that would fall at the top of a page, and carry the braille page number alone on
their last (or first) line, at the right margin.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from pipeline.readback.braille import BLANK, CONTINUATION, HYPHEN


@dataclass
class Piece:
    """Cells that start on a new line, with the print character each cell came from."""

    cells: str
    positions: list[int]
    text: str
    """The print text the positions index."""


@dataclass
class Unit:
    """One formatted block; `pieces` after the first start on new lines at `runover`."""

    pieces: list[Piece]
    first: int = 0
    runover: int = 0
    centred: bool = False
    blank_before: bool = False
    blank_after: bool = False
    heading: bool = False
    """Kept with the two lines that follow it."""
    lines: list[str] = field(default_factory=list)
    """Filled in by `layout`: each line with its indent, as cells."""


def _cjk(char: str) -> bool:
    """Chinese (and Japanese) characters and their punctuation: lines may break between any
    two of them, as print does."""
    if not char:
        return False
    name = unicodedata.name(char, "")
    return name.startswith(("CJK", "IDEOGRAPHIC", "FULLWIDTH", "HIRAGANA", "KATAKANA")) \
        or "\u3000" <= char <= "\u303f"


def _soft_break(piece: Piece, k: int) -> bool:
    """May a line end before cell `k` of a word without a mark (after a hyphen, between
    Chinese characters)?"""
    if piece.positions[k - 1] == piece.positions[k]:
        return False
    before = piece.text[piece.positions[k - 1]:piece.positions[k]]
    after = piece.text[piece.positions[k]:piece.positions[k] + 1]
    if piece.cells[k - 1] == HYPHEN and before[-1:] in "-\u2010":
        return True
    return _cjk(before[-1:]) or _cjk(after)


def _hard_break(piece: Piece, k: int) -> bool:
    """May a line end before cell `k` with the continuation indicator (still between two
    print characters)?"""
    return piece.positions[k - 1] != piece.positions[k]


def _hard_cut(piece: Piece, start: int, limit: int) -> int:
    """Where to divide a sequence longer than a line: after a slash or before a dot of a web
    address when one falls in the second half of the line, else at the last character
    boundary that fits."""
    candidates = [j for j in range(limit, start, -1) if _hard_break(piece, j)]
    if not candidates:
        return max(start + 1, limit)
    for j in candidates:
        if j - start < (limit - start) // 2:
            break
        before = piece.text[piece.positions[j - 1]:piece.positions[j]]
        if before.endswith("/") or piece.text[piece.positions[j]:].startswith("."):
            return j
    return candidates[0]


def wrap(piece: Piece, first_width: int, width: int, continuation: bool = True) -> list[str]:
    """The cells of one piece as lines: `first_width` cells for the first, `width` after.
    `continuation`: end a line inside an undivided sequence with dot 5 (UEB)."""
    mark = CONTINUATION if continuation else ""
    lines: list[str] = []
    line = ""
    room = first_width
    k, end = 0, len(piece.cells)
    while k < end:
        while k < end and piece.cells[k] == BLANK:
            k += 1
        stop = k
        while stop < end and piece.cells[stop] != BLANK:
            stop += 1
        if k >= end:
            break
        gap = 1 if line else 0
        if len(line) + gap + (stop - k) <= room:
            line += (BLANK if gap else "") + piece.cells[k:stop]
            k = stop
            continue
        # The word does not fit: divide it where print allows (a hyphen, Chinese text) to fill
        # the line; else move it to the next line; a word longer than a line is divided.
        space = room - len(line) - gap
        cut = next((j for j in range(min(stop - 1, k + space), k, -1)
                    if _soft_break(piece, j)), None)
        if cut is not None and (cut - k >= 2 or not line):
            line += (BLANK if gap else "") + piece.cells[k:cut]
            k = cut
        elif line:
            pass  # the word starts the next line
        else:
            cut = _hard_cut(piece, k, min(stop - 1, k + room - len(mark)))
            line = piece.cells[k:cut] + mark
            k = cut
        lines.append(line)
        line, room = "", width
    if line or not lines:
        lines.append(line)
    return lines


def layout(unit: Unit, cells: int, continuation: bool = True) -> list[str]:
    """The unit's lines, indented (blank cells) or centred within `cells`."""
    out: list[str] = []
    for number, piece in enumerate(unit.pieces):
        if unit.centred:
            width = cells - 6  # at least three blank cells either side (BANA §4.4)
            lines = wrap(piece, width, width, continuation)
            out += [BLANK * ((cells - len(line)) // 2) + line for line in lines if line]
            continue
        first = unit.first if number == 0 else unit.runover
        lines = wrap(piece, cells - first, cells - unit.runover, continuation)
        out += [BLANK * (first if i == 0 else unit.runover) + line
                for i, line in enumerate(lines) if line]
    unit.lines = out
    return out


def paginate(units: list[Unit], cells: int, lines: int, number_cells, place: str = "bottom",
             mark: str = "") -> list[list[str]]:
    """Units → pages of lines. `number_cells(n)` gives braille page number n as cells; the
    number sits alone at the right end of the last line (`bottom`) or the first (`top`).
    `mark` (a draft warning, as cells) goes at the left of that line when it fits.

    Blank lines: a unit that asks for one before it (headings, lists, tables) or follows one
    that asks for one after it gets it, also right under a heading (BANA's committee ruling:
    no discretion to drop them). At the top of a page the blank line stays on line 1 only when
    the text of the page before reached its last line, as BANA's 2024 update places it."""
    body = lines - 1
    pages: list[list[str]] = [[]]
    blank = False

    def break_page() -> None:
        pages.append([])

    def reached_bottom() -> bool:
        return len(pages) > 1 and len(pages[-2]) >= body and pages[-2][-1] != ""

    for index, unit in enumerate(units):
        text = unit.lines
        if not text:
            continue
        started = any(pages[0]) or len(pages) > 1
        gap = (blank or unit.blank_before) and started
        if unit.heading and pages[-1]:
            after = next((u for u in units[index + 1:] if u.lines), None)
            keep = (min(2, len(after.lines)) + (1 if after.blank_before else 0)) if after else 0
            if len(pages[-1]) + gap + len(text) + keep > body:
                break_page()  # a heading is kept with the lines that follow it
        if gap:
            if len(pages[-1]) >= body:
                break_page()
            if pages[-1] or reached_bottom():
                pages[-1].append("")
        for line in text:
            if len(pages[-1]) >= body:
                break_page()
            pages[-1].append(line)
        blank = unit.blank_after
    out = []
    for number, page in enumerate(pages, 1):
        label = number_cells(number)
        left = mark if mark and len(mark) + 3 + len(label) <= cells else ""
        number_line = left + BLANK * (cells - len(left) - len(label)) + label
        page = [line.rstrip(BLANK) for line in page]
        out.append([number_line, *page] if place == "top" else
                   [*page, *[""] * (body - len(page)), number_line])
    return out

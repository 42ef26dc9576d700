"""Localized Document → braille `Unit`s, block by block, as a transcriber would lay them out.

Placement follows BANA *Braille Formats* (2016): the title centred on the first page with a
blank line after; a transcriber's note (7-5) saying the braille was produced from the print
edition; second-level headings as cell-5 headings and deeper ones as cell-7 headings, each after
a blank line; paragraphs 3-1; lists 1-3 (nested 3-5, 5-7) with a blank line before and after
and no print bullets; tables in listed form, each row's entries as "heading: value" (the first
at 1-5, the others at 3-5) after a note saying so; images as a transcriber's note carrying
the alt text; a link's URL on the line after its text; the handout's QR code replaced by the
article's address; the contact block, disclaimer and review stamp at the end. Emphasis is
passed to liblouis as typeform, so each braille code writes its own indicators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline import model as m
from pipeline.readback import louis
from pipeline.render.braille.layout import Piece, Unit
from pipeline.settings.labels import Labels

PARAGRAPH = (2, 0)
NOTE = (6, 4)
LISTED_FIRST, LISTED_OTHER = (0, 4), (2, 4)


@dataclass
class Run:
    """Print text with one liblouis typeform for all its characters."""

    text: str
    form: int = 0


class Break:
    """A forced new line inside a unit (a hard line break, the lines around a URL)."""


BREAK = Break()


PROBES = {"latin": "word", "arabic": "\u0643\u0644\u0645\u0629", "cjk": "\u7cbe\u5b50"}
"""A word in each script, to learn whether a table's emphasis indicators read back."""


class Transcriber:
    """Translates with one locale's table; builds the units of a document."""

    def __init__(self, table: str, labels: Labels, script: str = "latin"):
        self.table = table
        self.labels = labels
        self.note_form = louis.typeform_for(table, "transnote")
        """UEB's transcriber's-note indicators, where the table defines them."""
        self.emphasis = emphasis_reads_back(table, PROBES.get(script, PROBES["latin"]))
        """False for a table whose emphasis indicators liblouis reads back as letters
        (ar-ar-g1: its italic and bold signs read as hamza letters glued to the word); such
        a table is given no emphasis rather than braille that misleads."""

    # ------------------------------------------------------------------ translation

    def piece(self, runs: list[Run]) -> Piece:
        """Runs → one piece of cells; whitespace collapsed, typeform kept per character."""
        chars: list[str] = []
        forms: list[int] = []
        for run in runs:
            for char in run.text:
                if char.isspace():
                    if not chars or chars[-1] == " ":
                        continue
                    char = " "
                chars.append(char)
                forms.append(run.form)
        while chars and chars[-1] == " ":
            chars.pop()
            forms.pop()
        text = "".join(chars)
        cells, positions = louis.translate_positions(self.table, text, forms)
        return Piece(cells, positions, text)

    def cells(self, text: str) -> str:
        """Short text (a page number) as cells."""
        return louis.translate(self.table, text)

    def unit(self, items: list, indents: tuple[int, int], **kind) -> Unit:
        """Runs and breaks → a unit; each break starts a new piece."""
        pieces, current = [], []
        for item in items:
            if item is BREAK:
                if current:
                    pieces.append(self.piece(current))
                current = []
            else:
                current.append(item)
        if current:
            pieces.append(self.piece(current))
        pieces = [p for p in pieces if p.cells]
        return Unit(pieces, indents[0], indents[1], **kind)

    def note(self, text: str, **kind) -> Unit:
        """A transcriber's note in 7-5, enclosed in the table's note indicators (UEB), or
        introduced by the words "Transcriber's note:" where the table has none."""
        if not self.note_form:
            # Translators: braille only; starts a note the braille transcriber added.
            text = self.labels("Transcriber's note:") + " " + text
        return self.unit([Run(text, self.note_form)], NOTE, **kind)

    # ------------------------------------------------------------------ inlines

    def runs(self, inlines, form: int = 0) -> list:
        """Model inlines → runs and breaks; a link's URL goes on the next line."""
        out: list = []
        for node in inlines:
            if isinstance(node, m.Text):
                out.append(Run(node.text, form))
            elif isinstance(node, m.Code):
                out.append(Run(node.text, form | louis.NO_CONTRACT))
            elif isinstance(node, m.Emph):
                out += self.runs(node.children, form | (louis.ITALIC if self.emphasis else 0))
            elif isinstance(node, m.Strong):
                out += self.runs(node.children, form | (louis.BOLD if self.emphasis else 0))
            elif isinstance(node, m.LineBreak):
                out.append(BREAK)
            elif isinstance(node, m.Link):
                shown = shown_url(node.url)
                text = "".join(r.text for r in self.runs(node.children) if r is not BREAK)
                if text.strip() in (node.url, shown):
                    out.append(Run(text, form | louis.NO_CONTRACT))
                else:
                    out += self.runs(node.children, form)
                    out += [LinkEnd(), Run(shown, louis.NO_CONTRACT), BREAK]
        return _after_links(out)

    # ------------------------------------------------------------------ blocks

    def blocks(self, blocks, level: int = 0) -> list[Unit]:
        """Model blocks → units; `level` is the list depth."""
        units: list[Unit] = []
        for block in blocks:
            if isinstance(block, m.Heading):
                indent = 4 if block.level <= 2 else 6  # cell-5, cell-7 headings
                units.append(self.unit(self.runs(block.inlines), (indent, indent),
                                       blank_before=True, heading=True))
            elif isinstance(block, m.Paragraph):
                indents = PARAGRAPH if level == 0 else (2 * level, 2 * level)
                units.append(self.unit(self.runs(block.inlines), indents))
            elif isinstance(block, (m.BulletList, m.OrderedList)):
                items = self.list_items(block, level)
                if level == 0 and items:
                    items[0].blank_before = True
                    items[-1].blank_after = True
                units += items
            elif isinstance(block, m.Table):
                units += self.listed_table(block)
            elif isinstance(block, m.Figure):
                # Translators: braille only; {alt} is the picture's description.
                units.append(self.note(self.labels("Image: {alt}", alt=block.alt.strip())))
                if block.caption:
                    units.append(self.unit([Run(block.caption)], PARAGRAPH))
            elif isinstance(block, m.BlockQuote):
                quoted = self.blocks(block.blocks, level)
                for unit in quoted:
                    if not unit.heading:
                        unit.first, unit.runover = 0, 0  # displayed material: 1-1
                if quoted:
                    quoted[0].blank_before = True
                    quoted[-1].blank_after = True
                units += quoted
            elif isinstance(block, m.KeyPoints):
                units.append(self.unit([Run(self.labels("Key points"))], (4, 4),
                                       blank_before=True, heading=True))
                units += self.blocks(block.blocks, level)
        return units

    def list_items(self, block, level: int) -> list[Unit]:
        """Items in 1-3 (3-5, 5-7 when nested); a number is kept, a bullet is not."""
        units: list[Unit] = []
        first, runover = 2 * level, 2 * level + 2
        for number, item in enumerate(block.items, getattr(block, "start", 1)):
            prefix = [Run(f"{number}. ")] if isinstance(block, m.OrderedList) else []
            started = False
            for inner in item.blocks:
                if isinstance(inner, m.Paragraph):
                    runs = (prefix if not started else []) + self.runs(inner.inlines)
                    units.append(self.unit(runs, (first, runover) if not started
                                           else (runover, runover)))
                    started = True
                elif isinstance(inner, (m.BulletList, m.OrderedList)):
                    units += self.list_items(inner, level + 1)
                else:
                    units += self.blocks([inner], level + 1)
        return units

    def listed_table(self, table: m.Table) -> list[Unit]:
        """A listed table: a note on the form, then per row one line per cell, "heading:
        value", the row's first entry at the margin."""
        # Translators: braille only; a table is written as lines "heading: entry".
        units = [self.note(self.labels("Table, listed by rows: each line is a column heading "
                                       "and its entry."), blank_before=True)]
        headers = [cell.inlines for cell in table.header]
        for row in table.rows:
            first = True
            for header, cell in zip(headers, row):
                value = self.runs(cell.inlines)
                if not any(isinstance(r, Run) and r.text.strip() for r in value):
                    continue
                name = self.runs(header)
                runs = value
                if any(isinstance(r, Run) and r.text.strip() for r in name):
                    runs = []  # in the translator's order, with its separator
                    # Translators: braille only; one table cell with its column heading.
                    for part in self.labels.parts("{heading}: {entry}", heading=name,
                                                  entry=value):
                        runs += part if isinstance(part, list) else [Run(str(part))]
                units.append(self.unit(runs, LISTED_FIRST if first else LISTED_OTHER))
                first = False
        if len(units) > 1:
            units[-1].blank_after = True
        return units

    # ------------------------------------------------------------------ documents

    def front(self, doc: m.Document) -> list[Unit]:
        """The first page's title and the note on where the braille came from."""
        units = []
        if doc.draft:
            units.append(self.unit([Run(self.labels("DRAFT — translation incomplete"))],
                                   (0, 0), centred=True, blank_after=True))
        units.append(self.unit([Run(doc.meta.title.value)], (0, 0), centred=True,
                               blank_after=True))
        # Translators: braille only; the note on the first braille page.
        units.append(self.note(self.labels(
            "This braille edition was produced from the print edition."), blank_after=True))
        return units

    def back(self, doc: m.Document, stamp: str) -> list[Unit]:
        """Contact block, disclaimer and review stamp, after a blank line."""
        units = self.blocks(doc.contact.blocks) + self.blocks(doc.disclaimer.blocks)
        units.append(self.unit([Run(stamp)], PARAGRAPH))
        if units:
            units[0].blank_before = True
        return units

    def article(self, doc: m.Document, stamp: str) -> list[Unit]:
        summary = self.unit([Run(doc.meta.summary.value)], PARAGRAPH)
        return self.front(doc) + [summary] + self.blocks(doc.body) + self.back(doc, stamp)

    def handout(self, doc: m.Document, stamp: str) -> list[Unit]:
        """The handout container; its QR code becomes the article's address."""
        # Translators: braille only; heading over the full article's web address.
        online = [self.unit([Run(self.labels("The full article online"))], (4, 4),
                            blank_before=True, heading=True),
                  self.unit([Run(doc.meta.url.value, louis.NO_CONTRACT)], (0, 0))]
        return self.front(doc) + self.blocks(doc.handout) + online + self.back(doc, stamp)


class LinkEnd:
    """Where a link's text ends and its URL line begins."""


def emphasis_reads_back(table: str, probe: str) -> bool:
    """Does a word in italics and one in bold come back as the word from liblouis?"""
    text = f"{probe} {probe} {probe}"
    start, end = len(probe) + 1, 2 * len(probe) + 1
    word = re.compile(rf"(?<![^\W\d_]){re.escape(probe)}(?![^\W\d_])")
    for form in (louis.ITALIC, louis.BOLD):
        forms = [form if start <= i < end else 0 for i in range(len(text))]
        back = louis.back_translate(table, louis.translate(table, text, forms))
        if len(word.findall(back)) < 3:
            return False
    return True


def shown_url(url: str) -> str:
    """The address as a reader needs it: an email address or phone number without its
    `mailto:`/`tel:` scheme, a web address in full."""
    for scheme in ("mailto:", "tel:"):
        if url.lower().startswith(scheme):
            return url[len(scheme):]
    return url


def _after_links(items: list) -> list:
    """Put a link's URL on the next line; punctuation right after the link (a full stop)
    stays with the link text instead of starting a line of its own."""
    items, out, index = list(items), [], 0
    while index < len(items):
        item = items[index]
        if not isinstance(item, LinkEnd):
            out.append(item)
            index += 1
            continue
        url, index = items[index + 1], index + 3  # LinkEnd, the URL run, its BREAK
        if index < len(items) and isinstance(items[index], Run):
            match = re.match(r"[^\w\s]+", items[index].text)
            if match:
                out.append(Run(match.group(0), items[index].form))
                items[index] = Run(items[index].text[match.end():], items[index].form)
        out += [BREAK, url, BREAK]
    return out

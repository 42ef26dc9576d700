"""Model blocks → Word paragraphs, lists, tables and pictures, in reading order.

Structure is carried by what Word and its screen readers understand: built-in paragraph styles
(Title, Heading n, List Bullet/Number, Caption, Quote), list numbering through the numbering
part, tables whose first row repeats as a header (`w:tblHeader`) with a caption and a
`w:tblCaption`/`w:tblDescription` title and description, and pictures whose alt text is the
drawing's `wp:docPr/@descr`. Space between blocks is paragraph spacing: an empty paragraph used
as a spacer is read out as "blank" and is flagged by Word's Accessibility Checker.

Source heading level 1 is the document title (the Title style); body headings start at level
2 and become Heading 1, so Word's navigation pane and outline start at Heading 1 and never skip
a level.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.lists import format_list
from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docx.oxml.ns import qn
from docx.shared import Pt

from pipeline.errors import SourceError
from pipeline.settings.locale import babel_locale
from pipeline.read.markdown import plain
from pipeline.model import (BlockQuote, BulletList, Cell, Figure, Heading, KeyPoints, OrderedList,
                      Paragraph, Table)
from pipeline.settings.theme import Theme
from pipeline.settings.labels import Field, Labels
from pipeline.render.docx.inlines import Format, InlineWriter
from pipeline.render.docx.numbering import Numbering, continuation_indent, number
from pipeline.render.docx.styles import top_rule
from pipeline.render.docx.xml import PPR, TBLPR, TCPR, put

class Writer:
    """Appends the document's blocks to a python-docx Document."""

    def __init__(self, document, theme: Theme, labels: Labels, locale: str, root: Path,
                 rtl: bool, hyperlink_style: str, text_width: int):
        self.document = document
        self.theme = theme
        self.labels = labels
        self.locale = locale
        self.root = root
        self.rtl = rtl
        self.text_width = text_width
        from pipeline.settings.locale import script
        self.inline = InlineWriter(document.part, rtl, hyperlink_style,
                                   italic_emphasis=script(locale) == "latin")
        self.numbering = Numbering(document, theme.fonts["latin"])
        self.body_pt = theme.article["body"]
        self.tables = 0
        self.last_heading = ""
        self.space_before: float | None = None
        self.rule_before = False

    # ------------------------------------------------------------------ paragraphs

    def paragraph(self, style: str, inlines=(), fmt: Format = Format()):
        """A new paragraph in `style`, right to left when the locale is."""
        para = self.document.add_paragraph(style=style)
        ppr = para._p.get_or_add_pPr()
        if self.rtl:
            put(ppr, "w:bidi", PPR)
        if self.rule_before:
            top_rule(ppr, self.theme, self.body_pt * 2)
            self.rule_before = False
        elif self.space_before is not None:
            para.paragraph_format.space_before = Pt(self.space_before)
        self.space_before = None
        if not len(ppr):
            para._p.remove(ppr)
        self.inline.write(para._p, inlines, fmt)
        return para

    def text_paragraph(self, style: str, text: str):
        para = self.paragraph(style)
        self.inline.text(para._p, text)
        return para

    # ------------------------------------------------------------------ blocks

    def blocks(self, blocks, style: str = "Normal") -> None:
        for block in blocks:
            self.block(block, style)

    def block(self, block, style: str = "Normal") -> None:
        if isinstance(block, Heading):
            self.heading(block.level, block.inlines)
        elif isinstance(block, Paragraph):
            self.paragraph(style, block.inlines)
        elif isinstance(block, (BulletList, OrderedList)):
            self.list(block, 0)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, BlockQuote):
            self.blocks(block.blocks, "Quote")
        elif isinstance(block, KeyPoints):
            self.heading(2, (), text=self.labels("Key points"))
            self.blocks(block.blocks, style)

    def heading(self, level: int, inlines, text: str | None = None) -> None:
        para = self.paragraph(f"Heading {min(max(level - 1, 1), 6)}", inlines)
        if text is not None:
            self.inline.text(para._p, text)
        self.last_heading = text if text is not None else plain(inlines)

    def list(self, block, depth: int) -> None:
        ordered = isinstance(block, OrderedList)
        num_id = self.numbering.new_list(ordered, depth, getattr(block, "start", 1))
        style = "List Number" if ordered else "List Bullet"
        last = None
        for item in block.items:
            numbered = False
            for child in item.blocks:
                if isinstance(child, Paragraph) and not numbered:
                    last = self.paragraph(style, child.inlines)
                    number(last, num_id, depth)
                    numbered = True
                elif isinstance(child, Paragraph):
                    last = self.paragraph("Normal", child.inlines)
                    continuation_indent(last, depth)
                elif isinstance(child, (BulletList, OrderedList)):
                    self.list(child, depth + 1)
                else:
                    self.block(child)
            if not numbered and not item.blocks:
                last = self.paragraph(style)
                number(last, num_id, depth)
        if depth == 0 and last is not None:
            last.paragraph_format.space_after = Pt(self.body_pt * 0.7)

    # ------------------------------------------------------------------ tables

    def table(self, block: Table) -> None:
        self.tables += 1
        title = self.last_heading
        if title:
            # Translators: caption above a table in the Word document; {title} is the heading
            # the table sits under.
            label = self.labels.parts("Table {number}: {title}", number=Field("SEQ"),
                                      title=title)
        else:
            # Translators: caption above a table in the Word document.
            label = self.labels.parts("Table {number}", number=Field("SEQ"))
        caption = self.paragraph("Caption")
        caption.paragraph_format.keep_with_next = True
        shown = []
        for piece in label:
            if isinstance(piece, Field):
                self.inline.field(caption._p, r"SEQ Table \* ARABIC", str(self.tables))
                shown.append(str(self.tables))
            else:
                self.inline.text(caption._p, piece)
                shown.append(piece)
        columns = len(block.header)
        table = self.document.add_table(rows=1 + len(block.rows), cols=columns,
                                        style="Table Grid")
        tblpr = table._tbl.tblPr
        if self.rtl:
            put(tblpr, "w:bidiVisual", TBLPR)
        put(tblpr, "w:tblCaption", TBLPR, w_val="".join(shown))
        headers = [plain(cell.inlines) for cell in block.header]
        put(tblpr, "w:tblDescription", TBLPR,
            w_val=format_list(headers, locale=babel_locale(self.locale)) if headers else "")
        header_row = table.rows[0]
        put(header_row._tr.get_or_add_trPr(), "w:tblHeader", ())
        fill = self.theme.colors["box_background"].lstrip("#").upper()
        for cell, source in zip(header_row.cells, block.header):
            put(cell._tc.get_or_add_tcPr(), "w:shd", TCPR, w_val="clear", w_color="auto",
                w_fill=fill)
            self.cell(cell, source, Format(bold=True))
        for row, cells in zip(table.rows[1:], block.rows):
            for cell, source in zip(row.cells, cells[:columns]):
                self.cell(cell, source, Format())
        self.space_before = self.body_pt * 0.7

    def cell(self, cell, source: Cell, fmt: Format) -> None:
        para = cell.paragraphs[0]
        ppr = para._p.get_or_add_pPr()
        if self.rtl:
            put(ppr, "w:bidi", PPR)
        if source.align in ("center", "right"):
            put(ppr, "w:jc", PPR, w_val="center" if source.align == "center" else "end")
        self.inline.write(para._p, source.inlines, fmt)

    # ------------------------------------------------------------------ pictures

    def figure(self, block: Figure) -> None:
        source_dir = (self.root / "source").resolve()
        path = (self.root / block.src).resolve()
        if not path.is_relative_to(source_dir):
            raise SourceError(block.loc, f"the image `{block.src}` is outside source/",
                              hint="keep images under source/")
        try:
            data = path.read_bytes()
            native = Image.from_blob(data).width
        except (OSError, UnrecognizedImageError) as exc:
            reason = getattr(exc, "strerror", None) or "not a PNG, JPEG, GIF, BMP or TIFF image"
            raise SourceError(block.loc, f"cannot read the image `{block.src}`: {reason}",
                              hint="use a PNG or JPEG file under source/") from exc
        para = self.paragraph("Normal")
        if block.caption:
            para.paragraph_format.keep_with_next = True
        run = para.add_run()
        run.add_picture(io.BytesIO(data), width=min(native, self.text_width))
        doc_pr = run._r.find(".//" + qn("wp:docPr"))
        doc_pr.set("descr", block.alt)
        doc_pr.set("title", block.caption or block.alt)
        if block.caption:
            self.text_paragraph("Caption", block.caption)

    # ------------------------------------------------------------------ end matter

    def colophon(self, contact, disclaimer, stamp: str) -> None:
        """Contact block, disclaimer and review stamp, under a rule, as in the PDF."""
        self.rule_before = True
        self.blocks(contact)
        self.blocks(disclaimer)
        self.text_paragraph("Normal", stamp)

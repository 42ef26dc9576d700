"""Model inlines → Word runs: emphasis as character formatting, links as real hyperlinks.

Bold and italic go on both the Latin and the complex-script slots (`w:b` + `w:bCs`), because
Word formats Arabic text from the complex-script ones. In right-to-left documents text is split
by script: runs of right-to-left letters carry `w:rtl` (Word then orders and shapes them right
to left with the complex-script font), while Latin words keep the Latin font, as Word itself
writes mixed text. A link is a `w:hyperlink` bound to an external relationship, with its own
text in the `Hyperlink` character style, so screen readers announce it as a link by its text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from itertools import groupby

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from pipeline.model import Code, Emph, LineBreak, Link, Strong, Text
from pipeline.render.docx.xml import make

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Format:
    """Character formatting carried down the inline tree."""

    bold: bool = False
    italic: bool = False
    style: str | None = None
    """A character styleId (`Hyperlink`)."""


def segments(text: str) -> list[tuple[str, bool]]:
    """Split text into (piece, is_rtl) by the direction of its strong characters. Neutral
    characters (spaces, punctuation, digits) between two letters of one direction stay with
    them; elsewhere they join the right-to-left side, as the paragraph is right to left."""
    strong = []
    for char in text:
        kind = unicodedata.bidirectional(char)
        strong.append(True if kind in ("R", "AL") else False if kind == "L" else None)
    before, last = [], None
    for value in strong:
        last = value if value is not None else last
        before.append(last)
    after, last = [], None
    for value in reversed(strong):
        last = value if value is not None else last
        after.append(last)
    after.reverse()
    resolved = [s if s is not None else (b if b is not None and b == a else True)
                for s, b, a in zip(strong, before, after)]
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for rtl, group in groupby(resolved):
        size = len(list(group))
        piece = text[pos:pos + size]
        # Only pieces with right-to-left letters are marked: digits and punctuation alone are
        # left to the bidi algorithm, which places them by their neighbours.
        rtl = rtl and any(strong[pos:pos + size])
        if pieces and pieces[-1][1] == rtl:
            pieces[-1] = (pieces[-1][0] + piece, rtl)
        else:
            pieces.append((piece, rtl))
        pos += size
    return pieces


class InlineWriter:
    """Appends runs to a `w:p` (or a `w:hyperlink` inside one)."""

    def __init__(self, part, rtl: bool, hyperlink_style: str, italic_emphasis: bool = True):
        self.part = part
        self.rtl = rtl
        self.hyperlink_style = hyperlink_style
        self.italic_emphasis = italic_emphasis
        """Arabic and CJK faces have no italic: there emphasis is bold, as in the PDF."""

    def write(self, parent, inlines, fmt: Format = Format()) -> None:
        for node in inlines:
            if isinstance(node, (Text, Code)):
                self.text(parent, node.text, fmt)
            elif isinstance(node, Emph):
                self.write(parent, node.children, replace(fmt, italic=True) if
                           self.italic_emphasis else replace(fmt, bold=True))
            elif isinstance(node, Strong):
                self.write(parent, node.children, replace(fmt, bold=True))
            elif isinstance(node, Link):
                self.link(parent, node.url, node.children, fmt)
            elif isinstance(node, LineBreak):
                run = self._run(parent, fmt, False)
                run.append(make("w:br"))

    def text(self, parent, text: str, fmt: Format = Format()) -> None:
        """Plain text as one run (or one run per script in right-to-left documents)."""
        text = _NOT_XML.sub("", text.replace("\n", " "))
        if not text:
            return
        for piece, rtl in (segments(text) if self.rtl else [(text, False)]):
            run = self._run(parent, fmt, rtl)
            t = make("w:t")
            t.text = piece
            if piece != piece.strip() or "  " in piece:
                t.set(qn("xml:space"), "preserve")
            run.append(t)

    def link(self, parent, url: str, children, fmt: Format = Format()) -> None:
        rid = self.part.relate_to(url, RT.HYPERLINK, is_external=True)
        hyperlink = make("w:hyperlink", w_history="1")
        hyperlink.set(qn("r:id"), rid)
        parent.append(hyperlink)
        self.write(hyperlink, children, replace(fmt, style=self.hyperlink_style))

    def field(self, parent, instruction: str, shown: str, fmt: Format = Format()) -> None:
        """A simple field (PAGE, NUMPAGES, SEQ) with the value shown until Word updates it."""
        field = make("w:fldSimple", w_instr=f" {instruction} ")
        parent.append(field)
        self.text(field, shown, fmt)

    @staticmethod
    def _run(parent, fmt: Format, rtl: bool):
        run = make("w:r")
        rpr = make("w:rPr")
        if fmt.style:
            rpr.append(make("w:rStyle", w_val=fmt.style))
        if fmt.bold:
            rpr.extend([make("w:b"), make("w:bCs")])
        if fmt.italic:
            rpr.extend([make("w:i"), make("w:iCs")])
        if rtl:
            rpr.append(make("w:rtl"))
        if len(rpr):
            run.append(rpr)
        parent.append(run)
        return run

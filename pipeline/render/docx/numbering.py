"""Real Word list numbering: one definition per list kind, one numbering instance per list.

A typed "•" or "1." is read by screen readers as text, and Word cannot renumber it. Each list
here gets its own `w:num` with a `startOverride` on every level: without the overrides Word
continues the numbering of the previous list that shares the same abstract definition, so a
second numbered list would start at 4 instead of 1. Nested lists use the level (`w:ilvl`) of
their depth. The definitions are ours (not the template's), so the bullets are glyphs the theme's
Latin font has and the indentation is the same with or without a reference document.
"""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart

from pipeline.render.docx.xml import PPR, make, put

LEVELS = 9
BULLETS = ("•", "–")
"""Both are in Atkinson Hyperlegible; ◦ and ▪ are not (nor in Noto Sans)."""
INDENT = 400
"""Twips of indentation per level (about 1.7 em at 11.5 pt, as the CSS's 1.6 em)."""
HANGING = 280


def numbering_root(document):
    """The `w:numbering` element, creating the part when the template has none
    (python-docx 1.2's `NumberingPart.new()` raises NotImplementedError)."""
    try:
        return document.part.part_related_by(RT.NUMBERING).element
    except KeyError:
        element = parse_xml(f"<w:numbering {nsdecls('w')}/>")
        part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element,
                             document.part.package)
        document.part.relate_to(part, RT.NUMBERING)
        return element


class Numbering:
    """Adds abstract definitions on first use and one `w:num` per list."""

    def __init__(self, document, marker_font: str):
        self.root = numbering_root(document)
        self.marker_font = marker_font
        self._abstract: dict[bool, int] = {}

    def _abstract_id(self, ordered: bool) -> int:
        if ordered in self._abstract:
            return self._abstract[ordered]
        ids = [int(a.get(qn("w:abstractNumId"))) for a in self.root.findall(qn("w:abstractNum"))]
        new_id = max(ids, default=-1) + 1
        abstract = make("w:abstractNum", w_abstractNumId=str(new_id))
        abstract.append(make("w:nsid", w_val=f"{0x504C0000 + new_id:08X}"))
        abstract.append(make("w:multiLevelType", w_val="hybridMultilevel"))
        for level in range(LEVELS):
            lvl = make("w:lvl", w_ilvl=str(level))
            lvl.append(make("w:start", w_val="1"))
            if ordered:
                lvl.append(make("w:numFmt", w_val="decimal"))
                lvl.append(make("w:lvlText", w_val=f"%{level + 1}."))
            else:
                lvl.append(make("w:numFmt", w_val="bullet"))
                lvl.append(make("w:lvlText", w_val=BULLETS[level % len(BULLETS)]))
            lvl.append(make("w:lvlJc", w_val="left"))
            ppr = make("w:pPr")
            put(ppr, "w:ind", PPR, w_left=str(INDENT * (level + 1)), w_hanging=str(HANGING))
            lvl.append(ppr)
            if not ordered:
                rpr = make("w:rPr")
                font = self.marker_font
                rpr.append(make("w:rFonts", w_ascii=font, w_hAnsi=font, w_cs=font,
                                w_eastAsia=font, w_hint="default"))
                lvl.append(rpr)
            abstract.append(lvl)
        later = [self.root.find(qn(tag)) for tag in ("w:num", "w:numIdMacAtCleanup")]
        later = [element for element in later if element is not None]
        if later:
            later[0].addprevious(abstract)
        else:
            self.root.append(abstract)
        self._abstract[ordered] = new_id
        return new_id

    def new_list(self, ordered: bool, depth: int, start: int = 1) -> int:
        """A fresh numbering instance for one list; returns its numId."""
        num = self.root.add_num(self._abstract_id(ordered))
        for level in range(LEVELS):
            num.add_lvlOverride(ilvl=level).add_startOverride(start if level == depth else 1)
        return num.numId


def number(paragraph, num_id: int, depth: int) -> None:
    """Make a paragraph an item of list `num_id` at level `depth`."""
    numpr = put(paragraph._p.get_or_add_pPr(), "w:numPr", PPR)
    numpr.append(make("w:ilvl", w_val=str(depth)))
    numpr.append(make("w:numId", w_val=str(num_id)))


def continuation_indent(paragraph, depth: int) -> None:
    """A later paragraph of a list item, aligned with the item's text."""
    put(paragraph._p.get_or_add_pPr(), "w:ind", PPR, w_left=str(INDENT * (depth + 1)))

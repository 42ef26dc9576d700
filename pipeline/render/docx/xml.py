"""Small WordprocessingML helpers for what python-docx 1.2 has no API for.

Word refuses (or "repairs") a file whose property elements are out of schema order, so every
element we add goes through `put`, which inserts it at its place in the sequences below
(ECMA-376, transitional). python-docx only models some of these children.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

PPR = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
       "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
       "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
       "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
       "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
       "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
       "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
       "w:pPrChange")
RPR = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
       "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
       "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
       "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
       "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
       "w:specVanish", "w:oMath")
TBLPR = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
         "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
         "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
         "w:tblDescription", "w:tblPrChange")
TCPR = ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
        "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
SECTPR = ("w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type",
          "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType",
          "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
          "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
STYLE = ("w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
         "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked",
         "w:personal", "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr",
         "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")


def make(tag: str, **attrs: str):
    """A new element; attribute names use `_` for `:` (`w_val="x"` → `w:val="x"`)."""
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(name.replace("_", ":", 1)), str(value))
    return element


def put(parent, tag: str, order: tuple[str, ...], **attrs: str):
    """Replace (or add) the child `tag` of `parent` at its schema position."""
    old = parent.find(qn(tag))
    new = make(tag, **attrs)
    if old is not None:
        old.addprevious(new)
        parent.remove(old)
        return new
    insert(parent, new, order)
    return new


def get_or_add(parent, tag: str, order: tuple[str, ...]):
    """The existing child `tag` of `parent`, or a new empty one at its schema position."""
    old = parent.find(qn(tag))
    if old is not None:
        return old
    new = make(tag)
    insert(parent, new, order)
    return new


def insert(parent, child, order: tuple[str, ...]) -> None:
    """Insert `child` before the first sibling that comes after it in `order`."""
    tag = child.tag
    names = [qn(name) for name in order]
    later = set(names[names.index(tag) + 1:]) if tag in names else set()
    for sibling in parent:
        if sibling.tag in later:
            sibling.addprevious(child)
            return
    parent.append(child)


def drop(parent, *tags: str) -> None:
    """Remove every child of `parent` named in `tags`."""
    for tag in tags:
        for child in parent.findall(qn(tag)):
            parent.remove(child)


def twips(points: float) -> int:
    """Points → twentieths of a point (spacing, indentation)."""
    return round(points * 20)


def half_points(points: float) -> int:
    """Points → half-points (`w:sz`)."""
    return round(points * 2)

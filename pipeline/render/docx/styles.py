"""Where the DOCX's look comes from: our theme, or a clinic's reference `.docx`.

Word users edit by style, so the document uses Word's built-in styles (Title, Heading 1–6, List
Bullet, List Number, Caption, Quote, Table Grid, Hyperlink) and puts the theme's fonts, sizes
and colours *on those styles*, not on each run. A clinic can hand us its own reference `.docx`
(as with pandoc's `--reference-doc`): its styles are then used as they are, and we only check
that every style we apply exists, so a wrong file fails loudly instead of falling back to
Word's defaults. The document language and the font slots (Latin, East Asian, complex script)
go on the style defaults (`w:docDefaults`), which is where Word's proofing and font selection
read them; `core_properties.language` alone does not reach them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from babel.core import get_global
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from pipeline.errors import ConfigError
from pipeline.settings.locale import babel_locale, script
from pipeline.model import Loc
from pipeline.settings.theme import Theme
from pipeline.render.docx.xml import PPR, RPR, STYLE, TBLPR, drop, get_or_add, half_points, make, put, twips

MIN_PT = 11.0
"""No text in the DOCX is smaller (the article body is 11.5 pt in the theme)."""

P, C, T = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE
REQUIRED: tuple[tuple[str, WD_STYLE_TYPE], ...] = (
    ("Normal", P), ("Title", P), ("Subtitle", P),
    *((f"Heading {n}", P) for n in range(1, 7)),
    ("List Bullet", P), ("List Number", P), ("Caption", P), ("Quote", P), ("Table Grid", T),
)
"""Every style the renderer applies; a reference document must define each of them.
(`Hyperlink` is added when missing, as Word itself does the first time a link is inserted.)"""

_KINDS = {P: "paragraph", C: "character", T: "table"}


def open_template(root: Path, reference: str | Path | None):
    """A python-docx Document to write into: the default template, or the reference `.docx`
    with its body emptied (its styles, page set-up, headers and footers are kept)."""
    if reference is None:
        return docx.Document()
    path = Path(reference)
    path = path if path.is_absolute() else root / path
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = str(path)
    hint = ("point `reference_docx` at a .docx saved by Word or LibreOffice "
            "(File › Save As › Word Document)")
    if not path.is_file():
        raise ConfigError(f"the reference DOCX `{shown}` does not exist", Loc(shown), hint=hint)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError,
            etree.XMLSyntaxError) as exc:
        raise ConfigError(f"the reference DOCX `{shown}` is not a Word document (.docx): {exc}",
                          Loc(shown), hint=hint) from exc
    names = {style.name: style.type for style in document.styles}
    for name, kind in REQUIRED + (("Hyperlink", C),):
        if names.get(name) != kind and (name != "Hyperlink" or name in names):
            raise ConfigError(
                f"the reference DOCX `{shown}` has no {_KINDS[kind]} style `{name}`",
                Loc(shown), hint=f"open it in Word, apply the built-in `{name}` style once "
                                 "(Home › Styles), delete that text and save")
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def ensure_hyperlink_style(document, theme: Theme) -> str:
    """The styleId of the `Hyperlink` character style, created from the theme when absent."""
    for style in document.styles:
        if style.name == "Hyperlink" and style.type == C:
            return style.style_id
    style = document.styles.add_style("Hyperlink", C, builtin=True)
    element = style.element
    put(element, "w:uiPriority", STYLE, w_val="99")
    put(element, "w:unhideWhenUsed", STYLE)
    rpr = get_or_add(element, "w:rPr", STYLE)
    put(rpr, "w:color", RPR, w_val=theme.colors["link"].lstrip("#").upper())
    put(rpr, "w:u", RPR, w_val="single")
    return style.style_id


def word_lang(code: str) -> str:
    """A language tag Word's proofing tools know: language-REGION (`zh_Hans` → `zh-CN`),
    the region taken from CLDR's likely subtags when the locale names none."""
    loc = babel_locale(code)
    territory = loc.territory
    if not territory:
        likely = get_global("likely_subtags")
        key = f"{loc.language}_{loc.script}" if loc.script else loc.language
        full = likely.get(key) or likely.get(loc.language) or ""
        territory = next((part for part in full.split("_")[1:]
                          if part.isupper() or part.isdigit()), None)
    return f"{loc.language}-{territory}" if territory else loc.language


def _defaults(document):
    """`w:docDefaults` → (rPr, pPr), created when a reference document has none."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = make("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = get_or_add(defaults, "w:rPrDefault", ("w:rPrDefault", "w:pPrDefault"))
    ppr_default = get_or_add(defaults, "w:pPrDefault", ("w:rPrDefault", "w:pPrDefault"))
    return get_or_add(rpr_default, "w:rPr", ()), get_or_add(ppr_default, "w:pPr", ())


def apply_language(document, locale: str) -> str:
    """`w:lang` on the style defaults (every slot: Latin, East Asian, complex script) and the
    theme-font language in the settings. Returns the tag."""
    tag = word_lang(locale)
    rpr, _ = _defaults(document)
    put(rpr, "w:lang", RPR, w_val=tag, w_eastAsia=tag, w_bidi=tag)
    settings = document.settings.element
    found = settings.find(qn("w:themeFontLang"))
    if found is not None:
        for name in ("w:val", "w:eastAsia", "w:bidi"):
            found.set(qn(name), tag)
    return tag


def _fonts(rpr, theme: Theme, locale: str) -> None:
    """Explicit families in every slot (theme attributes removed: they would win)."""
    attrs = {"w_ascii": theme.fonts["latin"], "w_hAnsi": theme.fonts["latin"],
             "w_eastAsia": theme.fonts["cjk"], "w_cs": theme.fonts["arabic"]}
    if script(locale) == "cjk":
        attrs["w_hint"] = "eastAsia"
    put(rpr, "w:rFonts", RPR, **attrs)


def _text(rpr, size: float, colour: str, *, bold: bool | None = None,
          italic: bool | None = None) -> None:
    """Size (both Latin and complex-script slots), colour and weight on a style's rPr."""
    drop(rpr, "w:rFonts", "w:spacing", "w:kern")
    for tag, on in (("w:b", bold), ("w:bCs", bold), ("w:i", italic), ("w:iCs", italic)):
        if on is True:
            put(rpr, tag, RPR)
        elif on is False:
            drop(rpr, tag)
    put(rpr, "w:color", RPR, w_val=colour.lstrip("#").upper())
    value = str(half_points(max(size, MIN_PT)))
    put(rpr, "w:sz", RPR, w_val=value)
    put(rpr, "w:szCs", RPR, w_val=value)


def _spacing(ppr, before: float = 0, after: float = 0) -> None:
    put(ppr, "w:spacing", PPR, w_before=str(twips(before)), w_after=str(twips(after)))


def apply_theme(document, theme: Theme, locale: str) -> None:
    """Theme fonts, sizes and colours onto the style defaults and the built-in styles."""
    a, c = theme.article, theme.colors
    body, line = a["body"], round(240 * a["line_height"])
    rpr, ppr = _defaults(document)
    _text(rpr, body, c["text"])
    _fonts(rpr, theme, locale)
    # Paragraph spacing lives on the defaults, not on Normal, so that the table style's
    # single spacing still wins inside table cells.
    put(ppr, "w:spacing", PPR, w_after=str(twips(body * 0.7)), w_line=str(line),
        w_lineRule="auto")
    styles = {style.name: style.element for style in document.styles}

    def style(name: str):
        element = styles[name]
        return get_or_add(element, "w:pPr", STYLE), get_or_add(element, "w:rPr", STYLE)

    ppr, rpr = style("Title")
    drop(ppr, "w:pBdr")
    _spacing(ppr, 0, a["h1"] * 0.4)
    _text(rpr, a["h1"], c["heading"], bold=True)
    ppr, rpr = style("Subtitle")
    drop(ppr, "w:numPr")
    _spacing(ppr, 0, a["h4"] * 0.7)
    _text(rpr, a["h4"], c["text"], italic=False)
    for n in range(1, 7):
        size, before, after = {1: (a["h2"], 1.2, 0.4), 2: (a["h3"], 1.0, 0.3)}.get(
            n, (a["h4"], 1.0, 0.3))
        ppr, rpr = style(f"Heading {n}")
        _spacing(ppr, size * before, size * after)
        _text(rpr, size, c["heading"], bold=True, italic=False)
    ppr, rpr = style("Caption")
    _spacing(ppr, body * 0.5, body * 0.3)
    _text(rpr, body, c["text"], bold=True, italic=False)
    ppr, rpr = style("Quote")
    put(ppr, "w:pBdr", PPR).append(make("w:left", w_val="single", w_sz="24", w_space="8",
                                        w_color=c["rule"].lstrip("#").upper()))
    put(ppr, "w:ind", PPR, w_left=str(twips(body)), w_right="0")
    _text(rpr, body, c["text"], italic=True)
    for name in ("List Bullet", "List Number"):
        ppr, rpr = style(name)
        drop(ppr, "w:contextualSpacing")
        _spacing(ppr, body * 0.2, body * 0.2)
    for name in ("Header", "Footer"):
        if name in styles:
            _text(style(name)[1], a["small"], c["muted"])
    table = styles["Table Grid"]
    tblpr = get_or_add(table, "w:tblPr", STYLE)
    borders = put(tblpr, "w:tblBorders", TBLPR)
    for side in ("w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"):
        borders.append(make(side, w_val="single", w_sz="6", w_space="0",
                            w_color=c["rule"].lstrip("#").upper()))
    margins = put(tblpr, "w:tblCellMar", TBLPR)
    for side, width in (("w:top", 60), ("w:left", 100), ("w:bottom", 60), ("w:right", 100)):
        margins.append(make(side, w_w=str(width), w_type="dxa"))


def top_rule(ppr, theme: Theme, space_before: float) -> None:
    """A rule above a paragraph (the colophon's separator), with space before it."""
    put(ppr, "w:pBdr", PPR).append(make("w:top", w_val="single", w_sz="8", w_space="6",
                                        w_color=theme.colors["rule"].lstrip("#").upper()))
    put(ppr, "w:spacing", PPR, w_before=str(twips(space_before)))

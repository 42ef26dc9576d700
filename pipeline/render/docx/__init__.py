"""Localized Document → an accessible DOCX, built with python-docx from the model (not from HTML).

Clinics and editors open the file in Word or LibreOffice and change it, so its structure must be
Word's own: built-in styles, real numbering, header rows, alt text, hyperlinks, language on the
styles. The layout follows the HTML article: title, summary, body, then the contact block, the
disclaimer and the review stamp, with the title and "Page N of M" in the page footer.

    render_docx(doc, ctx, labels, reference=None) -> bytes

`reference` (or `ctx.config.reference_docx`, a project-relative path) names a `.docx` whose
styles are used instead of the theme. Nothing here reads the clock or writes files.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Mm

from pipeline.settings.locale import direction
from pipeline.model import Document
from pipeline.settings.labels import Field, Labels
from pipeline.render.context import RenderContext
from pipeline.render.html import stamp
from pipeline.render.docx.blocks import Writer
from pipeline.render.docx.inlines import Format
from pipeline.render.docx.package import finish
from pipeline.render.docx.styles import apply_language, apply_theme, ensure_hyperlink_style, open_template
from pipeline.render.docx.xml import PPR, SECTPR, make, put

__all__ = ["render_docx"]

PAGE_SIZES = {"letter": (Inches(8.5), Inches(11)), "a4": (Mm(210), Mm(297))}


def render_docx(doc: Document, ctx: RenderContext, labels: Labels,
                reference: Path | str | None = None) -> bytes:
    """The DOCX of the full article in `doc.locale`, as bytes (the same inputs, the same bytes).

    Raises ConfigError for a reference document that is missing, not a DOCX, or lacks a style,
    and SourceError for an image that cannot be read."""
    if reference is None:
        reference = getattr(ctx.config, "reference_docx", None)
    theme = ctx.theme
    document = open_template(ctx.config.root, reference)
    from_template = reference is None
    apply_language(document, doc.locale)
    if from_template:
        apply_theme(document, theme, doc.locale)
    rtl = direction(doc.locale) == "rtl"
    section = _page(document, ctx.page_size, theme.article["margin"] if from_template else None,
                    rtl)
    text_width = section.page_width - section.left_margin - section.right_margin
    writer = Writer(document, theme, labels, doc.locale, ctx.config.root, rtl,
                    ensure_hyperlink_style(document, theme), text_width)
    writer.text_paragraph("Title", doc.meta.title.value)
    writer.text_paragraph("Subtitle", doc.meta.summary.value)
    writer.blocks(doc.body)
    writer.colophon(doc.contact.blocks, doc.disclaimer.blocks, stamp(doc, labels))
    if section.footer.is_linked_to_previous:
        _footer(writer, section, doc.meta.title.value, text_width)
    if doc.draft:
        _draft_header(writer, section)
    families = [theme.fonts[slot] for slot in ("latin", "arabic", "cjk")] if from_template else []
    return finish(document, doc, ctx.config.organisation, from_template=from_template,
                  families=families)


def _page(document, page_size: str, margin_mm: float | None, rtl: bool):
    """Paper size from the build, margins from the theme (or the reference), direction."""
    section = document.sections[-1]
    section.page_width, section.page_height = PAGE_SIZES[page_size]
    if margin_mm is not None:
        section.left_margin = section.right_margin = section.top_margin = Mm(margin_mm)
        section.bottom_margin = Mm(margin_mm + 6)
        section.header_distance = section.footer_distance = Mm(margin_mm / 2)
    if rtl:
        put(section._sectPr, "w:bidi", SECTPR)
    return section


def _footer(writer: Writer, section, title: str, text_width: int) -> None:
    """Title at the start, "Page N of M" (PAGE and NUMPAGES fields) at the end."""
    section.footer.is_linked_to_previous = False
    para = section.footer.paragraphs[0]
    para.style = "Footer"
    ppr = para._p.get_or_add_pPr()
    if writer.rtl:
        put(ppr, "w:bidi", PPR)
    # One stop at the far end; the Footer style's own stops (centre, right at Letter widths)
    # are cleared, since paragraph stops add to the style's.
    end = int(text_width) // 635
    stops = {int(pos): "clear" for pos in para.style.element.xpath("./w:pPr/w:tabs/w:tab/@w:pos")}
    stops[end] = "end"
    tabs = put(ppr, "w:tabs", PPR)
    for pos in sorted(stops):
        tabs.append(make("w:tab", w_val=stops[pos], w_pos=str(pos)))
    writer.inline.text(para._p, title)
    run = make("w:r")
    run.append(make("w:tab"))
    para._p.append(run)
    label = writer.labels.parts("Page {page} of {pages}", page=Field("PAGE"),
                                pages=Field("NUMPAGES"))
    for piece in label:
        if isinstance(piece, Field):
            writer.inline.field(para._p, piece.name, "1")
        else:
            writer.inline.text(para._p, piece)


def _draft_header(writer: Writer, section) -> None:
    """The "DRAFT — translation incomplete" mark at the top of every page."""
    header = section.header
    header.is_linked_to_previous = False
    paragraphs = header.paragraphs
    para = paragraphs[0] if paragraphs and not paragraphs[0].text else header.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if writer.rtl:
        put(para._p.get_or_add_pPr(), "w:bidi", PPR)
    writer.inline.text(para._p, writer.labels("DRAFT — translation incomplete"),
                       Format(bold=True))


def render(doc: Document, ctx: RenderContext, labels: Labels, row=None) -> bytes:
    """The `docx` row's renderer: the DOCX with the site's reference document, if any."""
    return render_docx(doc, ctx, labels)

"""Localized Document → the accessible HTML page (also the input of the PDF renderer).

Semantic HTML5 only: one `h1`, headings in order, lists, tables with `th scope`, figures with
alt text, `lang` and `dir` on `<html>`, landmarks (`main`, `footer`). Text is escaped by
Jinja2's autoescape; nothing from a source or a translation (labels included) reaches the page
as markup.
"""

from __future__ import annotations

from pipeline.settings.locale import bcp47, direction, month_year, script
from pipeline.model import Document
from pipeline.settings.labels import Labels
from pipeline.render.context import RenderContext, project_path


def stamp(doc: Document, labels: Labels) -> str:
    """The review stamp: "Updated by <team> — <month year>" in the document's locale."""
    year, month = doc.meta.reviewed
    return labels("Updated by {team} — {date}", team=doc.meta.reviewed_by.value,
                  date=month_year(year, month, doc.locale))


def page_values(doc: Document, ctx: RenderContext, labels: Labels, *, embed_images: bool
                ) -> dict:
    """What every page template receives (and the labels and image URLs it resolves with).
    Nothing here changes the shared template environment: each page gets its own values."""
    year, month = doc.meta.reviewed
    return dict(
        asset_url=ctx.asset_data_url if embed_images else
        (lambda src: project_path(ctx.config.root, src)),
        _=labels,  # `_("Key points")` in a template: plain text, escaped like any other
        doc=doc,
        lang=bcp47(doc.locale),
        dir=direction(doc.locale),
        title=doc.meta.title.value,
        summary=doc.meta.summary.value,
        keywords=doc.meta.keywords,
        organisation=ctx.config.organisation,
        reviewed_iso=f"{year:04d}-{month:02d}-01",
        page_counter=ctx.page_counter(labels),
        stamp=stamp(doc, labels),
        draft=doc.draft,
    )


def render_page(doc: Document, ctx: RenderContext, labels: Labels, row=None) -> bytes:
    """The published HTML page (the `html` row's renderer)."""
    return render_article(doc, ctx, labels, for_print=False).encode("utf-8")


def render_article(doc: Document, ctx: RenderContext, labels: Labels, *, for_print: bool) -> str:
    """The article page. `for_print` points images at project files for the PDF renderer;
    otherwise they are embedded so the page can be published as one file."""
    values = page_values(doc, ctx, labels, embed_images=not for_print)
    return ctx.template("article.html.j2").render(
        **values, css=ctx.css("article", script(doc.locale)))

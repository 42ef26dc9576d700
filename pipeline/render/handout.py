"""Localized Document → the plain-language print handout page (standard or large print).

Built from the source's `handout` container only: title, its sections and key-points box, a QR
code to the full article with the address printed under it, then the contact block, disclaimer
and review stamp. Sizes come from the theme's `[handout]` or `[handout_large]` table.
"""

from __future__ import annotations

from pipeline import outputs
from pipeline.settings.locale import script
from pipeline.model import Document
from pipeline.settings.labels import Labels
from pipeline.render.context import RenderContext
from pipeline.render.html import page_values
from pipeline.render.qr import qr_svg

QR_SIZE_MM = {"handout": 30, "handout_large": 38}
"""Per theme edition: the QR code grows with the print."""


def render_handout(doc: Document, ctx: RenderContext, labels: Labels, output: str) -> str:
    """The handout page for `output` (`handout` or `handout-large`), ready for WeasyPrint."""
    edition = outputs.output(output).edition
    url = doc.meta.url.value
    return ctx.template("handout.html.j2").render(
        **page_values(doc, ctx, labels, embed_images=False),
        edition=edition,
        css=ctx.css("handout", script(doc.locale), edition=edition),
        url=url,
        qr=qr_svg(url, labels("QR code: link to the full article"), QR_SIZE_MM[edition]),
    )

"""Localized Document → the plain-language print handout page (standard or large print).

Built from the source's `handout` container only: title, its sections and key-points box, a QR
code to the full article with the address printed under it, then the contact block, disclaimer
and review stamp. Sizes come from the theme's `[handout]` or `[handout_large]` table.
"""

from __future__ import annotations

from ..locale import bcp47, direction, script
from ..model import Document
from ..ui import Labels
from .context import RenderContext, project_path
from .html import stamp
from .qr import qr_svg

EDITIONS = {"handout": "handout", "handout-large": "handout_large"}
QR_SIZE_MM = {"handout": 30, "handout_large": 38}


def render_handout(doc: Document, ctx: RenderContext, labels: Labels, output: str) -> str:
    """The handout page for `output` (`handout` or `handout-large`), ready for WeasyPrint."""
    edition = EDITIONS[output]
    env = ctx.env
    env.install_gettext_callables(lambda text, **kw: labels(text, **kw),
                                  lambda s, p, n, **kw: labels(s if n == 1 else p, **kw),
                                  newstyle=True)
    env.filters["asset_url"] = lambda src: project_path(ctx.config.root, src)
    year, month = doc.meta.reviewed
    url = doc.meta.url.value
    return ctx.template("handout.html.j2").render(
        doc=doc,
        edition=edition,
        lang=bcp47(doc.locale),
        dir=direction(doc.locale),
        title=doc.meta.title.value,
        summary=doc.meta.summary.value,
        keywords=doc.meta.keywords,
        organisation=ctx.config.organisation,
        reviewed_iso=f"{year:04d}-{month:02d}-01",
        css=ctx.css("handout", script(doc.locale), edition=edition),
        page_counter=ctx.page_counter(labels),
        stamp=stamp(doc, labels),
        url=url,
        qr=qr_svg(url, labels("QR code: link to the full article"), QR_SIZE_MM[edition]),
        draft=doc.draft,
    )

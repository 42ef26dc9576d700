"""HTML page → tagged PDF/UA-1 bytes, through WeasyPrint, then our tagging repairs.

WeasyPrint's font configuration and the fetcher are made once per worker and reused. Output is
deterministic: dates come from the source's review month (`dcterms.created`), never the clock,
and the repair step saves with a content-derived document ID.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from pipeline.errors import SourceError
from pipeline.model import Loc
from pipeline.render.context import RenderContext
from pipeline.render.pdf.fetcher import SITE, RefusedURL, make_fetcher


class _Collect(logging.Handler):
    """Keeps WeasyPrint's ERROR records (missing alt, missing lang) so they are not lost."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record):
        self.records.append(record.getMessage())


@dataclass
class PdfRenderer:
    """Renders many pages in one process, reusing WeasyPrint's set-up."""

    ctx: RenderContext
    _state: dict = field(default_factory=dict)

    def _setup(self):
        if not self._state:
            from weasyprint.text.fonts import FontConfiguration
            fetcher, refusal = make_fetcher(self.ctx.config.root)
            self._state.update(fonts=FontConfiguration(), fetcher=fetcher, refusal=refusal)
        return self._state

    def render(self, html: str, *, source: str, lang: str) -> bytes:
        """Render `html` (from `source`, for messages) to PDF/UA-1 bytes."""
        import weasyprint

        from pipeline.render.pdf.tagging import repair
        from pipeline.render.pdf.unicode import repair as repair_text_layer

        state = self._setup()
        collect = _Collect()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(collect)
        try:
            document = weasyprint.HTML(
                string=html, base_url=SITE,
                url_fetcher=state["fetcher"])
            data = document.write_pdf(pdf_variant="pdf/ua-1", font_config=state["fonts"],
                                      uncompressed_pdf=False)
        except state["refusal"] as exc:
            cause = exc.__cause__ if isinstance(exc.__cause__, RefusedURL) else exc
            raise SourceError(Loc(source), str(cause),
                              hint="images must be files inside source/") from exc
        finally:
            logger.removeHandler(collect)
        if collect.records:
            raise SourceError(Loc(source), "the PDF renderer reported: " + "; ".join(collect.records))
        return repair_text_layer(repair(data, lang=lang))


def render_article(doc, ctx: RenderContext, labels, row=None) -> bytes:
    """The article as a tagged PDF (the `pdf` row's renderer): its print page, through
    WeasyPrint."""
    from pipeline.render.html import render_article as article_page
    from pipeline.settings.locale import bcp47

    html = article_page(doc, ctx, labels, for_print=True)
    return ctx.pdf.render(html, source=doc.path, lang=bcp47(doc.locale))


def render_handout(doc, ctx: RenderContext, labels, row) -> bytes:
    """A handout edition as a tagged PDF (the handout rows' renderer)."""
    from pipeline.render.handout import render_handout as handout_page
    from pipeline.settings.locale import bcp47

    html = handout_page(doc, ctx, labels, row.kind)
    return ctx.pdf.render(html, source=doc.path, lang=bcp47(doc.locale))

"""Braille outputs: the article and the handout as BRF (ASCII braille, the file embossers and
braille displays take) and as Unicode braille text for previews on screen.

`transcribe` lays the localized model out as BANA places each block, `layout` breaks lines
and pages, `brf` writes the files; liblouis itself is bound in `pipeline.readback.louis`, and
the table of each locale comes from `pipeline.readback.braille.table_of`.
"""

from __future__ import annotations


def render_brf(doc, ctx, labels, row) -> bytes:
    """The BRF of the article or the handout (the row's part)."""
    from pipeline.render.braille import brf
    return brf.write_brf(pages_of(doc, ctx, labels, row))


def render_text(doc, ctx, labels, row) -> bytes:
    """The Unicode braille preview of the same pages."""
    from pipeline.render.braille import brf
    return brf.write_text(pages_of(doc, ctx, labels, row))


def pages_of(doc, ctx, labels, row) -> list[list[str]]:
    from pipeline.outputs import Part
    from pipeline.render.html import stamp
    return transcribe_pages(doc, ctx.config, labels,
                            "handout" if row.part is Part.HANDOUT else "article",
                            stamp(doc, labels))


def transcribe_pages(doc, config, labels, part: str, stamp: str) -> list[list[str]]:
    """Pages of lines of Unicode braille cells for the article or the handout."""
    from pipeline.readback.braille import table_of, uses_continuation
    from pipeline.render.braille.layout import layout, paginate
    from pipeline.render.braille.transcribe import Transcriber
    from pipeline.settings.locale import script

    settings = config.braille
    table = table_of(config, doc.locale)
    transcriber = Transcriber(table, labels, script(doc.locale))
    units = (transcriber.article(doc, stamp) if part == "article"
             else transcriber.handout(doc, stamp))
    for unit in units:
        layout(unit, settings.cells, continuation=uses_continuation(table))
    mark = transcriber.cells(labels("DRAFT — translation incomplete")) if doc.draft else ""
    return paginate(units, settings.cells, settings.lines, lambda n: transcriber.cells(str(n)),
                    settings.page_numbers, mark)

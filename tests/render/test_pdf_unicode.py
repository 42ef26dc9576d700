"""The text layer of Arabic PDFs: ToUnicode maps repaired from the fonts themselves.

WeasyPrint keeps one glyph → text map per font for the whole process, and the text of the
first cluster a glyph was drawn in wins: after "ئً" was shaped as one cluster, the tanween
glyph reads "ئً" and the medial yeh-hamza glyph reads nothing, in every later page of that
worker. These tests put such wrong entries into a real PDF's map and check that the repair
restores what the page shows.
"""

from __future__ import annotations

import dataclasses
import io
import re

import pikepdf
import pytest

from pipeline.settings import config, theme
from pipeline.read import reader
from pipeline.readback.text import pdf_text
from pipeline.translate.units import parse_inline
from pipeline.model import Paragraph
from pipeline.render.pdf import unicode as pdf_unicode
from pipeline.render.context import RenderContext
from pipeline.render.html import render_article
from pipeline.render.pdf import PdfRenderer
from pipeline.settings.labels import Labels

TEXT = "شيئًا جدًا ثم أسئلة كثيرة"
WORDS = ["شيئًا", "جدًا", "أسئلة"]


@pytest.fixture
def arabic_pdf(project, monkeypatch) -> bytes:
    """The PDF as `pdf_unicode.repair` receives it: WeasyPrint's, with the tagging repaired."""
    monkeypatch.setattr(pdf_unicode, "repair", lambda data: data)
    cfg = config.load(project.root)
    doc = reader.read_document(cfg, "sample")
    para = Paragraph(parse_inline(TEXT, "x.po"), TEXT, doc.body[0].loc)
    arabic = dataclasses.replace(doc, locale="ar", body=(para,))
    renderer = PdfRenderer(RenderContext(cfg, theme.load(cfg), "letter"))
    return renderer.render(render_article(arabic, renderer.ctx, Labels(), for_print=True),
                           source="source/sample.md", lang="ar")


def corrupt(data: bytes) -> bytes:
    """Give the Arabic font's tanween glyph the text "ئً" and its other glyphs' text to the
    wrong neighbours' entries, the way WeasyPrint's cluster mapping does."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            if "Arabic" not in str(font.BaseFont):
                continue
            cmap = font.ToUnicode.read_bytes()
            tanween = "ً".encode("utf-16-be").hex().encode()
            yeh = "ئ".encode("utf-16-be").hex().encode()
            both = "ئً".encode("utf-16-be").hex().encode()
            cmap = re.sub(rb"(<[0-9a-f]{4}> <)" + tanween + rb">", rb"\g<1>" + both + b">", cmap)
            cmap = re.sub(rb"(<[0-9a-f]{4}> <)" + yeh + rb">", rb"\g<1>>", cmap)
            font.ToUnicode = pdf.make_stream(cmap)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_rendered_arabic_reads_back_right(arabic_pdf):
    text = pdf_text(arabic_pdf)
    assert all(word in text for word in WORDS), text


REPAIR = pdf_unicode.repair


def maps(data: bytes) -> dict[str, dict[int, str]]:
    from pipeline.render.pdf.tagging import _to_unicode
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return {str(f.BaseFont): _to_unicode(f)[1] for f in pdf.pages[0].Resources.Font.values()}


def test_wrong_entries_are_repaired_from_the_font(arabic_pdf):
    broken = corrupt(arabic_pdf)
    assert not all(word in pdf_text(broken) for word in WORDS)
    fixed = REPAIR(broken)
    assert all(word in pdf_text(fixed) for word in WORDS), pdf_text(fixed)


def test_correct_maps_are_left_alone(arabic_pdf):
    """Only the right-to-left clusters are split (pdf_rtl_text); no entry is "repaired"."""
    from pipeline.render.pdf.rtl_text import split_clusters
    from pipeline.render.pdf.tagging import _to_unicode
    with pikepdf.open(io.BytesIO(arabic_pdf)) as pdf:
        assert split_clusters(pdf, _to_unicode, pdf_unicode._cmap)
        out = io.BytesIO()
        pdf.save(out)
    assert maps(REPAIR(arabic_pdf)) == maps(out.getvalue())


def test_a_pdf_without_right_to_left_text_is_returned_as_it_came(project):
    cfg = config.load(project.root)
    doc = reader.read_document(cfg, "sample")
    renderer = PdfRenderer(RenderContext(cfg, theme.load(cfg), "letter"))
    html = render_article(doc, renderer.ctx, Labels(), for_print=True)
    from pipeline.render.pdf import tagging as pdf_tagging
    import weasyprint
    raw = pdf_tagging.repair(weasyprint.HTML(string=html, base_url=project.root.as_uri() + "/")
                             .write_pdf(pdf_variant="pdf/ua-1"), lang="en")
    assert REPAIR(raw) == raw

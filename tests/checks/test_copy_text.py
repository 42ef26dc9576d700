"""Arabic text copied out with poppler (`pdftotext`, as Evince and Okular copy it) reads as the
source, and the text-fidelity gate reads every PDF with poppler as well as with pypdf."""

from __future__ import annotations

import dataclasses
import io
import subprocess

import pikepdf
import pytest
from conftest import require_tool
from PIL import Image, ImageChops

from pipeline.settings import config, theme
from pipeline.read import reader
from pipeline.readback import poppler as copy_text
from pipeline.gates import fidelity
from pipeline.gates.fidelity import evaluate as check
from pipeline.model import Field, Heading, Loc, Paragraph, Text
from pipeline.render.pdf import rtl_text as pdf_rtl_text
from pipeline.render.context import RenderContext
from pipeline.render.html import render_article
from pipeline.render.pdf import PdfRenderer
from pipeline.render.pdf.tagging import _to_unicode
from pipeline.settings.labels import Labels

TITLE = "انعدام النطاف غير الانسدادي"
PARAGRAPHS = [
    "لا توجد حيوانات منوية على الإطلاق في السائل المنوي.",  # lam-alef, lam + alef maksura
    "كثير منهم يُرزقون بطفل من صُلبهم.",  # damma over its own letter
    "الخصيتان تنتجان القليل جدًا، بدلًا من لا شيء.",  # tanween on a letter, on lam-alef
    "تحدّث مع الطبيب لأن الأدوية قد تُخلّ بالنظام.",  # shadda, lam-hamza ligature
]


@pytest.fixture
def renderer(project):
    cfg = config.load(project.root)
    return PdfRenderer(RenderContext(cfg, theme.load(cfg), "letter"))


def arabic(project):
    doc = reader.read_document(config.load(project.root), "sample")
    loc = lambda line: Loc("source/sample.md", line)  # noqa: E731
    body = (Heading(2, (Text("ما أسبابه؟"),), "", loc(20), "h"),
            *(Paragraph((Text(t),), t, loc(21 + i)) for i, t in enumerate(PARAGRAPHS)))
    meta = dataclasses.replace(doc.meta, title=Field(TITLE, loc(2)),
                               summary=Field("تشرح هذه الصفحة الحالة.", loc(3)))
    return dataclasses.replace(doc, body=body, meta=meta, locale="ar")


def render(renderer, doc) -> bytes:
    html = render_article(doc, renderer.ctx, Labels(), for_print=True)
    return renderer.render(html, source=doc.path, lang="ar")


def pdftotext(data: bytes) -> str:
    out = subprocess.run([require_tool("pdftotext"), "-q", "-", "-"], input=data, capture_output=True,
                         check=True).stdout.decode()
    return fidelity.BIDI_MARKS.sub("", out)


def without_split(monkeypatch):
    monkeypatch.setattr(pdf_rtl_text, "split_clusters", lambda *args: False)


def test_arabic_copies_out_of_the_pdf_as_written(project, renderer):
    """Every letter and mark in place; only spaces may move around punctuation (poppler's
    bidi treats the Arabic comma as part of a number), so spaces are not compared."""
    text = fidelity._norm(pdftotext(render(renderer, arabic(project))))
    for paragraph in [TITLE, *PARAGRAPHS]:
        assert fidelity._norm(paragraph) in text, (paragraph, text)


def test_without_the_split_poppler_garbles_what_pypdf_reads_right(project, renderer, monkeypatch):
    """What the split fixes: WeasyPrint's own text layer, as poppler reads it."""
    without_split(monkeypatch)
    data = render(renderer, arabic(project))
    text = " ".join(pdftotext(data).split())
    assert "لا توجد" not in text and "على" not in text and "صُلبهم" not in text
    assert "ال توجد" in text
    assert only(check(arabic(project), "pdf", data, stamp(arabic(project)))).passed is False


def only(results):
    assert len(results) == 1 and results[0].check == fidelity.CHECK
    return results[0]


def stamp(doc) -> str:
    from pipeline.render.html import stamp as make
    return make(doc, Labels())


def test_the_gate_reads_with_poppler_too(project, renderer, monkeypatch):
    doc = arabic(project)
    require_tool("pdftotext")  # without it the gate reads with pypdf alone
    good = only(check(doc, "pdf", render(renderer, doc), stamp(doc)))
    assert good.passed and good.metrics["readers"] == ["pypdf", "pdftotext"]
    without_split(monkeypatch)
    bad = only(check(doc, "pdf", render(renderer, doc), stamp(doc)))
    assert not bad.passed and bad.severity == "error"
    assert "copied out with poppler" in bad.message and "pypdf reads it right" in bad.message
    assert str(bad.location) == "source/sample.md:2"  # the title, "…غير الانسدادي" (lam-alef)


def test_the_page_looks_exactly_as_before(project, renderer, monkeypatch, tmp_path):
    doc = arabic(project)
    after = render(renderer, doc)
    without_split(monkeypatch)
    before = render(renderer, doc)
    assert before != after
    images, pdftoppm = [], require_tool("pdftoppm")
    for name, data in (("before", before), ("after", after)):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run([pdftoppm, "-r", "96", "-png", "-singlefile", tmp_path / f"{name}.pdf",
                        tmp_path / name], check=True)
        images.append(Image.open(tmp_path / f"{name}.png").convert("RGB"))
    assert ImageChops.difference(*images).getbbox() is None


def test_every_right_to_left_glyph_stands_for_one_character_at_most(project, renderer):
    carried = set()
    with pikepdf.open(io.BytesIO(render(renderer, arabic(project)))) as pdf:
        fonts = [f for f in pdf.pages[0].Resources.Font.values() if "Arabic" in str(f.BaseFont)]
        assert fonts
        for font in fonts:
            table = _to_unicode(font)[1]
            assert all(len(text) <= 1 for text in table.values() if pdf_rtl_text.RTL.search(text))
            widths = pdf_rtl_text.widths(font.DescendantFonts[0])
            carried |= {text for code, text in table.items() if widths.get(code) == 0 and text}
    assert carried >= {"ل", "ُ", "ً", "ّ"}


def test_a_missing_pdftotext_is_an_error_that_says_how_to_install_it(project, renderer,
                                                                     monkeypatch):
    doc = arabic(project)
    data = render(renderer, doc)
    copy_text.pages.cache_clear()
    monkeypatch.setattr(copy_text.shutil, "which", lambda name: None)
    result = only(check(doc, "pdf", data, stamp(doc)))
    assert not result.passed and "poppler-utils" in result.message + result.hint
    copy_text.pages.cache_clear()


# ----------------------------------------------------------------------------- comparison


def test_a_unit_split_by_a_page_break_and_its_footer_still_reads():
    pages = ["Intro.Thefirsthalfof", "Title of the page 1 of 2", "thesentence.More."]
    flat = [pages[0] + pages[1], pages[2]]
    needle = "Thefirsthalfofthesentence."
    assert copy_text._occurs(needle, flat, list(range(1, len(needle))))
    assert not copy_text._occurs("Thefirsthalfofanother.", flat, list(range(1, 22)))


def test_poppler_dehyphenation_is_not_a_defect(monkeypatch):
    monkeypatch.setattr(copy_text, "pages", lambda data: ("In the nonobstructive type\n",))
    unit = fidelity.Unit("In the non-obstructive type", None, "paragraph")
    assert copy_text.missing([unit], b"", lambda u: False, fidelity._norm, fidelity.words) is None


def test_right_to_left_units_are_compared_word_by_word_with_their_marks(monkeypatch):
    """Poppler's bidi puts neutrals beside Latin words on the wrong side ("()IVF"): allowed;
    a mark on the wrong letter or a reversed lam-alef is not."""
    unit = fidelity.Unit("أطفال الأنابيب (IVF) من صُلبهم", None, "paragraph")
    cases = {"أطفال الأنابيب ()IVF من صُلبهم": True, "أطفال األنابيب (IVF) من صُلبهم": False,
             "أطفال الأنابيب (IVF) من ُصلبهم": False}
    for text, reads in cases.items():
        monkeypatch.setattr(copy_text, "pages", lambda data, text=text: (text,))
        found = copy_text.missing([unit], b"", lambda u: True, fidelity._norm, fidelity.words)
        assert (found is None) == reads, text
        assert found is None or found == (unit, False)


def test_right_to_left_words_in_another_order_are_told_from_wrong_words(monkeypatch):
    unit = fidelity.Unit("Émphásís méáñs á lót", None, "paragraph")
    monkeypatch.setattr(copy_text, "pages", lambda data: ("méáñs á lót Émphásís",))
    found = copy_text.missing([unit], b"", lambda u: True, fidelity._norm, fidelity.words)
    assert found == (unit, True)

"""Text fidelity gate: real renders pass; a lost, reordered or changed block is named by its
source line; missing glyphs and damaged files are findings, not crashes; Arabic PDFs are
compared in logical order (letters and words per structure block)."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from pipeline.settings import config, theme
from pipeline.read import reader
from pipeline.gates import fidelity
from pipeline.gates.fidelity import CHECK, Unit, compare
from pipeline.model import (BulletList, Field, Heading, ListItem, Loc, Paragraph, Text)
from pipeline.render.context import RenderContext
from pipeline.render.docx import render_docx
from pipeline.render.handout import render_handout
from pipeline.render.html import render_article
from pipeline.render.pdf import PdfRenderer
from pipeline.settings.labels import Labels


def check(doc, output, data, labels=None):
    """The gate on one artifact, with the stamp the renderer printed for `labels`."""
    from pipeline.render.html import stamp
    return fidelity.evaluate(doc, output, data, stamp(doc, labels or Labels()))

AR_TITLE = "فقد النطاف غير الانسدادي"
AR_PARAGRAPHS = [
    "العقم عند الرجال شائع. يحدث في حوالي 10 بالمئة من الحالات.",
    "يمكن استخدام IVF و ICSI معًا لعلاج الحالة.",
    "لا لا الله السلام عليكم ورحمة الله وبركاته",
    "النسبة 50% من الرجال، أي 1 من كل 2.",
]


@pytest.fixture
def setup(project):
    cfg = config.load(project.root)
    ctx = RenderContext(cfg, theme.load(cfg), "letter")
    return cfg, ctx, PdfRenderer(ctx)


def render(setup, doc, output: str) -> bytes:
    cfg, ctx, pdf = setup
    if output == "html":
        return render_article(doc, ctx, Labels(), for_print=False).encode("utf-8")
    if output == "docx":
        return render_docx(doc, ctx, Labels())
    html = (render_article(doc, ctx, Labels(), for_print=True) if output == "pdf"
            else render_handout(doc, ctx, Labels(), output))
    return pdf.render(html, source=doc.path, lang=doc.locale.replace("_", "-"))


def sample(setup):
    return reader.read_document(setup[0], "sample")


def only(results):
    assert len(results) == 1 and results[0].check == CHECK and results[0].severity == "error"
    return results[0]


def without(doc, kind=Paragraph, index: int = 0):
    """The document with its `index`-th top-level block of `kind` left out, and that block."""
    found = [b for b in doc.body if isinstance(b, kind)][index]
    return dataclasses.replace(doc, body=tuple(b for b in doc.body if b is not found)), found


@pytest.mark.parametrize("output", ["html", "pdf", "handout", "handout-large", "docx"])
def test_real_renders_pass(setup, output):
    doc = sample(setup)
    result = only(check(doc, output, render(setup, doc, output), Labels()))
    assert result.passed, result.message
    assert result.metrics["matched"] == result.metrics["units"] > 5
    assert result.metrics["mode"] == "exact, in order"


def test_units_walk_the_model_as_the_template_lays_it_out(setup):
    doc = sample(setup)
    kinds = [u.kind for u in fidelity.units(doc, "pdf", "STAMP")]
    assert kinds[:3] == ["title", "summary", "paragraph"]
    assert {"heading", "list item", "table cell", "alt text"} <= set(kinds)
    assert kinds[-1] == "review stamp"
    handout = fidelity.units(doc, "handout", "STAMP")
    assert [u.text for u in handout][1] == "What to know"  # no summary, the handout's blocks
    cells = [u.text for u in fidelity.units(doc, "html", "S") if u.kind == "table cell"]
    assert cells == ["Name", "Value", "alpha", "1", "beta", "2"]


@pytest.mark.parametrize("output", ["html", "pdf", "docx"])
def test_an_artifact_missing_a_paragraph_fails_with_its_line(setup, output):
    doc = sample(setup)
    short, dropped = without(doc)
    result = only(check(doc, output, render(setup, short, output), Labels()))
    assert not result.passed
    assert "is missing from" in result.message and "Intro paragraph" in result.message
    assert str(result.location) == str(dropped.loc) == "source/sample.md:9"


def test_blocks_out_of_order_are_reported(setup):
    doc = sample(setup)
    body = list(doc.body)
    first, second = [i for i, b in enumerate(body) if isinstance(b, (Paragraph, Heading))][:2]
    body[first], body[second] = body[second], body[first]
    result = only(check(doc, "pdf", render(setup, dataclasses.replace(doc, body=tuple(body)),
                                            "pdf"), Labels()))
    assert not result.passed and "out of reading order" in result.message


def test_a_changed_word_fails(setup):
    doc = sample(setup)
    body = tuple(dataclasses.replace(b, inlines=(Text("Intro paragraph, but different."),))
                 if isinstance(b, Paragraph) and b.source.startswith("Intro") else b
                 for b in doc.body)
    result = only(check(doc, "html", render(setup, dataclasses.replace(doc, body=body), "html")))
    assert not result.passed and str(result.location) == "source/sample.md:9"


def test_lost_alt_text_in_a_pdf_fails(setup):
    import io

    import pikepdf

    doc = sample(setup)
    data = render(setup, doc, "pdf")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        def walk(node):
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure" and "/Alt" in node:
                    node.Alt = pikepdf.String("something else")
                walk(node.get("/K"))
            elif isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)
        walk(pdf.Root.StructTreeRoot.K)
        out = io.BytesIO()
        pdf.save(out)
    result = only(check(doc, "pdf", out.getvalue()))
    assert not result.passed and "alt text" in result.message
    assert "A blue square" in result.message


def test_missing_glyph_in_a_pdf_is_named_with_its_line(setup):
    doc = sample(setup)
    body = (Paragraph((Text("Before \u0378 after"),), "x", Loc("source/sample.md", 42)),)
    odd = dataclasses.replace(doc, body=body)
    result = only(check(odd, "pdf", render(setup, odd, "pdf")))
    assert not result.passed and result.message.startswith("missing glyphs in the pdf")
    assert "U+0378" in result.message and str(result.location) == "source/sample.md:42"


def test_replacement_character_in_a_readback_fails(setup):
    doc = sample(setup)
    data = render(setup, doc, "html").replace(b"Intro paragraph", b"Intro parag\xef\xbf\xbdraph")
    result = only(check(doc, "html", data))
    assert not result.passed and "U+FFFD" in result.message


@pytest.mark.parametrize("output", ["pdf", "docx"])
def test_a_damaged_file_is_a_finding_not_a_crash(setup, output):
    doc = sample(setup)
    data = render(setup, doc, output)
    result = only(check(doc, output, data[: len(data) // 2]))
    assert not result.passed and "cannot be read" in result.message


# ----------------------------------------------------------------------------- Arabic


def arabic(doc):
    """The sample document with Arabic text: heading, paragraphs with digits, Latin words and
    lam-alef ligatures, a list; rendered right to left (`locale="ar"` gives `dir="rtl"`)."""
    loc = lambda line: Loc("source/sample.md", line)  # noqa: E731
    body = (Heading(2, (Text("ما هو فقد النطاف؟"),), "", loc(20), "h"),
            *(Paragraph((Text(t),), t, loc(21 + i)) for i, t in enumerate(AR_PARAGRAPHS)),
            BulletList((ListItem((Paragraph((Text("البند الأول مع كلمة English هنا"),), "",
                                            loc(30)),), loc(30)),), loc(30)))
    meta = dataclasses.replace(doc.meta, title=Field(AR_TITLE, loc(2)),
                               summary=Field("هذه الصفحة تشرح الحالة.", loc(3)))
    return dataclasses.replace(doc, body=body, meta=meta, locale="ar")


def test_arabic_pdf_passes_in_logical_order(setup):
    doc = arabic(sample(setup))
    result = only(check(doc, "pdf", render(setup, doc, "pdf")))
    assert result.passed, result.message
    assert result.metrics["mode"].startswith("letters, words per block")
    # The HTML holds logical order and is compared exactly.
    html = only(check(doc, "html", render(setup, doc, "html")))
    assert html.passed and html.metrics["mode"] == "exact, in order"


def test_arabic_pdf_readback_keeps_letters_and_words(setup):
    """What the RTL comparison relies on. pypdf (7.x) returns the runs of an Arabic line in
    visual order (here “بالمئة من الحالات.10 العقم …”), so the exact comparison used for other
    scripts would fail on a correct file; the letters and each word's letters do survive."""
    from pipeline.readback.pdf_blocks import blocks

    doc = arabic(sample(setup))
    texts = [b.text for b in blocks(render(setup, doc, "pdf"))]
    first = next(t for t in texts if "العقم" in t)
    assert fidelity.letters(first) == fidelity.letters(AR_PARAGRAPHS[0])
    assert all(w in "".join(fidelity.words(first, marks=False))
               for w in fidelity.words(AR_PARAGRAPHS[0], marks=False))


def test_arabic_pdf_missing_a_paragraph_fails(setup):
    doc = arabic(sample(setup))
    short = dataclasses.replace(doc, body=doc.body[:2] + doc.body[3:])
    result = only(check(doc, "pdf", render(setup, short, "pdf")))
    assert not result.passed and str(result.location) == "source/sample.md:22"
    assert "is missing from" in result.message


def test_arabic_pdf_with_paragraphs_swapped_fails(setup):
    doc = arabic(sample(setup))
    swapped = dataclasses.replace(doc, body=(doc.body[0], doc.body[2], doc.body[1],
                                             *doc.body[3:]))
    result = only(check(doc, "pdf", render(setup, swapped, "pdf")))
    assert not result.passed and "out of reading order" in result.message


def test_arabic_pdf_with_a_changed_word_names_it(setup):
    doc = arabic(sample(setup))
    changed = AR_PARAGRAPHS[0].replace("شائع", "نادر")
    other = dataclasses.replace(doc, body=(doc.body[0], Paragraph((Text(changed),), changed,
                                                                  doc.body[1].loc),
                                           *doc.body[2:]))
    result = only(check(doc, "pdf", render(setup, other, "pdf")))
    assert not result.passed and "reads “نادر” for “شائع”" in result.message


# ----------------------------------------------------------------------------- matching


def test_compare_is_greedy_in_order_and_allows_labels_between():
    units = [Unit("Key facts", None, "heading"), Unit("One.", None, "paragraph")]
    assert compare(units, ["Key facts", "Key points", "One."])[1] is None
    assert compare(units, ["One.", "Key facts"])[2] == "is out of reading order in"
    assert compare(units, ["Key facts"])[2] == "is missing from"


def test_rtl_unit_split_over_a_page_break_still_matches():
    text = "العقم عند الرجال شائع جدا"
    blocks = ["العقم عند الرجال", "شائع جدا", "فقرة أخرى"]
    matched, unit, _ = compare([Unit(text, None, "paragraph")], blocks, pdf=True, rtl=True)
    assert unit is None and matched == 1


def test_rtl_words_with_letters_out_of_order_fail():
    text = "العقم شائع"
    reversed_word = "العقم " + "شائع"[::-1]
    assert fidelity.letters(text) == fidelity.letters(reversed_word)
    _, unit, problem = compare([Unit(text, None, "paragraph")], [reversed_word], pdf=True,
                               rtl=True)
    assert unit is not None and "out of letter order" in problem


def test_tokens_of_letters_ignore_spaces_and_bidi_marks():
    assert fidelity.letters("a\u200fb c") == Counter("abc")
    assert fidelity.words("جدًا IVF", marks=False) == ["جدا", "IVF"]

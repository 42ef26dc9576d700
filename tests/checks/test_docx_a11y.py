"""DOCX accessibility gate: our output passes; each injected defect is caught and named."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from pipeline.settings import config, theme
from pipeline.read import reader
from pipeline.gates.docx_a11y import CHECK
from pipeline.gates.docx_a11y import evaluate as check
from pipeline.render.context import RenderContext
from pipeline.render.docx import render_docx
from pipeline.settings.labels import Labels

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "dc": "http://purl.org/dc/elements/1.1/"}
REPO = Path(__file__).resolve().parents[2]


def render(root: Path, doc_id: str = "sample", locale: str | None = None, reference=None):
    cfg = config.load(root)
    doc = reader.read_document(cfg, doc_id)
    if locale:
        doc = dataclasses.replace(doc, locale=locale)
    return render_docx(doc, RenderContext(cfg, theme.load(cfg), "letter"), Labels(),
                       reference=reference)


def mutate(data: bytes, change, name: str = "word/document.xml") -> bytes:
    """The package with one part's XML changed by `change(root)`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            blob = source.read(item.filename)
            if item.filename == name:
                root = etree.fromstring(blob)
                change(root)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            target.writestr(item, blob)
    return out.getvalue()


def failures(data: bytes, locale: str = "en") -> list[str]:
    results = check(data, document="sample", locale=locale)
    assert all(r.check == CHECK and r.severity == "error" for r in results)
    failed = [r for r in results if not r.passed]
    assert failed or (len(results) == 1 and results[0].passed)
    return [r.message for r in failed]


def w(tag: str, **attrs) -> etree._Element:
    element = etree.Element(f"{{{W}}}{tag}")
    for key, value in attrs.items():
        element.set(f"{{{W}}}{key}", value)
    return element


def paragraph(text: str) -> etree._Element:
    p, r, t = w("p"), w("r"), w("t")
    t.text = text
    r.append(t)
    p.append(r)
    return p


@pytest.mark.parametrize("locale", ["en", "ar", "zh_Hans", "es"])
def test_rendered_sample_passes(project, locale):
    assert failures(render(project.root, locale=locale), locale) == []


def test_seed_article_passes():
    data = render(REPO, "non-obstructive-azoospermia")
    results = check(data, document="non-obstructive-azoospermia", locale="en")
    assert [r.passed for r in results] == [True], [r.message for r in results]


def test_missing_alt_text(project):
    def strip(root):
        for doc_pr in root.iterfind(".//wp:docPr", NS):
            del doc_pr.attrib["descr"]
    found = failures(mutate(render(project.root), strip))
    assert len(found) == 1 and "has no alt text" in found[0]


def test_missing_table_header_row(project):
    def strip(root):
        for header in root.iterfind(".//w:tblHeader", NS):
            header.getparent().remove(header)
    found = failures(mutate(render(project.root), strip))
    assert len(found) == 1 and "has no header row" in found[0] and "Name" in found[0]


def test_empty_paragraph_used_as_spacing(project):
    def add(root):
        intro = root.find(".//w:body/w:p[3]", NS)
        intro.addnext(w("p"))
    found = failures(mutate(render(project.root), add))
    assert len(found) == 1 and "empty paragraph" in found[0] and "Intro paragraph" in found[0]


def test_text_under_the_minimum_size(project):
    def shrink(root):
        run = root.find(".//w:body/w:p[3]/w:r", NS)
        rpr = w("rPr")
        rpr.append(w("sz", val="16"))
        run.insert(0, rpr)
    found = failures(mutate(render(project.root), shrink))
    assert len(found) == 1 and "8 pt (direct formatting)" in found[0]


def test_style_defaults_under_the_minimum_size(project):
    def shrink(root):
        root.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", NS).set(f"{{{W}}}val", "18")
    found = failures(mutate(render(project.root), shrink, "word/styles.xml"))
    assert found and all("9 pt (the document defaults)" in message for message in found)


def test_typed_bullet_and_unnumbered_list_paragraph(project):
    def damage(root):
        body = root.find("w:body", NS)
        body.insert(3, paragraph("• typed bullet"))
        item = next(p for p in body.iter(f"{{{W}}}p") if "".join(p.itertext()) == "step one")
        item.find("w:pPr/w:numPr/w:numId", NS).set(f"{{{W}}}val", "999")
    found = failures(mutate(render(project.root), damage))
    assert len(found) == 2
    assert "typed list marker" in found[1] or "typed list marker" in found[0]
    assert any("“step one” has no list numbering" in message for message in found)


def test_skipped_heading_level(project):
    def skip(root):
        for style in root.iterfind(".//w:pStyle", NS):
            if style.get(f"{{{W}}}val") == "Heading1":
                style.set(f"{{{W}}}val", "Heading2")
    found = failures(mutate(render(project.root), skip))
    assert found == ["Heading 2 “First section” follows the title: a level is skipped"]


def test_missing_title_and_language(project):
    def no_title(root):
        root.find("dc:title", NS).text = ""

    def no_lang(root):
        lang = root.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
        lang.getparent().remove(lang)
    data = mutate(mutate(render(project.root), no_title, "docProps/core.xml"), no_lang,
                  "word/styles.xml")
    found = failures(data)
    assert len(found) == 2
    assert "no title" in found[0] and "no document language" in found[1]


def test_language_of_another_locale(project):
    found = failures(render(project.root), locale="es")
    assert found == ["the document language is `en-US`, the locale is `es`"]


def test_low_contrast_text(project):
    def fade(root):
        run = root.find(".//w:body/w:p[3]/w:r", NS)
        rpr = w("rPr")
        rpr.append(w("color", val="AAAAAA"))
        run.insert(0, rpr)
    found = failures(mutate(render(project.root), fade))
    assert len(found) == 1 and "#AAAAAA" in found[0] and "contrast 2.32:1" in found[0]


def test_unreadable_file():
    results = check(b"not a zip file", document="x", locale="en")
    assert len(results) == 1 and not results[0].passed and "cannot be read" in results[0].message


def test_reference_with_word_2010_defaults_is_caught(project):
    """python-docx's own template (Word 2010 styles): 9 pt captions, pale accent headings."""
    docx.Document().save(str(project.root / "styles/plain.docx"))
    found = failures(render(project.root, reference="styles/plain.docx"))
    assert any("9 pt (style `caption`)" in message for message in found)
    assert any("#4F81BD" in message and "contrast" in message for message in found)

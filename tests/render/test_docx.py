"""DOCX renderer: every structural feature, shown by reading the saved file back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from pipeline.settings import config, theme
from pipeline.read import reader
from pipeline.gates import required_text
from pipeline.readback.docx import docx_text
from pipeline.errors import ConfigError, SourceError
from pipeline.model import Field
from pipeline.render.context import RenderContext
from pipeline.render.docx import render_docx
from pipeline.render.html import stamp
from pipeline.settings.labels import Labels

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}
REPO = Path(__file__).resolve().parents[2]


def load(project, locale: str | None = None, **meta):
    cfg = config.load(project.root)
    doc = reader.read_document(cfg, "sample")
    if locale:
        doc = dataclasses.replace(doc, locale=locale)
    if meta:
        doc = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, **meta))
    return cfg, doc


def render(project, locale: str | None = None, reference=None, page_size="letter", **meta):
    cfg, doc = load(project, locale, **meta)
    return render_docx(doc, RenderContext(cfg, theme.load(cfg), page_size), Labels(),
                       reference=reference)


def part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def styled(data: bytes) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph, tables included, in order."""
    document = docx.Document(io.BytesIO(data))
    return [(p.style.name, p.text) for p in document.paragraphs]


def test_title_summary_and_headings_in_order(project):
    data = render(project)
    paragraphs = styled(data)
    assert paragraphs[0] == ("Title", "Sample Topic")
    assert paragraphs[1] == ("Subtitle", "A page used by the tests.")
    headings = [(s, t) for s, t in paragraphs if s.startswith("Heading")]
    assert headings == [("Heading 1", "First section"), ("Heading 2", "A subsection")]
    assert {s for s, _ in paragraphs} <= {"Title", "Subtitle", "Normal", "Heading 1",
                                          "Heading 2", "List Bullet", "List Number", "Caption",
                                          "Quote"}
    assert ("Quote", "A quoted line.") in paragraphs


def test_no_empty_paragraphs_and_colophon_last(project):
    data = render(project)
    paragraphs = styled(data)
    body = part(data, "word/document.xml").find(f"{{{W}}}body")
    empties = [p for p in body.findall(f"{{{W}}}p")
               if not "".join(p.itertext()).strip() and p.find(".//w:drawing", NS) is None]
    assert empties == []
    texts = [t for _, t in paragraphs]
    assert texts[-3:] == ["Questions? Call your care team.",
                          "This sheet is for learning only. It is not medical advice. Ask your "
                          "own doctor.", "Updated by Test Review Team — August 2025"]
    assert texts[-1] not in texts[:-1]
    contact = body.xpath("w:p[.//w:t[contains(., 'Questions?')]]", namespaces=NS)[0]
    assert contact.find("w:pPr/w:pBdr/w:top", NS) is not None  # the rule above the colophon


def test_lists_use_real_numbering_that_restarts(project):
    text = project.read("source/sample.md").replace(
        "### A subsection", "Between the lists.\n\n3. step three\n4. step four\n\n### A subsection")
    project.write("source/sample.md", text)
    data = render(project)
    body = part(data, "word/document.xml")
    numbering = part(data, "word/numbering.xml")
    items = {}
    for p in body.iter(f"{{{W}}}p"):
        text = "".join(p.itertext())
        num = p.find("w:pPr/w:numPr/w:numId", NS)
        if text.startswith(("bullet", "step")):
            assert num is not None, text
            assert p.find("w:pPr/w:numPr/w:ilvl", NS).get(f"{{{W}}}val") == "0"
            items[text] = num.get(f"{{{W}}}val")
        assert not text.startswith(("•", "1.", "- ")), text
    assert items["bullet one"] == items["bullet two"]
    assert items["step one"] == items["step two"]
    assert items["step three"] == items["step four"]
    assert len({items["bullet one"], items["step one"], items["step three"]}) == 3

    def definition(num_id: str):
        num = numbering.xpath(f"w:num[@w:numId='{num_id}']", namespaces=NS)[0]
        abstract_id = num.find("w:abstractNumId", NS).get(f"{{{W}}}val")
        abstract = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract_id}']",
                                   namespaces=NS)[0]
        fmt = abstract.find("w:lvl[@w:ilvl='0']/w:numFmt", NS).get(f"{{{W}}}val")
        start = num.find("w:lvlOverride[@w:ilvl='0']/w:startOverride", NS).get(f"{{{W}}}val")
        return fmt, start

    assert definition(items["bullet one"]) == ("bullet", "1")
    assert definition(items["step one"]) == ("decimal", "1")
    assert definition(items["step three"]) == ("decimal", "3")
    styles = {text: style for style, text in styled(data)}
    assert styles["bullet one"] == "List Bullet" and styles["step one"] == "List Number"


def test_table_header_row_caption_and_description(project):
    data = render(project)
    body = part(data, "word/document.xml").find(f"{{{W}}}body")
    tables = body.findall("w:tbl", NS)
    assert len(tables) == 1
    table = tables[0]
    rows = table.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(row.find("w:trPr/w:tblHeader", NS) is None for row in rows[1:])
    cells = [["".join(tc.itertext()) for tc in row.findall("w:tc", NS)] for row in rows]
    assert cells == [["Name", "Value"], ["alpha", "1"], ["beta", "2"]]
    assert all(r.find("w:rPr/w:b", NS) is not None for r in rows[0].iter(f"{{{W}}}r"))
    value_cell = rows[1].findall("w:tc", NS)[1]
    assert value_cell.find("w:p/w:pPr/w:jc", NS).get(f"{{{W}}}val") == "end"
    tblpr = table.find("w:tblPr", NS)
    assert tblpr.find("w:tblCaption", NS).get(f"{{{W}}}val") == "Table 1: A subsection"
    assert tblpr.find("w:tblDescription", NS).get(f"{{{W}}}val") == "Name and Value"
    assert tblpr.find("w:tblStyle", NS).get(f"{{{W}}}val") == "TableGrid"
    caption = table.getprevious()
    assert caption.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "Caption"
    assert "".join(caption.itertext()) == "Table 1: A subsection"
    assert "SEQ Table" in caption.find("w:fldSimple", NS).get(f"{{{W}}}instr")


def test_picture_has_alt_text(project):
    data = render(project)
    doc_prs = part(data, "word/document.xml").findall(".//wp:docPr", NS)
    assert len(doc_prs) == 1
    assert doc_prs[0].get("descr") == "A blue square used as a test picture"
    assert doc_prs[0].get("title") == "A blue square used as a test picture"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "word/media/image1.png" in package.namelist()


def test_picture_caption_and_unreadable_picture(project):
    project.write("source/sample.md", project.read("source/sample.md").replace(
        "(images/square.png)", '(images/square.png "Figure 1: a square")'))
    data = render(project)
    doc_pr = part(data, "word/document.xml").find(".//wp:docPr", NS)
    assert doc_pr.get("title") == "Figure 1: a square"
    paragraphs = styled(data)
    picture = next(i for i, (_, text) in enumerate(paragraphs) if text == "")
    assert paragraphs[picture + 1] == ("Caption", "Figure 1: a square")
    cfg, doc = load(project)
    project.write("source/images/square.png", b"not an image")  # changed after reading
    with pytest.raises(SourceError) as error:
        render_docx(doc, RenderContext(cfg, theme.load(cfg), "letter"), Labels())
    message = str(error.value)
    assert "source/sample.md:" in message and "cannot read the image" in message


def test_hyperlink_is_a_real_link_with_its_text(project):
    data = render(project)
    links = part(data, "word/document.xml").findall(".//w:hyperlink", NS)
    assert len(links) == 1
    rid = links[0].get(f"{{{R}}}id")
    assert "".join(links[0].itertext()) == "web link"
    rels = part(data, "word/_rels/document.xml.rels")
    rel = [r for r in rels if r.get("Id") == rid][0]
    assert rel.get("Target") == "https://example.org/more"
    assert rel.get("TargetMode") == "External"
    run_style = links[0].find("w:r/w:rPr/w:rStyle", NS).get(f"{{{W}}}val")
    style = part(data, "word/styles.xml").xpath(f"w:style[@w:styleId='{run_style}']",
                                                namespaces=NS)[0]
    assert style.get(f"{{{W}}}type") == "character"
    assert style.find("w:name", NS).get(f"{{{W}}}val") == "Hyperlink"
    assert style.find("w:rPr/w:color", NS).get(f"{{{W}}}val") == "0B4A80"


def test_emphasis_is_character_formatting(project):
    document = docx.Document(io.BytesIO(render(project)))
    intro = next(p for p in document.paragraphs if p.text.startswith("Intro"))
    runs = {run.text: run for run in intro.runs}
    assert runs["emphasis"].italic is True and not runs["emphasis"].bold
    assert runs["strong"].bold is True and not runs["strong"].italic
    assert "*" not in intro.text


def test_core_properties_from_the_model(project):
    project.write("source/sample.md", project.read("source/sample.md").replace(
        "url: https://example.org/sample", "url: https://example.org/sample\n"
                                           "keywords: [alpha, beta]"))
    data = render(project)
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.title == "Sample Topic"
    assert props.subject == "A page used by the tests."
    assert props.author == "Test Clinic" and props.last_modified_by == "Test Clinic"
    assert props.keywords == "alpha, beta"
    assert props.language == "en"
    assert props.identifier == "https://example.org/sample"
    expected = dt.datetime(2025, 8, 1, 0, 0)
    assert props.created.replace(tzinfo=None) == expected
    assert props.modified.replace(tzinfo=None) == expected
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        core = package.read("docProps/core.xml").decode()
        app = package.read("docProps/app.xml").decode()
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in package.infolist())
    assert names[0] == "[Content_Types].xml"
    assert "python-docx" not in core and "2013" not in core
    assert "2025-08-01T00:00:00Z" in core
    assert not any("thumbnail" in n or "stylesWithEffects" in n for n in names)
    assert "<Application>Plainpress</Application>" in app and "Macintosh" not in app
    settings = part(data, "word/settings.xml")
    assert settings.find("w:proofState", NS) is None


def test_language_fonts_and_sizes_on_style_defaults(project):
    data = render(project)
    styles = part(data, "word/styles.xml")
    rpr = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    lang = rpr.find("w:lang", NS)
    assert (lang.get(f"{{{W}}}val"), lang.get(f"{{{W}}}eastAsia"),
            lang.get(f"{{{W}}}bidi")) == ("en-US", "en-US", "en-US")
    fonts = rpr.find("w:rFonts", NS)
    assert fonts.get(f"{{{W}}}ascii") == fonts.get(f"{{{W}}}hAnsi") == "Atkinson Hyperlegible"
    assert fonts.get(f"{{{W}}}cs") == "Noto Sans Arabic"
    assert fonts.get(f"{{{W}}}eastAsia") == "Noto Sans CJK SC"
    assert fonts.get(f"{{{W}}}asciiTheme") is None
    assert rpr.find("w:sz", NS).get(f"{{{W}}}val") == "23"  # 11.5 pt
    assert rpr.find("w:color", NS).get(f"{{{W}}}val") == "1A1A1A"
    heading = styles.xpath("w:style[@w:styleId='Heading1']", namespaces=NS)[0]
    assert heading.find("w:rPr/w:color", NS).get(f"{{{W}}}val") == "0D3050"
    assert heading.find("w:rPr/w:sz", NS).get(f"{{{W}}}val") == "34"
    used = {"Title", "Subtitle", "Heading1", "Heading2", "Caption", "Quote", "Footer"}
    for style in styles.findall("w:style", NS):
        if style.get(f"{{{W}}}styleId") in used:
            sz = style.find("w:rPr/w:sz", NS)
            assert sz is None or int(sz.get(f"{{{W}}}val")) >= 22, style.get(f"{{{W}}}styleId")
    fonts = part(data, "word/fontTable.xml")
    declared = {f.get(f"{{{W}}}name"): f.find("w:family", NS).get(f"{{{W}}}val")
                for f in fonts.findall("w:font", NS)}
    assert declared["Atkinson Hyperlegible"] == declared["Noto Sans Arabic"] == "swiss"


def test_right_to_left_locale(project):
    arabic = "العقم عند الرجال"
    cfg, doc = load(project, "ar")
    doc = dataclasses.replace(doc, meta=dataclasses.replace(
        doc.meta, title=Field(f"{arabic} ICSI", doc.meta.title.loc)))
    data = render_docx(doc, RenderContext(cfg, theme.load(cfg), "a4"), Labels())
    body = part(data, "word/document.xml").find(f"{{{W}}}body")
    paragraphs = list(body.iter(f"{{{W}}}p"))
    assert paragraphs and all(p.find("w:pPr/w:bidi", NS) is not None for p in paragraphs)
    styles = [p.find("w:pPr/w:pStyle", NS) for p in paragraphs]
    assert "Heading1" in [s.get(f"{{{W}}}val") for s in styles if s is not None]
    assert body.find("w:sectPr/w:bidi", NS) is not None
    assert body.find("w:tbl/w:tblPr/w:bidiVisual", NS) is not None
    title_runs = paragraphs[0].findall("w:r", NS)
    by_text = {"".join(r.itertext()): r.find("w:rPr/w:rtl", NS) is not None for r in title_runs}
    assert by_text == {arabic + " ": True, "ICSI": False}
    footer = part(data, "word/footer1.xml")
    assert all(p.find("w:pPr/w:bidi", NS) is not None for p in footer.iter(f"{{{W}}}p"))
    lang = part(data, "word/styles.xml").find(".//w:docDefaults//w:lang", NS)
    assert lang.get(f"{{{W}}}bidi") == "ar-EG"
    pg = body.find("w:sectPr/w:pgSz", NS)
    assert (pg.get(f"{{{W}}}w"), pg.get(f"{{{W}}}h")) == ("11906", "16838")  # A4


def test_cjk_locale_sets_the_east_asian_slot(project):
    data = render(project, "zh_Hans")
    rpr = part(data, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    fonts = rpr.find("w:rFonts", NS)
    assert fonts.get(f"{{{W}}}eastAsia") == "Noto Sans CJK SC"
    assert fonts.get(f"{{{W}}}hint") == "eastAsia"
    assert rpr.find("w:lang", NS).get(f"{{{W}}}eastAsia") == "zh-CN"
    assert docx.Document(io.BytesIO(data)).core_properties.language == "zh-Hans"
    assert part(data, "word/document.xml").find(".//w:bidi", NS) is None


def test_same_inputs_same_bytes(project):
    first, second = render(project), render(project)
    assert first == second
    script = ("import sys, hashlib; from pathlib import Path; "
              "sys.path.insert(0, sys.argv[1]); from pipeline.settings import config, theme; from pipeline.read import reader; "
              "from pipeline.render.context import RenderContext; "
              "from pipeline.render.docx import render_docx; from pipeline.settings.labels import Labels; "
              "cfg = config.load(Path(sys.argv[2])); doc = reader.read_document(cfg, 'sample'); "
              "print(hashlib.sha256(render_docx(doc, RenderContext(cfg, theme.load(cfg), "
              "'letter'), Labels())).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", script, str(REPO), str(project.root)],
                              capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
               for seed in ("1", "2")}
    assert digests == {hashlib.sha256(first).hexdigest()}


def test_draft_mark_in_the_page_header(project):
    cfg, doc = load(project)
    data = render_docx(dataclasses.replace(doc, draft=True),
                       RenderContext(cfg, theme.load(cfg), "letter"), Labels())
    header = docx.Document(io.BytesIO(data)).sections[0].header
    assert "DRAFT — translation incomplete" in [p.text for p in header.paragraphs]


def test_text_read_back_in_order_passes_required_text(project):
    cfg, doc = load(project)
    data = render(project)
    text = docx_text(data)
    order = ["Sample Topic", "A page used by the tests.", "web link", "First section",
             "bullet one", "step two", "Table 1: A subsection", "Name", "Value", "alpha", "beta",
             "A blue square used as a test picture", "A quoted line.", "Questions?",
             "This sheet is for learning only.", "Updated by Test Review Team — August 2025"]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)
    results = required_text.evaluate(doc, "docx", data, stamp(doc, Labels()))
    assert results and all(r.passed for r in results)


# ----------------------------------------------------------------------------- reference


def make_reference(path: Path, font: str = "Courier New", drop_style: str | None = None):
    reference = docx.Document()
    reference.styles["Normal"].font.name = font
    reference.add_paragraph("Body text of the reference, which must not appear.")
    if drop_style:
        element = reference.styles[drop_style].element
        element.getparent().remove(element)
    reference.save(str(path))
    return path


def test_reference_docx_styles_are_used(project):
    make_reference(project.root / "styles/reference.docx")
    data = render(project, reference="styles/reference.docx")
    styles = part(data, "word/styles.xml")
    normal = styles.xpath("w:style[@w:styleId='Normal']", namespaces=NS)[0]
    assert normal.find("w:rPr/w:rFonts", NS).get(f"{{{W}}}ascii") == "Courier New"
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert "Atkinson Hyperlegible" not in etree.tostring(styles).decode()
    assert defaults.find("w:lang", NS).get(f"{{{W}}}val") == "en-US"
    text = docx_text(data)
    assert "must not appear" not in text and "Sample Topic" in text
    assert styled(data)[0] == ("Title", "Sample Topic")


def test_reference_docx_from_config(project):
    make_reference(project.root / "styles/reference.docx", font="Georgia")
    project.write("pyproject.toml", project.read("pyproject.toml")
                  + 'reference_docx = "styles/reference.docx"\n')
    cfg, doc = load(project)
    assert cfg.reference_docx == "styles/reference.docx"
    data = render_docx(doc, RenderContext(cfg, theme.load(cfg), "letter"), Labels())
    assert b"Georgia" in zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml")


def test_reference_docx_missing(project):
    with pytest.raises(ConfigError) as error:
        render(project, reference="styles/nope.docx")
    assert "styles/nope.docx" in str(error.value) and "does not exist" in str(error.value)


def test_reference_docx_not_a_docx(project):
    project.write("styles/fake.docx", "this is plain text, not a package")
    with pytest.raises(ConfigError) as error:
        render(project, reference=project.root / "styles/fake.docx")
    assert "styles/fake.docx" in str(error.value) and "not a Word document" in str(error.value)


def test_reference_docx_lacking_a_style(project):
    make_reference(project.root / "styles/bare.docx", drop_style="Heading 3")
    with pytest.raises(ConfigError) as error:
        render(project, reference="styles/bare.docx")
    message = str(error.value)
    assert "styles/bare.docx" in message and "`Heading 3`" in message

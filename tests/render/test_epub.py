"""The EPUB outputs, read as their readers read them: EPUBCheck and DAISY Ace (the real tools)
report nothing, the accessibility metadata follows the content, the container is a valid OCF
zip, the same inputs give the same bytes, and the XHTML carries the structure of the page."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile

import pytest

from pipeline import outputs

from conftest import CONTACT, DISCLAIMER, published
from pipeline.read import reader
from pipeline.settings import config
from pipeline.gates import ace, epub_check
from pipeline.readback.epub import Book
from pipeline.render.epub.content import Content
from pipeline.render.epub.package import accessibility
from pipeline.settings.labels import Labels

pytestmark = pytest.mark.slow  # EPUBCheck, DAISY Ace (Chromium) and speech synthesis

OPF = "{http://www.idpf.org/2007/opf}"
X = "{http://www.w3.org/1999/xhtml}"
EPUB_NS = "{http://www.idpf.org/2007/ops}"


def meta(book: Book) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for element in book.opf.iter(f"{OPF}meta"):
        if element.get("refines") is None:
            found.setdefault(element.get("property"), []).append(element.text)
    return found


def test_every_gate_passes_and_everything_is_published(epub_build):
    proj, result = epub_build
    assert result.exit_code == 0
    assert {o.filename: o.published for o in result.outcomes} == {
        "en/sample.epub": True, "en/sample-handout.epub": True, "en/sample.opus": True}
    gates = {(c.check, c.output) for c in result.checks if c.passed}
    for output in ("epub", "handout-epub"):
        assert {("required-text", output), ("text-fidelity", output), ("epubcheck", output),
                ("ace", output), ("media-overlays", output)} <= gates
    assert ("audio", "audio") in gates
    assert not [c for c in result.checks if not c.passed]


@pytest.mark.parametrize("name", ["sample.epub", "sample-handout.epub"])
def test_epubcheck_and_ace_report_nothing(epub_build, name):
    proj, _ = epub_build
    data = published(proj, name)
    report, messages = epub_check.run(data)  # usage notes included
    assert report["checker"]["nFatal"] == report["checker"]["nError"] == 0
    assert report["checker"]["nWarning"] == report["checker"]["nUsage"] == 0
    assert messages == []
    assert report["publication"]["hasAudio"] is True
    found = ace.run(data)
    assert ace.violations(found) == []
    assert found["earl:result"]["earl:outcome"] == "pass"
    present = set(found["a11y-metadata"]["present"])
    assert {"schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard",
            "schema:accessibilitySummary", "schema:accessModeSufficient",
            "dcterms:conformsTo", "a11y:certifiedBy"} <= present


def test_metadata_follows_the_content(epub_build):
    proj, _ = epub_build
    article, handout = (meta(Book.open(published(proj, n)))
                        for n in ("sample.epub", "sample-handout.epub"))
    # The article has an image and a table; the handout has neither; both are voiced.
    assert article["schema:accessMode"] == ["textual", "visual", "auditory"]
    assert handout["schema:accessMode"] == ["textual", "auditory"]
    assert "alternativeText" in article["schema:accessibilityFeature"]
    assert "alternativeText" not in handout["schema:accessibilityFeature"]
    assert "textual,visual" in article["schema:accessModeSufficient"]
    assert "textual,visual" not in handout["schema:accessModeSufficient"]
    for found in (article, handout):
        assert {"structuralNavigation", "tableOfContents", "readingOrder",
                "displayTransformability", "synchronizedAudioText"} <= set(
            found["schema:accessibilityFeature"])
        assert found["schema:accessibilityHazard"] == ["none"]
        assert found["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
        assert found["a11y:certifiedBy"] == ["Test Clinic"]
        assert found["media:narrator"] == ["eSpeak NG (en-us)"] and found["media:duration"]
    assert "Every image has a text description." in article["schema:accessibilitySummary"][0]
    assert "Every table has header cells." in article["schema:accessibilitySummary"][0]
    assert "image" not in handout["schema:accessibilitySummary"][0]
    assert "table" not in handout["schema:accessibilitySummary"][0].replace("table of", "")


def test_without_audio_the_metadata_claims_none():
    silent = dict.fromkeys(["schema:accessMode", "schema:accessibilityFeature",
                            "schema:accessModeSufficient"])
    for key in silent:
        silent[key] = [v for p, v in accessibility(Content(), False, Labels()) if p == key]
    assert silent["schema:accessMode"] == ["textual"]
    assert silent["schema:accessModeSufficient"] == ["textual"]
    assert "synchronizedAudioText" not in silent["schema:accessibilityFeature"]
    assert "alternativeText" not in silent["schema:accessibilityFeature"]
    summary = dict(accessibility(Content(), False, Labels()))["schema:accessibilitySummary"]
    assert "voice" not in summary and "image" not in summary


def test_container_is_a_valid_ocf_zip(epub_build):
    proj, _ = epub_build
    data = published(proj, "sample.epub")
    # The first local file header: signature, method 0 (stored), name "mimetype", no extra.
    assert data[:4] == b"PK\x03\x04"
    assert int.from_bytes(data[8:10], "little") == 0
    name_length, extra_length = (int.from_bytes(data[26:28], "little"),
                                 int.from_bytes(data[28:30], "little"))
    assert data[30:30 + name_length] == b"mimetype" and extra_length == 0
    assert data[38:38 + 20] == b"application/epub+zip"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert archive.testzip() is None
    assert infos[0].filename == "mimetype" and infos[1].filename == "META-INF/container.xml"
    assert {i.date_time for i in infos} == {(2025, 8, 1, 0, 0, 0)}  # the review month
    names = [i.filename for i in infos]
    assert {"EPUB/package.opf", "EPUB/content.xhtml", "EPUB/nav.xhtml", "EPUB/style.css",
            "EPUB/content.smil", "EPUB/audio/sample.opus", "EPUB/images/image-1.png"} <= \
        set(names)


def test_a_rebuild_is_byte_identical(epub_build, monkeypatch):
    """Synthesis and encoding included: the speech cache is turned off and emptied."""
    from pipeline.settings import theme
    from pipeline.render import speech
    from pipeline.render.context import RenderContext
    from pipeline.render.epub import render_audio, render_epub

    proj, _ = epub_build
    monkeypatch.setenv("PLAINPRESS_SPEECH_CACHE", "0")
    cfg = config.load(proj.root)
    doc = reader.read_document(cfg, "sample")
    first = {}
    for attempt in range(2):
        speech._CACHE.clear()
        ctx = RenderContext(cfg, theme.load(cfg), "letter")
        now = {kind: render_epub(doc, ctx, Labels(), outputs.output(kind))
               for kind in ("epub", "handout-epub")}
        now["audio"] = render_audio(doc, ctx, Labels(), outputs.output("audio"))
        if attempt == 0:
            first = now
    assert now == first
    assert first["epub"] == published(proj, "sample.epub")
    assert first["audio"] == published(proj, "sample.opus")


def test_the_xhtml_carries_the_structure_of_the_page(epub_build):
    proj, _ = epub_build
    book = Book.open(published(proj, "sample.epub"))
    page = ET.fromstring(book.files["EPUB/content.xhtml"])
    assert page.get("lang") == "en" and page.get("dir") == "ltr"
    assert page.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert [h.text for h in page.iter(f"{X}h1")] == ["Sample Topic"]
    assert [th.get("scope") for th in page.iter(f"{X}th")] == ["col", "col"]
    assert [img.get("alt") for img in page.iter(f"{X}img")] == [
        "A blue square used as a test picture"]
    assert page.find(f".//{X}img").get("src") == "images/image-1.png"
    assert page.find(f".//{X}main") is not None
    footer = "".join(page.find(f".//{X}footer").itertext())
    assert CONTACT.strip() in footer and DISCLAIMER.strip() in footer
    assert "Updated by Test Review Team — August 2025" in footer
    assert [li.text for li in page.iter(f"{X}li")][:2] == ["bullet one", "bullet two"]
    nav = ET.fromstring(book.files["EPUB/nav.xhtml"])
    toc, landmarks = nav.iter(f"{X}nav")
    assert toc.get(f"{EPUB_NS}type") == "toc" and toc.get("role") == "doc-toc"
    assert [a.text for a in toc.iter(f"{X}a")] == ["Sample Topic", "First section",
                                                   "A subsection"]
    # Nested by level: the subsection sits inside the first section's list item.
    top = toc.find(f"{X}ol/{X}li/{X}ol/{X}li")
    assert top.find(f"{X}ol/{X}li/{X}a").text == "A subsection"
    assert [a.get(f"{EPUB_NS}type") for a in landmarks.iter(f"{X}a")] == ["toc", "bodymatter"]
    handout = ET.fromstring(Book.open(published(proj, "sample-handout.epub"))
                            .files["EPUB/content.xhtml"])
    text = "".join(handout.itertext())
    assert "What to know" in text and "https://example.org/sample" in text
    assert "First section" not in text


def test_a_draft_translation_is_marked_in_the_epub_too(es_project):
    """`--allow-incomplete`: the EPUB says DRAFT, in the text and the audio, and still passes."""
    from pipeline.build import Selection, build

    result = build(es_project.root, Selection(locales=("es",), formats=("handout-epub",
                                                                       "audio")),
                   allow_incomplete=True, jobs=1)
    assert result.exit_code == 0, [c.message for c in result.checks if c.blocks]
    # The spoken DRAFT mark comes before the title: it belongs to the first chapter.
    from pipeline.readback.opus import read_opus
    chapters = read_opus(published(es_project, "sample.opus", "es")).chapters()
    assert chapters[0] == (0.0, "Sample Topic") and chapters[1][0] > 2
    book = Book.open(published(es_project, "sample-handout.epub", "es"))
    page = ET.fromstring(book.files["EPUB/content.xhtml"])
    mark = page.find(f".//{X}p[@class='draft-mark']")
    # The label comes from the shipped Spanish ui catalog, the gaps from the source text.
    assert mark.text == "BORRADOR — traducción incompleta" and mark.get("role") == "note"
    assert page.get("lang") == "es"
    assert 'src="content.xhtml#' + mark.get("id") + '"' in book.files["EPUB/content.smil"].decode()
    assert all(c.passed for c in result.checks if c.check in ("epubcheck", "ace"))


def test_the_summary_joins_chinese_sentences_without_a_space():
    from pipeline.render.epub.package import _sentences
    assert _sentences(["本出版物符合 WCAG 2.2 AA 级。", "每张图片都有文字说明。"]) == \
        "本出版物符合 WCAG 2.2 AA 级。每张图片都有文字说明。"
    assert _sentences(["One sentence.", "Another."]) == "One sentence. Another."

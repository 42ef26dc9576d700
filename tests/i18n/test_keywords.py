"""Front-matter keywords are messages: translated, they reach every output's metadata."""

from __future__ import annotations

import io
import zipfile

import pikepdf
import pytest

from pipeline.settings import config
from pipeline.read import reader
from pipeline.cli import main
from pipeline.translate import catalogs, update
from conftest import translate_all

KEYWORDS = {"male infertility": "infertilidad masculina", "IVF": "FIV"}


def with_keywords(project):
    text = project.read("source/sample.md")
    project.write("source/sample.md", text.replace(
        "url: https://example.org/sample\n",
        "url: https://example.org/sample\nkeywords: [male infertility, IVF]\n"))
    cfg = config.load(project.root)
    docs = [reader.read_document(cfg, "sample")]
    update.extract(cfg, docs)
    update.update(cfg, docs)


def test_keywords_are_messages_with_their_own_context(es_project):
    with_keywords(es_project)
    pot = catalogs.read(es_project.root, es_project.root / "locales/sample.pot")
    message = pot.get("male infertility", "keyword")
    assert message is not None and pot.get("male infertility") is None
    assert message.locations == [("source/sample.md", 7)]
    assert any("search" in note for note in message.auto_comments)
    po = catalogs.read(es_project.root, es_project.root / "locales/es/LC_MESSAGES/sample.po")
    assert po.get("IVF", "keyword") is not None


@pytest.mark.slow
def test_translated_keywords_reach_html_pdf_and_docx_metadata(es_project):
    with_keywords(es_project)
    translate_all(es_project, "es", KEYWORDS)
    assert main(["-C", str(es_project.root), "build", "-q", "--locale", "es", "--format", "html",
                 "--format", "pdf", "--format", "docx", "--format", "handout"]) == 0
    build = es_project.root / "build/es"
    expected = "infertilidad masculina, FIV"
    assert f'<meta name="keywords" content="{expected}">' in (build / "sample.html").read_text()
    for name in ("sample.pdf", "sample-handout.pdf"):
        with pikepdf.open(build / name) as pdf:
            assert str(pdf.docinfo["/Keywords"]) == expected, name
    with zipfile.ZipFile(io.BytesIO((build / "sample.docx").read_bytes())) as docx:
        core = docx.read("docProps/core.xml").decode()
    assert f"<cp:keywords>{expected}</cp:keywords>" in core, core


def test_an_untranslated_keyword_is_reported_like_any_message(es_project, capsys):
    with_keywords(es_project)
    translate_all(es_project, "es", {"male infertility": "infertilidad masculina"})
    po = es_project.root / "locales/es/LC_MESSAGES/sample.po"
    catalog = catalogs.read(es_project.root, po)
    catalog.get("IVF", "keyword").string = ""
    po.write_bytes(catalogs.serialise(catalog, po.name))
    assert main(["-C", str(es_project.root), "build", "-q", "--locale", "es",
                 "--format", "html"]) == 1
    out = capsys.readouterr().out
    assert "untranslated: “IVF”" in out and "locales/es/LC_MESSAGES/sample.po:" in out

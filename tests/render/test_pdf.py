"""PDF renderer: properties read back with pikepdf (not bytes), confinement, determinism."""

from __future__ import annotations

import io

import pikepdf
import pytest

from pipeline.settings import config, theme
from pipeline.read import reader
from pipeline.errors import SourceError
from pipeline.render.context import RenderContext
from pipeline.render.html import render_article
from pipeline.render.pdf import PdfRenderer
from pipeline.settings.labels import Labels


@pytest.fixture
def renderer(project):
    cfg = config.load(project.root)
    return PdfRenderer(RenderContext(cfg, theme.load(cfg), "letter"))


def render(project, renderer) -> bytes:
    cfg = renderer.ctx.config
    doc = reader.read_document(cfg, "sample")
    html = render_article(doc, renderer.ctx, Labels(), for_print=True)
    return renderer.render(html, source=doc.path, lang="en")


def struct_types(pdf: pikepdf.Pdf) -> list[str]:
    """Structure element types in tree order, reachable from the root only."""
    found = []

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(str(node.S)[1:])
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return found


def test_document_properties(project, renderer):
    data = render(project, renderer)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title) == "Sample Topic"
        assert str(pdf.docinfo.Author) == "Test Clinic"
        assert str(pdf.docinfo.Subject) == "A page used by the tests."
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
            assert xmp.get("dc:title") == "Sample Topic"
        titles = []
        with pdf.open_outline() as outline:
            stack = list(outline.root)
            while stack:
                item = stack.pop(0)
                titles.append(item.title)
                stack = list(item.children) + stack
        assert titles == ["Sample Topic", "First section", "A subsection"]


def test_structure_tree(project, renderer):
    with pikepdf.open(io.BytesIO(render(project, renderer))) as pdf:
        types = struct_types(pdf)
    for expected in ("H1", "H2", "H3", "P", "L", "LI", "Lbl", "LBody", "Table", "TH", "TD",
                     "Figure", "Link", "BlockQuote"):
        assert expected in types, expected
    headings = [t for t in types if t in ("H1", "H2", "H3")]
    assert headings == ["H1", "H2", "H3"]


def test_fonts_embedded_with_unicode_maps(project, renderer):
    names = set()
    with pikepdf.open(io.BytesIO(render(project, renderer))) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                names.add(str(font.BaseFont))
                cid_font = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                files = set(cid_font.FontDescriptor.keys()) & {"/FontFile", "/FontFile2",
                                                               "/FontFile3"}
                assert files, str(font.BaseFont)
                assert "/ToUnicode" in font, str(font.BaseFont)
    assert any("Atkinson-Hyperlegible" in name for name in names), names


def test_byte_identical(project, renderer):
    assert render(project, renderer) == render(project, renderer)


@pytest.mark.parametrize("url", ["file:///etc/hostname", "https://example.org/x.png",
                                 "../../../../etc/hostname"])
def test_fetcher_refuses_anything_outside_source_and_styles(project, renderer, url):
    doc = reader.read_document(renderer.ctx.config, "sample")
    html = render_article(doc, renderer.ctx, Labels(), for_print=True)
    html = html.replace("</article>", f'<img src="{url}" alt="x"></article>')
    with pytest.raises(SourceError) as caught:
        renderer.render(html, source=doc.path, lang="en")
    assert caught.value.loc.path == "source/sample.md"
    assert "refused" in caught.value.message


def test_fetcher_reads_project_images(project, renderer):
    with pikepdf.open(io.BytesIO(render(project, renderer))) as pdf:
        images = [name for page in pdf.pages
                  for name, obj in page.Resources.get("/XObject", {}).items()
                  if obj.get("/Subtype") == "/Image"]
    assert images

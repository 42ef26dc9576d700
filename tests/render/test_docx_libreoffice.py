"""A real client reads our DOCX: LibreOffice converts it to PDF headless, and the PDF's text has
the title, headings, list items with their markers, table cells and the disclaimer, in order.

LibreOffice is an independent reader of the file (many clinics use it). Without `soffice` the
test fails and names `make test`, which installs it: it cannot silently vanish.
"""

from __future__ import annotations

import io
import subprocess

import pytest
from conftest import require_tool
from pypdf import PdfReader

from pipeline.settings import config, theme
from pipeline.read import reader
from pipeline.readback.text import squash
from pipeline.render.context import RenderContext
from pipeline.render.docx import render_docx
from pipeline.settings.labels import Labels


pytestmark = pytest.mark.slow  # LibreOffice starts in seconds, not milliseconds


@pytest.fixture(scope="module")
def soffice() -> str:
    return require_tool("soffice")


def convert(soffice: str, docx_path, out_dir, profile) -> bytes:
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)],
        capture_output=True, text=True, timeout=180)
    pdf = out_dir / (docx_path.stem + ".pdf")
    assert result.returncode == 0 and pdf.is_file(), result.stderr + result.stdout
    return pdf.read_bytes()


def test_libreoffice_shows_every_part_in_order(project, soffice, tmp_path):
    cfg = config.load(project.root)
    doc = reader.read_document(cfg, "sample")
    data = render_docx(doc, RenderContext(cfg, theme.load(cfg), "letter"), Labels())
    path = tmp_path / "sample.docx"
    path.write_bytes(data)
    pdf = convert(soffice, path, tmp_path / "out", tmp_path / "lo-profile")
    pdf_reader = PdfReader(io.BytesIO(pdf))
    text = squash("\n".join(page.extract_text() or "" for page in pdf_reader.pages))
    expected = [
        "Sample Topic", "A page used by the tests.", "Intro paragraph with emphasis",
        "First section", "•bullet one", "•bullet two", "1.step one", "2.step two",
        "A subsection", "Table 1: A subsection", "Name", "Value", "alpha", "1", "beta", "2",
        "A quoted line.", "Questions? Call your care team.",
        "This sheet is for learning only. It is not medical advice. Ask your own doctor.",
        "Updated by Test Review Team — August 2025",
    ]
    position = 0
    for piece in expected:
        found = text.find(squash(piece), position)
        assert found >= 0, f"{piece!r} missing or out of order in LibreOffice's PDF: {text!r}"
        position = found + len(squash(piece))
    assert "Page1of1" in text  # the footer's PAGE and NUMPAGES fields were computed
    assert (pdf_reader.metadata or {}).get("/Title") == "Sample Topic"

"""HTML renderer: semantic structure, escaping, and a golden page a person has read."""

from __future__ import annotations

import os
import re
from pathlib import Path

from pipeline.settings import config, theme
from pipeline.read import reader
from pipeline.render.context import RenderContext
from pipeline.render.html import render_article
from pipeline.settings.labels import Labels

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "sample.html"


def render(project, for_print=False) -> str:
    cfg = config.load(project.root)
    doc = reader.read_document(cfg, "sample")
    return render_article(doc, RenderContext(cfg, theme.load(cfg), "letter"), Labels(),
                          for_print=for_print)


def without_style(html: str) -> str:
    return re.sub(r"<style>.*?</style>", "<style>…</style>", html, flags=re.S)


def test_golden_page(project):
    """The page a person read and approved (set PLAINPRESS_UPDATE_GOLDEN=1 to rewrite it)."""
    html = without_style(render(project))
    html = re.sub(r'src="data:image/png;base64,[^"]+"', 'src="data:image/png;base64,…"', html)
    if os.environ.get("PLAINPRESS_UPDATE_GOLDEN"):
        GOLDEN.write_text(html, "utf-8")
    assert html == GOLDEN.read_text("utf-8")


def test_semantics(project):
    html = render(project)
    assert '<html lang="en" dir="ltr">' in html
    assert "<title>Sample Topic</title>" in html
    assert html.count("<h1>") == 1
    levels = [int(n) for n in re.findall(r"<h(\d)[ >]", html)]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    assert '<th scope="col">Name</th>' in html
    assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="A blue square', html)
    assert "<main>" in html and '<footer class="colophon">' in html
    assert "Updated by Test Review Team — August 2025" in html


def test_print_variant_points_images_at_project_files(project):
    """The PDF renderer's page names images by their project path (the fetcher maps it to the
    file), never by where the project lies on disk."""
    from pipeline.render.pdf.fetcher import SITE, allowed_path
    html = render(project, for_print=True)
    assert f'src="{SITE}source/images/square.png"' in html
    assert str(project.root) not in html
    assert allowed_path(f"{SITE}source/images/square.png", ((project.root / "source").resolve(),),
                        project.root) == (project.root / "source/images/square.png").resolve()


def test_text_is_escaped(project):
    text = project.read("source/sample.md")
    project.write("source/sample.md", text.replace("title: Sample Topic",
                                                   'title: "Sample & <Topic>"')
                  .replace("A quoted line.", "Fish & chips `<b>x</b>` here."))
    html = render(project)
    assert "<title>Sample &amp; &lt;Topic&gt;</title>" in html
    assert "Fish &amp; chips <code>&lt;b&gt;x&lt;/b&gt;</code> here." in html
    assert "<b>x</b>" not in html

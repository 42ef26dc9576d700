"""The report page: one self-contained accessible page that shows the whole build.

Parsed back with lxml: the grid (documents × locales × outputs, `th scope`, status in words and
symbols), reading level against targets with the hardest sentences, translation progress,
every problem with its file:line and fix, skipped jobs, thumbnails with alt text and sizes
against the email limit.
"""

from __future__ import annotations

import io
import json

import lxml.html
import pytest
from conftest import require_tool

from pipeline.report import page as report_html
from pipeline.report.page import render_report_html, thumbnail

DOC = "knee-pain"


def check(locale, output, check_id="required-text", passed=True, severity="error", **more):
    return {"check": check_id, "document": DOC, "locale": locale, "output": output,
            "severity": severity, "passed": passed, "message": more.pop("message", "ok"),
            "location": more.pop("location", None), "hint": more.pop("hint", None),
            "metrics": more.pop("metrics", {})}


def artifact(locale, output, published=True, size=40_000, pages=2):
    name = {"html": f"{DOC}.html", "pdf": f"{DOC}.pdf", "handout": f"{DOC}-handout.pdf"}[output]
    return {"path": f"{locale}/{name}", "document": DOC, "locale": locale, "output": output,
            "published": published, "size": size, "pages": None if output == "html" else pages,
            "sha256": "0" * 64, "withheld_because": [] if published else ["x"]}


@pytest.fixture
def report() -> dict:
    hardest = [{"sentence": "Intracytoplasmic sperm injection is one option.", "score": 21.3,
                "long_words": ["Intracytoplasmic", "injection"]}]
    return {
        "version": 1, "project": "clinic-site", "organisation": "Riverside Clinic", "selection": {},
        "artifacts": [artifact("en", "html"), artifact("en", "pdf", size=612 * 1024),
                      artifact("en", "handout", published=False), artifact("ar", "html"),
                      artifact("ar", "pdf", published=False)],
        "checks": [
            check("en", "pdf"), check("en", "handout"), check("en", "html"),
            check("en", "pdf", "reading-level", severity="warning",
                  message="flesch-kincaid-grade grade 6.5 (target at most 8.0, SMOG 9.9)",
                  location="source/knee-pain.md:2",
                  metrics={"measured": True, "formula": "flesch-kincaid-grade", "value": 6.5,
                           "scale": "grade", "smog": 9.9, "hardest": hardest}),
            check("en", "handout", "reading-level", passed=False,
                  message="flesch-kincaid-grade grade 7.2 (target at most 6.0)",
                  location="source/knee-pain.md:40", hint="rewrite the hardest sentences",
                  metrics={"measured": True, "formula": "flesch-kincaid-grade", "value": 7.2,
                           "scale": "grade", "hardest": hardest}),
            check("ar", "pdf", "reading-level", severity="info",
                  message="not measured: no validated readability formula for `ar`",
                  metrics={"measured": False, "sentences": 12, "words_per_sentence": 9.5,
                           "hardest": [{"sentence": "جملة طويلة جدا.", "score": 3,
                                        "long_words": ["طويلة"]}]}),
            check("ar", "pdf", "text-fidelity", passed=False,
                  message="the paragraph “<script>alert(1)</script>” is missing from the pdf",
                  location="source/knee-pain.md:12", hint="check the template and the fonts"),
            check("en", "html", "jargon", passed=False, severity="warning",
                  message="“ICSI” is not explained", location="source/knee-pain.md:30:5"),
        ],
        "skipped": [{"document": DOC, "locale": "ar", "output": "handout",
                     "path": f"ar/{DOC}-handout.pdf",
                     "reason": "translation incomplete or failing QA"}],
        "translation": {"ar": {"translated": 30, "fuzzy": 4, "untranslated": 6, "obsolete": 1,
                               "percent": 75.0},
                        "es": {"translated": 40, "fuzzy": 0, "untranslated": 0, "obsolete": 0,
                               "percent": 100.0}},
        "summary": {"published": 4, "withheld": 1, "errors": 1, "warnings": 1},
    }


def png(width=20, height=26) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (250, 250, 250)).save(out, "PNG")
    return out.getvalue()


def page(report, **kwargs):
    thumbs = {f"en/{DOC}.pdf": png(), f"en/{DOC}-handout.pdf": png(), f"ar/{DOC}.pdf": png()}
    return lxml.html.document_fromstring(render_report_html(report, thumbs, **kwargs))


def text(node) -> str:
    return " ".join(node.text_content().split())


def grid_cell(tree, locale_code: str, column: str):
    table = tree.xpath(f'//table[@class="grid"][caption="{DOC}"]')[0]
    heads = [text(th) for th in table.xpath("./thead/tr/th")]
    for row in table.xpath("./tbody/tr"):
        header = row.xpath("./th")[0]
        if header.xpath(f'.//span[@class="code"][text()="{locale_code}"]'):
            return row.xpath("./td")[heads.index(column) - 1]
    raise AssertionError(f"no row for {locale_code}")


def test_one_self_contained_page_without_script(report):
    tree = page(report)
    assert tree.get("lang") == "en" and tree.xpath("//title")[0].text == "Build report — Riverside Clinic catalog"
    assert not tree.xpath("//script | //link | //iframe | //object")
    assert tree.xpath("//style")[0].text.strip()
    for img in tree.xpath("//img"):
        assert img.get("src").startswith("data:image/png;base64,")
    assert [h.tag for h in tree.xpath("//h1 | //h2")][:2] == ["h1", "h2"]
    assert len(tree.xpath("//h1")) == 1 and tree.xpath("//main[@id='main']")


def test_grid_has_header_cells_with_scope_and_status_in_words(report):
    tree = page(report)
    table = tree.xpath("//table[@class='grid']")[0]
    assert [text(th) for th in table.xpath("./thead/tr/th")] == [
        "Locale", "HTML page", "PDF article", "Handout"]
    assert all(th.get("scope") == "col" for th in table.xpath("./thead/tr/th"))
    assert all(th.get("scope") == "row" for th in table.xpath("./tbody/tr/th"))
    assert [text(th) for th in table.xpath("./tbody/tr/th")] == ["English en", "Arabic ar"]
    en_pdf = grid_cell(tree, "en", "PDF article")
    assert text(en_pdf).startswith("✓ Published") and "pass" in en_pdf.get("class")
    assert en_pdf.xpath(".//a[@href='en/knee-pain.pdf']")
    assert en_pdf.xpath(".//span[@aria-hidden='true']")[0].text == "✓"
    en_html = grid_cell(tree, "en", "HTML page")
    assert text(en_html).startswith("⚠ Published, with warnings") and "1 problem" in text(
        en_html)
    en_handout = grid_cell(tree, "en", "Handout")
    assert text(en_handout).startswith("✗ Withheld")
    ar_pdf = grid_cell(tree, "ar", "PDF article")
    assert text(ar_pdf).startswith("✗ Withheld") and not ar_pdf.xpath(".//a[@class='open']")
    link = ar_pdf.xpath(".//a[starts-with(@href, '#')]")[0]
    assert tree.xpath(f"//*[@id='{link.get('href')[1:]}']"), "problem anchor exists"
    ar_handout = grid_cell(tree, "ar", "Handout")
    assert text(ar_handout).startswith("– Skipped") and "translation incomplete" in text(
        ar_handout)
    verdict = tree.xpath("//p[contains(@class, 'verdict')]")[0]
    assert "3 of 6 outputs were not published (2 withheld by a check, 1 skipped)" in text(
        verdict)


def test_every_problem_with_location_and_fix(report):
    tree = page(report)
    problems = tree.xpath("//li[contains(@class, 'problem')]")
    failed = [c for c in report["checks"] if not c["passed"]]
    assert len(problems) == len(failed) == 3
    shown = {text(p.xpath(".//code")[0]) for p in problems if p.xpath(".//code")}
    assert shown == {"source/knee-pain.md:12", "source/knee-pain.md:40",
                     "source/knee-pain.md:30:5"}
    fidelity = next(p for p in problems if "text-fidelity" in text(p))
    assert "Fix: check the template and the fonts" in text(fidelity)
    assert "<script>alert(1)</script>" in text(fidelity)  # escaped text, not markup
    assert text(problems[0]).startswith("✗ Error")  # errors first
    nav = text(tree.xpath("//nav")[0])
    assert "Problems (3)" in nav


def test_reading_level_against_targets_with_hardest_sentences(report):
    tree = page(report)
    rows = tree.xpath("//table[@class='reading']/tbody/tr")
    assert all(th.get("scope") == "col" for th in tree.xpath(
        "//table[@class='reading']/thead/tr/th"))
    first = [text(td) for td in rows[0].xpath("./td")]
    assert first[1].startswith("6.5 grade") and "SMOG 9.9" in first[1]
    assert first[2] == "≤ 8" and first[3] == "✓ On target"
    handout = [text(td) for td in rows[1].xpath("./td")]
    assert handout[1].startswith("7.2") and handout[3] == "✗ Over target"
    details = rows[0].xpath(".//details")[0]
    assert text(details.xpath("./summary")[0]).startswith("1 sentence")
    assert "Intracytoplasmic sperm injection" in text(details)
    assert "Long words: Intracytoplasmic, injection" in text(details)
    arabic = [text(td) for td in rows[2].xpath("./td")]
    assert arabic[1].startswith("Not measured") and "12 sentences" in arabic[1]
    quote = rows[2].xpath(".//q")[0]
    assert quote.get("lang") == "ar" and quote.get("dir") == "rtl"


def test_translation_progress_per_locale(report):
    tree = page(report)
    rows = {text(r.xpath("./th")[0]): [text(td) for td in r.xpath("./td")]
            for r in tree.xpath("//table[@class='translation']/tbody/tr")}
    assert rows["Arabic ar"] == ["75.0%", "30", "4", "6", "1"]
    assert rows["Spanish es"][0] == "100.0%"


def test_skipped_jobs_and_why_and_removed_files(report):
    tree = page(dict(report, removed=["fr/old-topic.pdf"]))
    rows = tree.xpath("//table[@class='skipped']/tbody/tr")
    assert [text(c) for c in rows[0].xpath("./th | ./td")] == [
        DOC, "Arabic", "handout", "translation incomplete or failing QA"]
    assert [text(li) for li in tree.xpath("//ul[@class='removed']/li")] == ["fr/old-topic.pdf"]


def test_thumbnails_have_alt_text_and_sizes_are_checked_against_the_email_limit(report):
    tree = page(report)
    images = tree.xpath("//ul[@class='files']//img")
    assert len(images) == 3
    assert {img.get("alt") for img in images} == {
        f"First page of en/{DOC}.pdf", f"First page of en/{DOC}-handout.pdf",
        f"First page of ar/{DOC}.pdf"}
    over = tree.xpath("//p[contains(@class, 'size') and contains(@class, 'over')]")
    assert [text(p) for p in over] == ["⚠ 612.0 KB: over the 500 KB email limit"]
    assert not page(report, email_limit_kb=1000).xpath("//p[contains(@class, 'over')]")
    withheld = tree.xpath("//li[contains(@class, 'withheld')]")
    assert len(withheld) == 2 and all("✗ Withheld" in text(item) for item in withheld)


def test_a_clean_report_says_so_and_optional_sections_are_left_out(report):
    clean = dict(report, checks=[c for c in report["checks"] if c["passed"]],
                 artifacts=[a for a in report["artifacts"] if a["published"]],
                 skipped=[])
    del clean["translation"]
    tree = page(clean)
    assert "Everything was published" in text(tree.xpath("//p[contains(@class, 'verdict')]")[0])
    assert "No problems" in text(tree.xpath("//section[@aria-labelledby='problems']")[0])
    assert not tree.xpath("//table[@class='translation'] | //table[@class='skipped']")


def test_same_report_same_bytes(report):
    thumbs = {f"en/{DOC}.pdf": png()}
    assert render_report_html(report, thumbs) == render_report_html(
        json.loads(json.dumps(report)), dict(thumbs))


def test_thumbnail_of_a_pdf_first_page():
    import pikepdf
    from PIL import Image

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    pdf.add_blank_page(page_size=(612, 792))
    data = io.BytesIO()
    pdf.save(data)
    require_tool("pdftoppm")
    out = thumbnail(data.getvalue(), width_px=120)
    image = Image.open(io.BytesIO(out))
    assert image.format == "PNG" and image.width == 120 and 154 <= image.height <= 156


def test_thumbnail_is_empty_without_pdftoppm_or_for_a_broken_pdf(monkeypatch):
    assert thumbnail(b"%PDF-1.7 this is not a PDF") == b""
    monkeypatch.setattr(report_html.shutil, "which", lambda name: None)
    assert thumbnail(b"%PDF-1.7") == b""


def test_from_a_real_build(project):
    """The report of a real (tiny) build renders, with a thumbnail for each PDF: the page the
    build wrote and one rendered here from its report.json."""
    from pipeline.build import Selection, build

    require_tool("pdftoppm")
    out = project.root / "build"
    assert build(project.root, Selection(formats=("html", "pdf")), out).exit_code == 0
    report = json.loads((out / "report.json").read_text("utf-8"))
    thumbs = {a["path"]: thumbnail((out / a["path"]).read_bytes())
              for a in report["artifacts"] if a["path"].endswith(".pdf")}
    assert list(thumbs) == ["en/sample.pdf"]
    assert all(png.startswith(b"\x89PNG") for png in thumbs.values()), "pdftoppm made no PNG"
    for page in (render_report_html(report, thumbs), (out / "report.html").read_bytes()):
        tree = lxml.html.document_fromstring(page)
        assert text(grid_cell_for(tree, "sample", "en", "PDF article")).startswith("✓ Published")
        images = tree.xpath("//img[@alt='First page of en/sample.pdf']")
        assert len(images) == 1 and images[0].get("src").startswith("data:image/png;base64,")


def grid_cell_for(tree, doc, locale_code, column):
    table = tree.xpath(f'//table[@class="grid"][caption="{doc}"]')[0]
    heads = [text(th) for th in table.xpath("./thead/tr/th")]
    row = table.xpath(f'./tbody/tr[th/span[@class="code"]="{locale_code}"]')[0]
    return row.xpath("./td")[heads.index(column) - 1]


def test_a_skipped_job_is_counted_once_not_also_as_withheld(es_project):
    """Item 12.10: a real build lists a job held back by its translation both among the
    artifacts (unpublished) and the skipped jobs; the page counts it once, as skipped."""
    from pipeline.build import Selection, build

    out = es_project.root / "build"
    result = build(es_project.root, Selection(formats=("html", "pdf")), out)
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert len(report["skipped"]) == 2 and len(report["artifacts"]) == 4  # the double listing
    tree = lxml.html.document_fromstring((out / "report.html").read_bytes())
    counts = {text(li.xpath("./span[@class='what']")[0]): int(text(
        li.xpath("./span[@class='number']")[0])) for li in tree.xpath("//ul[@class='counts']/li")}
    assert (counts["Published"], counts["Withheld"], counts["Skipped"]) == (2, 0, 2), counts
    assert counts["Published"] + counts["Withheld"] + counts["Skipped"] == len(result.outcomes)
    assert text(grid_cell_for(tree, "sample", "es", "PDF article")).startswith("– Skipped")
    assert not tree.xpath("//ul[@class='files']//p[@class='name'][contains(., 'es/')]")
    assert "2 of 4 outputs were not published (0 withheld by a check, 2 skipped)" in text(
        tree.xpath("//p[contains(@class, 'verdict')]")[0])

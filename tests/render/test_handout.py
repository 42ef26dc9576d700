"""Handouts: read back from the PDFs we made — QR code, sizes, page budget, paper, gates."""

from __future__ import annotations

import io
import json
import subprocess

import pikepdf
import pytest
import zxingcpp
from conftest import require_tool

from pipeline.gates import text_size
from pipeline.cli import main

URL = "https://example.org/sample"


def build(project, *args):
    return main(["-C", str(project.root), "build", "-q", "--jobs", "1", *args])


def checks(project, check, output):
    report = json.loads((project.root / "build/report.json").read_text())
    return [c for c in report["checks"] if c["check"] == check and c["output"] == output]


@pytest.fixture
def built(project):
    assert build(project, "--format", "handout", "--format", "handout-large") == 0
    return project


def test_qr_code_decodes_to_the_article_url(built):
    from PIL import Image
    pdftoppm = require_tool("pdftoppm")
    for name in ("sample-handout.pdf", "sample-handout-large.pdf"):
        pdf = built.root / "build/en" / name
        png = subprocess.run([pdftoppm, "-png", "-r", "150", "-l", "4", "-singlefile",
                              "-f", str(_last_page(pdf)), str(pdf)], capture_output=True,
                             check=True).stdout
        found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
        assert [code.text for code in found] == [URL], name


def _last_page(path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def test_text_sizes_measured_on_the_pdf(built):
    standard = text_size.runs((built.root / "build/en/sample-handout.pdf").read_bytes())
    large = text_size.runs((built.root / "build/en/sample-handout-large.pdf").read_bytes())
    assert min(r.size for r in standard) >= 12 - 0.05
    assert max(r.size for r in standard if r.element == "P") >= 14 - 0.05
    assert min(r.size for r in large) >= 18 - 0.05  # footer and disclaimer included
    assert {r.element for r in large} >= {"H1", "P", "Artifact"}


def test_handout_holds_qr_figure_url_and_required_blocks(built):
    from pipeline.readback.text import pdf_text
    text = pdf_text((built.root / "build/en/sample-handout.pdf").read_bytes())
    for expected in ("Sample Topic", "Short words. Short lines.", "Scan for the full article",
                     URL, "Questions? Call your care team.", "Updated by Test Review Team"):
        assert expected in text
    assert "Intro paragraph" not in text  # the article body is not in the handout
    with pikepdf.open(built.root / "build/en/sample-handout.pdf") as pdf:
        alts = [str(e.Alt) for e in _elements(pdf.Root.StructTreeRoot) if e.get("/S") == "/Figure"]
    assert alts == ["QR code: link to the full article"]


def _elements(node):
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


@pytest.mark.slow
def test_page_sizes(project):
    assert build(project, "--format", "handout") == 0
    with pikepdf.open(project.root / "build/en/sample-handout.pdf") as pdf:
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 612, 792]
    assert build(project, "--format", "handout", "--page-size", "a4") == 0
    with pikepdf.open(project.root / "build/en/sample-handout-a4.pdf") as pdf:
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 842]
    with pikepdf.open(project.root / "build/en/sample-handout.pdf") as pdf:  # kept as it was
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 612, 792]


def test_a_handout_over_its_budget_is_withheld(project, capsys):
    text = project.read("source/sample.md")
    long = "\n\n".join(f"## Part {n}\n\n" + "More short words for the page. " * 12
                       for n in range(12))
    project.write("source/sample.md", text.replace("Short words. Short lines.\n",
                                                   "Short words. Short lines.\n\n" + long + "\n"))
    assert build(project, "--format", "handout") == 1
    out = capsys.readouterr().out
    assert "[page-budget]" in out and "over its budget of 2" in out
    assert not (project.root / "build/en/sample-handout.pdf").exists()


def test_text_under_the_minimum_fails_naming_the_element(project, capsys):
    theme = project.root / "styles/theme.toml"
    theme.write_text(theme.read_text().replace("[handout]\nbody = 14\nsmall = 12",
                                               "[handout]\nbody = 14\nsmall = 9"))
    assert build(project, "--format", "handout") == 1
    out = capsys.readouterr().out
    assert "[min-text-size]" in out and "is 9.0 pt, under the 12.0 pt minimum" in out
    failed = [c for c in checks(project, "min-text-size", "handout") if not c["passed"]]
    assert failed and all(" element on page " in c["message"] for c in failed)
    assert any("in a P element" in c["message"] for c in failed)  # the disclaimer
    assert not (project.root / "build/en/sample-handout.pdf").exists()


def test_reading_level_gate_names_the_hardest_sentences(project, capsys):
    text = project.read("source/sample.md")
    hard = ("Comprehensive multidisciplinary evaluation of reproductive endocrinological "
            "abnormalities necessitates individualized therapeutic consideration.")
    project.write("source/sample.md", text.replace("Short words. Short lines.", hard))
    assert build(project, "--format", "handout") == 1
    out = capsys.readouterr().out
    assert "[reading-level]" in out and "flesch-kincaid-grade grade" in out
    result = next(c for c in checks(project, "reading-level", "handout"))
    assert result["passed"] is False and result["metrics"]["value"] > 6
    assert result["metrics"]["hardest"][0]["sentence"].startswith("Comprehensive")
    assert "multidisciplinary" in result["metrics"]["hardest"][0]["long_words"]
    assert result["location"] == "source/sample.md:30"


def test_hardest_sentences_are_ranked_by_their_weight_with_their_lines(project, capsys):
    """Item 12.7: the title and headings ("Knee Osteoarthritis.", "Medicines.") score high
    alone but are labels: they are left out; sentences are ranked by what they add to the
    grade, each with the source line it is on (inside a paragraph of several lines)."""
    import lxml.html

    text = project.read("source/sample.md").replace("title: Sample Topic",
                                                    "title: Osteoarthritis Pharmacotherapy")
    hard = ("Comprehensive multidisciplinary evaluation of reproductive endocrinological "
            "abnormalities necessitates individualized therapeutic consideration.")
    medium = "Your doctor will probably recommend physical therapy and medication."
    text = text.replace("::: handout\n## What to know\n\nShort words. Short lines.\n",
                        f"::: handout\n## Medicines\n\nShort words. Short lines.\n{medium}\n"
                        f"Rest helps. {hard}\n\n## Anti-inflammatory Medications\n\nWe can "
                        "help.\n")
    project.write("source/sample.md", text)
    lines = text.splitlines()
    assert build(project, "--format", "handout") == 1
    out = capsys.readouterr().out
    result = next(c for c in checks(project, "reading-level", "handout"))
    hardest = result["metrics"]["hardest"]
    said = [h["sentence"] for h in hardest]
    assert said[0] == hard, said
    assert not {"Osteoarthritis Pharmacotherapy.", "Medicines.",
                "Anti-inflammatory Medications."} & set(said)
    adds = [h["adds"] for h in hardest]
    assert adds == sorted(adds, reverse=True) and adds[0] > 1 and all(a > 0 for a in adds)
    assert hardest[0]["location"] == f"source/sample.md:{lines.index(f'Rest helps. {hard}') + 1}"
    paragraph = lines.index("Short words. Short lines.") + 1
    assert int(hardest[0]["location"].split(":")[1]) == paragraph + 2  # its line, not the block's
    # The CLI hint names the lines; the report page shows them next to each sentence.
    hint = next(line for line in out.splitlines() if "[reading-level]" in line)
    assert f"{hardest[0]['location']} “Comprehensive" in hint
    assert f"(+{adds[0]:g} grade; Comprehensive" in hint
    page = lxml.html.document_fromstring((project.root / "build/report.html").read_bytes())
    item = page.xpath("//ol[@class='hardest']/li")[0]
    assert item.xpath(".//code")[0].text == hardest[0]["location"]
    assert f"adds {adds[0]:g} to the grade" in item.text_content()


def test_removing_the_top_ranked_sentence_lowers_the_grade_most():
    """`adds` is the change in the formula without the sentence; checked against textstat's
    own figure for the text with each sentence removed."""
    from pipeline.gates.readability import Origin, measure

    units = ["Knee Osteoarthritis", "Most people with sore knees feel better with rest.",
             "Nonsteroidal anti-inflammatory medication occasionally provokes gastrointestinal "
             "complications.", "Walk a little every day.", "Medicines",
             "Physiotherapy strengthens the muscles around the joint."]
    origins = [Origin(False), Origin(), Origin(), Origin(), Origin(False), Origin()]
    reading = measure(units, "en", origins=origins)
    ranked = [s.text for s in reading.hardest]
    assert "Knee Osteoarthritis." not in ranked and "Medicines." not in ranked
    drops = {}
    for index, unit in enumerate(units):
        if origins[index].rankable:
            rest = measure(units[:index] + units[index + 1:], "en").value
            drops[unit.rstrip(".") + "."] = reading.value - rest
    truth = [text for text, drop in sorted(drops.items(), key=lambda kv: -kv[1]) if drop > 0]
    assert ranked[0] == truth[0] and set(ranked) <= set(drops)
    top = reading.hardest[0]
    assert abs(top.adds - drops[top.text]) < 0.6, (top.adds, drops[top.text])


def test_jargon_without_explanation_is_a_warning_with_its_line(project, capsys):
    project.write("pyproject.toml", project.read("pyproject.toml") + 'jargon = ["karyotype"]\n')
    text = project.read("source/sample.md")
    project.write("source/sample.md", text.replace("Short lines.", "Ask for a karyotype test."))
    assert build(project, "--format", "handout") == 0
    out = capsys.readouterr().out
    assert "source/sample.md:33: warning: [jargon]" in out and "karyotype" in out

"""Braille outputs: the real liblouis in both directions, and a fixture with every block kind
whose BRF a person read against BANA *Braille Formats* (kept as `tests/golden/sample.brf`;
set PLAINPRESS_UPDATE_GOLDEN=1 to rewrite it after reading the new one).

The assertions read the BRF the way a transcriber proofreads it: which cell each line starts
in, where the blank lines are, what the page-number line holds, and what liblouis reads back.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import require_tool
from pipeline.build import Selection, build
from pipeline.gates.braille_readback import readback_check
from pipeline.readback import braille as brf
from pipeline.readback import louis
from pipeline.settings import config

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "sample.brf"

FIXTURE = """\
---
title: Braille Sample
summary: A page that holds every kind of block a source may have.
reviewed: 2025-08
reviewed_by: Test Review Team
url: https://example.org/braille-sample
---

A paragraph with *emphasis*, **strong words** and a [web link](https://example.org/more). It
goes on long enough to run over onto a second braille line.

## A second-level heading

- a bullet item
- an item with a nested list:
  - nested one
  - nested two
- the last item

1. first step
2. second step

### A third-level heading

| Name | Value |
| --- | --- |
| alpha | one |
| beta | two |

![A blue square used as a test picture](images/square.png)

Write to [the care team](mailto:care@example.org) for help.

::: handout
## What to know

Short words. Short lines.
:::
"""


@pytest.fixture
def sample(project):
    project.write("source/sample.md", FIXTURE)
    return project


def built(project, output="braille", **settings) -> bytes:
    if settings:
        table = "\n".join(f"{k} = {v!r}".replace("'", '"') for k, v in settings.items())
        project.write("pyproject.toml", project.read("pyproject.toml")
                      + f"\n[tool.plainpress.braille]\n{table}\n")
    result = build(project.root, Selection(formats=(output,)))
    assert result.exit_code == 0, [c.message for c in result.checks if c.blocks]
    name = {"braille": "sample.brf", "handout-braille": "sample-handout.brf",
            "braille-text": "sample.brl.txt"}[output]
    return (project.root / "build" / "en" / name).read_bytes()


def lines_of(data: bytes) -> list[list[str]]:
    """Pages of BRF lines as ASCII text."""
    pages = data.decode("ascii").split("\f")
    return [page.split("\r\n")[:-1] for page in pages]


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def back(text: str) -> str:
    """liblouis's reading of one BRF line (the cells through en-us-brf.dis)."""
    return louis.back_translate("en-ueb-g2.ctb", louis.chars_to_dots("en-us-brf.dis", text))


def test_liblouis_translates_and_back_translates():
    cells = louis.translate("en-ueb-g2.ctb", "The child knows.")
    assert louis.dots_to_chars("en-us-brf.dis", cells) == ',! * "KS4'  # the, child, knows: UEB contractions
    assert louis.back_translate("en-ueb-g2.ctb", cells) == "The child knows."
    assert louis.version().startswith("3.")
    assert louis.check_table("no-such-table.ctb")


def test_golden_brf(sample):
    """The BRF a person read and approved (PLAINPRESS_UPDATE_GOLDEN=1 rewrites it)."""
    data = built(sample)
    if os.environ.get("PLAINPRESS_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()


def test_fixture_follows_braille_formats(sample):
    pages = lines_of(built(sample))
    first = pages[0]
    text = [line for page in pages for line in page[:-1]]
    # Page size, form feeds, page numbers alone at the bottom right.
    assert all(len(page) == 25 for page in pages) and len(pages) >= 2
    assert all(len(line) <= 40 for page in pages for line in page)
    for number, page in enumerate(pages, 1):
        assert page[-1].strip() == louis.dots_to_chars(
            "en-us-brf.dis", louis.translate("en-ueb-g2.ctb", str(number)))
        assert len(page[-1]) == 40
    # Title centred on line 1 (three blank cells at least on each side), then a blank line.
    assert back(first[0].strip()) == "Braille Sample"
    assert abs(indent(first[0]) - (40 - len(first[0].rstrip()))) <= 1
    assert first[1] == ""
    # The transcriber's note in 7-5, inside UEB's note indicators, from the print edition.
    assert indent(first[2]) == 6 and first[2].lstrip().startswith("@.<")
    note = " ".join(l.strip() for l in first[2:5] if l)
    assert "@.>" in note and "print edition" in back(note)
    # Paragraphs 3-1; emphasis as UEB indicators (italic word .1, bold ^1 / passage ^7).
    summary = next(i for i, l in enumerate(first) if back(l.strip()).startswith("A page"))
    assert indent(first[summary]) == 2 and indent(first[summary + 1]) == 0
    para = next(i for i, l in enumerate(text) if back(l.strip()).startswith("A paragraph"))
    assert ".1" in text[para] and ("^1" in text[para] or "^7" in text[para])
    # The link's URL on the line after its text (and the sentence goes on below).
    assert back(text[para + 1]).strip().endswith("web link.") or \
        back(text[para]).strip().endswith("web link.")
    url = next(l for l in text if "EXAMPLE4ORG_/MORE" in l)
    assert indent(url) == 0 and back(url) == "https://example.org/more" or \
        back(url).startswith("http")
    # Level-2 heading in cell 5, level-3 in cell 7, each after a blank line.
    h2 = next(i for i, l in enumerate(text) if back(l) .strip() == "A second-level heading")
    h3 = next(i for i, l in enumerate(text) if back(l).strip() == "A third-level heading")
    assert indent(text[h2]) == 4 and text[h2 - 1] == ""
    assert indent(text[h3]) == 6 and text[h3 - 1] == ""
    # Lists 1-3, nested 3-5, no print bullets, a blank line before and after.
    items = {back(l).strip(): indent(l) for l in text}
    assert items["a bullet item"] == 0 and items["nested one"] == 2
    assert items["1. first step"] == 0
    first_item = next(i for i, l in enumerate(text) if back(l).strip() == "a bullet item")
    assert text[first_item - 1] == "" or first_item == h2 + 1
    last = next(i for i, l in enumerate(text) if back(l).strip() == "2. second step")
    assert text[last + 1] == ""
    # The table as listed "heading: entry" lines: row starts at the margin, others in cell 3.
    assert items["Name: alpha"] == 0 and items["Value: one"] == 2
    assert items["Name: beta"] == 0 and items["Value: two"] == 2
    # The image as a transcriber's note carrying the alt text.
    picture = next(i for i, l in enumerate(text) if "@.<,IMAGE3" in l)
    assert indent(text[picture]) == 6
    assert "A blue square used as a test picture" in back(
        " ".join(l.strip() for l in text[picture:picture + 3]))
    # mailto: shows the address on its own line.
    assert any(back(l).strip() == "care@example.org" for l in text)
    # Contact block, disclaimer and review stamp at the end, in that order.
    contact = next(i for i, l in enumerate(text) if back(l).strip().startswith("Questions?"))
    assert contact > picture and text[contact - 1] == ""
    tail = " ".join(back(l).strip() for l in text[contact:] if l.strip())
    assert tail.index("not medical advice") < tail.index("Updated by Test Review Team")
    assert tail.endswith("August 2025")


def test_handout_replaces_the_qr_code_with_the_address(sample):
    text = [l for page in lines_of(built(sample, "handout-braille")) for l in page[:-1]]
    read = [back(l).strip() for l in text]
    heading = read.index("The full article online")
    assert indent(text[heading]) == 4
    assert read[heading + 1].replace("cc", ":") == "https://example.org/braille-sample"
    assert "What to know" in read and "Short words. Short lines." in read


def test_lou_translate_reads_our_brf_as_our_binding_does(sample):
    """Debian's `lou_translate --backward`, an independent reader, on the written file."""
    tool = require_tool("lou_translate")
    data = built(sample)
    lines = [l for page in lines_of(data) for l in page[:-1] if l.strip()]
    # lou_translate reads `\` as the start of an escape; BRF's `\` (the "ou" cell) is doubled.
    done = subprocess.run([tool, "--backward", "en-us-brf.dis,en-ueb-g2.ctb"],
                          input="\n".join(l.strip().replace("\\", "\\\\") for l in lines) + "\n",
                          capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == [back(l.strip()) for l in lines]


def test_page_size_and_number_place_are_configurable(sample):
    data = built(sample, cells=32, lines=12, page_numbers="top")
    pages = lines_of(data)
    assert len(pages) > 3
    for number, page in enumerate(pages, 1):
        assert len(page) <= 12 and all(len(line) <= 32 for line in page)
        assert len(page[0]) == 32 and page[0].strip() == louis.dots_to_chars(
            "en-us-brf.dis", louis.translate("en-ueb-g2.ctb", str(number)))
    cfg = config.load(sample.root)
    result = readback_check(*_job(sample, cfg), data, "Updated by Test Review Team — "
                            "August 2025", cfg, "article")
    assert result[0].passed and result[0].metrics["share"] >= 98


def test_grade_1_is_selectable(sample):
    sample.write("pyproject.toml", sample.read("pyproject.toml")
                 + '\n[tool.plainpress.braille.tables]\nen = "en-ueb-g1.ctb"\n')
    data = built(sample)
    assert b"PARAGRAPH WITH" in data  # grade 2 writes "P>AGRAPH )"


def test_unicode_preview_is_the_brf_in_u2800_cells(sample):
    preview = built(sample, "braille-text")
    data = (sample.root / "build" / "en" / "sample.brf").read_bytes() if (
        sample.root / "build" / "en" / "sample.brf").exists() else built(sample)
    text = preview.decode("utf-8")
    assert set(text) <= {chr(c) for c in range(0x2800, 0x2840)} | {"\n", "\f"}
    assert brf.read_text(preview) == [
        [line.replace(" ", "\u2800") for line in page] for page in brf.read_brf(data)]


def _job(project, cfg):
    from pipeline.read import reader
    doc = reader.read_document(cfg, "sample", reader.read_snippets(cfg))
    return doc, "braille"


def test_draft_is_marked_on_the_first_page_and_every_page_number_line(es_project):
    result = build(es_project.root, Selection(locales=("es",), formats=("braille",)),
                   allow_incomplete=True)
    assert result.exit_code == 0
    data = (es_project.root / "build" / "es" / "sample.brf").read_bytes()
    pages = lines_of(data)

    from pipeline.translate.localize import localize
    from pipeline.build import load_project
    project = load_project(es_project.root, Selection(locales=("es",), formats=("braille",)))
    labels = localize(project.config, project.theme, project.documents, ("es",), True)[0].labels
    mark = labels("DRAFT — translation incomplete").split()[0].upper()

    def read(line: str) -> str:
        return louis.back_translate("es-g1.ctb", louis.chars_to_dots("en-us-brf.dis", line))
    assert mark in read(pages[0][0].strip()).upper()
    for page in pages:
        assert mark in read(page[-1]).upper() and len(page[-1]) == 40

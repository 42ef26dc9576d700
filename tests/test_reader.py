"""Reader: each good construct becomes the right model node; each bad input names file:line."""

from __future__ import annotations

import pytest

from pipeline.settings import config
from pipeline import model as m
from pipeline.read import reader
from pipeline.errors import MAX_REPORTED, SourceError, SourceErrors

from conftest import SAMPLE


def read(project, doc_id="sample"):
    return reader.read_document(config.load(project.root), doc_id)


def test_front_matter_and_locations(project):
    doc = read(project)
    assert doc.meta.title.value == "Sample Topic"
    assert doc.meta.title.loc == m.Loc("source/sample.md", 2)
    assert doc.meta.reviewed == (2025, 8)
    assert doc.meta.url.value == "https://example.org/sample"
    intro = doc.body[0]
    assert isinstance(intro, m.Paragraph)
    assert intro.loc == m.Loc("source/sample.md", 9)
    assert intro.source.startswith("Intro paragraph with *emphasis*")


def test_every_block_kind(project):
    doc = read(project)
    kinds = [type(block).__name__ for block in doc.body]
    assert kinds == ["Paragraph", "Heading", "BulletList", "OrderedList", "Heading", "Table",
                     "Figure", "BlockQuote"]
    heading = doc.body[1]
    assert (heading.level, heading.anchor, heading.loc.line) == (2, "first-section", 11)
    table = doc.body[5]
    assert [c.source for c in table.header] == ["Name", "Value"]
    assert [[c.source for c in row] for row in table.rows] == [["alpha", "1"], ["beta", "2"]]
    assert table.header[1].align == "right"
    figure = doc.body[6]
    assert figure.src == "source/images/square.png"
    assert figure.alt == "A blue square used as a test picture"
    assert doc.assets == ("source/images/square.png",)


def test_inlines(project):
    intro = read(project).body[0]
    kinds = [type(node).__name__ for node in intro.inlines]
    assert kinds == ["Text", "Emph", "Text", "Strong", "Text", "Link", "Text"]
    link = intro.inlines[5]
    assert link.url == "https://example.org/more"
    assert link.children == (m.Text("web link"),)


def test_handout_and_key_points_are_apart_from_the_body(project):
    project.write("source/sample.md", project.read("source/sample.md").replace(
        "::: handout\n## What to know\n\nShort words. Short lines.\n:::",
        ":::: handout\n## What to know\n\nShort words.\n\n::: key-points\n- one\n:::\n::::"))
    doc = read(project)
    assert [type(b).__name__ for b in doc.handout] == ["Heading", "Paragraph", "KeyPoints"]
    assert doc.handout_loc.line == 30
    assert not any(isinstance(b, m.KeyPoints) for b in doc.body)


def test_snippets_are_read(project):
    doc = read(project)
    assert doc.disclaimer.loc == m.Loc("source/_shared/disclaimer.md", 1)
    assert "not medical advice" in doc.disclaimer.blocks[0].source


def test_bom_and_crlf_are_accepted(project):
    text = project.read("source/sample.md")
    project.write("source/sample.md", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    doc = read(project)
    assert doc.meta.title.value == "Sample Topic"
    assert doc.body[1].loc.line == 11


BAD = [
    # (replace this, with that, expected line, words in the message)
    ("title: Sample Topic\n", "title: [broken\n", 3, "broken YAML"),
    ("summary: A page used by the tests.\n", "", 1, "no `summary`"),
    ("reviewed_by:", "reviwed_by:", 5, "did you mean `reviewed_by`"),
    ("reviewed: 2025-08", "reviewed: August 2025", 4, "not a month"),
    ("reviewed: 2025-08", "reviewed: 2025-13", 4, "not a month"),
    ("Intro paragraph", "<div>raw</div>\n\nIntro paragraph", 9, "raw HTML"),
    ("Intro paragraph with", "Intro <b>bold</b> with", 9, "raw HTML"),
    ("![A blue square used as a test picture]", "![]", 26, "no alt text"),
    ("images/square.png", "../../etc/passwd.png", 26, "outside source/"),
    ("images/square.png", "images/nothere.png", 26, "does not exist"),
    ("images/square.png", "https://example.org/x.png", 26, "not a file in source/"),
    ("::: handout\n## What to know\n\nShort words. Short lines.\n:::\n", "", 8, "no `::: handout`"),
    (":::\n", ":::\n\n::: handout\nMore.\n:::\n", 36, "second `::: handout`"),
    ("[web link](https://example.org/more)", "[web link](javascript:alert(1))", 9, "not allowed"),
    ("## First section", "# First section", 11, "level-1 heading"),
    ("### A subsection", "#### A subsection", 19, "jumps from 2 to 4"),
]


@pytest.mark.parametrize("old,new,line,words", BAD, ids=[b[3] for b in BAD])
def test_bad_input_names_file_and_line(project, old, new, line, words):
    text = project.read("source/sample.md")
    assert old in text
    project.write("source/sample.md", text.replace(old, new, 1))
    with pytest.raises(SourceError) as caught:
        read(project)
    error = caught.value
    assert error.loc.path == "source/sample.md"
    assert error.loc.line == line, str(error)
    assert words in error.message or words in (error.hint or ""), str(error)
    assert error.hint or "did you mean" in error.message or error.message


def test_missing_disclaimer_is_named(project):
    (project.root / "source/_shared/disclaimer.md").unlink()
    with pytest.raises(SourceError) as caught:
        read(project)
    assert caught.value.loc.path == "source/_shared/disclaimer.md"
    assert "missing" in caught.value.message


def test_invalid_utf8_names_line_and_byte(project):
    project.write("source/sample.md", project.read("source/sample.md").encode()[:40]
                  + b"\n\xff\xfe bad\n")
    with pytest.raises(SourceError) as caught:
        read(project)
    assert caught.value.loc.line == 4
    assert "byte 41" in caught.value.message


def test_yaml_aliases_and_tags_are_refused(project):
    text = project.read("source/sample.md")
    project.write("source/sample.md", text.replace("title: Sample Topic", "title: &a Sample"))
    with pytest.raises(SourceError, match="anchors"):
        read(project)
    project.write("source/sample.md", text.replace("title: Sample Topic",
                                                   "title: !!python/object:os.system x"))
    with pytest.raises(SourceError) as caught:
        read(project)
    assert caught.value.loc.line == 2


# ----------------------------------------------------------------------------- every error at once

MISTAKES = [  # (replace this, with that): four mistakes an author makes in one sitting
    ("reviewed:", "reviwed:"),                                       # line 4
    ("Intro paragraph with", "Intro <b>bold</b> with"),              # line 9
    ("bullet two", "bullet [two](javascript:alert(1))"),             # line 14
    ("### A subsection", "#### A subsection"),                       # line 19
    ("images/square.png", "images/nothere.png"),                     # line 26
]


def with_mistakes(project) -> None:
    text = project.read("source/sample.md")
    for old, new in MISTAKES:
        assert old in text
        text = text.replace(old, new, 1)
    project.write("source/sample.md", text)


def test_every_error_of_a_file_is_reported_in_line_order(project):
    with_mistakes(project)
    with pytest.raises(SourceErrors) as caught:
        read(project)
    errors = caught.value.errors
    assert [(e.loc.path, e.loc.line) for e in errors] == [
        ("source/sample.md", line) for line in (4, 9, 14, 19, 26)], str(caught.value)
    assert "did you mean `reviewed`" in errors[0].hint
    assert "`<b>`, `</b>`" in errors[1].message  # one error naming both tags
    assert "javascript:" in errors[2].message
    assert "jumps from 2 to 4" in errors[3].message
    assert "does not exist" in errors[4].message
    assert isinstance(caught.value, SourceError) and caught.value.loc == errors[0].loc


def test_errors_of_every_file_are_collected_and_a_broken_file_stops_only_itself(project):
    with_mistakes(project)
    project.write("source/other.md", b"---\ntitle: x\n\xff\xfe\n")
    project.write("source/third.md", SAMPLE.replace("url: https://example.org/sample",
                                                    "url: example.org"))
    project.write("source/_shared/contact.md", "Call <i>us</i>.\n")
    cfg = config.load(project.root)
    with pytest.raises(SourceErrors) as caught:
        reader.read_documents(cfg, reader.document_ids(cfg))
    places = [(e.loc.path, e.loc.line) for e in caught.value.errors]
    assert places == [("source/_shared/contact.md", 1), ("source/other.md", 3),
                      *[("source/sample.md", n) for n in (4, 9, 14, 19, 26)],
                      ("source/third.md", 6)], str(caught.value)
    assert "invalid UTF-8" in caught.value.errors[1].message


def test_forbidden_characters_are_each_reported_once(project):
    text = project.read("source/sample.md")
    project.write("source/sample.md", text.replace("bullet one", "bullet\u202e one").replace(
        "step two", "step\x07 two"))
    with pytest.raises(SourceErrors) as caught:
        read(project)
    assert [(e.loc.line, e.loc.column) for e in caught.value.errors] == [(13, 9), (17, 8)]


def test_a_file_of_garbage_reports_a_capped_number(project):
    text = project.read("source/sample.md")
    project.write("source/sample.md", text.replace(
        "Intro paragraph", "".join(f"<p>{n}</p>\n\n" for n in range(300)) + "Intro paragraph"))
    with pytest.raises(SourceErrors) as caught:
        read(project)
    printed = str(caught.value).splitlines()
    assert len(caught.value.errors) == MAX_REPORTED and caught.value.total > MAX_REPORTED
    assert printed[MAX_REPORTED] == f"… and {caught.value.total - MAX_REPORTED} more errors " \
                                    "not shown"
    assert printed[-1] == f"plainpress: {caught.value.total} errors in the sources; nothing " \
                          "was built"

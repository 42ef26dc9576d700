"""The model walk: every block in reading order, queries, inlines and transforms, on a
document read from a real source (lists nested in lists, a quote and a picture in a list item,
key points in the handout, the shared snippets)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline import model as m
from pipeline.model import walk
from pipeline.read import reader
from pipeline.read.markdown import plain
from pipeline.settings import config

NESTED = """\
---
title: Nested
summary: Lists in lists.
reviewed: 2025-08
reviewed_by: Test Review Team
url: https://example.org/nested
---

Intro with *one **two** three* and a [link `x`](https://example.org).

- outer one

  ![A blue square](images/square.png)

  - inner *a*
  - inner b

    > quoted in b
- outer two

| Head | Cell |
| ---- | ---- |
| r1 | **r2** |

:::: handout
## Handout

::: key-points
- kept
:::
::::
"""


@pytest.fixture
def doc(project):
    project.write("source/nested.md", NESTED)
    project.write("source/_shared/contact.md", "- Call us\n- Write to us\n")
    return reader.read_document(config.load(project.root), "nested")


def shape(node) -> str:
    """A node as the tests name it: its kind and first words."""
    text = (plain(node.inlines) if isinstance(node, (m.Heading, m.Paragraph)) else
            node.alt if isinstance(node, m.Figure) else "")
    return f"{type(node).__name__} {text}".strip()


def test_blocks_in_reading_order_with_nesting(doc):
    assert [shape(node) for node in walk.blocks(doc)] == [
        "Paragraph Intro with one two three and a link x.",
        "BulletList", "ListItem", "Paragraph outer one", "Figure A blue square",
        "BulletList", "ListItem", "Paragraph inner a", "ListItem", "Paragraph inner b",
        "BlockQuote", "Paragraph quoted in b", "ListItem", "Paragraph outer two",
        "Table",
        # the handout, then the contact and disclaimer snippets
        "Heading Handout", "KeyPoints", "BulletList", "ListItem", "Paragraph kept",
        "BulletList", "ListItem", "Paragraph Call us", "ListItem", "Paragraph Write to us",
        "Paragraph This sheet is for learning only. It is not medical advice. Ask your own "
        "doctor."]
    assert [shape(n) for n in walk.blocks(doc.contact)][-1] == "Paragraph Write to us"
    assert [shape(n) for n in walk.blocks(doc.handout[1])] == [
        "KeyPoints", "BulletList", "ListItem", "Paragraph kept"]


def test_into_decides_which_nodes_are_entered(doc):
    not_lists = [shape(n) for n in walk.blocks(doc.body, into=lambda n: not isinstance(
        n, walk.LISTS))]
    assert not_lists == ["Paragraph Intro with one two three and a link x.", "BulletList",
                         "Table"]
    first_item = doc.body[1].items[0]
    assert [shape(n) for n in walk.blocks(first_item.blocks, into=lambda n: not isinstance(
        n, walk.LISTS))] == ["Paragraph outer one", "Figure A blue square", "BulletList"]


def test_query_joins_what_each_node_gives(doc):
    srcs = walk.query(doc, lambda n: [n.src] if isinstance(n, m.Figure) else None)
    assert srcs == ["source/images/square.png"] == list(doc.assets)
    lines = walk.query(doc.body, lambda n: [n.loc.line] if isinstance(n, m.ListItem) else ())
    assert lines == sorted(lines) and len(lines) == 4


def test_inlines_in_reading_order(doc):
    kinds = [type(n).__name__ for n in walk.inlines(doc.body[0])]
    assert kinds == ["Text", "Emph", "Text", "Strong", "Text", "Text", "Text", "Link", "Text",
                     "Code", "Text"]
    assert [n.text for n in walk.inlines(doc.body[2]) if isinstance(n, m.Text) and n.text] == [
        "Head", "Cell", "r1", "r2"]
    cell = [type(n).__name__ for n in walk.inlines(doc.body[2].rows[0][1])]
    assert cell.index("Strong") < cell.index("Text", cell.index("Strong"))
    assert [n.text for n in walk.inlines(doc) if isinstance(n, m.Text)][-2:] == [
        "Write to us", "This sheet is for learning only. It is not medical advice. Ask your "
                       "own doctor."]
    link = doc.body[0].inlines[-2]
    assert list(walk.inlines(link.children)) == [m.Text("link "), m.Code("x")]


def test_walk_keeps_what_fn_leaves_and_shares_it(doc):
    seen = []
    same = walk.walk(doc, lambda n: seen.append(shape(n)))
    assert same == doc
    assert same.body[2] is doc.body[2] and same.meta is doc.meta
    assert seen == [shape(n) for n in walk.blocks(doc)]  # once per node, in reading order


def test_walk_replaces_and_a_replacement_takes_charge(doc):
    def louder(node):
        if isinstance(node, m.Paragraph):
            return replace(node, inlines=(m.Text(plain(node.inlines).upper()),))
        return None

    loud = walk.walk(doc, louder)
    assert [shape(n) for n in walk.blocks(loud) if isinstance(n, m.Paragraph)] == [
        s.upper().replace("PARAGRAPH", "Paragraph")
        for s in (shape(n) for n in walk.blocks(doc) if isinstance(n, m.Paragraph))]
    assert plain(doc.body[0].inlines).startswith("Intro")  # the original is untouched

    def items_only(node):  # a list item's direct paragraphs, not the ones nested deeper
        if isinstance(node, m.ListItem):
            return replace(node, blocks=tuple(
                louder(b) if isinstance(b, m.Paragraph) else walk.walk(b, items_only)
                for b in node.blocks))
        return None

    marked = [shape(n) for n in walk.blocks(walk.walk(doc.body, items_only))
              if isinstance(n, m.Paragraph)]
    assert marked == ["Paragraph Intro with one two three and a link x.", "Paragraph OUTER ONE",
                      "Paragraph INNER A", "Paragraph INNER B", "Paragraph quoted in b",
                      "Paragraph OUTER TWO"]


def test_walk_over_one_node_and_a_snippet(doc):
    figure = doc.body[1].items[0].blocks[1]
    moved = walk.walk(figure, lambda n: replace(n, src="x.png"))
    assert isinstance(moved, m.Figure) and moved.src == "x.png"
    snippet = walk.walk(doc.contact, lambda n: None)
    assert snippet == doc.contact and isinstance(snippet, m.Snippet)
    assert walk.walk((), lambda n: n) == ()

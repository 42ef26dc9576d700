"""The translatable units of a Document, and the same Document with new text for each unit.

One traversal serves both directions: `units(doc)` lists every message (with its msgctxt, kind,
source line and a note for the translator), and `rebuild(doc, text_for)` returns a new Document
in which each unit's text was replaced by `text_for(unit)` and its inline Markdown parsed again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from pipeline import model as m
from pipeline.read.markdown import Context, inlines_of, parser

HANDOUT = "handout"
KEYWORD = "keyword"
"""msgctxt of the front matter's keywords: a search term is translated apart from a heading or
a word of the text that happens to be spelt the same."""


@dataclass(frozen=True, slots=True)
class Unit:
    """One message: what a translator sees and where it came from."""

    domain: str
    """The document id, or `shared` for the snippets."""
    context: str | None
    """msgctxt: `handout` for the handout's blocks (translated more plainly), `keyword` for the
    front matter's keywords, else None."""
    msgid: str
    kind: str
    """`title`, `summary`, `reviewed_by` (the review credit), `keyword`, `heading`, `paragraph`,
    `list item`, `table header`, `table cell`, `image alt text`, `image caption`."""
    loc: m.Loc
    outputs: str = "*"
    """Which outputs show it: `article` (the body), `handouts` (the handout blocks) or `*`
    (title, summary, review credit, the shared snippets)."""

    @property
    def notes(self) -> list[str]:
        """`#.` comments for the translator."""
        notes = [{"reviewed_by": "review credit: the team named in "
                                 "\"Updated by … — date\"",
                  "keyword": "keyword: a search term in the files' metadata (not printed); "
                             "use the word patients would search for"}.get(self.kind, self.kind)]
        if self.context == HANDOUT:
            notes.append("handout: keep it short and plain")
        if "](" in self.msgid:
            notes.append("link text: translate the words in [ ], keep the URL in ( ) as is")
        if "`" in self.msgid:
            notes.append("keep `code` spans as they are")
        return notes


TextFor = Callable[[Unit], str | None]


def parse_inline(text: str, path: str) -> tuple[m.Inline, ...]:
    """Inline Markdown (a translated msgstr) → model inlines; raw HTML raises SourceError."""
    tokens = parser().parseInline(text)
    return inlines_of(tokens[0], Context(path)) if tokens else ()


class _Walker:
    """Walks a Document's units, collecting them and/or replacing their text."""

    def __init__(self, text_for: TextFor | None):
        self.text_for = text_for
        self.found: list[Unit] = []
        self.outputs = "*"
        """The `Unit.outputs` of the part being walked."""

    def text(self, unit: Unit) -> str | None:
        self.found.append(unit)
        return self.text_for(unit) if self.text_for else None

    def inlines(self, domain, context, kind, source, inlines, loc):
        new = self.text(Unit(domain, context, source, kind, loc, self.outputs))
        if new is None:
            return source, inlines
        return new, parse_inline(new, loc.path)

    def blocks(self, domain: str, context: str | None, blocks, kind_override=None):
        return tuple(self.block(domain, context, block, kind_override) for block in blocks)

    def block(self, domain, context, block, kind_override=None):
        if isinstance(block, (m.Heading, m.Paragraph)):
            kind = "heading" if isinstance(block, m.Heading) else (kind_override or "paragraph")
            source, inlines = self.inlines(domain, context, kind, block.source, block.inlines,
                                           block.loc)
            return replace(block, source=source, inlines=inlines)
        if isinstance(block, (m.BulletList, m.OrderedList)):
            items = tuple(replace(item, blocks=self.blocks(domain, context, item.blocks,
                                                           "list item"))
                          for item in block.items)
            return replace(block, items=items)
        if isinstance(block, m.Table):
            def cells(row, kind):
                out = []
                for cell in row:
                    source, inlines = self.inlines(domain, context, kind, cell.source,
                                                   cell.inlines, cell.loc)
                    out.append(replace(cell, source=source, inlines=inlines))
                return tuple(out)
            return replace(block, header=cells(block.header, "table header"),
                           rows=tuple(cells(row, "table cell") for row in block.rows))
        if isinstance(block, m.Figure):
            alt = self.text(Unit(domain, context, block.alt, "image alt text", block.loc,
                                 self.outputs))
            caption = block.caption
            if caption:
                caption = self.text(Unit(domain, context, caption, "image caption",
                                         block.loc, self.outputs)) or caption
            return replace(block, alt=alt or block.alt, caption=caption)
        if isinstance(block, (m.BlockQuote, m.KeyPoints)):
            return replace(block, blocks=self.blocks(domain, context, block.blocks))
        raise TypeError(f"unknown block {type(block).__name__}")

    def document(self, doc: m.Document) -> m.Document:
        meta = doc.meta
        fields = {}
        for name in ("title", "summary", "reviewed_by"):
            field = getattr(meta, name)
            new = self.text(Unit(doc.id, None, field.value, name, field.loc))
            fields[name] = replace(field, value=new) if new is not None else field
        keywords = tuple(self.text(Unit(doc.id, KEYWORD, keyword, "keyword",
                                        meta.keywords_loc or meta.title.loc, "*")) or keyword
                         for keyword in meta.keywords)  # every output's metadata
        self.outputs = "article"
        body = self.blocks(doc.id, None, doc.body)
        self.outputs = "handouts"
        handout = self.blocks(doc.id, HANDOUT, doc.handout)
        self.outputs = "*"
        contact = replace(doc.contact, blocks=self.blocks("shared", None, doc.contact.blocks))
        disclaimer = replace(doc.disclaimer,
                             blocks=self.blocks("shared", None, doc.disclaimer.blocks))
        return replace(doc, meta=replace(meta, **fields, keywords=keywords), body=body, handout=handout,
                       contact=contact, disclaimer=disclaimer)


def units(doc: m.Document) -> list[Unit]:
    """Every translatable unit of the document and its snippets, in reading order."""
    walker = _Walker(None)
    walker.document(doc)
    return walker.found


def rebuild(doc: m.Document, text_for: TextFor) -> m.Document:
    """A new Document with each unit's text from `text_for` (None keeps the source text)."""
    return _Walker(text_for).document(doc)

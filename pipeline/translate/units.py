"""The translatable units of a Document, and the same Document with new text for each unit.

One traversal serves both directions: `units(doc)` lists every message (with its msgctxt, kind,
source line and a note for the translator), and `rebuild(doc, text_for)` returns a new Document
in which each unit's text was replaced by `text_for(unit)` and its inline Markdown parsed again.
That traversal is the model's transform (`model.walk.walk`): listing the units is rebuilding
with the text kept.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from pipeline import model as m
from pipeline.model import walk
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
        self.domain, self.context, self.outputs = "", None, "*"
        """The `Unit.domain`, `.context` and `.outputs` of the part being walked."""

    def text(self, unit: Unit) -> str | None:
        self.found.append(unit)
        return self.text_for(unit) if self.text_for else None

    def inlines(self, domain, context, kind, source, inlines, loc):
        new = self.text(Unit(domain, context, source, kind, loc, self.outputs))
        if new is None:
            return source, inlines
        return new, parse_inline(new, loc.path)

    def part(self, domain: str, context: str | None, outputs: str, blocks):
        """The blocks of one part (body, handout, a snippet), each unit's text replaced."""
        self.domain, self.context, self.outputs = domain, context, outputs
        return walk.walk(blocks, self.block)

    def block(self, block, kind: str | None = None):
        """`block` with its own units replaced; None for a list or a quote (walked on)."""
        domain, context = self.domain, self.context
        if isinstance(block, (m.Heading, m.Paragraph)):
            kind = "heading" if isinstance(block, m.Heading) else (kind or "paragraph")
            source, inlines = self.inlines(domain, context, kind, block.source, block.inlines,
                                           block.loc)
            return replace(block, source=source, inlines=inlines)
        if isinstance(block, m.ListItem):  # its own paragraphs are `list item` units
            return replace(block, blocks=tuple(
                self.block(child, "list item") if isinstance(child, m.Paragraph)
                else walk.walk(child, self.block) for child in block.blocks))
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
        return None

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
        body = self.part(doc.id, None, "article", doc.body)
        handout = self.part(doc.id, HANDOUT, "handouts", doc.handout)
        contact = self.part("shared", None, "*", doc.contact)
        disclaimer = self.part("shared", None, "*", doc.disclaimer)
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

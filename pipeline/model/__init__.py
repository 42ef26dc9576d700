"""The typed document model every stage shares.

A source file becomes a `Document`: frozen dataclasses, one per block and inline kind, each block
carrying the `Loc` (file and line) it came from so that any later stage can point a person at
the line to fix. Transforms return new trees; nothing here is mutated after construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True, slots=True)
class Loc:
    """A place in a project file, as people read it: `source/x.md:12:3`."""

    path: str
    """Path relative to the project root, with forward slashes."""
    line: int | None = None
    """1-based line number, when known."""
    column: int | None = None
    """1-based column, when known."""

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    @classmethod
    def parse(cls, text: str) -> "Loc":
        """`source/x.md:12:3` → Loc; a path without trailing numbers keeps them None."""
        path, line, column = text, None, None
        head, _, tail = path.rpartition(":")
        if head and tail.isdigit():
            path, line = head, int(tail)
            head, _, tail = path.rpartition(":")
            if head and tail.isdigit():
                path, line, column = head, int(tail), line
        return cls(path, line, column)


# ----------------------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Text:
    """Plain text."""

    text: str


@dataclass(frozen=True, slots=True)
class Code:
    """A code span (kept verbatim)."""

    text: str


@dataclass(frozen=True, slots=True)
class Emph:
    """Emphasis (`*x*`)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    """Strong emphasis (`**x**`)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink; `url` is an http(s) or mailto/tel URL, checked by the reader."""

    url: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break."""


Inline = Union[Text, Code, Emph, Strong, Link, LineBreak]


# ----------------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading; level 1 is the document title, body headings start at 2."""

    level: int
    inlines: tuple[Inline, ...]
    source: str
    """The inline Markdown as written (the unit a translator sees)."""
    loc: Loc
    anchor: str = ""
    """A stable id for links and bookmarks."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of inline content."""

    inlines: tuple[Inline, ...]
    source: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a list; holds blocks (usually one paragraph, maybe a nested list)."""

    blocks: tuple[Block, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class BulletList:
    """An unordered list."""

    items: tuple[ListItem, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class OrderedList:
    """A numbered list starting at `start`."""

    items: tuple[ListItem, ...]
    loc: Loc
    start: int = 1


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell (header or data)."""

    inlines: tuple[Inline, ...]
    source: str
    loc: Loc
    align: str | None = None
    """`left`, `center`, `right` or None."""


@dataclass(frozen=True, slots=True)
class Table:
    """A table with one header row; the header cells become `th scope=col`."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class Figure:
    """An image standing alone in its paragraph, with required alt text."""

    src: str
    """Project-relative path of the image file (checked to be inside `source/`)."""
    alt: str
    loc: Loc
    caption: str = ""
    """The Markdown image title, shown as a caption when present."""


@dataclass(frozen=True, slots=True)
class BlockQuote:
    """A block quotation."""

    blocks: tuple[Block, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class KeyPoints:
    """A `::: key-points` box inside the handout: the few things to remember."""

    blocks: tuple[Block, ...]
    loc: Loc


Block = Union[Heading, Paragraph, BulletList, OrderedList, Table, Figure, BlockQuote, KeyPoints]


# ----------------------------------------------------------------------------- documents


@dataclass(frozen=True, slots=True)
class Field:
    """A front-matter value with the line it was written on."""

    value: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Meta:
    """Front matter of a source document."""

    title: Field
    summary: Field
    reviewed: tuple[int, int]
    """(year, month) of the clinical review."""
    reviewed_loc: Loc
    reviewed_by: Field
    url: Field
    """Where the full article lives online (handout QR code and link)."""
    keywords: tuple[str, ...] = ()
    """Search terms for the outputs' metadata; translated like the text (msgctxt `keyword`)."""
    keywords_loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Snippet:
    """An approved shared block from `source/_shared/` (disclaimer, contact)."""

    name: str
    blocks: tuple[Block, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class Document:
    """One topic: the full article and its plain-language handout, in one locale."""

    id: str
    path: str
    """Project-relative source path."""
    meta: Meta
    body: tuple[Block, ...]
    handout: tuple[Block, ...]
    handout_loc: Loc
    contact: Snippet
    disclaimer: Snippet
    locale: str = "en"
    """The locale the text is in (the source locale until translated)."""
    draft: bool = False
    """True when a translation is incomplete and source text filled the gaps."""
    assets: tuple[str, ...] = field(default=())
    """Project-relative paths of every file the document reads (images), for hashing."""


# ----------------------------------------------------------------------------- results

from pipeline.model.results import Artifact, CheckResult, Severity  # noqa: E402,F401

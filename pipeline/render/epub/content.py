"""Localized Document → the EPUB's XHTML content document.

The same structure as the HTML page (`styles/templates/*.html.j2`): one `h1`, headings in
order, lists, tables with `th scope="col"`, figures with alt text, `main` and a `footer` with
the contact block, the disclaimer and the review stamp; `lang` and `dir` on `<html>`. What the
EPUB adds: every block a listener hears is its own element with an id `s<n>` (a heading, a
paragraph, a list item, a table row, a figure), which the Media Overlay points at, and the
images are files inside the package. Written as XML strings through `xml.text`/`xml.attr`, so
the result is well-formed whatever the text holds.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from pipeline.model import (BlockQuote, BulletList, Code, Emph, Figure, Heading, KeyPoints,
                            LineBreak, Link, OrderedList, Paragraph, Strong, Table, Text)
from pipeline.read.markdown import plain
from pipeline.render.epub.xml import attr, text, xhtml_page
from pipeline.settings.labels import Labels

MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif"}


@dataclass
class Content:
    """The content document and what the package needs to know about it."""

    xhtml: str = ""
    images: list[tuple[str, str, str]] = field(default_factory=list)
    """(name inside the package, project-relative source path, media type)."""
    headings: list[tuple[int, str, str]] = field(default_factory=list)
    """(level, id, text) in order: the table of contents."""
    tables: int = 0
    figures: int = 0


class _Writer:
    def __init__(self, labels: Labels):
        self.labels = labels
        self.count = 0
        self.out = Content()
        self.sources: dict[str, str] = {}

    def unit(self) -> str:
        """A new id for an element that is spoken (and can be pointed at)."""
        self.count += 1
        return f"s{self.count}"

    def image(self, src: str) -> str:
        if src not in self.sources:
            suffix = PurePosixPath(src).suffix.lower()
            name = f"images/image-{len(self.sources) + 1}{suffix}"
            media = MEDIA_TYPES.get(suffix) or mimetypes.guess_type(src)[0] or "image/png"
            self.sources[src] = name
            self.out.images.append((name, src, media))
        return self.sources[src]

    def inlines(self, items) -> str:
        parts = []
        for node in items:
            if isinstance(node, Text):
                parts.append(text(node.text))
            elif isinstance(node, Code):
                parts.append(f"<code>{text(node.text)}</code>")
            elif isinstance(node, Emph):
                parts.append(f"<em>{self.inlines(node.children)}</em>")
            elif isinstance(node, Strong):
                parts.append(f"<strong>{self.inlines(node.children)}</strong>")
            elif isinstance(node, Link):
                parts.append(f'<a href="{attr(node.url)}">{self.inlines(node.children)}</a>')
            elif isinstance(node, LineBreak):
                parts.append("<br/>")
        return "".join(parts)

    def heading(self, level: int, inner: str, label: str, ident: str | None = None) -> str:
        ident = ident or self.unit()
        self.out.headings.append((level, ident, label))
        return f'<h{level} id="{ident}">{inner}</h{level}>'

    def blocks(self, items, spoken: bool = True) -> list[str]:
        """Blocks as XHTML; with `spoken` off (the paragraphs of a list item, which the item
        speaks as a whole), paragraphs get no id of their own."""
        out: list[str] = []
        for index, block in enumerate(items):
            if isinstance(block, Heading):
                out.append(self.heading(block.level, self.inlines(block.inlines),
                                        plain(block.inlines)))
            elif isinstance(block, Paragraph):
                ident = f' id="{self.unit()}"' if spoken else ""
                out.append(f"<p{ident}>{self.inlines(block.inlines)}</p>")
            elif isinstance(block, (BulletList, OrderedList)):
                tag = "ol" if isinstance(block, OrderedList) else "ul"
                start = f' start="{block.start}"' if tag == "ol" and block.start != 1 else ""
                items_ = [self.item(item) for item in block.items]
                out.append(f"<{tag}{start}>\n" + "\n".join(items_) + f"\n</{tag}>")
            elif isinstance(block, Table):
                out.append(self.table(block))
            elif isinstance(block, Figure):
                self.out.figures += 1
                caption = f"<figcaption>{text(block.caption)}</figcaption>" \
                    if block.caption else ""
                out.append(f'<figure id="{self.unit()}"><img src="{self.image(block.src)}" '
                           f'alt="{attr(block.alt)}"/>{caption}</figure>')
            elif isinstance(block, BlockQuote):
                out.append("<blockquote>\n" + "\n".join(self.blocks(block.blocks, spoken))
                           + "\n</blockquote>")
            elif isinstance(block, KeyPoints):
                label = self.labels("Key points")
                ident = self.unit()
                inner = [self.heading(2, text(label), label, ident),
                         *self.blocks(block.blocks, spoken)]
                out.append(f'<section class="key-points" aria-labelledby="{ident}">\n'
                           + "\n".join(inner) + "\n</section>")
        return out

    def item(self, item) -> str:
        ident = self.unit()
        if len(item.blocks) == 1 and isinstance(item.blocks[0], Paragraph):
            return f'<li id="{ident}">{self.inlines(item.blocks[0].inlines)}</li>'
        return f'<li id="{ident}">' + "\n".join(self.blocks(item.blocks, spoken=False)) + \
            "</li>"

    def table(self, block: Table) -> str:
        self.out.tables += 1
        head = "".join(f'<th scope="col"{_align(c)}>{self.inlines(c.inlines)}</th>'
                       for c in block.header)
        rows = "\n".join(f'<tr id="{self.unit()}">' + "".join(
            f"<td{_align(c)}>{self.inlines(c.inlines)}</td>" for c in row) + "</tr>"
            for row in block.rows)
        return (f'<table id="table-{self.out.tables}">\n<thead><tr>{head}</tr></thead>\n'
                f"<tbody>\n{rows}\n</tbody>\n</table>")


def _align(cell) -> str:
    return f' class="align-{cell.align}"' if cell.align in ("left", "center", "right") else ""


def render_content(doc, labels: Labels, *, handout: bool, lang: str, dir_: str, stamp: str
                   ) -> Content:
    """The content document of the article (or, with `handout`, of the handout)."""
    w = _Writer(labels)
    title = doc.meta.title.value
    body = []
    if doc.draft:
        mark = labels("DRAFT — translation incomplete")
        body.append(f'<p class="draft-mark" role="note" id="{w.unit()}">{text(mark)}</p>')
    body.append('<main id="main">')
    body.append(w.heading(1, text(title), title))
    if handout:
        body += w.blocks(doc.handout)
        # Translators: heading above the link to the full article, in the handout e-book.
        heading = labels("Read the full article")
        url = doc.meta.url.value
        body += ['<section class="more" aria-labelledby="more">',
                 w.heading(2, text(heading), heading, "more"),
                 f'<p><a href="{attr(url)}"><span class="url" dir="ltr">{text(url)}</span></a>'
                 "</p>", "</section>"]
    else:
        body.append(f'<p class="summary" id="{w.unit()}">{text(doc.meta.summary.value)}</p>')
        body += w.blocks(doc.body)
    body.append("</main>")
    body += ['<footer class="colophon">', '<div class="contact">',
             *w.blocks(doc.contact.blocks), "</div>", '<div class="disclaimer">',
             *w.blocks(doc.disclaimer.blocks), "</div>",
             f'<p class="stamp" id="{w.unit()}">{text(stamp)}</p>', "</footer>"]
    w.out.xhtml = xhtml_page(lang, dir_, title, "<body>\n" + "\n".join(body) + "\n</body>")
    return w.out

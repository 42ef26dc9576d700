"""Read the text back out of a rendered artifact, the way a reader or screen reader gets it.

PDF text comes from pypdf's extraction of the text layer; HTML text from the parsed page with
`<head>`, scripts and styles left out. `squash` makes comparisons blind to layout whitespace
and soft hyphens, which differ between formats without changing what a person reads.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from pipeline import outputs


class ArtifactUnreadable(Exception):
    """The artifact could not be parsed (truncated, corrupted, not the format it claims)."""


def pdf_text(data: bytes) -> str:
    """The PDF's text layer, page after page."""
    from pypdf.errors import PyPdfError

    from pipeline.readback.pdf_blocks import extract
    try:
        return extract(data)[0]
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ArtifactUnreadable(f"the PDF cannot be read: {exc}") from exc


class _TextOnly(HTMLParser):
    SKIP = {"head", "script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and not self.depth:
                self.parts.append(f" {alt} ")
        if tag in ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "br", "div"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def html_text(data: bytes) -> str:
    """The visible text of an HTML page (images contribute their alt text)."""
    parser = _TextOnly()
    parser.feed(data.decode("utf-8", "replace"))
    parser.close()
    return "".join(parser.parts)


def squash(text: str) -> str:
    """Text with layout noise removed: NFKC, no soft hyphens, no whitespace at all."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return re.sub(r"\s+", "", text)


def text_of(output: str, data: bytes) -> str:
    """The text of an artifact, read the way its output row says (`reader`)."""
    reader = outputs.output(output).reader
    if reader == "pdf":
        return pdf_text(data)
    if reader == "html":
        return html_text(data)
    if reader == "docx":
        from pipeline.readback.docx import docx_text
        return docx_text(data)
    if reader == "epub":
        from pipeline.readback.epub import epub_text
        return epub_text(data)
    raise ValueError(f"no reader `{reader}` for output {output}")

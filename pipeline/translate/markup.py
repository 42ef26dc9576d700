"""Markup in a translator's text, found the way a browser would find it: by an HTML parser.

A pattern misses what a browser still reads as a tag (`<a href=… x=<>` has an attribute whose
value holds `<`); the standard library's `html.parser` follows the HTML tokenizer's lenient
rules. Anything it reads as a start or end tag, comment, declaration or processing
instruction is markup, and so is a construct left open at the end of the text (`<b`, `<!--`):
next to the page's own markup it would become a tag too. A `<` that opens nothing (`a < b`,
`<3`) is text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_OPENS = re.compile(r"<[A-Za-z/!?]")


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found.append(self.get_starttag_text() or f"<{tag}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.found.append(f"</{tag}>")

    def handle_comment(self, data):
        self.found.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.found.append(f"<!{decl}>")

    def unknown_decl(self, data):
        self.found.append(f"<![{data}]>")

    def handle_pi(self, data):
        self.found.append(f"<?{data}>")


def markup(text: str) -> list[str]:
    """Every piece of markup in `text`, as written (empty for plain text)."""
    if "<" not in text:
        return []
    finder = _Finder()
    finder.feed(text)
    rest = finder.rawdata  # what the parser holds back: an unfinished construct
    if _OPENS.match(rest):
        finder.found.append(rest)
    return finder.found


def shown(piece: str) -> str:
    """A piece of markup as an error message quotes it (one line, not too long)."""
    piece = " ".join(piece.split())
    return piece if len(piece) <= 60 else piece[:57] + "…"

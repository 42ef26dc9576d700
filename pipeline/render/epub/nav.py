"""The EPUB navigation document: the table of contents (every heading, nested by level) and the
landmarks (the contents and the start of the text).

`role="doc-toc"` repeats `epub:type="toc"` for assistive technology that reads ARIA only
(DAISY Ace reports an `epub:type` without its matching role). The landmarks list is `hidden`:
reading systems use it, people do not need to see it twice.
"""

from __future__ import annotations

from pipeline.render.epub.xml import attr, text, xhtml_page
from pipeline.settings.labels import Labels


def _tree(headings: list[tuple[int, str, str]], content: str) -> str:
    """Nested `<ol>`s: a heading goes under the nearest heading before it of a lower level."""
    out: list[str] = []
    levels: list[int] = []  # the levels of the open <li>s
    lists = 0               # open <ol>s: as many as open <li>s, or one more

    def close() -> None:
        nonlocal lists
        if lists > len(levels):
            out.append("</ol>")
            lists -= 1
        out.append("</li>")
        levels.pop()

    for level, ident, label in headings:
        while levels and levels[-1] >= level:
            close()
        if lists == len(levels):
            out.append("<ol>")
            lists += 1
        levels.append(level)
        out.append(f'<li><a href="{content}#{attr(ident)}">{text(label)}</a>')
    while levels:
        close()
    out += ["</ol>"] * lists
    return "\n".join(out)


def render_nav(headings, labels: Labels, *, lang: str, dir_: str, title: str,
               content: str = "content.xhtml") -> str:
    # Translators: the heading of an e-book's table of contents.
    contents = labels("Contents")
    # Translators: the name of an e-book's list of landmarks (read by reading systems).
    landmarks = labels("Landmarks")
    # Translators: the landmark that leads to the start of an e-book's text.
    start = labels("Main text")
    body = (f'<body>\n<nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-title">\n'
            f'<h1 id="toc-title">{text(contents)}</h1>\n{_tree(headings, content)}\n</nav>\n'
            f'<nav epub:type="landmarks" id="landmarks" aria-label="{attr(landmarks)}"'
            f' hidden="hidden">\n<ol>\n'
            f'<li><a epub:type="toc" href="#toc">{text(contents)}</a></li>\n'
            f'<li><a epub:type="bodymatter" href="{content}#main">'
            f'{text(start)}</a></li>\n</ol>\n</nav>\n</body>')
    return xhtml_page(lang, dir_, f"{title} — {contents}", body)

"""CommonMark (markdown-it-py) tokens → model blocks, with `token.map` turned into `Loc`s.

Used for sources, shared snippets and (later) translated messages. The accepted subset is the
brief's: headings, paragraphs, lists, GFM tables, images with alt text, links, emphasis, code
spans, block quotes and the `handout` / `key-points` containers. Raw HTML is refused.

Hostile input is bounded here too. markdown-it stops parsing silently once blocks are nested
`maxNesting` (20) deep and drops the rest of the file; a guard rule refuses nesting deeper than
`MAX_BLOCK_DEPTH` token levels first, with the line, so no text is ever lost without an error.
Inline nesting (emphasis in links in emphasis…) is limited to `MAX_INLINE_DEPTH`, which keeps
every later recursive walk of the tree shallow. Text that reaches the model after character
references are decoded (`&#x202E;`) is checked for control and direction-control characters.

With a `Problems` collector in the `Context` (sources), a bad block or inline is recorded and
skipped and parsing reads on, so one run reports every mistake of a file; without one
(translated messages), the first error is raised.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import unquote
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from pipeline.errors import Problems, SourceError
from pipeline import model as m
from pipeline.model import walk

CONTAINERS = ("handout", "key-points")
LINK_SCHEMES = ("https://", "http://", "mailto:", "tel:")
MAX_BLOCK_DEPTH = 12
"""Token levels a block may start at: a handout, a key-points box and four lists inside each
other is 10. markdown-it's own limit (20) would silently drop the rest of the file."""
MAX_INLINE_DEPTH = 10
"""Emphasis, strong and links inside each other."""
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
FORBIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Control characters (tab and newline are text), the invisible line and paragraph separators
(U+2028, U+2029: PDF text extraction loses the text around them), and the direction controls
that can make text read differently from how it is stored (U+202E RIGHT-TO-LEFT OVERRIDE and
friends)."""


class _TooDeep(Exception):
    """Raised inside the parser at the first block nested too deeply (0-based line)."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def _depth_guard(state, start_line: int, end_line: int, silent: bool) -> bool:
    if state.level >= MAX_BLOCK_DEPTH:
        raise _TooDeep(start_line)
    return False


def describe_char(char: str) -> str:
    """What an error calls a forbidden character."""
    if char in BIDI_CONTROLS:
        return f"the invisible direction control U+{ord(char):04X}, which can disguise text"
    if char in "\u2028\u2029":
        return (f"the invisible {'line' if char == chr(0x2028) else 'paragraph'} separator "
                f"U+{ord(char):04X} (use a blank line between paragraphs)")
    return f"the control character U+{ord(char):04X}"


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The one configured parser (built on first use, not at import)."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    for name in CONTAINERS:
        container_plugin(md, name)
    # Every link is validated by us, with an error that says why; markdown-it's own filter
    # would silently turn a `javascript:` link into plain text instead.
    md.validateLink = lambda url: True
    first = md.block.ruler.get_all_rules()[0]
    md.block.ruler.before(first, "plainpress_depth_guard", _depth_guard, {"alt": []})
    return md


@dataclass(frozen=True, slots=True)
class Context:
    """Where the tokens came from and what the caller allows."""

    path: str
    """Project-relative path of the file being read."""
    line_offset: int = 0
    """Lines before the parsed text (front matter), added to `token.map`."""
    resolve_image: Callable[[str, m.Loc], str] | None = None
    """Checks an image path and returns it project-relative; None means images are refused."""
    problems: Problems | None = None
    """Where errors go so that parsing reads on (None: raise at the first, as for a msgstr)."""

    def fail(self, error: SourceError) -> None:
        """Record `error` and let the caller carry on, or raise it when nothing collects."""
        if self.problems is None:
            raise error
        self.problems.add(error)


def read_blocks(text: str, ctx: Context
                ) -> tuple[tuple[m.Block, ...], list[tuple[m.Loc, tuple[m.Block, ...]]]]:
    """Parse `text`: the top-level blocks, and each `::: handout` container's blocks apart."""
    try:
        tokens = parser().parse(text)
    except _TooDeep as exc:
        raise SourceError(m.Loc(ctx.path, exc.line + 1 + ctx.line_offset),
                          "lists and block quotes are nested too deeply here",
                          hint="flatten the structure: a reader cannot follow more than three "
                               "or four levels of lists or quotes inside each other") from None
    body: list[m.Block] = []
    handouts: list[tuple[m.Loc, tuple[m.Block, ...]]] = []
    pos = 0
    while pos < len(tokens):
        token = tokens[pos]
        if token.type == "container_handout_open":
            end = _closing(tokens, pos)
            handouts.append((_loc(token, ctx), _children(tokens[pos + 1:end], ctx)))
            pos = end + 1
        elif token.type.startswith("container_"):
            ctx.fail(SourceError(_loc(token, ctx), "`::: key-points` belongs inside the handout",
                                 hint="move the key-points box inside the `:::: handout` "
                                      "container"))
            pos = _closing(tokens, pos) + 1
        else:
            block, pos = _guarded(tokens, pos, ctx)
            if block is not None:
                body.append(block)
    return tuple(body), handouts


def _guarded(tokens: list[Token], pos: int, ctx: Context) -> tuple[m.Block | None, int]:
    """`_block`, except that with a collector a bad block is recorded and skipped (None), so
    that the blocks after it are still read and checked."""
    try:
        return _block(tokens, pos, ctx)
    except SourceError as error:
        ctx.fail(error)
        end = _closing(tokens, pos) if tokens[pos].nesting == 1 else pos
        return None, end + 1


def _loc(token: Token, ctx: Context) -> m.Loc:
    line = token.map[0] + 1 + ctx.line_offset if token.map else None
    return m.Loc(ctx.path, line)


def _closing(tokens: list[Token], pos: int) -> int:
    """Index of the token that closes tokens[pos] (same level, nesting -1)."""
    depth = 0
    for index in range(pos, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    raise AssertionError("markdown-it produced unbalanced tokens")


def _children(tokens: list[Token], ctx: Context) -> tuple[m.Block, ...]:
    blocks, pos = [], 0
    while pos < len(tokens):
        token = tokens[pos]
        if token.type.startswith("container_"):
            if token.type == "container_key-points_open":
                end = _closing(tokens, pos)
                blocks.append(m.KeyPoints(_children(tokens[pos + 1:end], ctx), _loc(token, ctx)))
                pos = end + 1
                continue
            ctx.fail(SourceError(_loc(token, ctx), "a `:::` container cannot go here",
                                 hint="only `::: key-points` may sit inside the handout, and "
                                      "nothing inside it; give the outer container more colons"))
            pos = _closing(tokens, pos) + 1
            continue
        block, pos = _guarded(tokens, pos, ctx)
        if block is not None:
            blocks.append(block)
    return tuple(blocks)


def _block(tokens: list[Token], pos: int, ctx: Context) -> tuple[m.Block, int]:
    token = tokens[pos]
    loc = _loc(token, ctx)
    kind = token.type
    if kind in ("html_block",):
        raise SourceError(loc, "raw HTML is not allowed in a source",
                          hint="write it in Markdown; ask for a new block kind if Markdown "
                               "cannot say it")
    if kind == "heading_open":
        inline = tokens[pos + 1]
        level = int(token.tag[1])
        inlines = inlines_of(inline, ctx)
        return m.Heading(level, inlines, inline.content, loc, slug(plain(inlines))), pos + 3
    if kind == "paragraph_open":
        inline = tokens[pos + 1]
        if inline.content.startswith(":::"):
            raise SourceError(loc, f"unknown or unclosed container `{inline.content.split()[0]}`"
                              f"{' ' + inline.content.split()[1] if len(inline.content.split()) > 1 else ''}",
                              hint="the containers are `::: handout` and `::: key-points`, "
                                   "each closed by a line of the same number of colons")
        image = _lone_image(inline)
        if image is not None:
            return _figure(image, loc, ctx), pos + 3
        return m.Paragraph(inlines_of(inline, ctx), inline.content, loc), pos + 3
    if kind in ("bullet_list_open", "ordered_list_open"):
        end = _closing(tokens, pos)
        items, index = [], pos + 1
        while index < end:
            item_end = _closing(tokens, index)
            items.append(m.ListItem(_children(tokens[index + 1:item_end], ctx),
                                    _loc(tokens[index], ctx)))
            index = item_end + 1
        if kind == "bullet_list_open":
            return m.BulletList(tuple(items), loc), end + 1
        return m.OrderedList(tuple(items), loc, int(token.attrs.get("start", 1))), end + 1
    if kind == "blockquote_open":
        end = _closing(tokens, pos)
        return m.BlockQuote(_children(tokens[pos + 1:end], ctx), loc), end + 1
    if kind == "table_open":
        end = _closing(tokens, pos)
        return _table(tokens[pos:end + 1], loc, ctx), end + 1
    if kind in ("fence", "code_block"):
        raise SourceError(loc, "code blocks are not part of patient material",
                          hint="use a paragraph, or `code` inside a sentence")
    if kind == "hr":
        raise SourceError(loc, "horizontal rules (---, ***) are not supported",
                          hint="use a heading to start a new section")
    raise SourceError(loc, f"unsupported Markdown construct ({kind})")


def _table(tokens: list[Token], loc: m.Loc, ctx: Context) -> m.Table:
    header: list[m.Cell] = []
    rows: list[tuple[m.Cell, ...]] = []
    row: list[m.Cell] = []
    in_head = False
    for index, token in enumerate(tokens):
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type in ("th_open", "td_open"):
            inline = tokens[index + 1]
            style = token.attrs.get("style", "")
            align = style.split(":")[1] if "text-align:" in str(style) else None
            cell_loc = _loc(inline, ctx) if inline.map else loc
            row.append(m.Cell(inlines_of(inline, ctx), inline.content, cell_loc, align))
        elif token.type == "tr_close":
            if in_head:
                header = row
            else:
                rows.append(tuple(row))
            row = []
    if not any(plain(cell.inlines).strip() for cell in header):
        raise SourceError(loc, "the table's header row is empty",
                          hint="name each column in the first row; screen readers read it out")
    return m.Table(tuple(header), tuple(rows), loc)


def _lone_image(inline: Token) -> Token | None:
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    if len(children) == 1 and children[0].type == "image":
        return children[0]
    return None


def _figure(image: Token, loc: m.Loc, ctx: Context) -> m.Figure:
    alt = image.content.strip()
    # markdown-it percent-encodes the destination (`ü` → `%C3%BC`, a space → `%20`, a lone `%`
    # → `%25`); the file on disk has the name the author wrote.
    src = unquote(str(image.attrs.get("src", "")))
    if not alt:
        raise SourceError(loc, f"the image `{src}` has no alt text",
                          hint="write what the picture shows between the brackets: "
                               "![a short description](file.png)")
    if ctx.resolve_image is None:
        raise SourceError(loc, "images are not allowed in this file")
    return m.Figure(ctx.resolve_image(src, loc), alt, loc, str(image.attrs.get("title") or ""))


def inlines_of(inline: Token, ctx: Context) -> tuple[m.Inline, ...]:
    """The inline children of an `inline` token as model inlines."""
    loc = _loc(inline, ctx)
    stack: list[tuple[str, list, str]] = [("root", [], "")]
    html: list[str] = []
    for child in inline.children or []:
        kind = child.type
        if kind in ("text", "code_inline"):
            _check_chars(child.content, loc, ctx)
        if kind == "text":
            stack[-1][1].append(m.Text(child.content))
        elif kind == "softbreak":
            stack[-1][1].append(m.Text(" "))
        elif kind == "hardbreak":
            stack[-1][1].append(m.LineBreak())
        elif kind == "code_inline":
            stack[-1][1].append(m.Code(child.content))
        elif kind in ("em_open", "strong_open", "link_open"):
            if len(stack) > MAX_INLINE_DEPTH:
                ctx.fail(SourceError(loc, "emphasis and links are nested too deeply here",
                                     hint="use at most a few levels of *emphasis*, **strong** "
                                          "and links inside each other"))
                return ()  # the rest of this block cannot be trusted to nest sanely
            if kind == "link_open":
                try:
                    url = check_link(str(child.attrs.get("href", "")), loc)
                except SourceError as error:
                    ctx.fail(error)
                    url = ""
                stack.append(("link", [], url))
            else:
                stack.append((kind[:-5], [], ""))
        elif kind in ("em_close", "strong_close", "link_close"):
            name, items, url = stack.pop()
            node = {"em": lambda: m.Emph(tuple(items)), "strong": lambda: m.Strong(tuple(items)),
                    "link": lambda: m.Link(url, tuple(items))}[name]()
            stack[-1][1].append(node)
        elif kind == "html_inline":
            html.append(child.content)  # reported once for the block, below
        elif kind == "image":
            ctx.fail(SourceError(loc, "an image must stand alone in its own paragraph",
                                 hint="put the ![alt](file) on a line of its own, with blank "
                                      "lines around it"))
        else:
            ctx.fail(SourceError(loc, f"unsupported inline Markdown ({kind})"))
    if html:
        tags = ", ".join(f"`{tag}`" for tag in dict.fromkeys(html))
        ctx.fail(SourceError(loc, f"raw HTML {tags} is not allowed in a source",
                             hint="use Markdown: *emphasis*, **strong**, [text](https://…)"))
    return _merge(tuple(stack[0][1]))


def _check_chars(text: str, loc: m.Loc, ctx: Context) -> None:
    found = FORBIDDEN_CHARS.search(text)
    if found:
        ctx.fail(SourceError(loc, f"the text holds {describe_char(found.group())}",
                             hint="delete it (it may be written as a character reference such "
                                  "as `&#x202E;`)"))


def _merge(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """Join neighbouring Text nodes so equal text gives equal trees."""
    out: list[m.Inline] = []
    for node in inlines:
        if isinstance(node, m.Text) and out and isinstance(out[-1], m.Text):
            out[-1] = m.Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


def check_link(url: str, loc: m.Loc) -> str:
    """Accept web, mail and phone links and in-page anchors; refuse everything else."""
    if url.startswith("#") or url.lower().startswith(LINK_SCHEMES):
        if re.search(r"[\s<>\"]", url):
            raise SourceError(loc, f"the link `{url}` contains spaces or quotes")
        disguised = hidden_host(url)
        if disguised:
            raise SourceError(loc, f"the link `{url}` {disguised}",
                              hint="write the address as the browser shows it, with nothing "
                                   "before `@` (e.g. https://example.org/page)")
        if url.lower().startswith(("https://", "http://")) and not _web_address(url):
            raise SourceError(loc, f"the link `{url}` is not a web address",
                              hint="write the full address as the browser shows it, e.g. "
                                   "https://example.org/page")
        return url
    raise SourceError(loc, f"the link `{url}` is not allowed",
                      hint="links must be full https:// (or mailto:, tel:) addresses; "
                           "javascript:, file: and relative links are refused")


def hidden_host(url: str) -> str | None:
    """Why an http(s) URL with `user@` before its host misleads (`https://good.org@evil.example/`
    goes to evil.example), or None."""
    from urllib.parse import urlsplit
    if not url.lower().startswith(("https://", "http://")):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if "@" not in parts.netloc:
        return None
    return (f"leads to {parts.hostname or 'another host'}, not to "
            f"`{parts.netloc.rsplit('@', 1)[0]}`: the text before `@` is a user name, which "
            "hides the real host")


def _web_address(url: str) -> bool:
    """An http(s) URL with a plausible host name (letters of any script, digits, dots and
    hyphens) and, if any, a numeric port."""
    from urllib.parse import urlsplit
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError for a port that is not a number
    except ValueError:
        return False
    host = parts.hostname or ""
    return bool(re.fullmatch(r"[\w-]+(\.[\w-]+)*\.?", host)) and "@" not in parts.netloc


def plain(inlines: tuple[m.Inline, ...]) -> str:
    """The text of inlines as a reader hears it (no markup)."""
    return "".join(node.text if isinstance(node, (m.Text, m.Code)) else
                   " " if isinstance(node, m.LineBreak) else "" for node in walk.inlines(inlines))


def slug(text: str) -> str:
    """A stable ASCII-ish anchor for a heading (letters of any script are kept)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"[\s_-]+", "-", text).strip("-") or "section"


def posix(path: str) -> str:
    return str(PurePosixPath(path))

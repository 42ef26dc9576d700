"""Property-based fuzzing: generated Markdown sources and PO files go through
read → translate → render → check. The only outcomes allowed are a page that passes the gates
and is free of active content, or a `PlainpressError` with a file and line. Labels from a
table that bypasses QA must still be text on the page; PO files with any header charset,
encoding and a syntax error must read as meant or fail at a line (and never pass what
`msgfmt -c` refuses).

The seed is fixed (`derandomize=True`) and the example count bounded, so CI is deterministic.
`PLAINPRESS_FUZZ_EXAMPLES=10000 pytest tests/hostile/test_fuzz.py` (`make fuzz`) runs the long
search. Each test reuses one project folder for all its examples, so a long run writes a
bounded number of files.
"""

from __future__ import annotations

import codecs
import html as html_lib
import os
import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import escape
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from conftest import translate_all
from pipeline.settings import config as config_mod, theme as theme_mod
from pipeline.read import reader
from pipeline.gates import required_text
from pipeline.errors import PlainpressError
from pipeline.translate.localize import localize
from pipeline.render.context import RenderContext
from pipeline.render.html import render_article, stamp
from pipeline.settings.labels import Labels

pytestmark = pytest.mark.slow  # many generated examples, each through the whole pipeline

EXAMPLES = int(os.environ.get("PLAINPRESS_FUZZ_EXAMPLES", "40"))
FUZZ = settings(derandomize=True, max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

SOURCE = "source/sample.md"
FRONT = """\
---
title: Fuzzed Topic
summary: A page the fuzzer wrote.
reviewed: 2025-08
reviewed_by: Fuzz Review Team
url: https://example.org/fuzz
---

"""

# ----------------------------------------------------------------------------- strategies

MARKUP = ["*", "_", "[", "]", "(", ")", "<", ">", "#", "!", "|", ":", "`", "\\", "&", ";",
          "-", "+", ".", "~", "=", "\"", "'", " ", " ", " ", "\n", "\t", "\r", "{page}", "%",
          "{", "}", "{0}", "{team.__class__}", "{date!r}", "{team:>9}", "{{", "}}",
          "50", "&amp;", "&lt;", "&#106;", "javascript:", "https://", "\u200f", "\u200b",
          "\u2028", "\ufffd", "\ufeff"]
HOSTILE = ["\x00", "\x07", "\x1b", "\x7f", "\u0085", "\u202e", "\u202d", "\u2066",
           "&#x202E;", "&#0;", "\r\x00", "\x0c"]
SPECIALS = MARKUP + HOSTILE
WORDS = ["the", "knee", "pain", "take", "rest", "doctor", "día", "niño", "ägypten", "щ", "日本",
         "مرحبا", "שלום", "😀", "ﷺ", "𝔘"]
UNSAFE_URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "file:///etc/passwd",
               "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
               "//evil.example/x", "relative/page.html", "java\tscript:x", " javascript:x",
               "&#106;avascript:x", "https://x.org/\" onmouseover=\"alert(1)",
               "https://x.org/<script>", "https://x.org/a b", "javascript&colon;x",
               "https://x.org/%0Ajavascript:x"]
SAFE_URLS = ["https://example.org/a", "http://example.org/b?x=1&y=2", "mailto:care@example.org",
             "tel:+15550100", "#first-section", "https://example.org/ümlaut",
             "https://example.org/a_(b)"]
RAW_HTML = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
            "<a href='javascript:x'>y</a>", "<!-- comment -->", "<div>", "</p>",
            "<svg/onload=alert(1)>", "<iframe src=//evil.example>", "<style>*{}</style>",
            "<b>bold</b>", "<?php x ?>", "<![CDATA[x]]>",
            # CommonMark reads these as text; a browser reads them as tags (issue 13, D1)
            "<a href=\"https://evil.example/\" x=<>", "<img src=x onerror=alert(1)//<>"]
IMAGES = ["![A square](images/square.png)", "![](images/square.png)",
          "![x](../../etc/passwd)", "![x](https://evil.example/x.png)",
          "![x](images/nothere.png)", "![x](/etc/passwd)", "![x](images/square.png \"T\")",
          "![javascript:alert(1)](images/square.png)"]
CONTAINERS = ["::: key-points", ":::", "::: handout", ":::: weird", "::: note", "::::"]

# Clean text (any printable character, Markdown punctuation, words of several scripts) is the
# common case, so that most documents get through the reader and exercise the renderer;
# hostile characters, unsafe links and raw HTML are mixed in less often.
clean_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"),
                                   blacklist_characters="\u202a\u202b\u202c\u202d\u202e"
                                                        "\u2066\u2067\u2068\u2069"),
                     max_size=6)
text_piece = st.one_of(
    st.sampled_from(MARKUP),
    st.sampled_from(WORDS),
    st.sampled_from(WORDS),
    clean_text,
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x17F,
                          blacklist_categories=("Cc",)), min_size=1, max_size=8),
)
inline = st.lists(text_piece, max_size=12).map("".join)


def _blocks(tame: bool):
    """Blocks of Markdown: `tame` ones are well formed except for their random text (most of
    them get through the reader); wild ones add unsafe links, deep nesting, stray containers,
    images that are not files in source/, code blocks and rules."""
    url = (st.sampled_from(SAFE_URLS) if tame else
           st.one_of(st.sampled_from(SAFE_URLS), st.sampled_from(UNSAFE_URLS), inline))
    link = st.builds(lambda text, target: f"[{text}]({target})", inline, url)
    autolink = st.builds(lambda target: f"<{target}>", url)
    rich = st.lists(st.one_of(inline, inline, inline, link, autolink,
                              st.builds(lambda t: f"*{t}*", inline),
                              st.builds(lambda t: f"**{t}**", inline),
                              st.builds(lambda t: f"`{t}`", inline)),
                    min_size=1, max_size=5).map(" ".join)
    depth = st.integers(1, 3) if tame else st.one_of(st.integers(1, 4), st.integers(1, 30))
    heading = st.builds(lambda level, text: "#" * level + " " + text,
                        st.just(2) if tame else st.sampled_from([2, 3]), rich)
    bullets = st.lists(rich, min_size=1, max_size=4).map(
        lambda items: "\n".join(f"- {item}" for item in items))
    numbered = st.lists(rich, min_size=1, max_size=4).map(
        lambda items: "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1)))
    nested = st.builds(lambda n, text: "\n".join("  " * d + f"- {text}" for d in range(n)),
                       depth, inline)
    table = st.builds(
        lambda header, rows: "| " + " | ".join(header) + " |\n|" + "---|" * len(header) +
        "\n" + "".join("| " + " | ".join(row) + " |\n" for row in rows),
        st.lists(st.sampled_from(WORDS) if tame else inline, min_size=1, max_size=3),
        st.lists(st.lists(rich, min_size=1, max_size=3), max_size=4))
    quote = st.builds(lambda n, text: ">" * n + " " + text, depth, rich)
    kinds = [rich, rich, rich, heading, bullets, numbered, nested, table, quote]
    if tame:
        kinds.append(st.just("![A square](images/square.png)"))
    else:
        kinds += [st.builds(lambda head, text: f"{head}\n{text}\n:::",
                            st.sampled_from(CONTAINERS), rich),
                  st.sampled_from(IMAGES), st.sampled_from(RAW_HTML),
                  st.sampled_from(["```\ncode\n```", "---", "***", "    indented code",
                                   "Setext\n===", "[ref]: javascript:alert(1)", "\x00"])]
    return st.tuples(st.lists(st.one_of(*kinds), min_size=1, max_size=8),
                     st.sampled_from(["\n\n", "\n\n", "\n", "\n\n\n"])
                     ).map(lambda t: t[1].join(t[0]))


hostile = st.one_of(st.sampled_from(HOSTILE), st.sampled_from(RAW_HTML),
                    st.sampled_from(UNSAFE_URLS).map(lambda u: f"[x]({u})"),
                    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1,
                            max_size=4))
link = st.builds(lambda text, target: f"[{text}]({target})", inline,
                 st.sampled_from(SAFE_URLS + UNSAFE_URLS))
autolink = st.sampled_from(SAFE_URLS + UNSAFE_URLS).map(lambda u: f"<{u}>")
rich_inline = st.lists(st.one_of(inline, link, autolink, st.builds(lambda t: f"*{t}*", inline)),
                       min_size=1, max_size=4).map(" ".join)


def _spliced(text: str, piece: str | None, where: int) -> str:
    if piece is None:
        return text
    where = where % (len(text) + 1)
    return text[:where] + piece + text[where:]


body = st.one_of(
    _blocks(tame=True),
    _blocks(tame=True),
    _blocks(tame=False),
    st.builds(_spliced, _blocks(tame=True), hostile, st.integers(0, 10_000)),
)
handout = st.one_of(st.just("## What to know\n\nShort words."), _blocks(tame=True), body)

# ----------------------------------------------------------------------------- page checks

ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "article", "section",
                "footer", "div", "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li",
                "table", "thead", "tbody", "tr", "th", "td", "figure", "img", "figcaption",
                "blockquote", "em", "strong", "a", "code", "br"}
ALLOWED_ATTRS = {"lang", "dir", "charset", "name", "content", "id", "class", "href", "src", "alt",
                 "scope", "start", "role", "aria-labelledby"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def check_page(page: str, doc, labels: Labels) -> None:
    """The gates' required text is there, and the page holds nothing active."""
    results = required_text.evaluate(doc, "html", page.encode("utf-8"), stamp(doc, labels))
    assert all(r.passed for r in results), [r.message for r in results if not r.passed]
    assert "<script" not in page.lower()
    parser = _Elements()
    parser.feed(page)
    parser.close()
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, f"element <{tag}> is not one we emit"
        for name, value in attrs:
            assert name in ALLOWED_ATTRS, f"attribute {name} on <{tag}>"
            if name in ("href", "src"):
                flat = re.sub(r"[\x00-\x20]", "", html_lib.unescape(value or "")).lower()
                assert not flat.startswith(("javascript:", "vbscript:", "file:")), value
                if name == "href":
                    assert re.match(r"^(https?://|mailto:|tel:|#)", flat), value
                else:
                    assert flat.startswith("data:image/"), value
    # `javascript:` may still appear as escaped *text* (a sentence, an alt text) or inside the
    # path of an https:// address; it can never be the scheme of a link or an image source
    # (checked above), and no element or attribute outside the allow-lists (no `on…` handler,
    # no <script>, <iframe>, <svg>) exists to run it.


def line_count(project) -> int:
    data = (project.root / SOURCE).read_bytes().decode("utf-8", "replace")
    return data.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


# ----------------------------------------------------------------------------- (a) sources


@FUZZ
@given(body=body, handout_body=handout)
# Found by the long run: an https:// link whose "host" holds a javascript: link.
@example(body="[](https://[x](javascript:alert(1))example.org/a)",
         handout_body="## What to know\n\nShort words.")
def test_generated_sources_build_or_fail_with_a_location(project, body, handout_body):
    project.write(SOURCE, FRONT + body + "\n\n:::: handout\n" + handout_body + "\n::::\n")
    cfg = config_mod.load(project.root)
    try:
        doc = reader.read_document(cfg, "sample")
    except PlainpressError as exc:
        event("refused: " + re.sub(r"`[^`]*`|“[^”]*”|U\+\w+", "…", exc.message)[:50])
        assert exc.loc is not None, str(exc)
        assert exc.loc.path == SOURCE, str(exc)
        assert isinstance(exc.loc.line, int), str(exc)
        assert 1 <= exc.loc.line <= line_count(project), str(exc)
        return
    event("read and rendered")
    ctx = RenderContext(cfg, theme_mod.load(cfg), "letter")
    page = render_article(doc, ctx, Labels(), for_print=False)
    check_page(page, doc, Labels())


# ----------------------------------------------------------------------------- (b) PO files

PO_FILE = re.compile(r"^locales/es/LC_MESSAGES/(sample|shared|ui)\.po:\d+$")
SOURCE_LINE = re.compile(r"^source/[\w/.-]+\.md:\d+$")

# (domain, msgctxt, msgid) the fuzzer rewrites: plain text, Markdown with a link and emphasis,
# a number, a handout message, a table cell, alt text, the shared disclaimer, ui labels with
# and without placeholders.
TARGETS = [
    ("sample", None, "Sample Topic"),
    ("sample", None, "Intro paragraph with *emphasis*, **strong** and a "
                     "[web link](https://example.org/more)."),
    ("sample", None, "step one"),
    ("sample", "handout", "Short words. Short lines."),
    ("sample", None, "alpha"),
    ("sample", None, "A blue square used as a test picture"),
    ("shared", None, "This sheet is for learning only. It is not medical advice. Ask your own "
                     "doctor."),
    ("ui", None, "Updated by {team} — {date}"),
    ("ui", None, "Key points"),
]


def mutations(msgid: str):
    """Translations near the source (so many pass QA and reach the renderer) and far from it."""
    near = st.builds(lambda prefix, suffix: f"{prefix}{msgid}{suffix}",
                     st.sampled_from(["ES ", "", "¡", "Sí: ", "日本 ", "Ägypten "]),
                     st.sampled_from(["", " ¿vale?", " (es)", "!", " 😀"]))
    injected = st.builds(_spliced, st.just(msgid),
                         st.one_of(st.sampled_from(SPECIALS + RAW_HTML), link, autolink,
                                   text_piece, hostile), st.integers(0, 10_000))
    strategies = [near, near, injected, injected, rich_inline, inline]
    names = re.findall(r"\{(\w+)\}", msgid)
    if names:  # a label filled in with str.format: an odd field next to the right ones
        broken = st.builds(
            lambda name, shape: msgid.replace("{" + name + "}",
                                              "{" + name + "} " + shape.format(name=name), 1),
            st.sampled_from(names),
            st.sampled_from(["{{{name}", "{name}}}", "{{{name}!r}}", "{{{name}:>99}}",
                             "{{0}}", "{{{name}.__class__}}", "{{{{{name}}}}}",
                             "{{{name}[0]}}", "{{{name}}}{{", "{{}}"]))
        strategies += [broken, broken]
    return st.one_of(*strategies)


@st.composite
def translations(draw) -> dict[int, str]:
    """New msgstrs for up to three of TARGETS; the rest keep a clean translation."""
    chosen = draw(st.lists(st.integers(0, len(TARGETS) - 1), max_size=3, unique=True))
    return {index: draw(mutations(TARGETS[index][2])) for index in sorted(chosen)}


def po_string(text: str) -> str:
    """A msgstr value as it is written in a PO file (one line; Babel's escaping)."""
    return escape(text)


def write_translations(project, originals: dict[str, str], values: dict[int, str]) -> None:
    texts = dict(originals)
    for index, value in values.items():
        domain, context, msgid = TARGETS[index]
        quoted_id = escape(msgid)
        lines = texts[domain].split("\n")
        for index, line in enumerate(lines):
            if line == f"msgid {quoted_id}" and (
                    context is None or lines[index - 1] == f"msgctxt {escape(context)}"):
                break
        else:  # long msgids are wrapped by msgcat: find the entry by its joined text
            index = _wrapped_entry(lines, msgid)
        start = index
        while not lines[start].startswith("msgstr"):
            start += 1
        end = start + 1
        while end < len(lines) and lines[end].startswith('"'):
            end += 1
        lines[start:end] = [f"msgstr {po_string(value)}"]
        texts[domain] = "\n".join(lines)
    for domain, text in texts.items():
        (project.root / f"locales/es/LC_MESSAGES/{domain}.po").write_text(text, "utf-8")


def _wrapped_entry(lines: list[str], msgid: str) -> int:
    from babel.messages.pofile import unescape
    for index, line in enumerate(lines):
        if line.startswith("msgid "):
            pieces = [line[6:]]
            follow = index + 1
            while follow < len(lines) and lines[follow].startswith('"'):
                pieces.append(lines[follow])
                follow += 1
            if "".join(unescape(piece) for piece in pieces) == msgid:
                return index
    raise AssertionError(f"no entry for {msgid!r}")


@FUZZ
@given(values=translations())
# Found by the long run: a label with an odd `str.format` field next to the right ones crashed
# the renderer with a traceback.
@example(values={7: "Actualizado por {team} {team — {date}"})
@example(values={7: "Actualizado por {team} {0} — {date}"})
def test_generated_translations_publish_clean_pages_or_block_with_a_po_line(es_project,
                                                                             monkeypatch,
                                                                             values):
    project = es_project
    if not getattr(project, "fuzz_originals", None):
        # The ui labels come from the templates, which the fuzzer does not change: extract
        # them once instead of for every example (half a second each).
        from pipeline.translate import localize as localize_mod
        labels = localize_mod.ui_messages(config_mod.load(project.root))
        monkeypatch.setattr(localize_mod, "ui_messages", lambda config: labels)
        translate_all(project, "es")
        project.fuzz_originals = {
            domain: (project.root / f"locales/es/LC_MESSAGES/{domain}.po").read_text("utf-8")
            for domain in ("sample", "shared", "ui")}
        project.fuzz_config = config_mod.load(project.root)
        project.fuzz_theme = theme_mod.load(project.fuzz_config)
        project.fuzz_doc = reader.read_document(project.fuzz_config, "sample")
    write_translations(project, project.fuzz_originals, values)
    cfg, theme, doc = project.fuzz_config, project.fuzz_theme, project.fuzz_doc
    try:
        jobs = localize(cfg, theme, [doc], ("en", "es"))
    except PlainpressError as exc:
        assert exc.loc is not None and exc.loc.line is not None, str(exc)
        assert PO_FILE.match(str(exc.loc)), str(exc)
        return
    ctx = RenderContext(cfg, theme, "letter")
    for job in jobs:
        for result in job.results:
            if not result.blocks:
                continue
            location = str(result.location or "")
            if result.check == "translation":
                assert PO_FILE.match(location), (result.message, location)
            else:  # glyphs: the character is named, with the source line of its unit
                assert SOURCE_LINE.match(location) or PO_FILE.match(location), (
                    result.check, result.message, location)
        if job.locale == "es":
            reasons = sorted({r.check + ": " + re.sub(r"`[^`]*`|“[^”]*”|U\+\w+|\d+", "…",
                                                       r.message)[:40]
                              for r in job.results if r.blocks})
            event("es published" if not job.blocked else "es withheld: " + reasons[0])
        if job.blocked:
            assert job.locale == "es"
            assert any(r.blocks for r in job.results)
            continue
        page = render_article(job.doc, ctx, job.labels, for_print=False)
        check_page(page, job.doc, job.labels)


# ----------------------------------------------------------------------------- (c) ui labels

LABEL_PIECES = ["<a href=\"https://evil.example/\" x=<>", "<img src=x onerror=alert(1)//<>",
                "<b", "</style>", "</h2><script>alert(1)</script>", "<!--", "-->", "<svg/onload=x>",
                "%", "%s", "%50000000s", "%(team)s", "%%", "{", "}", "{{", "}}", "{page}",
                "{pages}", "{team}", "{date}", "{team.__class__}", "{0}", "{team:>99999999}",
                "\"", "'", "\\", ";", "}", "@page {", "&amp;", "&lt;", "\u200b", "\u200f",
                "\u061c", "\u202e", "\x00", "counter(page)", "\\3c ", "javascript:", "a < b",
                "<3", "\n", "\r"]
label_text = st.lists(st.one_of(st.sampled_from(LABEL_PIECES), st.sampled_from(WORDS),
                                clean_text), min_size=1, max_size=10).map("".join)
LABELS = ["DRAFT — translation incomplete", "Key points", "Scan for the full article",
          "Page {page} of {pages}", "QR code: link to the full article",
          "Updated by {team} — {date}"]


@FUZZ
@given(table=st.dictionaries(st.sampled_from(LABELS), label_text, min_size=1))
@example(table={"DRAFT — translation incomplete": "BORRADOR %50000000s",
                "Key points": "Puntos clave <a href=\"javascript:app.alert(1)\" x=<>"})
def test_any_label_is_text_on_the_page_and_qa_refuses_markup(project, table):
    """Labels straight from a table (no QA): the pages hold only the elements the templates
    write, the page stays small; and QA never passes a label an HTML parser reads markup in."""
    import dataclasses

    from markupsafe import Markup

    from pipeline.translate import markup, qa
    from pipeline.render.handout import render_handout

    if not getattr(project, "fuzz_doc", None):
        project.write(SOURCE, FRONT + "Some text.\n\n:::: handout\n## What to know\n\nShort."
                      "\n\n::: key-points\n- Rest.\n:::\n::::\n")
        project.fuzz_config = config_mod.load(project.root)
        project.fuzz_ctx = RenderContext(project.fuzz_config,
                                         theme_mod.load(project.fuzz_config), "letter")
        project.fuzz_doc = dataclasses.replace(
            reader.read_document(project.fuzz_config, "sample"), draft=True)
        project.fuzz_clean = {
            name: _Elements_of(render(project.fuzz_doc, project.fuzz_ctx, Labels()))
            for name, render in PAGES.items()}
    labels = Labels(lambda text: Markup(table.get(text, text)))
    for name, render in PAGES.items():
        page = render(project.fuzz_doc, project.fuzz_ctx, labels)
        assert _Elements_of(page) == project.fuzz_clean[name], name
        assert len(page) < 100_000 + 20 * sum(len(v) for v in table.values())
    for source, translation in table.items():
        errors, _ = qa.check(source, translation, "ui.po", ui=True)
        event("label accepted" if not errors else "label refused")
        if not errors:
            assert not markup.markup(translation), translation
            assert "\u200b" not in translation and "\u202e" not in translation


def _render_article(doc, ctx, labels):
    return render_article(doc, ctx, labels, for_print=True)


def _render_handout(doc, ctx, labels):
    from pipeline.render.handout import render_handout
    return render_handout(doc, ctx, labels, "handout")


PAGES = {"article": _render_article, "handout": _render_handout}


def _Elements_of(page: str) -> list:
    """(tag, attribute names, link targets) of every element, and the page's style sheet
    with the label strings taken out (what is left must be the same CSS)."""
    parser = _Elements()
    parser.feed(page)
    parser.close()
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    style = re.sub(r'"(?:[^"\\]|\\.)*"', '""', style)  # CSS strings, escapes included
    style = re.sub(r'(?:""|counter\(pages?\))(?:\s*(?:""|counter\(pages?\)))*', '""', style)
    return [(tag, tuple(n for n, _ in attrs),
             tuple(v for n, v in attrs if n in ("href", "src"))) for tag, attrs in parser.found
            ] + [re.sub(r"\s+", "", style)]


# ----------------------------------------------------------------------------- (d) PO headers

CHARSETS = ["UTF-8", "utf-8", "utf8", "ISO-8859-1", "CP1252", "KOI8-R", "ASCII", "CHARSET",
            "UTF-16", "klingon", "", None]
TEXTS = ["página", "Puntos clave", "niño ñ", "日本語", "Ägypten", "plain ascii", "мир"]
BREAKS = ["", "unclosed", "garbage", "escape", "stray-quote", "no-msgstr", "bom", "crlf",
          "two-strings", "lone-cr", "tab-keyword"]


def _po_bytes(charset, encoding, text, damage):
    """A small PO file: a header declaring `charset`, one entry whose msgstr is `text`,
    written in `encoding`, then damaged; and the line of the entry's msgstr."""
    header = ['msgid ""', 'msgstr ""', '"Language: es\\n"', '"MIME-Version: 1.0\\n"']
    if charset is not None:
        header.append(f'"Content-Type: text/plain; charset={charset}\\n"')
    header += ['"Content-Transfer-Encoding: 8bit\\n"',
               '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', ""]
    lines = header + ["#. label", 'msgid "About"', f'msgstr "{text}"', "", 'msgid "Other"',
                      'msgstr "Otro"', ""]
    at = lines.index(f'msgstr "{text}"')
    if damage == "unclosed":
        lines[at] = lines[at][:-1]
    elif damage == "garbage":
        lines.insert(at, "garbage here")
    elif damage == "escape":
        lines[at] = lines[at][:-1] + '\\q"'
    elif damage == "stray-quote":
        lines[at] = lines[at][:-1] + '" x"'
    elif damage == "no-msgstr":
        del lines[at]
    elif damage == "two-strings":
        lines[at] = lines[at] + ' "more"'
    elif damage == "tab-keyword":
        lines[at] = lines[at].replace("msgstr ", "msgstr\t")
    body = "\n".join(lines)
    if damage == "crlf":
        body = body.replace("\n", "\r\n")
    if damage == "lone-cr":
        body = body.replace("\n\n#. label", "\r#. label")
    data = body.encode(encoding, "replace")
    if damage == "bom":
        data = b"\xef\xbb\xbf" + data
    return data, at + 1


@FUZZ
@given(charset=st.sampled_from(CHARSETS), encoding=st.sampled_from(["utf-8", "latin-1",
                                                                    "cp1252", "koi8-r"]),
       text=st.sampled_from(TEXTS),
       damage=st.one_of(st.just(""), st.just(""), st.sampled_from(BREAKS)))
@example(charset="ISO-8859-1", encoding="utf-8", text="página", damage="")
@example(charset="UTF-8", encoding="utf-8", text="Acerca de esto", damage="unclosed")
def test_po_headers_and_syntax_read_right_or_fail_with_a_line(tmp_path, charset, encoding,
                                                              text, damage):
    """Either the catalog holds exactly the text that was meant (no mojibake, no lost
    character), or the error names a line of the file; and a file `msgfmt -c` refuses is
    refused."""
    import shutil
    import subprocess

    from pipeline.translate import catalogs
    intended = text.encode(encoding, "replace").decode(encoding)
    data, line = _po_bytes(charset, encoding, text, damage)
    path = tmp_path / "t.po"
    path.write_bytes(data)
    lines = data.count(b"\n") + 1
    refused_by_msgfmt = None
    if shutil.which("msgfmt"):
        refused_by_msgfmt = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)],
                                           capture_output=True).returncode != 0
    try:
        catalog = catalogs.read(tmp_path, path)
    except PlainpressError as exc:
        event("refused: " + re.sub(r"`[^`]*`|“[^”]*”|=[^ ,]+|\d+", "…", exc.message)[:50])
        assert exc.loc is not None and exc.loc.path == "t.po", str(exc)
        assert exc.loc.line is not None and 1 <= exc.loc.line <= lines, str(exc)
        return
    event("read")
    assert refused_by_msgfmt is not True, (charset, encoding, text, damage)
    message = catalog.get("About")
    assert message is not None
    declared = "utf-8" if charset in (None, "", "CHARSET") else codecs.lookup(charset).name
    if encoding == "utf-8" and not data.isascii():
        assert declared == "utf-8", charset  # UTF-8 is never read as another charset
    if declared == codecs.lookup(encoding).name or intended.isascii():
        assert message.string == intended, (message.string, intended, charset, encoding)
    else:  # a one-byte file that names another one-byte charset: read as it says
        assert message.string == text.encode(encoding, "replace").decode(declared)

"""Translation QA: the checks translators know from pofilter and Weblate, one function each.

Each check takes the source text and the translation and returns problems as strings; the
caller attaches the PO file, line and msgid. Errors block the locale; the length ratio is a
warning. Translations are untrusted text: control characters and direction controls are errors,
raw HTML is an error (in Markdown units through the parser, in plain-text labels by pattern),
and links must match the source's exactly, so a translator cannot add or redirect a link. Text
is compared on its parsed inline Markdown, so `*x*` and `_x_` are the same.
"""

from __future__ import annotations

import re
import string
import unicodedata

from .. import model as m
from ..errors import SourceError
from .units import parse_inline

PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--|<\?")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
BIDI_CONTROLS = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
                 "\u2069"}


def format_problem(label: str) -> str | None:
    """What is wrong with a label that is filled in with `str.format`, or None.

    Only plain `{name}` fields are allowed: a stray `{` would crash the renderer, `{0}` too,
    `{team.__class__}` reads attributes and `{team:>100000000}` pads to a hundred megabytes."""
    try:
        fields = list(string.Formatter().parse(label))
    except ValueError as exc:
        return f"the braces do not pair up ({exc}); write a literal brace as {{{{ or }}}}"
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or spec or conversion:
            written = "{" + name + (f"!{conversion}" if conversion else "") + (
                f":{spec}" if spec else "") + "}"
            return (f"`{written}` is not a placeholder: keep each placeholder exactly as the "
                    "source writes it")
    return None


def _walk(inlines):
    for node in inlines:
        yield node
        if isinstance(node, (m.Emph, m.Strong, m.Link)):
            yield from _walk(node.children)


def _digits(text: str) -> list[str]:
    """Numbers in the text with every script's digits read as ASCII (٥٠ → 50)."""
    ascii_text = "".join(str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None
                         else c for c in text)
    return sorted(re.sub(r"[.,]", "", n) for n in NUMBER.findall(ascii_text))


def check(source: str, translation: str, path: str, *, ui: bool = False,
          script: str = "latin") -> tuple[list[str], list[str]]:
    """(errors, warnings) for one translated message."""
    errors: list[str] = []
    warnings: list[str] = []
    for char in translation:
        if char in BIDI_CONTROLS:
            errors.append(f"contains the invisible direction control U+{ord(char):04X}, which "
                          "can disguise text")
            break
        if unicodedata.category(char) in ("Cc", "Zl", "Zp") and char not in "\n\t":
            errors.append(f"contains the control character U+{ord(char):04X}")
            break
    if translation != translation.strip() and source == source.strip():
        errors.append("leading or trailing whitespace that the source does not have")
    if ui:
        tag = HTML_TAG.search(translation)
        if tag and not HTML_TAG.search(source):
            errors.append(f"HTML markup `{tag.group()}` is not allowed in a label: labels are "
                          "plain text")
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
            errors.append(f"placeholders differ: source has "
                          f"{', '.join(sorted(PLACEHOLDER.findall(source))) or 'none'}")
        elif PLACEHOLDER.search(source):
            problem = format_problem(translation)
            if problem:
                errors.append(problem)
        return errors, warnings
    try:
        theirs = tuple(_walk(parse_inline(translation, path)))
    except SourceError as exc:
        errors.append(exc.message)
        return errors, warnings
    ours = tuple(_walk(parse_inline(source, path)))
    links = lambda nodes: sorted(n.url for n in nodes if isinstance(n, m.Link))
    if links(ours) != links(theirs):
        errors.append(f"links differ: the source links to {', '.join(links(ours)) or 'nothing'}"
                      f", the translation to {', '.join(links(theirs)) or 'nothing'}")
    for kind, name in ((m.Emph, "emphasis"), (m.Strong, "strong emphasis"), (m.Code, "code")):
        if sum(isinstance(n, kind) for n in ours) != sum(isinstance(n, kind) for n in theirs):
            errors.append(f"{name} differs: keep the same number of {name} spans")
    codes = lambda nodes: sorted(n.text for n in nodes if isinstance(n, m.Code))
    if codes(ours) != codes(theirs):
        errors.append("code spans must be kept exactly as they are")
    if _digits(source) != _digits(translation):
        errors.append(f"numbers differ: source has {', '.join(_digits(source)) or 'none'}, "
                      f"translation has {', '.join(_digits(translation)) or 'none'}")
    if "%" in source and not any(sign in translation for sign in "%٪％"):
        errors.append("the percent sign is missing")
    low, high = (0.15, 2.0) if script == "cjk" else (0.4, 2.5)
    ratio = len(translation) / max(len(source), 1)
    if len(source) >= 20 and not low <= ratio <= high:
        warnings.append(f"the translation is {ratio:.1f}× the length of the source")
    return errors, warnings

"""Translation QA: the checks translators know from pofilter and Weblate, one function each.

Each check takes the source text and the translation and returns problems as strings; the
caller attaches the PO file, line and msgid. Errors block the locale; the length ratio is a
warning. Text is compared on its parsed inline Markdown, so `*x*` and `_x_` are the same.
"""

from __future__ import annotations

import re
import unicodedata

from .. import model as m
from ..errors import SourceError
from .units import parse_inline

PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
BIDI_CONTROLS = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
                 "\u2069"}


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
        if unicodedata.category(char) == "Cc" and char not in "\n\t":
            errors.append(f"contains the control character U+{ord(char):04X}")
            break
    if translation != translation.strip() and source == source.strip():
        errors.append("leading or trailing whitespace that the source does not have")
    if ui:
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
            errors.append(f"placeholders differ: source has "
                          f"{', '.join(sorted(PLACEHOLDER.findall(source))) or 'none'}")
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

"""Translation QA: the checks translators know from pofilter and Weblate, one function each.

Each check takes the source text and the translation and returns problems as strings; the
caller attaches the PO file, line and msgid. Errors block the locale; an odd length ratio is a
warning. Translations are untrusted text:

- Nothing a translator writes is markup. Whatever an HTML parser reads as a tag, comment or
  declaration (`markup.py`) is an error: anywhere in a label, and in a Markdown message's text
  unless the source has the same piece (the renderers escape it either way; this says so to
  the translator instead of publishing `<a …>` as words).
- Control characters, direction controls (embeddings, overrides, isolates) and invisible
  characters are errors: zero-width space U+200B, word joiner U+2060, U+FEFF inside text, the
  marks LRM U+200E and RLM U+200F (the pages set their direction and isolate left-to-right
  runs; a stray mark can reorder what a reader sees), and zero-width (non-)joiners U+200C and
  U+200D except between two letters of a script that shapes with them (Persian, Urdu, Indic
  scripts: not Latin, Greek, Cyrillic or CJK). ARABIC LETTER MARK U+061C is allowed in
  Arabic-script locales, where it is the mark meant for placing numbers and punctuation. An
  invisible character the source itself has may stay.
- A translation much longer than its source is an error (`too_long`): a megabyte msgstr made
  one PDF take two minutes.
- Labels are filled in by `ui.Labels`: `{name}` placeholders must be the source's, `{{` and
  `}}` are literal braces, any other brace is an error; `%` is just a percent sign.
- Links must match the source's exactly, so a translator cannot add or redirect a link. Text
  is compared on its parsed inline Markdown, so `*x*` and `_x_` are the same.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline import model as m
from pipeline.model import walk
from pipeline.errors import SourceError
from pipeline.settings.labels import placeholders
from pipeline.translate import markup as markup_mod
from pipeline.translate.units import parse_inline

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
BIDI_CONTROLS = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
                 "\u2069"}
INVISIBLE = {"\u200b", "\u2060", "\ufeff", "\u200e", "\u200f", "\u200c", "\u200d", "\u061c"}
JOINERS = {"\u200c", "\u200d"}
ALM = "\u061c"
_NOT_JOINING = ("LATIN", "GREEK", "CYRILLIC", "CJK", "HIRAGANA", "KATAKANA", "HANGUL",
                "FULLWIDTH", "DIGIT")
LONG_FLOOR = 200
"""Characters any translation may have: a one-word msgid may need a short phrase."""
LONG_RATIO = 6
"""Times the source's length a translation may reach (the length warning starts at 2.5)."""
LONG_CAP = 100_000
"""No message is longer, whatever its source: a block this size is not patient material."""


def too_long(source: str, translation: str) -> str | None:
    """An error when the translation is far longer than its source, or None."""
    limit = min(LONG_CAP, max(LONG_FLOOR, LONG_RATIO * len(source)))
    if len(translation) <= limit:
        return None
    return (f"the translation is {len(translation)} characters long, over the limit of {limit} "
            f"for this message ({LONG_RATIO}× the source's {len(source)}, at least "
            f"{LONG_FLOOR}, at most {LONG_CAP})")


def brace_problem(label: str) -> str | None:
    """What is wrong with the braces of a label, or None: `{name}`, `{{` and `}}` only."""
    index = 0
    while index < len(label):
        char = label[index]
        if label.startswith(("{{", "}}"), index):
            index += 2
        elif char == "{":
            close = re.match(r"\{([^{}]*)\}", label[index:])
            if close is None:
                return ("the braces do not pair up: write a literal brace as {{ or }}, and "
                        "each placeholder as {name}")
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", close.group(1)):
                return (f"`{close.group()}` is not a placeholder: keep each placeholder "
                        "exactly as the source writes it (a literal brace is {{ or }})")
            index += close.end()
        elif char == "}":
            return ("the braces do not pair up: write a literal brace as {{ or }}, and each "
                    "placeholder as {name}")
        else:
            index += 1
    return None


def _joins(before: str, after: str) -> bool:
    """Whether a zero-width (non-)joiner between these characters shapes a script."""
    def joining(char: str) -> bool:
        return (unicodedata.category(char)[0] in "LM"
                and not unicodedata.name(char, "").startswith(_NOT_JOINING))
    return bool(before and after) and joining(before) and joining(after)


def character_problem(source: str, translation: str, script: str) -> str | None:
    """The first control, direction or invisible character that does not belong, or None."""
    for index, char in enumerate(translation):
        if char in BIDI_CONTROLS:
            return (f"contains the invisible direction control U+{ord(char):04X}, which can "
                    "disguise text")
        if unicodedata.category(char) in ("Cc", "Zl", "Zp") and char not in "\n\t":
            return f"contains the control character U+{ord(char):04X}"
        if char not in INVISIBLE:
            continue
        if translation.count(char) <= source.count(char):
            continue
        if char == ALM and script == "arabic":
            continue
        if char in JOINERS and _joins(translation[index - 1:index] if index else "",
                                      translation[index + 1:index + 2]):
            continue
        name = unicodedata.name(char)
        hint = {"\u200e": "the pages set their own direction and keep URLs and numbers in "
                          "order; delete the mark (in Arabic script, U+061C ARABIC LETTER "
                          "MARK is allowed where a mark is really needed)",
                "\u200f": "the pages set their own direction and keep URLs and numbers in "
                          "order; delete the mark (in Arabic script, U+061C ARABIC LETTER "
                          "MARK is allowed where a mark is really needed)",
                ALM: "this mark belongs to Arabic-script text; delete it"}.get(
            char, "it is invisible and can split or disguise words (it often comes from "
                  "copying text out of a web page or a PDF); delete it")
        return f"contains the invisible character U+{ord(char):04X} {name}: {hint}"
    return None


def markup_problem(translation: str, source: str, *, label: bool) -> str | None:
    """Markup an HTML parser finds in the text (in a Markdown message: not in the source)."""
    found = markup_mod.markup(translation)
    if not label:
        allowed = list(markup_mod.markup(source))
        for piece in list(found):
            if piece in allowed:
                allowed.remove(piece)
                found.remove(piece)
    if not found:
        return None
    where = "a label: labels are plain text" if label else "a translation: it is plain text"
    return (f"HTML markup `{markup_mod.shown(found[0])}` is not allowed in {where} (write "
            "the words only)")


def _visible(inlines) -> str:
    """The text a reader sees, entities decoded (code spans left out: they are shown as
    written, as code; an autolink `<https://…>` is a link showing its address)."""
    return "".join(node.text if isinstance(node, m.Text) else
                   " " if isinstance(node, (m.Code, m.LineBreak)) else ""
                   for node in walk.inlines(inlines))


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
    long = too_long(source, translation)
    if long:  # nothing else is worth parsing a megabyte for
        return [long], warnings
    problem = character_problem(source, translation, script)
    if problem:
        errors.append(problem)
    if translation != translation.strip() and source == source.strip():
        errors.append("leading or trailing whitespace that the source does not have")
    if ui:
        problem = markup_problem(translation, source, label=True)
        if problem:
            errors.append(problem)
        if placeholders(source) != placeholders(translation):
            errors.append(f"placeholders differ: source has "
                          f"{', '.join('{' + p + '}' for p in placeholders(source)) or 'none'}")
        else:
            problem = brace_problem(translation)
            if problem:
                errors.append(problem)
        return errors, warnings
    try:
        theirs_inlines = parse_inline(translation, path)
    except SourceError as exc:
        errors.append(exc.message)
        return errors, warnings
    ours_inlines = parse_inline(source, path)
    problem = markup_problem(_visible(theirs_inlines), _visible(ours_inlines), label=False)
    if problem:
        errors.append(problem)
    theirs = tuple(walk.inlines(theirs_inlines))
    ours = tuple(walk.inlines(ours_inlines))
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

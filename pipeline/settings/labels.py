"""Labels the templates print themselves ("Key points", "Page 1 of 2", the review stamp).

They live in the `ui` gettext domain. A `Labels` object is what templates call as `_()`; with no
catalog it returns the source text. The labels are written in English, so every other language
needs them translated, the source locale included (a Spanish-source site prints Spanish
labels): `ui_catalog` says where a locale's translations come from.

A label is plain text, never markup: it is returned as a
plain `str` (so Jinja's autoescape, the CSS-string filter and the DOCX writer escape it), and a
translation that is `Markup` is turned back into plain text first.

Placeholders are `{name}`; `{{` and `}}` are literal braces; everything else, `%` included, is
literal text. Filling in is one pass over the label (a value is never read as a label itself)
and there is no printf- or `str.format`-style formatting at all, so a label cannot pad itself
to megabytes, read attributes or crash the renderer. Translation QA (`i18n/qa.py`) refuses the
labels that would not make sense (odd braces, other placeholders, markup); the renderers still
never trust that it ran.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline.settings.styles import SHIPPED_LOCALES  # the shipped es, ar, zh_Hans labels

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Field:
    """A placeholder in the parts of a label (`Labels.parts`)."""

    name: str


def tokens(label: str) -> list[str | Field]:
    """A label → literal text pieces and `Field`s, in order. `{{`/`}}` are literal braces; a
    brace that is neither (QA refuses it) is kept as literal text rather than failing."""
    out: list[str | Field] = []
    text: list[str] = []
    end = 0
    for match in _TOKEN.finditer(label):
        text.append(label[end:match.start()])
        if match.group(1):
            if "".join(text):
                out.append("".join(text))
            text = []
            out.append(Field(match.group(1)))
        else:
            text.append(match.group()[0])
        end = match.end()
    text.append(label[end:])
    if "".join(text):
        out.append("".join(text))
    return out


def placeholders(label: str) -> list[str]:
    """The `{name}` placeholders of a label, sorted (`{{name}}` is literal text, not one)."""
    return sorted(part.name for part in tokens(label) if isinstance(part, Field))


@dataclass(frozen=True)
class Labels:
    """Translate and fill a ui label; `lookup` maps source text to translated text."""

    lookup: Callable[[str], str] = field(default=lambda text: text)

    def translated(self, text: str) -> str:
        """The translation of `text` as a plain `str` (never `Markup`)."""
        return str(self.lookup(text))  # str() of a str subclass (Markup) is a plain str

    def parts(self, text: str, **values: object) -> list[object]:
        """The label as literal text pieces and the given values, in order; a placeholder
        without a value stays literal text. For renderers that put a value in as something
        else than text (a Word field, a CSS counter)."""
        out: list[object] = []
        for part in tokens(self.translated(text)):
            if isinstance(part, Field):
                out.append(values[part.name] if part.name in values else "{" + part.name + "}")
            else:
                out.append(part)
        return out

    def __call__(self, text: str, **values: object) -> str:
        """The label filled in with `values`, as plain text."""
        return "".join(str(part) for part in self.parts(text, **values))


def css_string(text: str) -> str:
    """Escape text for a CSS string literal in double quotes, safe inside an HTML `<style>`:
    quotes, backslashes, newlines and `<`, `>`, `&` become CSS hex escapes."""
    out = []
    for char in text:
        if char in '"\\<>&\n\r' or ord(char) < 0x20:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return "".join(out)


def page_counter(parts: list[object]) -> str:
    """The parts of "Page {page} of {pages}" (`Labels.parts` with `Field` values) →
    `"Page " counter(page) " of " counter(pages)`, the value of an @page `content`."""
    out = []
    for piece in parts:
        if isinstance(piece, Field):
            out.append(f"counter({piece.name})")
        elif piece:
            out.append(f'"{css_string(str(piece))}"')
    return " ".join(out) or '""'



def labels_translated(locale: str) -> bool:
    """The labels are written in English: every other language needs them translated, the
    source locale included."""
    return locale.replace("-", "_").split("_")[0].lower() != "en"


def ui_catalog(root: Path, locale: str) -> Path | None:
    """The `ui` catalog a locale's labels come from: the site's own
    `locales/<locale>/LC_MESSAGES/ui.po` when it has one (a site can reword its labels), else
    the one shipped with Plainpress, else None. The only place that decides this."""
    for folder in (root / "locales", SHIPPED_LOCALES):
        path = folder / locale / "LC_MESSAGES" / "ui.po"
        if path.is_file():
            return path
    return None

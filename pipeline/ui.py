"""Labels the templates print themselves ("Key points", "Page 1 of 2", the review stamp).

They live in the `ui` gettext domain. A `Labels` object is what templates call as `_()`; with no
catalog it returns the source text. Placeholders are `{name}` (checked by translation QA).
The labels are written in English, so every other language needs them translated, the source
locale included (a Spanish-source site prints Spanish labels): `ui_catalog` says where a
locale's translations come from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class Labels:
    """Translate and fill a ui label; `lookup` maps source text to translated text."""

    lookup: Callable[[str], str] = field(default=lambda text: text)

    def __call__(self, text: str, **values: str) -> str:
        translated = self.lookup(text)
        return translated.format(**values) if values else translated


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


def page_counter(template: str) -> str:
    """"Page {page} of {pages}" → `"Page " counter(page) " of " counter(pages)` for @page."""
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", template):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(f'"{css_string(piece)}"')
    return " ".join(parts)


SHIPPED_LOCALES = Path(__file__).resolve().parent.parent / "locales"
"""Where the `ui` translations that come with Plainpress live (es, ar, zh_Hans)."""


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

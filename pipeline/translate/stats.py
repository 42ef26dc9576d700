"""`plainpress i18n stats`: how far each locale's translation is, per domain.

Counts come from the PO files as they are (not from the templates), so a translator sees what
their tool would show: translated, fuzzy, untranslated and obsolete entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.settings.config import Config
from pipeline.translate import catalogs


@dataclass(frozen=True)
class Row:
    locale: str
    domain: str
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def rows(config: Config, locales: list[str], domains: list[str]) -> list[Row]:
    out = []
    for locale in locales:
        for domain in domains:
            path = catalogs.po_path(config.root, locale, domain)
            template = catalogs.read(config.root, catalogs.pot_path(config.root, domain))
            if not path.is_file():
                out.append(Row(locale, domain, 0, 0, sum(1 for m in template if m.id), 0))
                continue
            catalog = catalogs.read(config.root, path)
            messages = [m for m in catalog if m.id]
            translated = sum(1 for m in messages if m.string and not m.fuzzy)
            fuzzy = sum(1 for m in messages if m.string and m.fuzzy)
            out.append(Row(locale, domain, translated, fuzzy,
                           len(messages) - translated - fuzzy, len(catalog.obsolete)))
    return out


def table(found: list[Row]) -> str:
    head = f"{'locale':8} {'domain':34} {'done':>5} {'fuzzy':>5} {'todo':>5} {'obs.':>5} {'%':>6}"
    lines = [head, "-" * len(head)]
    for row in found:
        lines.append(f"{row.locale:8} {row.domain[:34]:34} {row.translated:5} {row.fuzzy:5} "
                     f"{row.untranslated:5} {row.obsolete:5} {row.percent:6.1f}")
    return "\n".join(lines)

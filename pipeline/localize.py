"""The localized-model stage: every selected document in every selected locale.

For the source locale the Document is used as read. For any other locale its catalogs are
loaded once and each Document is translated; translation problems (missing, fuzzy, QA, broken
PO files) travel with the result. A locale with a blocking problem is not rendered unless
`allow_incomplete` is set, in which case the source text fills the gaps under a DRAFT mark.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .checks import glyphs
from .config import Config
from .theme import Theme
from .i18n import translate as tr
from .i18n.extract import UI_DOMAIN, SHARED_DOMAIN, ui_template
from .model import CheckResult, Document
from .ui import Labels


@dataclass
class Localized:
    """One document in one locale, ready for the renderers (or held back, and why)."""

    source: Document
    locale: str
    doc: Document | None
    """None when translation problems withhold this locale."""
    labels: Labels
    results: list[CheckResult] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return self.doc is None


def ui_messages(config: Config) -> list[str]:
    """Every label the templates and the pipeline print."""
    return [message.id for message in ui_template(config) if message.id]


def localize(config: Config, theme: Theme, documents: list[Document],
             locales: tuple[str, ...], allow_incomplete: bool = False) -> list[Localized]:
    """Documents × locales, in a stable order (document, then locale); a character the
    theme's fonts cannot draw holds its document × locale back (no `--allow-incomplete`)."""
    per_locale: dict[str, tuple[tr.LocaleCatalogs, Labels, list[CheckResult]]] = {}
    labels_needed: list[str] | None = None
    for locale in locales:
        if locale == config.source_locale:
            continue
        labels_needed = labels_needed if labels_needed is not None else ui_messages(config)
        loaded = tr.load(config, locale, [d.id for d in documents] + [SHARED_DOMAIN, UI_DOMAIN])
        labels, label_results = tr.labels(loaded, labels_needed)
        per_locale[locale] = (loaded, labels, loaded.problems + label_results)
    out = []
    for doc in documents:
        for locale in locales:
            if locale == config.source_locale:
                missing = glyphs.check(doc, theme)
                out.append(Localized(doc, locale, None if missing else doc, Labels(), missing))
                continue
            loaded, labels, shared_results = per_locale[locale]
            localized, results = tr.translate(doc, loaded, allow_incomplete)
            results = [*_for(shared_results, doc.id), *results]
            blocked = any(r.blocks for r in results) and not allow_incomplete
            if any(r.blocks for r in results) and allow_incomplete:
                # Published as a marked draft: the gaps are reported, not blocking.
                localized = replace(localized, draft=True)
                results = [replace(r, severity="warning") if r.blocks else r for r in results]
            missing = glyphs.check(localized, theme)
            out.append(Localized(doc, locale, None if blocked or missing else localized, labels,
                                 results + missing))
    return out


def _for(results: list[CheckResult], doc_id: str) -> list[CheckResult]:
    """Locale-wide problems, attributed to each document they hold back."""
    return [replace(r, document=doc_id) for r in results]

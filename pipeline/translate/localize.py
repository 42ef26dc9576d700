"""The localized-model stage: every selected document in every selected locale.

For the source locale the Document is used as read. For any other locale its catalogs are
loaded once and each Document is translated; translation problems (missing, fuzzy, QA, broken
PO files) travel with the result, each about the outputs that show its message: the article
(html, pdf, docx) shows the title, summary and body, the handouts the title and the handout
blocks, and every output the `shared` snippets and the `ui` labels. An output with a blocking
problem is not rendered unless `allow_incomplete` is set, in which case the source text fills
the gaps and that output carries a DRAFT mark.

The labels are English: a locale in any other language, the source locale included, takes them
from its `ui` catalog (`ui.ui_catalog`), and a label without a usable translation is a problem
like any other, so a Spanish-source handout cannot print "Key points".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pipeline.settings.config import Config
from pipeline.settings.theme import Theme
from pipeline.translate import apply as tr
from pipeline.translate.extract import UI_DOMAIN, SHARED_DOMAIN, ui_template
from pipeline.settings.locale import PSEUDO
from pipeline.model import CheckResult, Document
from pipeline.outputs import shows as covers
from pipeline.settings.labels import Labels, labels_translated


@dataclass
class Localized:
    """One document in one locale, ready for the renderers, and what holds which output back."""

    source: Document
    locale: str
    doc: Document
    """The localized Document; the source text stands where a translation is not usable."""
    labels: Labels
    results: list[CheckResult] = field(default_factory=list)
    drafts: frozenset[str] = frozenset()
    """Scopes (`CheckResult.output` values) published as drafts with `allow_incomplete`."""

    def results_for(self, output: str) -> list[CheckResult]:
        return [r for r in self.results if r.concerns(output)]

    def blocked_for(self, output: str) -> bool:
        return any(r.blocks for r in self.results_for(output))

    @property
    def blocked(self) -> bool:
        """Some output is held back."""
        return any(r.blocks for r in self.results)

    def doc_for(self, output: str) -> Document:
        """The Document as `output` renders it: a draft only if its own text has gaps."""
        draft = any(covers(scope, output) for scope in self.drafts)
        return replace(self.doc, draft=draft) if draft != self.doc.draft else self.doc


def ui_messages(config: Config) -> list[str]:
    """Every label the templates and the pipeline print."""
    return [message.id for message in ui_template(config) if message.id]


def _locale_labels(config: Config, locale: str, documents: list[Document],
                   needed: list[str]) -> tuple[tr.LocaleCatalogs, Labels, list[CheckResult]]:
    """A locale's catalogs (only `ui` for the source locale), its labels and their problems."""
    if locale == config.source_locale:
        loaded = tr.load(config, locale, [UI_DOMAIN])
    else:
        loaded = tr.load(config, locale, [d.id for d in documents] + [SHARED_DOMAIN, UI_DOMAIN])
    if locale not in PSEUDO and not labels_translated(locale):
        return loaded, Labels(), loaded.problems  # English labels, as written
    labels, label_results = tr.labels(loaded, needed)
    return loaded, labels, loaded.problems + label_results


def localize(config: Config, theme: Theme, documents: list[Document],
             locales: tuple[str, ...], allow_incomplete: bool = False) -> list[Localized]:
    """Documents × locales, in a stable order (document, then locale). (The build then runs
    the glyph gate on each localized Document: a character the theme's fonts cannot draw holds
    back the outputs that show it.)"""
    per_locale: dict[str, tuple[tr.LocaleCatalogs, Labels, list[CheckResult]]] = {}
    needed: list[str] | None = None
    for locale in locales:
        if locale == config.source_locale and not labels_translated(locale):
            continue
        needed = needed if needed is not None else ui_messages(config)
        per_locale[locale] = _locale_labels(config, locale, documents, needed)
    out = []
    for doc in documents:
        for locale in locales:
            loaded, labels, shared_results = per_locale.get(locale, (None, Labels(), []))
            if locale == config.source_locale:
                localized, results = doc, []
            else:
                localized, results = tr.translate(doc, loaded)
            results = [*_for(shared_results, doc.id), *results]
            drafts: frozenset[str] = frozenset()
            if allow_incomplete:
                # Published as a marked draft: the gaps are reported, not blocking.
                drafts = frozenset(r.output for r in results if r.blocks)
                results = [replace(r, severity="warning") if r.blocks else r for r in results]
            out.append(Localized(doc, locale, localized, labels, results, drafts))
    return out


def _for(results: list[CheckResult], doc_id: str) -> list[CheckResult]:
    """Locale-wide problems, attributed to each document they hold back."""
    return [replace(r, document=doc_id) for r in results]

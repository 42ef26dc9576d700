"""Source Document × a locale's catalogs → the localized Document ("translate the model").

Every unit is looked up by (msgctxt, msgid) in its domain's catalog. A unit that is missing,
untranslated, fuzzy or fails QA is a `translation` result naming the PO file, line and msgid;
any error blocks the locale. With `allow_incomplete` the source text fills the gaps and the
Document is marked as a draft, so every page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from babel.messages.catalog import Catalog

from ..config import Config
from ..errors import SourceError
from ..locale import PSEUDO, script
from ..model import CheckResult, Document
from ..ui import Labels
from . import catalogs, qa
from .pseudo import pseudo_text
from .units import Unit, rebuild

CHECK = "translation"
MARKDOWN_KINDS = {"heading", "paragraph", "list item", "table header", "table cell"}
"""Unit kinds whose text is inline Markdown (the others are plain text)."""


@dataclass
class LocaleCatalogs:
    """The catalogs of one locale, loaded once and shared by its documents."""

    locale: str
    domains: dict[str, Catalog | None] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    problems: list[CheckResult] = field(default_factory=list)

    @property
    def pseudo(self) -> bool:
        return self.locale in PSEUDO


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "…"


def load(config: Config, locale: str, domains: list[str]) -> LocaleCatalogs:
    """Read the PO files of `locale` for `domains`; syntax and header errors are results."""
    loaded = LocaleCatalogs(locale)
    if loaded.pseudo:
        return loaded
    from ..locale import babel_locale
    from babel.messages.plurals import get_plural
    expected = babel_locale(locale)
    for domain in domains:
        path = catalogs.po_path(config.root, locale, domain)
        shown = catalogs.shown(config.root, path)
        loaded.paths[domain] = shown
        if not path.is_file():
            loaded.domains[domain] = None
            continue
        try:
            catalog = catalogs.read(config.root, path)
        except SourceError as exc:
            loaded.domains[domain] = None
            loaded.problems.append(CheckResult(CHECK, "*", locale, "*", "error", False,
                                               exc.message, str(exc.loc), exc.hint))
            continue
        declared = str(catalog.locale) if catalog.locale else None
        if declared != str(expected):
            loaded.problems.append(CheckResult(
                CHECK, "*", locale, "*", "error", False,
                f"the PO header declares Language `{declared}`, not `{locale}`", f"{shown}:1",
                f"set `\"Language: {locale}\\n\"` in the header of {shown}"))
        plural = get_plural(expected)
        if catalog.num_plurals != plural.num_plurals:
            loaded.problems.append(CheckResult(
                CHECK, "*", locale, "*", "error", False,
                f"the PO header's Plural-Forms says nplurals={catalog.num_plurals}; CLDR says "
                f"{plural.num_plurals} for `{locale}`", f"{shown}:1",
                f"use `Plural-Forms: {plural.plural_forms}`"))
        loaded.domains[domain] = catalog
    return loaded


def _lookup(loaded: LocaleCatalogs, domain: str, msgid: str, context: str | None, kind: str,
            doc_id: str, results: list[CheckResult], *, ui: bool = False) -> str | None:
    """The usable translation of one message, or None (with the reason added to results)."""
    locale = loaded.locale
    if loaded.pseudo:
        return pseudo_text(msgid, locale, markdown=kind in MARKDOWN_KINDS)
    catalog = loaded.domains.get(domain)
    shown = loaded.paths.get(domain, domain)

    def problem(message: str, line: int | None, hint: str, severity: str = "error"):
        results.append(CheckResult(CHECK, doc_id, locale, "*", severity, False,
                                   f"{message}: “{_short(msgid)}”",
                                   f"{shown}:{line}" if line else shown, hint))

    if catalog is None:
        problem("no catalog for this message", None, "run `make locales` to create the PO file")
        return None
    message = catalog.get(msgid, context)
    if message is None:
        problem("not in the catalog yet", None, "run `make locales` to bring in new messages")
        return None
    if not message.string:
        problem("untranslated", message.lineno, "translate the msgstr")
        return None
    if message.fuzzy:
        problem("fuzzy (the source changed)", message.lineno,
                "check the translation against the new msgid, then remove the fuzzy flag")
        return None
    errors, warnings = qa.check(msgid, message.string, shown, ui=ui, script=script(locale))
    for warning in warnings:
        problem(f"QA: {warning}", message.lineno, "check the translation", "warning")
    for error in errors:
        problem(f"QA: {error}", message.lineno, "fix the msgstr")
    return None if errors else message.string


def translate(doc: Document, loaded: LocaleCatalogs, allow_incomplete: bool = False
              ) -> tuple[Document, list[CheckResult]]:
    """The Document in `loaded.locale`, and the translation results that concern it."""
    results: list[CheckResult] = []

    def text_for(unit: Unit) -> str | None:
        return _lookup(loaded, unit.domain, unit.msgid, unit.context, unit.kind, doc.id,
                       results)

    localized = rebuild(doc, text_for)
    blocked = any(r.blocks for r in results)
    if blocked and allow_incomplete:
        localized = replace(localized, draft=True)
    return replace(localized, locale=loaded.locale), results


def labels(loaded: LocaleCatalogs, used: list[str]) -> tuple[Labels, list[CheckResult]]:
    """The `ui` labels of a locale (source text where missing) and their problems."""
    results: list[CheckResult] = []
    table = {}
    for text in used:
        translated = _lookup(loaded, "ui", text, None, "label", "*", results, ui=True)
        table[text] = translated if translated is not None else text
    return Labels(lambda text: table.get(text, text)), results

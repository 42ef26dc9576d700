"""Source Document × a locale's catalogs → the localized Document ("translate the model").

Every unit is looked up by (msgctxt, msgid) in its domain's catalog. A unit that is missing,
untranslated, fuzzy or fails QA is a `translation` result naming the PO file, line and msgid,
about the outputs that show that unit (a body paragraph concerns the article, not the
handouts); an error blocks those outputs. The source text fills the gaps (published only as a
marked draft, with `--allow-incomplete`: `localize.py` decides).

A PO file that cannot be read is one error naming its file and line (its messages are not
listed again one by one). The header must declare the locale's language and CLDR's plural
rule: the number of forms, and an expression that picks the same form as CLDR's for every
count from 0 to 1000 (a translator's tool may write it differently, but not mean something
else). `orphan_catalogs` warns about PO files of documents that no longer exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from babel.messages.catalog import Catalog

from pipeline.settings.config import Config
from pipeline.errors import SourceError
from pipeline.settings.locale import PSEUDO, script
from pipeline.model import CheckResult, Document
from pipeline.settings.labels import Labels, ui_catalog
from pipeline.translate import catalogs, plurals, qa
from pipeline.translate.pseudo import pseudo_text
from pipeline.translate.units import Unit, rebuild

CHECK = "translation"
NO_CATALOG = "no catalog for"
MARKDOWN_KINDS = {"heading", "paragraph", "list item", "table header", "table cell"}
"""Unit kinds whose text is inline Markdown (the others are plain text)."""


@dataclass
class LocaleCatalogs:
    """The catalogs of one locale, loaded once and shared by its documents."""

    locale: str
    domains: dict[str, Catalog | None] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    problems: list[CheckResult] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)
    """Domains whose PO file exists but could not be read (already one error in problems)."""

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
    from pipeline.settings.locale import babel_locale
    from babel.messages.plurals import get_plural
    expected = babel_locale(locale)
    for domain in domains:
        path = catalogs.po_path(config.root, locale, domain)
        if domain == "ui":
            path = ui_catalog(config.root, locale) or path
        shown = catalogs.shown(config.root, path)
        loaded.paths[domain] = shown
        if not path.is_file():
            loaded.domains[domain] = None
            continue
        plural = get_plural(expected)
        try:
            catalog = catalogs.read(config.root, path)
        except SourceError as exc:
            loaded.domains[domain] = None
            loaded.broken.add(domain)
            hint = (f"for `{locale}` write `\"Plural-Forms: {plural.plural_forms}\\n\"`"
                    if exc.code == "plural-forms" else exc.hint)
            loaded.problems.append(CheckResult(CHECK, "*", locale, "*", "error", False,
                                               f"`{domain}` catalog: {exc.message}",
                                               str(exc.loc), hint))
            continue
        lines = getattr(catalog, "header_lines", {})
        declared = str(catalog.locale) if catalog.locale else None
        if declared != str(expected):
            loaded.problems.append(CheckResult(
                CHECK, "*", locale, "*", "error", False,
                f"`{domain}` catalog: the PO header declares Language `{declared}`, not "
                f"`{locale}`",
                f"{shown}:{lines.get('Language', 1)}",
                f"set `\"Language: {locale}\\n\"` in the header of {shown}"))
        loaded.problems += _plural_results(catalog, locale, expected, shown, domain)
        loaded.domains[domain] = catalog
    return loaded


def _plural_results(catalog: Catalog, locale: str, expected, shown: str, domain: str
                    ) -> list[CheckResult]:
    """The header's plural rule judged as translators' tools judge it (`plurals.judge`), and
    every plural message checked for the number of forms the header promises."""
    lines = getattr(catalog, "header_lines", {})
    where = f"{shown}:{lines.get('Plural-Forms', 1)}"
    results = []
    if "Plural-Forms" in lines:
        verdict = plurals.judge(f"nplurals={catalog.num_plurals}; plural={catalog.plural_expr};",
                                locale, expected)
        if verdict.message:
            results.append(CheckResult(CHECK, "*", locale, "*",
                                       "info" if verdict.ok else "error", verdict.ok,
                                       f"`{domain}` catalog: {verdict.message}", where,
                                       verdict.hint))
    for line, forms in getattr(catalog, "plural_entries", []):
        if forms != catalog.num_plurals:
            results.append(CheckResult(
                CHECK, "*", locale, "*", "error", False,
                f"`{domain}` catalog: a plural message has {forms} msgstr[…] forms, but the "
                f"header says nplurals={catalog.num_plurals}", f"{shown}:{line}",
                f"give it msgstr[0] to msgstr[{catalog.num_plurals - 1}]"))
    return results


def orphan_catalogs(config: Config) -> list[CheckResult]:
    """Warnings for PO and POT files whose document is no longer in source/ (a renamed or
    deleted document leaves its translations behind; they are never used)."""
    from pipeline.settings.locale import PSEUDO
    from pipeline.read.reader import document_ids
    from pipeline.translate.extract import SHARED_DOMAIN, UI_DOMAIN
    known = set(document_ids(config)) | {SHARED_DOMAIN, UI_DOMAIN}
    found: list[CheckResult] = []
    folder = config.root / "locales"
    candidates = [("*", path) for path in sorted(folder.glob("*.pot"))]
    for locale in config.locales:
        if locale == config.source_locale or locale in PSEUDO:
            continue
        candidates += [(locale, path) for path in
                       sorted((folder / locale / "LC_MESSAGES").glob("*.po"))]
    for locale, path in candidates:
        if path.stem in known:
            continue
        shown = catalogs.shown(config.root, path)
        found.append(CheckResult(
            CHECK, path.stem, locale, "*", "warning", False,
            f"{shown} belongs to a document `{path.stem}` that is not in source/",
            shown, f"delete {shown}, or rename it if source/{path.stem}.md was renamed"))
    return found


def _lookup(loaded: LocaleCatalogs, domain: str, msgid: str, context: str | None, kind: str,
            doc_id: str, results: list[CheckResult], *, ui: bool = False,
            outputs: str = "*") -> str | None:
    """The usable translation of one message, or None (with the reason added to results,
    about the `outputs` that show the message)."""
    locale = loaded.locale
    if loaded.pseudo:
        return pseudo_text(msgid, locale, markdown=kind in MARKDOWN_KINDS)
    catalog = loaded.domains.get(domain)
    shown = loaded.paths.get(domain, domain)

    def problem(message: str, line: int | None, hint: str, severity: str = "error"):
        results.append(CheckResult(CHECK, doc_id, locale, outputs, severity, False,
                                   f"{message}: “{_short(msgid)}”",
                                   f"{shown}:{line}" if line else shown, hint))

    if catalog is None:
        if domain not in loaded.broken:  # a broken file is already one error of its own
            results.append(CheckResult(CHECK, doc_id, locale, "*", "error", False,
                                       f"{NO_CATALOG} `{domain}` in `{locale}`: {shown} does "
                                       "not exist", shown, "run `make locales` to create it, "
                                       "then translate it", {"message": [context, msgid]}))
        return None
    message = catalog.get(msgid, context)
    if message is None:
        problem("not in the catalog yet", None, "run `make locales` to bring in new messages")
        return None
    # Point at the line the translator edits: the msgstr, or the `#, fuzzy` flag.
    msgstr_line, flags_line = getattr(catalog, "entry_lines", {}).get(
        (context, msgid), (message.lineno, None))
    if not message.string:
        problem("untranslated", msgstr_line, "translate the msgstr")
        return None
    if message.fuzzy:
        problem("fuzzy (the source changed)", flags_line or msgstr_line,
                "check the msgstr against the new msgid (the `#|` lines show the old one), "
                "then remove the fuzzy flag")
        return None
    errors, warnings = qa.check(msgid, message.string, shown, ui=ui, script=script(locale))
    for warning in warnings:
        problem(f"QA: {warning}", msgstr_line, "check the translation", "warning")
    for error in errors:
        problem(f"QA: {error}", msgstr_line, "fix the msgstr")
    return None if errors else message.string


def one_per_catalog(results: list[CheckResult]) -> list[CheckResult]:
    """A missing PO file is one error per domain × locale (with the number of messages it
    would hold), not one per message: a new document's first build says what to do once."""
    out: list[CheckResult] = []
    first: dict[tuple, tuple[int, set]] = {}
    for result in results:
        if not result.message.startswith(NO_CATALOG) or "message" not in result.metrics:
            out.append(result)
            continue
        key = (result.document, result.locale, result.location)
        if key not in first:
            first[key] = (len(out), set())
            out.append(result)
        first[key][1].add(tuple(result.metrics["message"]))
    for index, messages in first.values():
        count = len(messages)
        out[index] = replace(out[index], metrics={"messages": count},
                             message=f"{out[index].message} ({count} message"
                                     f"{'s' if count != 1 else ''} to translate)")
    return out


def translate(doc: Document, loaded: LocaleCatalogs) -> tuple[Document, list[CheckResult]]:
    """The Document in `loaded.locale` (the source text where a translation is not usable),
    and the translation results that concern it, each about the outputs that show its
    message (`Unit.outputs`)."""
    results: list[CheckResult] = []

    def text_for(unit: Unit) -> str | None:
        return _lookup(loaded, unit.domain, unit.msgid, unit.context, unit.kind, doc.id,
                       results, outputs=unit.outputs)

    localized = rebuild(doc, text_for)
    results = one_per_catalog(results)
    return replace(localized, locale=loaded.locale), results


def labels(loaded: LocaleCatalogs, used: list[str]) -> tuple[Labels, list[CheckResult]]:
    """The `ui` labels of a locale (source text where missing) and their problems."""
    results: list[CheckResult] = []
    table = {}
    for text in used:
        translated = _lookup(loaded, "ui", text, None, "label", "*", results, ui=True)
        table[text] = translated if translated is not None else text
    return Labels(lambda text: table.get(text, text)), one_per_catalog(results)

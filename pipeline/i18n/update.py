"""`plainpress i18n extract | update [--init LOCALE]` (and `make locales`).

Extract writes the templates; update merges each template into every configured locale's PO
file with Babel: translations kept, changed source text marked fuzzy with its previous msgid
(`#|`) so the translator sees what changed, removed messages kept as obsolete (`#~`). Files are
only rewritten when their bytes change, atomically.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from ..config import Config
from ..errors import UsageError
from ..locale import PSEUDO, babel_locale
from ..model import Document
from ..publish import write_atomic
from . import catalogs
from .extract import document_templates, review_time, ui_template


def templates(config: Config, documents: list[Document]) -> dict[str, Catalog]:
    """Every domain's template, built from the sources and templates now."""
    found = document_templates(config, documents)
    found["ui"] = ui_template(config, review_time(documents))
    return found


def _write(config: Config, path: Path, catalog: Catalog) -> bool:
    data = catalogs.serialise(catalog, catalogs.shown(config.root, path))
    if path.is_file() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True


def extract(config: Config, documents: list[Document]) -> list[Path]:
    """Write `locales/<domain>.pot`; returns the files that changed."""
    changed = []
    for domain, catalog in templates(config, documents).items():
        path = catalogs.pot_path(config.root, domain)
        if _write(config, path, catalog):
            changed.append(path)
    return changed


def target_locales(config: Config, init: str | None) -> list[str]:
    locales = [l for l in config.locales if l != config.source_locale and l not in PSEUDO]
    if init:
        babel_locale(init)
        if init == config.source_locale:
            raise UsageError(f"`{init}` is the source locale; it needs no translation")
        if init not in locales:
            locales.append(init)
    return locales


def update(config: Config, documents: list[Document], init: str | None = None) -> list[Path]:
    """Merge the templates into each locale's PO files; returns the files that changed."""
    changed = []
    found = templates(config, documents)
    for locale in target_locales(config, init):
        for domain, template in found.items():
            path = catalogs.po_path(config.root, locale, domain)
            if path.is_file():
                catalog = catalogs.read(config.root, path, locale)
            elif init is None or init == locale:
                catalog = Catalog(locale=babel_locale(locale), domain=domain,
                                  project=template.project, version="",
                                  copyright_holder=config.organisation, charset="utf-8",
                                  creation_date=template.creation_date,
                                  revision_date=template.creation_date, fuzzy=False,
                                  msgid_bugs_address="", language_team=f"{locale}")
                catalog.header_comment = (
                    f"# {locale} translation of `{domain}`.\n"
                    "# Translate each msgstr; keep links, *emphasis*, numbers and {placeholders}.\n#")
            else:
                continue
            catalog.locale = babel_locale(locale)
            catalog.update(template, update_header_comment=False, keep_user_comments=True,
                           update_creation_date=True)
            if _write(config, path, catalog):
                changed.append(path)
    return changed

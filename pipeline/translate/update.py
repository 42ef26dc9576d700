"""`plainpress i18n extract | update [--init LOCALE]` (and `make locales`).

Extract writes the templates; update also merges each template into every configured locale's
PO files with GNU `msgmerge --previous` (`merge.py`): translations kept, changed source text
marked fuzzy with its previous msgid (`#|`) so the translator sees what changed, removed
messages kept as obsolete (`#~`). A PO file in an older charset (read as its header says) is
converted to UTF-8 on the way.

A run is all or nothing: every template and catalog is computed first (a broken PO file stops
the run with its file and line, before anything is written), then the changed files are staged
next to their targets and renamed into place together. Unchanged files are not touched.

Which catalogs a locale has: a translated locale has every domain; the `ui` domain (English
labels) also exists for a source locale that is not English, and for no English locale.
A new `ui` catalog starts from the translations shipped with Plainpress when there are some.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from pipeline.settings.config import Config
from pipeline.errors import UsageError
from pipeline.settings.locale import PSEUDO, babel_locale
from pipeline.model import Document
from pipeline.files import current_umask
from pipeline.settings.labels import labels_translated, ui_catalog
from pipeline.translate import catalogs
from pipeline.translate.extract import UI_DOMAIN, document_templates, ui_template
from pipeline.translate.merge import merge


def templates(config: Config, documents: list[Document]) -> dict[str, Catalog]:
    """Every domain's template, built from the sources and templates now."""
    found = document_templates(config, documents)
    found[UI_DOMAIN] = ui_template(config)
    return found


def _changed(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() != data
    except OSError:
        return True


def _templates_bytes(config: Config, found: dict[str, Catalog]) -> dict[str, bytes]:
    return {domain: catalogs.serialise(catalog, catalogs.shown(
                config.root, catalogs.pot_path(config.root, domain)))
            for domain, catalog in found.items()}


def write_together(files: dict[Path, bytes]) -> None:
    """Stage every file next to its target, then rename them all: a failure while staging
    (a full disk, a read-only folder) leaves every target as it was."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), 0o666 & ~current_umask())  # mkstemp's 0600 otherwise
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)


def extract(config: Config, documents: list[Document]) -> list[Path]:
    """Write `locales/<domain>.pot`; returns the files that changed."""
    files = {catalogs.pot_path(config.root, domain): data
             for domain, data in _templates_bytes(config, templates(config, documents)).items()}
    files = {path: data for path, data in files.items() if _changed(path, data)}
    write_together(files)
    return list(files)


def target_domains(config: Config, locale: str, domains: list[str]) -> list[str]:
    """The domains `locale` has catalogs for (see the module docstring)."""
    if locale == config.source_locale:
        return [UI_DOMAIN] if labels_translated(locale) else []
    return [d for d in domains if d != UI_DOMAIN or labels_translated(locale)]


def target_locales(config: Config, init: str | None) -> list[str]:
    locales = [l for l in config.locales if l not in PSEUDO]
    if init:
        babel_locale(init)
        if init == config.source_locale and not labels_translated(init):
            raise UsageError(f"`{init}` is the source locale and the labels are already in "
                             "its language: it needs no translation")
        if init not in locales:
            locales.append(init)
    return locales


def _new_catalog(config: Config, locale: str, domain: str, template: Catalog) -> bytes:
    """The header of a new PO file (CLDR's plural rule), before it is merged."""
    catalog = Catalog(locale=babel_locale(locale), domain=domain,
                      project=f"plainpress {domain}", version="",
                      copyright_holder=config.organisation, charset="utf-8", fuzzy=False,
                      creation_date=template.creation_date,
                      revision_date=template.creation_date,
                      msgid_bugs_address="", language_team=f"{locale}")
    catalog.header_comment = (
        f"# {locale} translation of `{domain}`.\n"
        "# Translate each msgstr; keep links, *emphasis*, numbers and {placeholders}.\n#")
    buffer = io.BytesIO()  # msgmerge lays it out (msgcat would print nothing: no messages)
    write_po(buffer, catalog, width=79)
    return buffer.getvalue()


def plan(config: Config, documents: list[Document], init: str | None = None
         ) -> dict[Path, bytes]:
    """Every template and PO file whose bytes a run would change, computed without writing."""
    found = templates(config, documents)
    pots = _templates_bytes(config, found)
    files = {catalogs.pot_path(config.root, domain): data for domain, data in pots.items()}
    for locale in target_locales(config, init):
        for domain in target_domains(config, locale, list(found)):
            path = catalogs.po_path(config.root, locale, domain)
            pot_name = catalogs.shown(config.root, catalogs.pot_path(config.root, domain))
            if path.is_file():
                catalog = catalogs.read(config.root, path, locale)  # our checks, file and line
                if catalogs.is_utf8(catalog):
                    files[path] = merge(config.root, path, pots[domain], pot_name)
                else:  # an older charset, read as its header says: converted to UTF-8
                    files[path] = merge(config.root, catalogs.as_utf8(config.root, path),
                                        pots[domain], pot_name, catalogs.shown(config.root, path))
            elif init is None or init == locale:
                shipped = ui_catalog(config.root, locale) if domain == UI_DOMAIN else None
                start = shipped or _new_catalog(config, locale, domain, found[domain])
                files[path] = merge(config.root, start, pots[domain], pot_name,
                                    catalogs.shown(config.root, path))
    return {path: data for path, data in files.items() if _changed(path, data)}


def update(config: Config, documents: list[Document], init: str | None = None) -> list[Path]:
    """Write the templates and merge them into each locale's PO files, all or nothing;
    returns the files that changed."""
    files = plan(config, documents, init)
    write_together(files)
    return list(files)

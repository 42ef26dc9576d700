"""Documents and templates → message templates (`locales/<domain>.pot`).

One domain per document (its title, summary, body and handout), `shared` (the approved
snippets) and `ui` (labels in the templates the site uses, its own `styles/templates/*.j2`
or the package's defaults, and the `labels(...)` calls of the
pipeline). Each message carries its `#:` location and `#.` notes; handout messages carry the
msgctxt `handout`.

POT-Creation-Date (which `msgmerge` copies into every PO header) is never the clock: a
document's domain carries that document's review month, and `shared` and `ui`, which belong to
no document, carry the fixed `STABLE_DATE`, so adding or re-reviewing one document rewrites
only its own catalogs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file

from pipeline.settings.config import Config
from pipeline.settings.styles import style_files
from pipeline.model import Document
from pipeline.translate.units import units

UI_DOMAIN = "ui"
SHARED_DOMAIN = "shared"
PIPELINE = Path(__file__).resolve().parent.parent
UI_KEYWORDS = {"_": None, "labels": None, "gettext": None, "parts": None}
"""`parts` is `Labels.parts`, for labels whose values are Word fields or CSS counters."""
STABLE_DATE = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
"""The creation date of the `shared` and `ui` templates: any fixed date would do."""


def _catalog(domain: str, config: Config, when: dt.datetime) -> Catalog:
    catalog = Catalog(domain=domain, project=f"plainpress {domain}", version="",
                      copyright_holder=config.organisation, charset="utf-8",
                      creation_date=when, revision_date=when, fuzzy=False,
                      msgid_bugs_address="")
    catalog.header_comment = (
        f"# Messages of `{domain}`, extracted by `plainpress i18n extract`.\n"
        "# Do not edit this template; translate locales/<locale>/LC_MESSAGES/*.po instead.\n#")
    return catalog


def review_time(doc: Document) -> dt.datetime:
    """The document's review month, as its template's creation date."""
    year, month = doc.meta.reviewed
    return dt.datetime(year, month, 1, tzinfo=dt.timezone.utc)


def document_templates(config: Config, documents: list[Document]) -> dict[str, Catalog]:
    """One catalog per document, plus `shared`."""
    catalogs = {SHARED_DOMAIN: _catalog(SHARED_DOMAIN, config, STABLE_DATE)}
    for doc in documents:
        catalogs[doc.id] = _catalog(doc.id, config, review_time(doc))
        for unit in units(doc):
            catalog = catalogs[unit.domain]
            existing = catalog.get(unit.msgid, unit.context)
            location = (unit.loc.path, unit.loc.line)
            if existing is not None:
                if location not in existing.locations:
                    existing.locations.append(location)
                continue
            catalog.add(unit.msgid, locations=[location], auto_comments=unit.notes,
                        context=unit.context)
    return catalogs


def _ui_messages(root: Path):
    """(file, line, message, comments, context, base) of every label: in the templates the
    site uses (its own, else the package's default, file by file) and in the installed
    pipeline's renderers."""
    options = {"keywords": UI_KEYWORDS, "comment_tags": ("Translators:",),
               "strip_comment_tags": True}
    for name, path in style_files(root, "templates", "**/*.j2").items():
        for lineno, message, comments, context in extract_from_file(
                "jinja2.ext:babel_extract", str(path), **options):
            yield f"templates/{name}", lineno, message, comments, context, "styles"
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PIPELINE), method_map=[("render/**.py", "python")], **options):
        yield filename, lineno, message, comments, context, "pipeline"


def ui_template(config: Config) -> Catalog:
    """Labels printed by the templates and the pipeline itself."""
    catalog = _catalog(UI_DOMAIN, config, STABLE_DATE)
    for filename, lineno, message, comments, context, base in _ui_messages(config.root):
        if not isinstance(message, str) or not message:
            continue
        location = (f"{base}/{Path(filename).as_posix()}", lineno)
        existing = catalog.get(message, context)
        if existing is not None:
            existing.locations.append(location)
            continue
        notes = list(comments) or ["label printed by the templates"]
        if "{" in message:
            notes.append("keep the {placeholders} exactly as they are")
        catalog.add(message, locations=[location], auto_comments=notes, context=context)
    return catalog

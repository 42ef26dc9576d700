"""Documents and templates → message templates (`locales/<domain>.pot`).

One domain per document (its title, summary, body and handout), `shared` (the approved
snippets) and `ui` (labels in `styles/templates/*.j2` and the `labels(...)` calls of the
pipeline). Each message carries its `#:` location and `#.` notes; handout messages carry the
msgctxt `handout`. The POT creation date is the newest review month, never the clock.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from ..config import Config
from ..model import Document
from .units import units

UI_DOMAIN = "ui"
SHARED_DOMAIN = "shared"
PIPELINE = Path(__file__).resolve().parent.parent
UI_SOURCES = [("styles", "templates/**.j2", "jinja2.ext:babel_extract"),
              ("pipeline", "render/**.py", "python")]  # where the labels are printed
UI_KEYWORDS = {"_": None, "labels": None, "gettext": None}


def _catalog(domain: str, config: Config, when: dt.datetime) -> Catalog:
    catalog = Catalog(domain=domain, project=f"plainpress {domain}", version="",
                      copyright_holder=config.organisation, charset="utf-8",
                      creation_date=when, revision_date=when, fuzzy=False,
                      msgid_bugs_address="")
    catalog.header_comment = (
        f"# Messages of `{domain}`, extracted by `plainpress i18n extract`.\n"
        "# Do not edit this template; translate locales/<locale>/LC_MESSAGES/*.po instead.\n#")
    return catalog


def review_time(documents: list[Document]) -> dt.datetime:
    """The newest review month, as the templates' creation date."""
    year, month = max((doc.meta.reviewed for doc in documents), default=(1970, 1))
    return dt.datetime(year, month, 1, tzinfo=dt.timezone.utc)


def document_templates(config: Config, documents: list[Document]) -> dict[str, Catalog]:
    """One catalog per document, plus `shared`."""
    when = review_time(documents)
    catalogs = {SHARED_DOMAIN: _catalog(SHARED_DOMAIN, config, when)}
    for doc in documents:
        catalogs[doc.id] = _catalog(doc.id, config, when)
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


def ui_template(config: Config, when: dt.datetime) -> Catalog:
    """Labels printed by the templates and the pipeline itself."""
    catalog = _catalog(UI_DOMAIN, config, when)
    for base, pattern, method in UI_SOURCES:
        # The project's own templates; the labels of the installed pipeline itself.
        folder = PIPELINE if base == "pipeline" else config.root / base
        for filename, lineno, message, comments, context in extract_from_dir(
                str(folder), method_map=[(pattern, method)],
                keywords=UI_KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True):
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

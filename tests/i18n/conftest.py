"""A tiny project with an `es` locale, for the translation tests."""

from __future__ import annotations

import pytest

from pipeline import config, reader
from pipeline.i18n import catalogs, update


def translate_all(project, locale: str, table: dict[str, str] | None = None) -> None:
    """Fill every msgstr of `locale` (from `table`, else a marked copy of the msgid)."""
    cfg = config.load(project.root)
    for path in (project.root / "locales" / locale / "LC_MESSAGES").glob("*.po"):
        catalog = catalogs.read(project.root, path)
        for message in catalog:
            if message.id:
                message.string = (table or {}).get(message.id, f"ES {message.id}"
                                                   if "{" not in message.id else message.id)
                message.flags.discard("fuzzy")
        path.write_bytes(catalogs.serialise(catalog, path.name))
    del cfg


@pytest.fixture
def es_project(project):
    """The sample project with `es` configured and its PO files initialised (untranslated)."""
    text = project.read("pyproject.toml").replace('locales = ["en"]', 'locales = ["en", "es"]')
    project.write("pyproject.toml", text)
    cfg = config.load(project.root)
    docs = [reader.read_document(cfg, "sample")]
    update.extract(cfg, docs)
    update.update(cfg, docs, init="es")
    return project

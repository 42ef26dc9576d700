"""A loaded, validated project: the settings, the theme and the selected documents read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.build.jobs import Selection, plan
from pipeline.model import Document
from pipeline.outputs import KINDS
from pipeline.settings import config as config_mod


@dataclass
class Project:
    """What every job of a build shares."""

    config: config_mod.Config
    theme: object
    documents: list[Document]
    locales: tuple[str, ...]
    formats: tuple[str, ...]


def load_project(root: Path, selection: Selection,
                 config: config_mod.Config | None = None) -> Project:
    """Read and validate the config, theme and selected sources (PlainpressError if bad)."""
    from pipeline.read import reader
    from pipeline.settings import theme as theme_mod
    from pipeline.settings.locale import babel_locale

    config = config or config_mod.load(root)
    for locale in config.locales:
        babel_locale(locale)
    theme = theme_mod.load(config)
    jobs = plan(config, selection)
    if any(job.row.reader == "braille" for job in jobs):
        from pipeline.readback.braille import check_tables
        check_tables(config, selection.locales or config.locales)
    documents = reader.read_documents(config, list(dict.fromkeys(job.document for job in jobs)))
    return Project(config, theme, documents, selection.locales or config.locales,
                   selection.formats or KINDS)

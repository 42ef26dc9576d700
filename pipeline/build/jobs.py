"""The plan of a build: what to make (a `Selection`) and the jobs it becomes.

A `Job` is a value: one document × locale × output row × page-size edition, with the file it
publishes. It carries everything a worker needs to know about what to make, so it can run in
this process, in a forked worker, or elsewhere. The rows come from `pipeline.outputs`; a paged
output has one job per configured page size, the others one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline import outputs
from pipeline.errors import UsageError
from pipeline.outputs import Output
from pipeline.settings.config import Config

PSEUDO_LOCALES = ("en_XA", "ar_XB")
_PUBLISHABLE = re.compile(r"[A-Za-z0-9_-]+/[a-z0-9][a-z0-9-]*(\.[a-z]+)+")


def publishable(name: str) -> bool:
    """A name from the state file or journal has the shape of an artifact (`es/x.pdf`) with
    the extension of an output kind, so an edited or damaged file can never make a build
    remove anything else."""
    extensions = {row.pattern[row.pattern.index("."):] for row in outputs.OUTPUTS}
    return bool(_PUBLISHABLE.fullmatch(name)) and any(name.endswith(e) for e in extensions)


@dataclass(frozen=True)
class Selection:
    """What to build; empty means everything."""

    docs: tuple[str, ...] = ()
    locales: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    page_sizes: tuple[str, ...] = ()
    """Editions of the paged outputs (`--page-size`); empty means the configured ones."""

    def as_dict(self) -> dict:
        return {"docs": list(self.docs), "locales": list(self.locales),
                "formats": list(self.formats), "page_sizes": list(self.page_sizes)}

    @property
    def everything(self) -> bool:
        return not (self.docs or self.locales or self.formats or self.page_sizes)


@dataclass(frozen=True, slots=True)
class Job:
    """One artifact to make."""

    document: str
    locale: str
    output: str
    """The output kind (a row of `pipeline.outputs`)."""
    filename: str
    """Where it is published, inside the build folder (`es/x-handout.pdf`)."""
    page_size: str | None
    """The edition's paper size; None for an output that is not paged."""

    @property
    def row(self) -> Output:
        return outputs.output(self.output)

    @property
    def pair(self) -> tuple[str, str]:
        """(document, locale): the jobs of one pair are published together."""
        return self.document, self.locale


def artifact_name(doc_id: str, locale: str, output: str, size: str | None,
                  config: Config) -> str:
    """`<locale>/<file>`: the first configured page size keeps the plain name, any other edition
    has its size before the extension (`x-a4.pdf`, `x-handout-a4.pdf`), so editions coexist and
    adding one renames nothing that is already published or linked to."""
    name = outputs.output(output).pattern.format(id=doc_id)
    if size is not None and size != config.page_size:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem}-{size}{dot}{extension}"
    return f"{locale}/{name}"


def _jobs(config: Config, docs, locales, kinds, sizes) -> list[Job]:
    from pipeline.settings.voices import audio_locales
    voiced = audio_locales(config)  # the spoken edition on its own: those locales only
    return [Job(doc_id, locale, kind, artifact_name(doc_id, locale, kind, size, config), size)
            for doc_id in docs for locale in locales for kind in kinds
            if not outputs.output(kind).voiced or locale in voiced
            for size in (sizes if outputs.output(kind).paged else (None,))]


def plan(config: Config, selection: Selection) -> list[Job]:
    """The jobs of the selection, in a stable order (document, locale, output, edition). Bad
    selections are errors."""
    from pipeline.read.reader import document_ids

    known = document_ids(config)
    for doc_id in selection.docs:
        if doc_id not in known:
            raise UsageError(f"there is no document `{doc_id}` in source/",
                             hint=f"known documents: {', '.join(known) or 'none'}")
    for locale in selection.locales:
        if locale not in config.locales and locale not in PSEUDO_LOCALES:
            raise UsageError(f"locale `{locale}` is not configured",
                             hint=f"configured locales: {', '.join(config.locales)}; "
                                  f"pseudo-locales: {', '.join(PSEUDO_LOCALES)}")
    for fmt in selection.formats:
        if fmt not in outputs.KINDS:
            raise UsageError(f"unknown format `{fmt}`",
                             hint=f"formats: {', '.join(outputs.KINDS)}")
    if not known:
        raise UsageError("source/ holds no documents", hint="create one with `plainpress new ID`")
    jobs = _jobs(config, selection.docs or known, selection.locales or config.locales,
                 selection.formats or outputs.KINDS, selection.page_sizes or config.page_sizes)
    _no_clashing_names(_jobs(config, known, config.locales, outputs.KINDS, config.page_sizes)
                       + jobs)
    return jobs


def _no_clashing_names(jobs: list[Job]) -> None:
    """Two jobs may not publish under one name (document `x-a4` and the a4 edition of `x`)."""
    owners: dict[str, Job] = {}
    for job in jobs:
        other = owners.setdefault(job.filename, job)
        if other != job:
            raise UsageError(
                f"{job.filename} would be both the {other.output} of `{other.document}`"
                f"{f' ({other.page_size})' if other.page_size else ''} and the {job.output} of "
                f"`{job.document}`{f' ({job.page_size})' if job.page_size else ''}",
                hint=f"rename source/{max(other.document, job.document, key=len)}.md: a "
                     "document id may not end in a page size (-a4, -letter) or -handout")

"""Rendering and gating jobs, in this process or spread over a pool of worker processes.

Each worker is a long-lived process that renders many jobs and keeps what is costly to make:
compiled templates, parsed theme CSS, WeasyPrint's font configuration. The parent prepares the
localized documents, forks the workers (they inherit them), and gets the results back in plan
order, so `--jobs 4` publishes the same bytes as `--jobs 1`.
"""

from __future__ import annotations

import multiprocessing
import resource
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Iterator

from .model import Artifact, CheckResult, Document
from .ui import Labels

_STATE: dict = {}
"""What the parent prepared: the project and the localized jobs."""
SCREEN = "auto"
"""The HTML page's `@page` size: the reader's own paper, whatever the editions are."""


@dataclass
class Rendered:
    """One job's artifact bytes and gate results, as sent back to the parent."""

    artifact: Artifact
    results: list[CheckResult]
    pages: int | None
    seconds: float
    peak_rss_kb: int


class Renderers:
    """Per-process rendering state (compiled templates, WeasyPrint set-up)."""

    def __init__(self, project, page_size: str, pdf=None):
        from .render.context import RenderContext
        from .render.pdf import PdfRenderer

        self.ctx = RenderContext(project.config, project.theme, page_size)
        # WeasyPrint's set-up depends on the project, not the paper: editions share it.
        self.pdf = pdf or PdfRenderer(self.ctx)

    def render(self, doc: Document, output: str, labels: Labels) -> bytes:
        from .locale import bcp47
        from .render.handout import render_handout
        from .render.html import render_article

        if output == "html":
            return render_article(doc, self.ctx, labels, for_print=False).encode("utf-8")
        if output == "pdf":
            html = render_article(doc, self.ctx, labels, for_print=True)
            return self.pdf.render(html, source=doc.path, lang=bcp47(doc.locale))
        if output == "docx":
            from .render.docx import render_docx
            return render_docx(doc, self.ctx, labels)
        if output in ("handout", "handout-large"):
            html = render_handout(doc, self.ctx, labels, output)
            return self.pdf.render(html, source=doc.path, lang=bcp47(doc.locale))
        raise AssertionError(output)


def page_count(output: str, data: bytes) -> int | None:
    """Pages of a PDF artifact (None for other outputs)."""
    if output not in ("pdf", "handout", "handout-large"):
        return None
    from .checks.run import pages
    return pages(data)


def prepare(project, localized: dict) -> None:
    """Set what the jobs need; call before `run` (workers inherit it when forked)."""
    _STATE.clear()
    _STATE.update(project=project, localized=localized, renderers={})


def renderers(page_size: str | None) -> Renderers:
    """This process's renderers for one page-size edition (None: the HTML page)."""
    made = _STATE["renderers"]
    size = page_size or SCREEN
    if size not in made:
        shared = next(iter(made.values())).pdf if made else None
        made[size] = Renderers(_STATE["project"], size, shared)
    return made[size]


def run_one(task: tuple[str, str, str, str, str | None]) -> Rendered:
    """Render and gate one (document, locale, output, filename, page size) in this process."""
    import time

    from .checks.run import gate
    from .render.html import stamp

    doc_id, locale, output, filename, page_size = task
    project = _STATE["project"]
    job = _STATE["localized"][(doc_id, locale)]
    doc = job.doc_for(output)
    start = time.perf_counter()
    data = renderers(page_size).render(doc, output, job.labels)
    artifact = Artifact(doc_id, locale, output, filename, data)
    results = gate(doc, artifact, stamp(doc, job.labels), project.config, project.theme)
    pages = page_count(output, data)
    return Rendered(artifact, results, pages, time.perf_counter() - start,
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def run(tasks: list[tuple[str, str, str, str, str | None]], jobs: int) -> Iterator[Rendered]:
    """Results of `tasks`, in order; with `jobs` > 1 the work is spread over processes."""
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield run_one(task)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
        yield from pool.map(run_one, tasks, chunksize=1)

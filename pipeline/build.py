"""The job graph (document × locale × output), gates, atomic publication and the report.

This is the only module that writes files. A build reads and validates every selected source
first (a bad input stops it before anything is written), then renders each job, runs the gates
on the rendered bytes, and publishes only what passed; a failing artifact's earlier copy is
withdrawn so that nothing stale looks current.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from . import config as config_mod
from . import reader, report, theme as theme_mod
from .checks.run import gate as run_gates
from .errors import EXIT_GATE_FAILED, EXIT_OK, UsageError
from .locale import PSEUDO, bcp47, babel_locale
from .localize import localize
from .model import Artifact, CheckResult, Document
from .publish import build_lock, withdraw, write_atomic
from .render.context import RenderContext
from .render.handout import render_handout
from .render.html import render_article, stamp
from .ui import Labels

OUTPUT_FILES = {"html": "{id}.html", "pdf": "{id}.pdf", "docx": "{id}.docx",
                "handout": "{id}-handout.pdf", "handout-large": "{id}-handout-large.pdf"}
FORMATS = tuple(OUTPUT_FILES)


@dataclass(frozen=True)
class Selection:
    """What to build; empty means everything."""

    docs: tuple[str, ...] = ()
    locales: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"docs": list(self.docs), "locales": list(self.locales),
                "formats": list(self.formats)}


@dataclass
class Outcome:
    """What happened to one job."""

    artifact: Artifact
    results: list[CheckResult]
    published: bool
    pages: int | None = None
    status: str = ""
    """What the summary table shows; derived from `published` when empty."""

    @property
    def withheld_because(self) -> list[str]:
        return [r.message for r in self.results if r.blocks]

    def record(self) -> dict:
        data = self.artifact.data
        return {"path": self.artifact.filename, "document": self.artifact.document,
                "locale": self.artifact.locale, "output": self.artifact.output,
                "published": self.published, "size": len(data), "pages": self.pages,
                "sha256": hashlib.sha256(data).hexdigest(),
                "withheld_because": self.withheld_because}


@dataclass
class BuildResult:
    """Every outcome and check of a build, and the exit status it implies."""

    outcomes: list[Outcome] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    """Jobs that were not rendered, with the reason."""
    out_dir: Path | None = None

    @property
    def exit_code(self) -> int:
        return EXIT_GATE_FAILED if any(c.blocks for c in self.checks) else EXIT_OK


@dataclass
class Project:
    """A loaded, validated project: config, theme, snippets and the selected documents."""

    config: config_mod.Config
    theme: theme_mod.Theme
    documents: list[Document]
    locales: tuple[str, ...]
    formats: tuple[str, ...]


def load_project(root: Path, selection: Selection) -> Project:
    """Read everything a build needs; raise PlainpressError on the first bad input."""
    config = config_mod.load(root)
    for locale in config.locales:
        babel_locale(locale)
    theme = theme_mod.load(config)
    known = reader.document_ids(config)
    for doc_id in selection.docs:
        if doc_id not in known:
            raise UsageError(f"there is no document `{doc_id}` in source/",
                             hint=f"known documents: {', '.join(known) or 'none'}")
    for locale in selection.locales:
        if locale not in config.locales and locale not in PSEUDO:
            raise UsageError(f"locale `{locale}` is not configured",
                             hint=f"configured locales: {', '.join(config.locales)}; "
                                  f"pseudo-locales: {', '.join(PSEUDO)}")
    for fmt in selection.formats:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format `{fmt}`", hint=f"formats: {', '.join(FORMATS)}")
    if not known:
        raise UsageError("source/ holds no documents", hint="create one with `plainpress new ID`")
    snippets = reader.read_snippets(config)
    documents = [reader.read_document(config, doc_id, snippets)
                 for doc_id in (selection.docs or known)]
    return Project(config, theme, documents, selection.locales or config.locales,
                   selection.formats or FORMATS)


def page_count(output: str, data: bytes) -> int | None:
    """Pages of a PDF artifact (None for other outputs)."""
    if output not in ("pdf", "handout", "handout-large"):
        return None
    import pikepdf
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def gate(project: Project, doc: Document, artifact: Artifact, labels: Labels
         ) -> list[CheckResult]:
    """Run every gate registered for the artifact's output."""
    return run_gates(doc, artifact, stamp(doc, labels), project.config, project.theme)


class Renderers:
    """Per-process rendering state (compiled templates, WeasyPrint set-up)."""

    def __init__(self, project: Project, page_size: str):
        from .render.pdf import PdfRenderer

        self.ctx = RenderContext(project.config, project.theme, page_size)
        self.pdf = PdfRenderer(self.ctx)

    def render(self, doc: Document, output: str, labels: Labels) -> bytes:
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


def build(root: Path, selection: Selection = Selection(), out_dir: Path | None = None,
          page_size: str | None = None, publish: bool = True, allow_incomplete: bool = False,
          progress=None) -> BuildResult:
    """Build, gate and publish the selection; write `report.json`."""
    project = load_project(root, selection)
    out_dir = out_dir or root / "build"
    renderers = Renderers(project, page_size or project.config.page_size)
    result = BuildResult(out_dir=out_dir)
    with build_lock(out_dir):
        for job in localize(project.config, project.theme, project.documents,
                            project.locales, allow_incomplete):
            result.checks += job.results
            for output in project.formats:
                filename = f"{job.locale}/" + OUTPUT_FILES[output].format(id=job.source.id)
                target = out_dir / filename
                if job.blocked:
                    if publish:
                        withdraw(target)
                    result.skipped.append({"document": job.source.id, "locale": job.locale,
                                           "output": output, "path": filename,
                                           "reason": "; ".join(dict.fromkeys(
                                               r.message for r in job.results if r.blocks))[:300]})
                    continue
                data = renderers.render(job.doc, output, job.labels)
                artifact = Artifact(job.source.id, job.locale, output, filename, data)
                results = gate(project, job.doc, artifact, job.labels)
                passed = not any(r.blocks for r in results)
                if publish and passed:
                    write_atomic(target, data)
                elif publish:
                    withdraw(target)
                result.outcomes.append(Outcome(artifact, results, passed and publish,
                                               page_count(output, data)))
                result.checks += results
                if progress:
                    progress(artifact, passed)
        if publish:
            write_atomic(out_dir / "report.json",
                         report.to_json(root.name, selection.as_dict(), result.outcomes,
                                        result.checks, result.skipped))
    return result


def check_existing(root: Path, selection: Selection = Selection(),
                   out_dir: Path | None = None) -> BuildResult:
    """Validate sources and translations, and gate what `build/` holds, without rendering."""
    project = load_project(root, selection)
    out_dir = out_dir or root / "build"
    result = BuildResult(out_dir=out_dir)
    for job in localize(project.config, project.theme, project.documents, project.locales):
        result.checks += job.results
        for output in project.formats:
            filename = f"{job.locale}/" + OUTPUT_FILES[output].format(id=job.source.id)
            path = out_dir / filename
            if job.blocked or not path.is_file():
                if path.is_file():
                    status = "WITHHELD: translation problems"
                else:
                    status = "missing"
                    result.checks.append(CheckResult(
                        "presence", job.source.id, job.locale, output, "warning", False,
                        f"{filename} is not built", None, "run `plainpress build`"))
                result.outcomes.append(Outcome(Artifact(job.source.id, job.locale, output,
                                                        filename, b""), [], False,
                                               status=status))
                continue
            artifact = Artifact(job.source.id, job.locale, output, filename, path.read_bytes())
            results = gate(project, job.doc, artifact, job.labels)
            passed = not any(r.blocks for r in results)
            result.checks += results
            result.outcomes.append(Outcome(artifact, results, passed,
                                           status="passes" if passed else "FAILS GATES"))
    return result

"""The job graph (document × locale × output), incremental reuse, gates, atomic publication.

This is the only module that writes into `build/`. A build plans its jobs, fingerprints each
one's inputs, and reuses every job whose inputs and published artifact are unchanged (its gate
results come from the state file). The rest are read and validated first (a bad input stops the
build before anything is written), localized, rendered and gated, in one or several worker
processes, each job with a time limit, and only what passed is published, one document ×
locale at a time and all or nothing; a failing artifact's earlier copy is withdrawn, and outputs
of documents or locales that no longer exist are removed, so nothing stale looks current. The
names to remove come from the state file and from the journal of names published since it was
written (a killed build leaves its names there).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from pipeline.settings import config as config_mod
from pipeline.report import record as report
from pipeline.errors import EXIT_GATE_FAILED, EXIT_OK, UsageError
from pipeline.build.fingerprint import STATE_FILE, Fingerprints, dump_state, load_state, still_published
from pipeline.model import CheckResult, Document
from pipeline.build.publish import (OutputError, build_lock, clear_journal, drop_withheld, keep_withheld,
                      publish_group, read_journal, remove_leftovers, withdraw, write_atomic)

OUTPUT_FILES = {"html": "{id}.html", "pdf": "{id}.pdf", "docx": "{id}.docx",
                "handout": "{id}-handout.pdf", "handout-large": "{id}-handout-large.pdf"}
FORMATS = tuple(OUTPUT_FILES)
PAGED = ("pdf", "docx", "handout", "handout-large")
"""Outputs laid out on paper: one job, and one file, per page-size edition. The HTML page is
printed on whatever paper its reader has."""
PSEUDO_LOCALES = ("en_XA", "ar_XB")
_PUBLISHABLE = re.compile(r"[A-Za-z0-9_-]+/[a-z0-9][a-z0-9-]*(\.html|\.pdf|\.docx)")


def publishable(name: str) -> bool:
    """A name from the state file or journal has the shape of an artifact (`es/x.pdf`), so
    an edited or damaged file can never make a build remove anything else."""
    return bool(_PUBLISHABLE.fullmatch(name))


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


@dataclass
class Outcome:
    """What happened to one job."""

    document: str
    locale: str
    output: str
    filename: str
    results: list[CheckResult]
    published: bool
    size: int = 0
    sha256: str = ""
    pages: int | None = None
    status: str = ""
    """What the summary table shows; derived from `published` when empty."""
    page_size: str | None = None
    """The edition's paper size (None for the HTML page)."""

    @property
    def withheld_because(self) -> list[str]:
        return [r.message for r in self.results if r.blocks]

    def record(self) -> dict:
        return {"path": self.filename, "document": self.document, "locale": self.locale,
                "output": self.output, "published": self.published, "size": self.size,
                "pages": self.pages, "sha256": self.sha256, "page_size": self.page_size,
                "withheld_because": self.withheld_because}

    @classmethod
    def from_state(cls, record: dict) -> "Outcome":
        outcome = cls(record["document"], record["locale"], record["output"], record["path"],
                      [CheckResult(**r) for r in record["results"]], record["published"],
                      record["size"], record["sha256"], record["pages"],
                      page_size=record.get("page_size"))
        outcome.status = "reused" if outcome.published else \
            "WITHHELD (unchanged): " + "; ".join(outcome.withheld_because)[:110]
        return outcome


@dataclass
class BuildResult:
    """Every outcome and check of a build, and the exit status it implies."""

    outcomes: list[Outcome] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    """Jobs that were not rendered, with the reason."""
    removed: list[str] = field(default_factory=list)
    """Artifacts removed because their document or locale no longer exists."""
    out_dir: Path | None = None
    timings: dict = field(default_factory=dict)
    """Seconds per artifact and peak memory per worker, for the benchmark."""
    summary: str = ""
    """The last line `check` prints (a build's is made from its outcomes)."""

    @property
    def exit_code(self) -> int:
        return EXIT_GATE_FAILED if any(c.blocks for c in self.checks) else EXIT_OK


@dataclass
class Project:
    """A loaded, validated project: config, theme and the selected documents."""

    config: config_mod.Config
    theme: object
    documents: list[Document]
    locales: tuple[str, ...]
    formats: tuple[str, ...]


def artifact_name(doc_id: str, locale: str, output: str, size: str | None,
                  config: config_mod.Config) -> str:
    """`<locale>/<file>`: the first configured page size keeps the plain name, any other edition
    has its size before the extension (`x-a4.pdf`, `x-handout-a4.pdf`), so editions coexist and
    adding one renames nothing that is already published or linked to."""
    name = OUTPUT_FILES[output].format(id=doc_id)
    if size is not None and size != config.page_size:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem}-{size}{dot}{extension}"
    return f"{locale}/{name}"


def plan(config: config_mod.Config, selection: Selection
         ) -> list[tuple[str, str, str, str, str | None]]:
    """(document, locale, output, filename, page size) for the selection: one job per page-size
    edition of each paged output, one for the HTML page. Bad selections are errors."""
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
        if fmt not in FORMATS:
            raise UsageError(f"unknown format `{fmt}`", hint=f"formats: {', '.join(FORMATS)}")
    if not known:
        raise UsageError("source/ holds no documents", hint="create one with `plainpress new ID`")
    tasks = [(doc_id, locale, output, artifact_name(doc_id, locale, output, size, config), size)
             for doc_id in (selection.docs or known)
             for locale in (selection.locales or config.locales)
             for output in (selection.formats or FORMATS)
             for size in ((selection.page_sizes or config.page_sizes) if output in PAGED
                          else (None,))]
    _no_clashing_names(config, known, tasks)
    return tasks


def _no_clashing_names(config: config_mod.Config, known, tasks) -> None:
    """Two jobs may not publish under one name (document `x-a4` and the a4 edition of `x`)."""
    owners: dict[str, tuple] = {}
    everything = [(d, l, o, artifact_name(d, l, o, s, config), s)
                  for d in known for l in config.locales for o in FORMATS
                  for s in (config.page_sizes if o in PAGED else (None,))]
    for task in everything + tasks:
        other = owners.setdefault(task[3], task)
        if other[:3] != task[:3] or other[4] != task[4]:
            raise UsageError(
                f"{task[3]} would be both the {other[2]} of `{other[0]}`"
                f"{f' ({other[4]})' if other[4] else ''} and the {task[2]} of `{task[0]}`"
                f"{f' ({task[4]})' if task[4] else ''}",
                hint=f"rename source/{max(other[0], task[0], key=len)}.md: a document id may not "
                     "end in a page size (-a4, -letter) or -handout")


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
    tasks = plan(config, selection)
    documents = reader.read_documents(config, list(dict.fromkeys(task[0] for task in tasks)))
    return Project(config, theme, documents, selection.locales or config.locales,
                   selection.formats or FORMATS)


def _state_record(outcome: Outcome, fingerprint: str, mtime_ns: int | None) -> dict:
    record = {**outcome.record(), "fingerprint": fingerprint,
              "results": [asdict(r) for r in outcome.results]}
    if outcome.published:
        record["mtime_ns"] = mtime_ns
    return record


def build(root: Path, selection: Selection = Selection(), out_dir: Path | None = None,
          page_size: str | None = None, publish: bool = True, allow_incomplete: bool = False,
          jobs: int = 1, progress=None) -> BuildResult:
    """Build, gate and publish the selection; write `report.json`."""
    try:
        return _build(root, selection, out_dir, page_size, publish, allow_incomplete, jobs,
                      progress)
    except OutputError as exc:  # a full disk, a read-only folder: name the file in the project
        raise exc.relative_to(root)


def _build(root, selection, out_dir, page_size, publish, allow_incomplete, jobs, progress):
    config = config_mod.load(root)
    if page_size:
        selection = replace(selection, page_sizes=(page_size,))
    tasks = plan(config, selection)
    out_dir = out_dir or root / "build"
    prints = Fingerprints(root, config.theme, config.source_locale, allow_incomplete,
                          config.reference_docx)
    result = BuildResult(out_dir=out_dir)
    with build_lock(out_dir):
        if publish:
            remove_leftovers(out_dir)
        state = load_state(out_dir) if publish else {}
        state = {name: record for name, record in state.items() if publishable(name)}
        planned = {task[3] for task in plan(config, Selection())}
        for name in read_journal(out_dir) if publish else ():
            # Published by a build killed before it wrote the state file: no record vouches
            # for it, so it goes (and is built again if it is still wanted).
            if name not in state and publishable(name) and withdraw(out_dir / name) \
                    and name not in planned:
                result.removed.append(name)
        fresh: dict[str, Outcome] = {}
        new_state: dict[str, dict] = {}
        todo = []
        for task in tasks:
            fingerprint = prints.job(*task[:3], task[4])
            record = state.get(task[3])
            if record and record.get("fingerprint") == fingerprint and (
                    still_published(out_dir, record) if record["published"]
                    else not (out_dir / task[3]).exists()):
                fresh[task[3]] = Outcome.from_state(record)
                new_state[task[3]] = record
                if record.get("skipped"):
                    result.skipped.append(record["skipped"])
            else:
                todo.append((task, fingerprint))
        if todo:
            _render(root, config, selection, todo, publish, allow_incomplete, jobs,
                    out_dir, result, fresh, new_state, progress, set(state))
        for task in tasks:
            if task[3] in fresh:
                result.outcomes.append(fresh[task[3]])
        result.checks = _distinct(check for outcome in result.outcomes
                                  for check in outcome.results)
        known = {t[0] for t in plan(config, Selection())} | {"shared", "ui"}
        if any(p.stem not in known for p in (root / "locales").glob("**/*.po*")):
            from pipeline.translate.apply import orphan_catalogs  # only then: it imports Babel
            result.checks += orphan_catalogs(config)
        if publish and selection.everything:
            for filename in sorted(set(state) - {task[3] for task in tasks}):
                drop_withheld(out_dir, filename)
                if withdraw(out_dir / filename):
                    result.removed.append(filename)
        if publish:
            kept = {k: v for k, v in state.items() if k not in new_state and not
                    selection.everything}
            _write_if_changed(out_dir / STATE_FILE, dump_state({**kept, **new_state}))
            clear_journal(out_dir)  # the state file now knows every name the journal held
            whole = _whole_build(config, result, kept)
            data = report.to_json(root.name, selection.as_dict(), whole.outcomes,
                                  whole.checks, whole.skipped, result.removed,
                                  translation_progress(config, plan(config, Selection())),
                                  organisation=config.organisation, run=_run_summary(result))
            _write_if_changed(out_dir / "report.json", data)
            _write_if_changed(out_dir / "report.html",
                              _report_page(out_dir, json.loads(data), config))
    return result


def _whole_build(config: config_mod.Config, result: BuildResult, kept: dict) -> BuildResult:
    """Every artifact `build/` knows of: this run's outcomes, and for the jobs outside this
    run's selection their last recorded state (published, or withheld and why), in plan order.
    A partial build's report then describes the whole folder, not just what it touched."""
    ran = {outcome.filename: outcome for outcome in result.outcomes}
    whole = BuildResult(skipped=list(result.skipped))
    for task in plan(config, Selection()):
        if task[3] in ran:
            whole.outcomes.append(ran[task[3]])
        elif task[3] in kept:
            outcome = Outcome.from_state(kept[task[3]])
            whole.outcomes.append(outcome)
            if kept[task[3]].get("skipped"):
                whole.skipped.append(kept[task[3]]["skipped"])
    whole.checks = _distinct(check for outcome in whole.outcomes for check in outcome.results)
    whole.checks += [c for c in result.checks if c not in whole.checks]  # e.g. orphan catalogs
    return whole


def _run_summary(result: BuildResult) -> dict:
    """What this run did (the report's header says it apart from what build/ holds)."""
    statuses = [outcome.status for outcome in result.outcomes]
    return {"built": sum(1 for o in result.outcomes if o.status == "built"),
            "reused": statuses.count("reused"),
            "withheld": sum(1 for o in result.outcomes if not o.published),
            "artifacts": len(result.outcomes)}


def _distinct(checks) -> list[CheckResult]:
    """Checks without repeats (a locale-wide problem is carried by each of its artifacts)."""
    seen, out = set(), []
    for check in checks:
        key = (check.check, check.document, check.locale, check.output, check.message,
               check.location)
        if key not in seen:
            seen.add(key)
            out.append(check)
    return out


def _render(root, config, selection, todo, publish, allow_incomplete, jobs, out_dir,
            result, fresh, new_state, progress, known) -> None:
    """Localize, render, gate and publish the jobs that are not fresh."""
    from pipeline.build import workers
    from pipeline.translate.localize import localize

    wanted = Selection(tuple(dict.fromkeys(t[0] for t, _ in todo)),
                       tuple(dict.fromkeys(t[1] for t, _ in todo)), selection.formats)
    project = load_project(root, wanted, config)
    pairs = {(t[0], t[1]) for t, _ in todo}
    localized = {(job.source.id, job.locale): job
                 for job in localize(config, project.theme, project.documents, wanted.locales,
                                     allow_incomplete) if (job.source.id, job.locale) in pairs}
    renderable = []
    for task, fingerprint in todo:
        job = localized[(task[0], task[1])]
        if job.blocked_for(task[2]):
            if publish:
                withdraw(out_dir / task[3])
                drop_withheld(out_dir, task[3])
            mine = job.results_for(task[2])
            reason = "; ".join(dict.fromkeys(r.message for r in mine if r.blocks))
            skipped = {"document": task[0], "locale": task[1], "output": task[2],
                       "path": task[3], "reason": reason[:300]}
            result.skipped.append(skipped)
            outcome = Outcome(task[0], task[1], task[2], task[3], mine, False,
                              status="WITHHELD: translation or glyph problems",
                              page_size=task[4])
            fresh[task[3]] = outcome
            if publish:  # remembered, so that a later partial build still reports it
                new_state[task[3]] = {**_state_record(outcome, fingerprint, None),
                                      "skipped": skipped}
        else:
            renderable.append((task, fingerprint))
    workers.prepare(project, localized)
    per_output: dict[str, list[float]] = {}
    peak = 0
    group: list = []
    count = 0

    def publish_pending() -> None:
        """Publish the finished jobs of one document × locale together (all or nothing)."""
        nonlocal count
        files = {task[3]: done.artifact.data for task, _, done, passed in group
                 if passed and publish}
        mtimes = publish_group(out_dir, files, known) if files else {}
        for task, fingerprint, done, passed in group:
            data = done.artifact.data if isinstance(done, workers.Rendered) else b""
            if publish and passed:
                drop_withheld(out_dir, task[3])
            elif publish:
                withdraw(out_dir / task[3])
                if data:
                    keep_withheld(out_dir, task[3], data)  # for `plainpress serve` to show
                else:
                    drop_withheld(out_dir, task[3])
            outcome = Outcome(task[0], task[1], task[2], task[3], results_of(task, done),
                              passed and publish, len(data), hashlib.sha256(data).hexdigest()
                              if data else "", getattr(done, "pages", None),
                              "built" if passed else "", task[4])
            fresh[task[3]] = outcome
            if publish and isinstance(done, workers.Rendered) and not any(
                    r.check in ("translation", "glyphs") and r.blocks for r in outcome.results):
                new_state[task[3]] = _state_record(outcome, fingerprint, mtimes.get(task[3]))
            per_output.setdefault(task[2], []).append(done.seconds)
            count += 1
            if progress:
                progress(outcome, count, len(renderable))
        group.clear()

    def results_of(task, done) -> list[CheckResult]:
        job = localized[(task[0], task[1])]
        if isinstance(done, workers.Rendered):
            return job.results_for(task[2]) + done.results
        limit = "job_timeout_s" if done.reason == "timeout" else None
        return job.results_for(task[2]) + [CheckResult(
            "time-limit" if limit else "worker", task[0], task[1], task[2], "error", False,
            f"rendering {task[3]}: {done.message}; the artifact is withheld",
            job.doc.path, f"raise `{limit}` in [tool.plainpress] of pyproject.toml if the "
            "document is really that long; otherwise look for text that expands enormously "
            "(a label or translation)" if limit else "build it alone with --jobs 1 to see "
            "whether it happens again")]

    jobs_run = workers.run([t for t, _ in renderable], jobs, config.job_timeout_s)
    with contextlib.closing(jobs_run):
        for (task, fingerprint), done in zip(renderable, jobs_run):
            if group and group[-1][0][:2] != task[:2]:
                publish_pending()
            passed = isinstance(done, workers.Rendered) and not any(
                r.blocks for r in results_of(task, done))
            group.append((task, fingerprint, done, passed))
            peak = max(peak, getattr(done, "peak_rss_kb", 0))
        publish_pending()
    result.timings = {"seconds_per_output": per_output, "peak_rss_kb": peak}


def translation_progress(config: config_mod.Config, tasks) -> dict:
    """{locale: translated / fuzzy / untranslated / obsolete / percent} over the documents
    built, from the PO files as they are."""
    from pipeline.errors import PlainpressError
    from pipeline.translate import stats

    locales = sorted({t[1] for t in tasks} - {config.source_locale} - set(PSEUDO_LOCALES))
    domains = sorted({t[0] for t in tasks}) + ["shared", "ui"]
    progress = {}
    for locale in locales:
        try:
            rows = stats.rows(config, [locale], domains)
        except PlainpressError:
            continue  # a broken catalog is already a translation error in the report
        total = {key: sum(getattr(row, key) for row in rows)
                 for key in ("translated", "fuzzy", "untranslated", "obsolete")}
        needed = total["translated"] + total["fuzzy"] + total["untranslated"]
        total["percent"] = round(100 * total["translated"] / needed, 1) if needed else 100.0
        progress[locale] = total
    return progress


def _report_page(out_dir: Path, record: dict, config) -> bytes:
    """`report.html`, with first-page thumbnails cached by artifact hash (a no-op build
    renders none)."""
    from pipeline.report.page import render_report_html, thumbnail

    cache, thumbs = out_dir / ".plainpress-thumbs", {}
    for artifact in record["artifacts"]:
        if artifact["output"] in ("pdf", "handout", "handout-large") and \
                artifact["published"] and artifact["sha256"]:
            png = cache / f"{artifact['sha256']}.png"
            if not png.is_file():
                write_atomic(png, thumbnail((out_dir / artifact["path"]).read_bytes()))
            thumbs[artifact["path"]] = png.read_bytes()
    wanted = {artifact["sha256"] for artifact in record["artifacts"]}
    for old in cache.glob("*.png"):
        if old.stem not in wanted:
            old.unlink()
    return render_report_html(record, thumbs, config.email_size_limit_kb,
                              styles_dir=config.styles_dir)


def _write_if_changed(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)


CHECK_STATUS = {"pass": "passes", "fail": "FAILS GATES", "stale": "stale: run `plainpress build`",
                "missing": "not built", "held": "held back: translation problems"}


def stale_artifacts(root: Path, config: config_mod.Config, out_dir: Path, tasks) -> set[str]:
    """The artifacts older than their inputs: the last build recorded a fingerprint for the
    very file that is there, and neither value of `--allow-incomplete` gives that fingerprint
    now (the page size is the file's own edition). A file the state does not describe (none
    recorded, or changed since) is not judged stale: the gates judge it."""
    state = load_state(out_dir)
    prints = [Fingerprints(root, config.theme, config.source_locale, incomplete,
                           config.reference_docx) for incomplete in (False, True)]
    stale = set()
    for doc_id, locale, output, filename, size in tasks:
        record = state.get(filename)
        if not record or not record.get("published") or not still_published(out_dir, record):
            continue
        if all(p.job(doc_id, locale, output, size) != record.get("fingerprint") for p in prints):
            stale.add(filename)
    return stale


def check_summary(outcomes: list[Outcome]) -> str:
    """`5 checked (4 pass, 1 fail gates), 2 stale: run `plainpress build``."""
    count = {kind: sum(1 for o in outcomes if o.status == status)
             for kind, status in CHECK_STATUS.items()}
    checked = count["pass"] + count["fail"]
    gated = ", ".join(part for part in (f"{count['pass']} pass" if count["pass"] else "",
                                        f"{count['fail']} fail gates" if count["fail"] else "")
                      if part)
    parts = [f"{checked} checked" + (f" ({gated})" if gated else "")]
    parts += [f"{count['stale']} stale"] if count["stale"] else []
    parts += [f"{count['missing']} not built"] if count["missing"] else []
    parts += [f"{count['held']} held back by translation problems"] if count["held"] else []
    advice = ": run `plainpress build`" if count["stale"] or count["missing"] else ""
    return ", ".join(parts) + advice


def check_existing(root: Path, selection: Selection = Selection(),
                   out_dir: Path | None = None) -> BuildResult:
    """Validate sources and translations, and gate what `build/` holds, without rendering.

    An artifact older than its inputs is reported as stale, not gated (its text would differ
    from the catalogs and look like a broken artifact); nothing is built or withdrawn."""
    from pipeline.gates.run import gate
    from pipeline.translate.localize import localize
    from pipeline.model import Artifact
    from pipeline.render.html import stamp

    project = load_project(root, selection)
    out_dir = out_dir or root / "build"
    result = BuildResult(out_dir=out_dir)
    tasks = plan(project.config, selection)
    stale = stale_artifacts(root, project.config, out_dir, tasks)
    for job in localize(project.config, project.theme, project.documents, project.locales):
        result.checks += job.results
        for _, _, output, filename, size in (t for t in tasks
                                             if t[:2] == (job.source.id, job.locale)):
            path = out_dir / filename

            def skip(kind: str, check: str | None = None, message: str = "") -> None:
                if check:
                    shown = path.relative_to(root) if path.is_relative_to(root) else path
                    result.checks.append(CheckResult(
                        check, job.source.id, job.locale, output, "warning", False, message,
                        shown.as_posix(), "run `plainpress build`"))
                result.outcomes.append(Outcome(job.source.id, job.locale, output, filename,
                                               [], False, status=CHECK_STATUS[kind],
                                               page_size=size))

            if job.blocked_for(output):
                skip("held")
            elif not path.is_file():
                skip("missing", "presence", "not built")
            elif filename in stale:
                skip("stale", "freshness", "older than its inputs (the source, its catalogs, "
                     "the styles, the settings or plainpress changed since it was built); "
                     "its gates are not run")
            else:
                data = path.read_bytes()
                doc = job.doc_for(output)
                artifact = Artifact(job.source.id, job.locale, output, filename, data)
                results = gate(doc, artifact, stamp(doc, job.labels), project.config,
                               project.theme)
                passed = not any(r.blocks for r in results)
                result.checks += results
                result.outcomes.append(Outcome(
                    job.source.id, job.locale, output, filename, results, passed, len(data),
                    hashlib.sha256(data).hexdigest(),
                    status=CHECK_STATUS["pass" if passed else "fail"], page_size=size))
    from pipeline.translate.apply import orphan_catalogs
    result.checks += orphan_catalogs(project.config)
    result.summary = check_summary(result.outcomes)
    return result

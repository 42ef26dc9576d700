"""`build()`: a sequence of named passes, each returning a value.

    plan → recover → partition (fresh | todo) → localize → hold back → render and gate
         → publish → report

This is the only writer of `build/`. A build plans its jobs, recovers after a killed build,
fingerprints each job and reuses every one whose inputs and published artifact are unchanged
(its gate results come from the state file). The rest are read and validated first (a bad input
stops the build before anything is written), localized, rendered and gated in worker processes
with a time limit each, and only what passed is published, one document × locale at a time and
all or nothing; a failing artifact's earlier copy is withdrawn, and outputs of documents or
locales that no longer exist are removed, so nothing stale looks current.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.build import workers
from pipeline.build.fingerprint import (STATE_FILE, Fingerprints, dump_state, load_sources,
                                        load_state, still_published)
from pipeline.build.jobs import Job, Selection, plan, publishable
from pipeline.build.outcome import BuildResult, Outcome, Status, distinct
from pipeline.build.project import load_project
from pipeline.build.publish import (OutputError, build_lock, clear_journal, drop_withheld,
                                    keep_withheld, publish_group, read_journal, remove_leftovers,
                                    withdraw)
from pipeline.build.reporting import write_if_changed, write_report
from pipeline.model import CheckResult
from pipeline.settings import config as config_mod


@dataclass
class Run:
    """One build's settings and its growing result, handed from pass to pass."""

    root: Path
    config: config_mod.Config
    selection: Selection
    out_dir: Path
    publish: bool
    allow_incomplete: bool
    jobs: int
    progress: object
    result: BuildResult


@dataclass
class Partition:
    """Jobs whose last outcome still holds, and the jobs to do (with their fingerprints)."""

    fresh: dict[str, Outcome] = field(default_factory=dict)
    state: dict[str, dict] = field(default_factory=dict)
    """The new state records of the fresh jobs (and, as the build goes on, of the done ones)."""
    todo: list[tuple[Job, str]] = field(default_factory=list)


def build(root: Path, selection: Selection = Selection(), out_dir: Path | None = None,
          page_size: str | None = None, publish: bool = True, allow_incomplete: bool = False,
          jobs: int = 1, progress=None) -> BuildResult:
    """Build, gate and publish the selection; write `report.json` and `report.html`."""
    try:
        return _build(root, selection, out_dir, page_size, publish, allow_incomplete, jobs,
                      progress)
    except OutputError as exc:  # a full disk, a read-only folder: name the file in the project
        raise exc.relative_to(root)


def _build(root, selection, out_dir, page_size, publish, allow_incomplete, jobs, progress):
    config = config_mod.load(root)
    if page_size:
        selection = replace(selection, page_sizes=(page_size,))
    planned = plan(config, selection)
    everything = plan(config, Selection())
    out_dir = out_dir or root / "build"
    run = Run(root, config, selection, out_dir, publish, allow_incomplete, jobs, progress,
              BuildResult(out_dir=out_dir))
    result = run.result
    with build_lock(out_dir):
        state = recover(out_dir, everything, result) if publish else {}
        prints = Fingerprints(root, config.theme, config.source_locale, allow_incomplete,
                              config.reference_docx, load_sources(out_dir))
        split = partition(planned, state, prints, out_dir, result)
        if split.todo:
            split.fresh.update(make(run, split, set(state)))
        result.outcomes = [split.fresh[job.filename] for job in planned
                           if job.filename in split.fresh]
        result.checks = distinct(check for outcome in result.outcomes
                                 for check in outcome.results)
        result.checks += orphans(root, config, everything)
        if publish and selection.everything:
            remove_gone(out_dir, state, planned, result)
        if publish:
            kept = {} if selection.everything else {
                name: record for name, record in state.items() if name not in split.state}
            write_if_changed(out_dir / STATE_FILE, dump_state({**kept, **split.state},
                                                              prints.recorded_sources()))
            clear_journal(out_dir)  # the state file now knows every name the journal held
            write_report(root, config, selection, out_dir, result, kept, everything)
    return result


def recover(out_dir: Path, everything: list[Job], result: BuildResult) -> dict[str, dict]:
    """After a killed build: its temporary files go, and names it published without recording
    them (the journal) are withdrawn (built again if still wanted). The state file's records."""
    remove_leftovers(out_dir)
    state = {name: record for name, record in load_state(out_dir).items()
             if publishable(name)}
    wanted = {job.filename for job in everything}
    for name in read_journal(out_dir):
        if name not in state and publishable(name) and withdraw(out_dir / name) \
                and name not in wanted:
            result.removed.append(name)
    return state


def partition(planned: list[Job], state: dict, prints: Fingerprints, out_dir: Path,
              result: BuildResult) -> Partition:
    """Reuse every job whose fingerprint is the recorded one and whose file is as recorded
    (still published byte for byte, or still absent when it was withheld)."""
    split = Partition()
    for job in planned:
        fingerprint = prints.job(job.document, job.locale, job.output, job.page_size)
        record = state.get(job.filename)
        if record and record.get("fingerprint") == fingerprint and (
                still_published(out_dir, record) if record["published"]
                else not (out_dir / job.filename).exists()):
            split.fresh[job.filename] = Outcome.from_state(record)
            split.state[job.filename] = record
            if record.get("skipped"):
                result.skipped.append(record["skipped"])
        else:
            split.todo.append((job, fingerprint))
    return split


def localize_jobs(run: Run, todo: list[tuple[Job, str]]):
    """The project and the localized documents the jobs to do need, with the glyph gate's
    results of each (a character no theme font has holds back the outputs that show it)."""
    from pipeline.gates import glyphs
    from pipeline.translate.localize import localize

    wanted = Selection(tuple(dict.fromkeys(job.document for job, _ in todo)),
                       tuple(dict.fromkeys(job.locale for job, _ in todo)),
                       run.selection.formats)
    project = load_project(run.root, wanted, run.config)
    pairs = {job.pair for job, _ in todo}
    localized = {}
    for item in localize(run.config, project.theme, project.documents, wanted.locales,
                         run.allow_incomplete):
        if (item.source.id, item.locale) in pairs:
            missing = glyphs.check(item.doc, project.theme)
            localized[(item.source.id, item.locale)] = replace(
                item, results=item.results + missing)
    return project, localized


def hold_back(run: Run, localized: dict, split: Partition) -> list[tuple[Job, str]]:
    """Jobs whose translation or glyphs hold them back are not rendered (and an earlier copy
    is withdrawn); the others are returned, to be rendered."""
    renderable = []
    publish, out_dir = run.publish, run.out_dir
    for job, fingerprint in split.todo:
        item = localized[job.pair]
        if not item.blocked_for(job.output):
            renderable.append((job, fingerprint))
            continue
        if publish:
            withdraw(out_dir / job.filename)
            drop_withheld(out_dir, job.filename)
        mine = item.results_for(job.output)
        reason = "; ".join(dict.fromkeys(r.message for r in mine if r.blocks))
        skipped = {"document": job.document, "locale": job.locale, "output": job.output,
                   "path": job.filename, "reason": reason[:300]}
        run.result.skipped.append(skipped)
        outcome = Outcome(job.document, job.locale, job.output, job.filename, mine, False,
                          status=Status.HELD, page_size=job.page_size)
        split.fresh[job.filename] = outcome
        if publish:  # remembered, so that a later partial build still reports it
            split.state[job.filename] = {**state_record(outcome, fingerprint, None),
                                         "skipped": skipped}
    return renderable


def failure(job: Job, done: workers.Failed, path: str) -> CheckResult:
    """A job that timed out or whose worker died, as the error that withholds it."""
    timed_out = done.reason == "timeout"
    return CheckResult(
        "time-limit" if timed_out else "worker", job.document, job.locale, job.output,
        "error", False, f"rendering {job.filename}: {done.message}; the artifact is withheld",
        path, "raise `job_timeout_s` in [tool.plainpress] of pyproject.toml if the document is "
        "really that long; otherwise look for text that expands enormously (a label or "
        "translation)" if timed_out else "build it alone with --jobs 1 to see whether it "
        "happens again")


def make(run: Run, split: Partition, known: set[str]) -> dict[str, Outcome]:
    """Localize, hold back, render and gate, then publish each document × locale's artifacts
    together: the outcomes of the jobs that were to do."""
    project, localized = localize_jobs(run, split.todo)
    renderable = hold_back(run, localized, split)
    publish, out_dir, progress = run.publish, run.out_dir, run.progress
    work = workers.Work(project, localized)
    per_output: dict[str, list[float]] = {}
    peak, count, group = 0, 0, []
    made: dict[str, Outcome] = {}

    def results_of(job: Job, done) -> list[CheckResult]:
        item = localized[job.pair]
        if isinstance(done, workers.Rendered):
            return item.results_for(job.output) + done.results
        return item.results_for(job.output) + [failure(job, done, item.doc.path)]

    def publish_pending() -> None:
        """Publish the finished jobs of one document × locale together (all or nothing)."""
        nonlocal count
        files = {job.filename: done.artifact.data for job, _, done, passed in group
                 if passed and publish}
        mtimes = publish_group(out_dir, files, known) if files else {}
        for job, fingerprint, done, passed in group:
            data = done.artifact.data if isinstance(done, workers.Rendered) else b""
            if publish and passed:
                drop_withheld(out_dir, job.filename)
            elif publish:
                withdraw(out_dir / job.filename)
                if data:
                    keep_withheld(out_dir, job.filename, data)  # for `plainpress serve`
                else:
                    drop_withheld(out_dir, job.filename)
            outcome = Outcome(job.document, job.locale, job.output, job.filename,
                              results_of(job, done), passed and publish, len(data),
                              hashlib.sha256(data).hexdigest() if data else "",
                              getattr(done, "pages", None),
                              Status.BUILT if passed else Status.WITHHELD, job.page_size)
            made[job.filename] = outcome
            if publish and isinstance(done, workers.Rendered):
                split.state[job.filename] = state_record(outcome, fingerprint,
                                                         mtimes.get(job.filename))
            per_output.setdefault(job.output, []).append(done.seconds)
            count += 1
            if progress:
                progress(outcome, count, len(renderable))
        group.clear()

    running = workers.run(work, [job for job, _ in renderable], run.jobs,
                          run.config.job_timeout_s)
    with contextlib.closing(running):
        for (job, fingerprint), done in zip(renderable, running):
            if group and group[-1][0].pair != job.pair:
                publish_pending()
            passed = isinstance(done, workers.Rendered) and not any(
                r.blocks for r in results_of(job, done))
            group.append((job, fingerprint, done, passed))
            peak = max(peak, getattr(done, "peak_rss_kb", 0))
        publish_pending()
    run.result.timings = {"seconds_per_output": per_output, "peak_rss_kb": peak}
    return made


def state_record(outcome: Outcome, fingerprint: str, mtime_ns: int | None) -> dict:
    """What the state file remembers of one job."""
    record = {**outcome.record(), "fingerprint": fingerprint,
              "results": [r.record() for r in outcome.results]}
    if outcome.published:
        record["mtime_ns"] = mtime_ns
    return record


def orphans(root: Path, config, everything: list[Job]) -> list[CheckResult]:
    """Warnings for catalogs of documents that are gone (only looked for when there are any)."""
    known = {job.document for job in everything} | {"shared", "ui"}
    if not any(p.stem not in known for p in (root / "locales").glob("**/*.po*")):
        return []
    from pipeline.translate.apply import orphan_catalogs  # only then: it imports Babel
    return orphan_catalogs(config)


def remove_gone(out_dir: Path, state: dict, planned: list[Job], result: BuildResult) -> None:
    """A full build removes what the state knows of but no job makes any more."""
    for filename in sorted(set(state) - {job.filename for job in planned}):
        drop_withheld(out_dir, filename)
        if withdraw(out_dir / filename):
            result.removed.append(filename)



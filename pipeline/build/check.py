"""`plainpress check`: gate what `build/` holds, without rendering, and tell stale from broken.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from pipeline.build.fingerprint import Fingerprints, load_sources, load_state, still_published
from pipeline.build.jobs import Job, Selection, plan
from pipeline.build.outcome import BuildResult, Outcome, Status
from pipeline.build.project import load_project
from pipeline.model import Artifact, CheckResult
from pipeline.settings import config as config_mod

CHECK_STATUS = {"pass": Status.PASSES, "fail": Status.FAILS, "stale": Status.STALE,
                "missing": Status.MISSING, "held": Status.HELD_BACK}
"""The statuses `check` gives, by the names its summary line counts them under."""


def stale_artifacts(root: Path, config: config_mod.Config, out_dir: Path,
                    jobs: list[Job]) -> set[str]:
    """The artifacts older than their inputs: the last build recorded a fingerprint for the
    very file that is there, and neither value of `--allow-incomplete` gives that fingerprint
    now (the page size is the file's own edition). A file the state does not describe (none
    recorded, or changed since) is not judged stale: the gates judge it."""
    state = load_state(out_dir)
    prints = [Fingerprints(root, config.theme, config.source_locale, incomplete,
                           config.reference_docx, load_sources(out_dir))
              for incomplete in (False, True)]
    stale = set()
    for job in jobs:
        record = state.get(job.filename)
        if not record or not record.get("published") or not still_published(out_dir, record):
            continue
        if all(p.job(job.document, job.locale, job.output, job.page_size)
               != record.get("fingerprint") for p in prints):
            stale.add(job.filename)
    return stale


def check_summary(outcomes: list[Outcome]) -> str:
    """`5 checked (4 pass, 1 fail gates), 2 stale: run `plainpress build``."""
    count = {kind: sum(1 for o in outcomes if o.status is status)
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
    from pipeline.gates import glyphs
    from pipeline.gates.run import gate
    from pipeline.gates.subject import Subject
    from pipeline.render.html import stamp
    from pipeline.translate.localize import localize

    project = load_project(root, selection)
    out_dir = out_dir or root / "build"
    result = BuildResult(out_dir=out_dir)
    jobs = plan(project.config, selection)
    stale = stale_artifacts(root, project.config, out_dir, jobs)
    for item in localize(project.config, project.theme, project.documents, project.locales):
        item = replace(item, results=item.results + glyphs.check(item.doc, project.theme))
        result.checks += item.results
        for job in (j for j in jobs if j.pair == (item.source.id, item.locale)):
            path = out_dir / job.filename

            def skip(status: Status, check: str | None = None, message: str = "") -> None:
                if check:
                    shown = path.relative_to(root) if path.is_relative_to(root) else path
                    result.checks.append(CheckResult(
                        check, job.document, job.locale, job.output, "warning", False,
                        message, shown.as_posix(), "run `plainpress build`"))
                result.outcomes.append(Outcome(job.document, job.locale, job.output,
                                               job.filename, [], False, status=status,
                                               page_size=job.page_size))

            if item.blocked_for(job.output):
                skip(Status.HELD_BACK)
            elif not path.is_file():
                skip(Status.MISSING, "presence", "not built")
            elif job.filename in stale:
                skip(Status.STALE, "freshness", "older than its inputs (the source, its "
                     "catalogs, the styles, the settings or plainpress changed since it was "
                     "built); its gates are not run")
            else:
                data = path.read_bytes()
                doc = item.doc_for(job.output)
                artifact = Artifact(job.document, job.locale, job.output, job.filename, data)
                results = gate(Subject(doc, job.row, artifact, item.labels,
                                       stamp(doc, item.labels), project.config, project.theme))
                passed = not any(r.blocks for r in results)
                result.checks += results
                result.outcomes.append(Outcome(
                    job.document, job.locale, job.output, job.filename, results, passed,
                    len(data), hashlib.sha256(data).hexdigest(),
                    status=Status.PASSES if passed else Status.FAILS, page_size=job.page_size))
    from pipeline.translate.apply import orphan_catalogs
    result.checks += orphan_catalogs(project.config)
    result.summary = check_summary(result.outcomes)
    return result

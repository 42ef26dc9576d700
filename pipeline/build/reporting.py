"""The build's last pass: `report.json` and `report.html` for the whole build folder.

A partial build (`--doc`, `--locale`, `--format`) updates the rows it built and keeps every
other artifact's last recorded state, so the report always describes all of `build/`; its
header says what this run did.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.build.jobs import PSEUDO_LOCALES, Job, Selection
from pipeline.build.outcome import BuildResult, Outcome, Status, distinct
from pipeline.build.publish import write_atomic
from pipeline.outputs import is_pdf
from pipeline.report import record as report


def write_report(root: Path, config, selection: Selection, out_dir: Path, result: BuildResult,
                 kept: dict, everything: list[Job]) -> None:
    whole = whole_build(result, kept, everything)
    data = report.to_json(root.name, selection.as_dict(), whole.outcomes, whole.checks,
                          whole.skipped, result.removed,
                          translation_progress(config, everything),
                          organisation=config.organisation, run=run_summary(result))
    write_if_changed(out_dir / "report.json", data)
    write_if_changed(out_dir / "report.html", report_page(out_dir, json.loads(data), config))


def whole_build(result: BuildResult, kept: dict, everything: list[Job]) -> BuildResult:
    """Every artifact `build/` knows of: this run's outcomes, and for the jobs outside this
    run's selection their last recorded state (published, or withheld and why), in plan order."""
    ran = {outcome.filename: outcome for outcome in result.outcomes}
    whole = BuildResult(skipped=list(result.skipped))
    for job in everything:
        if job.filename in ran:
            whole.outcomes.append(ran[job.filename])
        elif job.filename in kept:
            whole.outcomes.append(Outcome.from_state(kept[job.filename]))
            if kept[job.filename].get("skipped"):
                whole.skipped.append(kept[job.filename]["skipped"])
    whole.checks = distinct(check for outcome in whole.outcomes for check in outcome.results)
    whole.checks += [c for c in result.checks if c not in whole.checks]  # e.g. orphan catalogs
    return whole


def run_summary(result: BuildResult) -> dict:
    """What this run did (the report's header says it apart from what build/ holds)."""
    return {"built": sum(1 for o in result.outcomes if o.status is Status.BUILT),
            "reused": sum(1 for o in result.outcomes if o.status is Status.REUSED),
            "withheld": sum(1 for o in result.outcomes if not o.published),
            "artifacts": len(result.outcomes)}


def translation_progress(config, jobs: list[Job]) -> dict:
    """{locale: translated / fuzzy / untranslated / obsolete / percent} over the documents
    built, from the PO files as they are."""
    from pipeline.errors import PlainpressError
    from pipeline.translate import stats

    locales = sorted({job.locale for job in jobs} - {config.source_locale}
                     - set(PSEUDO_LOCALES))
    domains = sorted({job.document for job in jobs}) + ["shared", "ui"]
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


def report_page(out_dir: Path, record: dict, config) -> bytes:
    """`report.html`, with first-page thumbnails cached by artifact hash (a no-op build
    renders none)."""
    from pipeline.report.page import render_report_html, thumbnail

    cache, thumbs = out_dir / ".plainpress-thumbs", {}
    for artifact in record["artifacts"]:
        if is_pdf(artifact["output"]) and artifact["published"] and artifact["sha256"]:
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


def write_if_changed(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)

"""`report.json` (as a dict) → `build/report.html`, the one page a person reads after a build.

Why a page and not just the JSON: authors, reviewers and clinic staff need to see at a glance
what was published and what was held back, how hard each output is to read against its target,
what each PDF looks like, how far each translation is, and every problem with the `file:line` to
open and the fix. The page stands alone (inline CSS, thumbnails as `data:` URIs, no script) so
it can be opened from disk or attached to an email, and it meets WCAG 2.2 AA like every other
page we publish: status is words and symbols, colour only repeats it; tables have `th scope`;
every image has alt text; text in other locales carries its `lang` and `dir`.
Same report, same bytes: nothing here reads the clock.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

from pipeline.outputs import KINDS, OUTPUTS, Part, is_pdf
from pipeline.outputs import shows as covers
from pipeline.settings.styles import DEFAULT_STYLES
from pipeline.report import plain

OUTPUT_ORDER = KINDS
OUTPUT_LABELS = {**{row.kind.value: row.label for row in OUTPUTS},
                 **{part.value: f"{part.value.capitalize()}: " + ", ".join(
                     row.label for row in OUTPUTS if row.part is part) for part in Part}}
"""What the report calls each output kind, and each part (the outputs it shows together)."""
FILE_KINDS = {row.kind.value: row.pattern.rpartition(".")[2].upper()
              for row in OUTPUTS if row.reader == "braille"}
"""What a file card without a thumbnail says a braille file is (BRF, TXT)."""
BRF_KINDS = tuple(row.kind.value for row in OUTPUTS if row.pattern.endswith(".brf"))
STATUS = {  # kind: (symbol, short label)
    "pass": ("✓", "Published"), "warn": ("⚠", "Published, with warnings"),
    "fail": ("✗", "Withheld"), "skipped": ("–", "Skipped"), "none": ("·", "Not built")}
SCALES = {"grade": "grade", "inflesz": "INFLESZ"}
FORMULAS = {"flesch-kincaid-grade": "Flesch–Kincaid grade", "smog": "SMOG",
            "szigriszt-pazos-inflesz": "Szigriszt-Pazos (INFLESZ scale)"}


def thumbnail(pdf_bytes: bytes, width_px: int = 160) -> bytes:
    """PNG of the first page, `width_px` wide, through poppler's `pdftoppm` (stdin → stdout,
    no temporary files). Empty when pdftoppm is not installed or cannot read the PDF."""
    tool = shutil.which("pdftoppm")
    if tool is None or not pdf_bytes:
        return b""
    try:
        # PDF from stdin ("-") and no output root: the PNG goes to stdout, no file is written.
        done = subprocess.run([tool, "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to-x",
                               str(width_px), "-scale-to-y", "-1", "-"], input=pdf_bytes,
                              capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return b""
    return done.stdout if done.returncode == 0 and done.stdout.startswith(b"\x89PNG") else b""


def render_report_html(report: dict, thumbnails: dict[str, bytes], email_limit_kb: int = 500,
                       *, styles_dir: Path | None = None) -> bytes:
    """The report page as UTF-8 bytes. `thumbnails` maps an artifact path (`en/x.pdf`) to the
    PNG of its first page; `styles_dir` holds `templates/report.html.j2` and `css/report.css`
    (each file falls back to the one shipped with Plainpress)."""
    import jinja2
    from markupsafe import Markup

    folders = list(dict.fromkeys([Path(styles_dir or DEFAULT_STYLES), DEFAULT_STYLES]))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(p) for p in folders]),
                             autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    css_path = next((p / "css" / "report.css" for p in folders
                     if (p / "css" / "report.css").is_file()), folders[-1] / "css" / "report.css")
    css = css_path.read_text("utf-8") if css_path.is_file() else ""
    if "</" in css:
        raise ValueError(f"{css_path} contains `</`, which would end the page's <style>")
    page = env.get_template("templates/report.html.j2").render(
        css=Markup(css), **view(report, thumbnails, email_limit_kb))
    return page.encode("utf-8")


def view(report: dict, thumbnails: dict[str, bytes], email_limit_kb: int = 500) -> dict:
    """Everything the template shows, worked out from the report (kept apart to be tested)."""
    artifacts = report.get("artifacts", [])
    checks = report.get("checks", [])
    skipped = report.get("skipped", []) or []
    translation = report.get("translation", {}) or {}
    documents = _ordered(r.get("document") for r in [*artifacts, *skipped, *checks])
    locales = _ordered([r.get("locale") for r in [*artifacts, *skipped, *checks]] +
                       list(translation))
    seen = {r.get("output") for r in [*artifacts, *skipped]}
    outputs = [o for o in OUTPUT_ORDER if o in seen] + sorted(seen - set(OUTPUT_ORDER) - {None})
    problems = [c for c in checks if not c.get("passed")]
    by_artifact = {(a["document"], a["locale"], a["output"]): a for a in artifacts}
    by_skip = {(s.get("document"), s.get("locale"), s.get("output")): s for s in skipped}
    grid = []
    for doc in documents:
        rows = []
        for locale in locales:
            cells = [_cell(doc, locale, output, by_artifact, by_skip, checks)
                     for output in outputs]
            if any(cell["kind"] != "none" for cell in cells):
                rows.append({"locale": _locale(locale), "cells": cells})
        if rows:
            grid.append({"document": doc, "rows": rows})
    errors = sum(1 for c in problems if c.get("severity") == "error")
    warnings = sum(1 for c in problems if c.get("severity") == "warning")
    counted = _count(artifacts, by_skip)
    published, withheld, skips = counted["published"], counted["withheld"], counted["skipped"]
    total = published + withheld + skips
    kind = "fail" if errors or withheld else "warn" if warnings or skips else "pass"
    held = withheld + skips
    verdict = {"pass": "Everything was published and every check passed.",
               "warn": "Everything built was published; see the warnings and skipped jobs below.",
               "fail": f"{held} of {total} outputs {'was' if held == 1 else 'were'} not "
                       f"published ({withheld} withheld by a check, {skips} skipped): fix the "
                       "problems below and build again." if held else "Errors were found: see "
                       "the problems below."}[kind]
    run = report.get("run") or {}
    return {
        "project": report.get("organisation") or report.get("project", ""),
        "version": report.get("version"),
        "run": _run_text(run, published, withheld, skips) if run else "",
        "verdict": {"kind": kind, "symbol": STATUS[kind][0], "text": verdict},
        "counts": [("Published", published),
                   ("Withheld", withheld), ("Skipped", skips), ("Errors", errors),
                   ("Warnings", warnings)],
        "outputs": [{"id": o, "label": OUTPUT_LABELS.get(o, o)} for o in outputs],
        "grid": grid, "status": STATUS,
        "reading": _reading(checks, documents),
        "braille": _braille(checks, documents),
        "plain": plain.section(checks, documents, _locale),
        "translation": [{"locale": _locale(code), **_progress(row)}
                        for code, row in translation.items()],
        "problems": _problems(problems), "problem_count": len(problems),
        "skipped": [{**s, "locale": _locale(s.get("locale", ""))} for s in skipped],
        "removed": list(report.get("removed") or []),
        "files": _files(artifacts, thumbnails, email_limit_kb, by_skip),
        "email_limit_kb": email_limit_kb,
    }


def _run_text(run: dict, published: int, withheld: int, skipped: int = 0) -> str:
    """What this build did, told apart from what the build folder holds."""
    def n(count: int, word: str) -> str:
        return f"{count} {word}"
    did = (f"This build selected {n(run.get('artifacts', 0), 'outputs')}: "
           f"{run.get('built', 0)} built, {run.get('reused', 0)} unchanged, "
           f"{run.get('withheld', 0)} withheld.")
    held = f"{n(published, 'published')} and {n(withheld, 'withheld')}" if not skipped else (
        f"{n(published, 'published')}, {n(withheld, 'withheld')} and {n(skipped, 'skipped')}")
    return f"{did} The build folder holds {held} outputs."


def _key(record: dict) -> tuple:
    return (record.get("document"), record.get("locale"), record.get("output"))


def _count(artifacts: list[dict], by_skip: dict) -> dict[str, int]:
    """Each job counted once: published, withheld (rendered, failed a check) or skipped (not
    rendered, e.g. its translation is incomplete). A build lists a skipped job among the
    artifacts too (unpublished): it is counted as skipped, not also as withheld."""
    counts = {"published": 0, "withheld": 0, "skipped": 0}
    jobs = {_key(a): a for a in artifacts}
    for key in by_skip:
        jobs.setdefault(key, {"published": False})
    for key, record in jobs.items():
        kind = ("skipped" if key in by_skip and not record.get("published") else
                "published" if record.get("published") else "withheld")
        counts[kind] += 1
    return counts


def _ordered(values) -> list:
    """Distinct values in order of first appearance, wildcards and blanks left out."""
    return list(dict.fromkeys(v for v in values if v and v != "*"))


def _locale(code: str) -> dict:
    """Code, English name, BCP 47 tag and direction of one of our locale codes."""
    from pipeline.settings.locale import babel_locale, bcp47, direction
    try:
        name, lang, dir_ = babel_locale(code).get_display_name("en"), bcp47(code), direction(code)
    except Exception:  # an unknown code is shown as it is, not a crash of the report
        name, lang, dir_ = code, bcp47(code or "und"), "auto"
    return {"code": code, "name": name, "lang": lang, "dir": dir_}


def _anchor(*parts: str) -> str:
    return "p-" + re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(p or "all" for p in parts)).strip("-")


def _applies(check: dict, doc: str, locale: str, output: str) -> bool:
    return (check.get("document") in (doc, "*") and check.get("locale") in (locale, "*")
            and covers(check.get("output"), output))


def _cell(doc, locale, output, by_artifact, by_skip, checks) -> dict:
    mine = [c for c in checks if _applies(c, doc, locale, output)]
    failed = [c for c in mine if not c.get("passed")]
    artifact = by_artifact.get((doc, locale, output))
    skip = by_skip.get((doc, locale, output))
    errors = sum(1 for c in failed if c.get("severity") == "error")
    if artifact is None or (skip and not artifact.get("published")):
        kind = "skipped" if skip else "none"
    elif not artifact.get("published") or errors:
        kind = "fail"
    else:
        kind = "warn" if failed else "pass"
    label = "Fails checks" if kind == "fail" and artifact.get("published") else STATUS[kind][1]
    return {"kind": kind, "symbol": STATUS[kind][0], "label": label,
            "path": artifact["path"] if artifact and artifact.get("published") else None,
            "passed": sum(1 for c in mine if c.get("passed")), "problems": len(failed),
            "anchor": _anchor(doc, locale, output), "reason": (skip or {}).get("reason", ""),
            "output": OUTPUT_LABELS.get(output, output)}


def _reading(checks: list[dict], documents: list[str]) -> list[dict]:
    """Reading-level rows per document: figure, target, verdict and the hardest sentences."""
    rows = defaultdict(list)
    for check in checks:
        if check.get("check") != "reading-level":
            continue
        metrics = check.get("metrics") or {}
        target = re.search(r"target (at most|at least) (-?[\d.]+)", check.get("message", ""))
        value, scale = metrics.get("value"), metrics.get("scale", "")
        limit = float(target.group(2)) if target else None
        top = max(100.0 if scale == "inflesz" else 16.0, (value or 0) * 1.1, (limit or 0) * 1.1)
        rows[check.get("document")].append({
            "locale": _locale(check.get("locale", "")),
            "output": OUTPUT_LABELS.get(check.get("output"), check.get("output")),
            "measured": bool(metrics.get("measured")), "value": value,
            "scale": SCALES.get(scale, scale),
            "formula": FORMULAS.get(metrics.get("formula"), metrics.get("formula") or ""),
            "smog": metrics.get("smog"),
            "target": (("≤ " if target.group(1) == "at most" else "≥ ") + f"{limit:g}")
            if target else "", "passed": bool(check.get("passed")),
            "severity": check.get("severity", ""),
            "bar": round(100 * (value or 0) / top, 1), "mark": round(100 * (limit or 0) / top, 1),
            "sentences": metrics.get("sentences"), "wps": metrics.get("words_per_sentence"),
            "hardest": [{"sentence": h.get("sentence", ""), "score": h.get("score"),
                         "long_words": h.get("long_words", []), "location": h.get("location"),
                         "effect": _effect(h.get("adds"), scale)}
                        for h in metrics.get("hardest", [])],
            "message": check.get("message", "")})
    return [{"document": doc, "rows": rows[doc]} for doc in documents if rows.get(doc)]


def _effect(adds, scale: str) -> str:
    """What a sentence does to the score, in words ("" for a report without the figure)."""
    if adds is None:
        return ""
    if scale == "inflesz":
        return f"takes {adds:g} off the INFLESZ score"
    return f"adds {adds:g} to the grade"


def _braille(checks: list[dict], documents: list[str]) -> list[dict]:
    """Braille rows per document: the table, the share of words liblouis read back against
    the minimum, the pages, and the first braille page as cells (from the gates' metrics)."""
    found: dict[tuple, dict] = {}
    for check in checks:
        key = (check.get("document"), check.get("locale"), check.get("output"))
        metrics = check.get("metrics") or {}
        if check.get("check") == "braille-readback" and "share" in metrics:
            found.setdefault(key, {}).update(
                share=metrics["share"], minimum=metrics.get("minimum"),
                table=metrics.get("table", ""), words=metrics.get("words"),
                recovered=metrics.get("recovered"), passed=bool(check.get("passed")),
                compared=metrics.get("compared", "words"),
                literal=metrics.get("literal_share"), missing=metrics.get("missing", []))
        elif check.get("check") == "braille-format" and key[2] in BRF_KINDS:
            found.setdefault(key, {}).update(first_page=metrics.get("first_page", ""),
                                             pages=metrics.get("pages"))
    rows = defaultdict(list)
    for (doc, locale, output), row in found.items():
        if "share" in row:
            rows[doc].append({"locale": _locale(locale or ""), "output":
                              OUTPUT_LABELS.get(output, output), "first_page": "", **row})
    return [{"document": doc, "rows": rows[doc]} for doc in documents if rows.get(doc)]


def _progress(row: dict) -> dict:
    keys = ("translated", "fuzzy", "untranslated", "obsolete")
    counts = {k: int(row.get(k, 0) or 0) for k in keys}
    total = counts["translated"] + counts["fuzzy"] + counts["untranslated"]
    percent = row.get("percent")
    percent = float(percent) if percent is not None else (
        100.0 * counts["translated"] / total if total else 100.0)
    return {**counts, "percent": round(percent, 1), "complete": percent >= 100 and
            not counts["fuzzy"] and not counts["untranslated"]}


def _problems(failed: list[dict]) -> list[dict]:
    """Failed checks grouped by artifact (errors first), each group with its own anchor."""
    groups: dict[tuple, list] = defaultdict(list)
    for check in failed:
        key = (check.get("document") or "*", check.get("locale") or "*",
               check.get("output") or "*")
        groups[key].append(check)
    order = {"error": 0, "warning": 1, "info": 2}
    out = []
    for (doc, locale, output), items in groups.items():
        items.sort(key=lambda c: order.get(c.get("severity"), 3))
        out.append({
            "anchor": _anchor(doc, locale, output),
            "title": " · ".join([doc if doc != "*" else "All documents",
                                 _locale(locale)["name"] if locale != "*" else "all locales",
                                 OUTPUT_LABELS.get(output, output) if output != "*"
                                 else "all outputs"]),
            "errors": sum(1 for c in items if c.get("severity") == "error"),
            "entries": [{**c, "symbol": "✗" if c.get("severity") == "error" else "⚠"}
                      for c in items]})
    out.sort(key=lambda g: (-g["errors"], g["title"]))
    return out


def _files(artifacts: list[dict], thumbnails: dict[str, bytes], limit_kb: int,
           by_skip: dict | None = None) -> list[dict]:
    """One card per artifact: first-page thumbnail (PDFs), size against the email limit.
    A skipped job was never rendered: it has no file to show."""
    out = []
    for a in artifacts:
        if _key(a) in (by_skip or {}) and not a.get("published"):
            continue
        png = thumbnails.get(a["path"], b"")
        size_kb = (a.get("size") or 0) / 1024
        pdf = is_pdf(a.get("output"))
        out.append({
            "path": a["path"], "published": bool(a.get("published")),
            "label": OUTPUT_LABELS.get(a.get("output"), a.get("output")),
            "document": a.get("document"), "locale": _locale(a.get("locale", "")),
            "pages": a.get("pages"), "size_kb": f"{size_kb:,.1f}", "pdf": pdf,
            "kind": "PDF" if pdf else FILE_KINDS.get(a.get("output"),
                                                     str(a.get("output", "")).upper()),
            "over_limit": pdf and size_kb > limit_kb,
            "thumbnail": "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            if png else None})
    return out

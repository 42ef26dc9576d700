"""`plainpress serve` for an artifact a gate withheld: why, and what it looked like.

A withheld artifact is not in `build/` (that is the point of a gate), so its URL used to be a
bare 404 and the author could not see what overflowed the page budget. Now its URL answers
with a page that says it was WITHHELD, lists the failing checks from `build/report.json`
(message, `file:line`, how to fix), and links to a preview of the rendered bytes the build kept
under `build/.plainpress-withheld/` (`publish.keep_withheld`), served under `PREVIEW_PREFIX`.
The status stays 404: the file is not published. An HTML preview carries a WITHHELD banner;
a PDF or DOCX preview is named `WITHHELD-…` if saved. Only paths the report lists as artifacts
are looked up, so no request can name any other file.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from urllib.parse import quote, unquote

from pipeline.build.publish import WITHHELD_DIR

PREVIEW_PREFIX = "/__plainpress/withheld/"
SEVERITY_ORDER = {"error": 0, "warning": 1}
STYLE = ("body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a}"
         "main{max-width:48rem;margin:0 auto;padding:1rem 1.5rem}"
         ".banner{background:#8a1c24;color:#fff;padding:0.75rem 1.5rem;margin:0;font-size:1.1rem}"
         "li{margin-bottom:0.75rem}code{background:#f2f2f2;padding:0 0.2em}"
         "a{color:#0b4f9c}")


def withheld(out_dir: Path, url_path: str) -> dict | None:
    """What `report.json` says about the unpublished artifact at `url_path` (`/en/x.pdf`), or
    None when the report does not list it as withheld or skipped."""
    rel = unquote(url_path).lstrip("/")
    try:
        report = json.loads((out_dir / "report.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    artifact = next((a for a in report.get("artifacts") or [] if a.get("path") == rel), None)
    skip = next((s for s in report.get("skipped") or [] if s.get("path") == rel), None)
    if (artifact is None and skip is None) or (artifact or {}).get("published"):
        return None
    record = artifact or skip
    key = (record.get("document"), record.get("locale"), record.get("output"))
    failing = [c for c in report.get("checks") or [] if not c.get("passed")
               and c.get("severity") in SEVERITY_ORDER and _applies(c, *key)]
    failing.sort(key=lambda c: SEVERITY_ORDER[c["severity"]])
    preview = out_dir / WITHHELD_DIR / rel
    return {"path": rel, "checks": failing, "reason": (skip or {}).get("reason", ""),
            "because": (artifact or {}).get("withheld_because") or [],
            "preview": PREVIEW_PREFIX + quote(rel) if skip is None and preview.is_file()
            else None}


def _applies(check: dict, doc: str, locale: str, output: str) -> bool:
    return (check.get("document") in (doc, "*") and check.get("locale") in (locale, "*")
            and check.get("output") in (output, "*"))


def notice(info: dict) -> bytes:
    """The page shown at a withheld artifact's URL."""
    e = html.escape
    path = e(info["path"])
    items = []
    for check in info["checks"]:
        where = (f"<br>Where: <code>{e(check['location'])}</code>" if check.get("location")
                 else "")
        fix = f"<br>Fix: {e(check['hint'])}" if check.get("hint") else ""
        items.append(f"<li><strong>{e(check['severity'].capitalize())}</strong> "
                     f"[{e(check.get('check', ''))}] {e(check.get('message', ''))}{where}{fix}"
                     "</li>")
    if not items:
        items = [f"<li>{e(reason)}</li>" for reason in info["because"] or [info["reason"]]
                 if reason]
    if info["preview"]:
        preview = (f'<p><a href="{e(info["preview"])}">Open the withheld {path}</a>: the file as '
                   "it was rendered, kept for this preview only (under "
                   f"build/{WITHHELD_DIR}/, never at its published path).</p>")
    else:
        preview = ("<p>There is no preview: the file was not rendered"
                   f"{' (' + e(info['reason']) + ')' if info['reason'] else ''}.</p>")
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>WITHHELD: {path}</title><style>{STYLE}</style></head><body>"
            f'<p class="banner" role="alert"><strong>WITHHELD</strong> — {path} is not '
            "published: it failed the checks below.</p><main>"
            f"<h1>Why {path} was withheld</h1><ul>{''.join(items)}</ul>{preview}"
            '<p><a href="/report.html">The build report</a></p></main></body></html>')
    return page.encode("utf-8")


def preview(out_dir: Path, url_path: str) -> tuple[bytes, str] | None:
    """(bytes, artifact path) of the kept copy of a withheld artifact, for `PREVIEW_PREFIX` +
    its path; None unless the report lists it as withheld and the copy exists."""
    info = withheld(out_dir, "/" + url_path[len(PREVIEW_PREFIX):])
    if info is None or info["preview"] is None:
        return None
    try:
        data = (out_dir / WITHHELD_DIR / info["path"]).read_bytes()
    except OSError:
        return None
    if info["path"].endswith((".html", ".htm")):
        data = with_banner(data, info["path"])
    return data, info["path"]


def with_banner(page: bytes, path: str) -> bytes:
    """An HTML preview with a WITHHELD bar at the top of its body, linking to why."""
    bar = (f'<p role="alert" style="position:sticky;top:0;z-index:99999;margin:0;'
           f'padding:0.75rem 1rem;background:#8a1c24;color:#fff;font:16px/1.4 sans-serif">'
           f"<strong>WITHHELD</strong> — this preview of {html.escape(path)} is not published. "
           f'<a style="color:#fff" href="/{html.escape(quote(path))}">Why?</a></p>').encode()
    start = page.lower().find(b"<body")
    end = page.find(b">", start) if start >= 0 else -1
    return page[:end + 1] + bar + page[end + 1:] if end >= 0 else bar + page

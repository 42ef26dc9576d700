"""Gate: DAISY Ace, the accessibility checker for EPUB, reports no violation of any impact.

Ace (npm `@daisy/ace-cli`, installed by `make` into `tools/ace/` with Puppeteer's own browser
download skipped) opens every content document in a real browser, Debian's Chromium, runs
axe-core and its own EPUB rules (metadata, navigation, page lists, language), and writes a
`report.json` in EARL. Each failed assertion (minor, moderate, serious or critical) fails this
gate; Ace's list of accessibility metadata it found missing is kept as figures, since the
certifier credential and report it asks about are optional in EPUB Accessibility 1.1.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from functools import lru_cache, partial
from pathlib import Path

from pipeline.gates.subject import Subject
from pipeline.model import CheckResult

CHECK = "ace"
ACE_DIR = Path(__file__).resolve().parent.parent.parent / "tools" / "ace"
ACE = ACE_DIR / "node_modules" / "@daisy" / "ace-cli" / "bin" / "ace.js"


def browser() -> str | None:
    """The Chromium that Puppeteer is pointed at."""
    return os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium") \
        or shutil.which("chromium-browser")


@lru_cache(maxsize=16)
def run(data: bytes) -> dict:
    """Ace's report for EPUB bytes (raises FileNotFoundError naming what is missing; remembered
    for the same bytes, like EPUBCheck's)."""
    node, chromium = shutil.which("node"), browser()
    for name, found in (("node", node), ("chromium", chromium),
                        ("DAISY Ace (tools/ace)", ACE.is_file())):
        if not found:
            raise FileNotFoundError(name)
    with tempfile.TemporaryDirectory(prefix="plainpress-ace-") as tmp:
        book, out = Path(tmp) / "book.epub", Path(tmp) / "report"
        book.write_bytes(data)
        # Ace gives Chromium 5 s to start by default: too little on a busy machine.
        env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium, "HOME": tmp,
               "XDG_CONFIG_HOME": tmp, "XDG_CACHE_HOME": tmp, "NO_COLOR": "1",
               "ACE_TIMEOUT_INITIAL": os.environ.get("ACE_TIMEOUT_INITIAL", "60000")}
        done = subprocess.run([node, str(ACE), "--force", "--silent", "--outdir", str(out),
                               "--tempdir", str(Path(tmp) / "work"), str(book)], capture_output=True, timeout=300, check=False,
                              env=env, cwd=tmp)
        report = out / "report.json"
        if not report.is_file():
            tail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise RuntimeError(tail[-1] if tail else f"exit status {done.returncode}")
        return json.loads(report.read_text("utf-8"))


def violations(report: dict) -> list[tuple[str, str, str, str]]:
    """(impact, rule, description, where) of every failed assertion in an Ace report."""
    found = []
    for subject in report.get("assertions", []):
        where = subject.get("earl:testSubject", {}).get("url", "")
        for item in subject.get("assertions", []):
            if item.get("earl:result", {}).get("earl:outcome") == "pass":
                continue
            test, outcome = item.get("earl:test", {}), item.get("earl:result", {})
            pointer = outcome.get("earl:pointer", {}).get("css", [])
            found.append((test.get("earl:impact", "?"), test.get("dct:title", "?"),
                          outcome.get("dct:description", "").strip(),
                          where + (f" {pointer[0]}" if pointer else "")))
    return found


def check(subject: Subject) -> list[CheckResult]:
    """One result per violation Ace reports, or one passed result naming its version."""
    data, filename = subject.data, subject.artifact.filename
    result = partial(CheckResult, CHECK, subject.doc.id, subject.doc.locale, subject.output)
    try:
        report = run(data)
    except FileNotFoundError as exc:
        return [result("error", False, f"DAISY Ace cannot run: {exc} is missing", filename,
                       "run `make` (it installs chromium, Node.js and `npm ci --prefix "
                       "tools/ace`)")]
    except (RuntimeError, OSError, ValueError, subprocess.TimeoutExpired) as exc:
        return [result("error", False, f"DAISY Ace failed to run: {exc}", filename,
                       "run the build with --debug; check the Chromium install")]
    version = report.get("earl:assertedBy", {}).get("doap:release", {}).get("doap:revision", "?")
    metrics = {"version": version,
               "metadata_missing": report.get("a11y-metadata", {}).get("missing", [])}
    found = violations(report)
    if not found and report.get("earl:result", {}).get("earl:outcome") == "pass":
        return [result("error", True, f"DAISY Ace {version} reports no violation", filename,
                       None, metrics)]
    return [result("error", False, f"DAISY Ace: {impact} `{rule}`: {description}",
                   f"{filename}!{where}".strip(), "see the rule in Ace's report "
                   "(`tools/ace/node_modules/.bin/ace-cli -o OUT FILE`)",
                   metrics) for impact, rule, description, where in found] or [
        result("error", False, "DAISY Ace did not pass the EPUB but named no violation",
               filename, "run Ace on the file and read its report", metrics)]

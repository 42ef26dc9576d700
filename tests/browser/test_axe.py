"""Every published HTML page, and the build report, has no axe-core violations at WCAG 2.2 AA.

A real browser, because contrast, focus, landmarks and names are computed from the rendered page:
Debian's `chromium`, started here in headless mode and driven over the DevTools protocol on a
pipe (`--remote-debugging-pipe`: fd 3 in, fd 4 out, NUL-separated JSON), so nothing beyond the
standard library is needed on the Python side and no port is opened. axe-core comes from the
npm registry (`npm ci --prefix tests/browser`). Without chromium or axe-core the tests fail and
say so: `make test` installs both (tests/conftest.py, `require_tool`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import require_file, require_tool

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--remote-debugging-pipe"]

pytestmark = pytest.mark.slow  # a full build of the repository's project, then Chromium


def _high(fd: int) -> int:
    """The same pipe end on a descriptor number of 10 or more (inheritable)."""
    import fcntl

    new = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return new


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe."""

    def __init__(self, executable: str, profile: Path):
        read_cmd, write_cmd = os.pipe()      # we write commands, the browser reads fd 3
        read_out, write_out = os.pipe()      # the browser writes fd 4, we read
        read_cmd, write_out = _high(read_cmd), _high(write_out)  # clear of 3 and 4
        # bash (dash takes one-digit descriptors only) puts the pipe ends on fds 3 and 4,
        # then becomes Chromium.
        redirect = f'exec "$0" "$@" 3<&{read_cmd} 4>&{write_out}'
        self.process = subprocess.Popen(
            [shutil.which("bash") or "/bin/bash", "-c", redirect, executable, *FLAGS,
             f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(read_cmd, write_out), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(read_cmd)
        os.close(write_out)
        self.send_fd, self.recv = write_cmd, os.fdopen(read_out, "rb", buffering=0)
        self.buffer, self.next_id, self.events = b"", 0, []

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 60) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.send_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = self._read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)
        raise TimeoutError(method)

    def wait_event(self, method: str, session: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if event.get("method") == method and event.get("sessionId") == session:
                    self.events.remove(event)
                    return event
            self.events.append(self._read())
        raise TimeoutError(method)

    def _read(self) -> dict:
        while b"\0" not in self.buffer:
            chunk = self.recv.read(65536)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def axe(self, url: str, axe_source: str) -> list[dict]:
        """axe-core's violations for the page at `url`, with the WCAG 2.2 AA rules."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target,
                                                      "flatten": True})["sessionId"]
        try:
            self.call("Page.enable", session=session)
            self.call("Page.navigate", {"url": url}, session=session)
            self.wait_event("Page.loadEventFired", session)
            self.call("Runtime.evaluate", {"expression": axe_source}, session=session)
            options = json.dumps({"runOnly": {"type": "tag", "values": TAGS},
                                  "resultTypes": ["violations"]})
            result = self.call("Runtime.evaluate", {
                "expression": f"axe.run(document, {options}).then(r => JSON.stringify("
                              "r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
                              " nodes: v.nodes.map(n => ({target: n.target, html: n.html,"
                              " summary: n.failureSummary}))}))))",
                "awaitPromise": True, "returnByValue": True}, session=session)
            if "exceptionDetails" in result:
                raise RuntimeError(result["exceptionDetails"])
            return json.loads(result["result"]["value"])
        finally:
            self.call("Target.closeTarget", {"targetId": target})

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.send_fd)
        self.recv.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    executable = require_tool("chromium")
    require_file(AXE, "axe-core", "runs `npm ci --prefix tests/browser`")
    instance = Browser(executable, tmp_path_factory.mktemp("chromium-profile"))
    yield instance
    instance.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    return require_file(AXE, "axe-core", "runs `npm ci --prefix tests/browser`").read_text("utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The repository's own project (a copy of its inputs) built in a temporary folder: every
    locale and output, and the HTML pages in the pseudo-locales (long accented text; right to
    left) under build/pseudo/."""
    root = tmp_path_factory.mktemp("project")
    for name in ("source", "locales", "styles"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    for args in (["--out", "build"], ["--out", "build/pseudo", "--locale", "en_XA",
                                      "--locale", "ar_XB", "--format", "html"]):
        done = subprocess.run([sys.executable, "-m", "pipeline.cli", "-C", str(root), "build",
                               *args], capture_output=True, text=True, cwd=REPO)
        # The repository's own project publishes everything: a withheld page (exit 1) would
        # leave it out of the pages axe checks.
        assert done.returncode == 0, done.stdout + done.stderr
    return root / "build"


def _report_pages(built: Path, tmp: Path) -> list[Path]:
    """The build's report page, and one with every section filled (problems, skipped jobs,
    translation progress, an oversize PDF), so that axe sees all of the template."""
    from pipeline.report.page import render_report_html, thumbnail

    report = json.loads((built / "report.json").read_text("utf-8"))
    thumbs = {a["path"]: thumbnail((built / a["path"]).read_bytes())
              for a in report["artifacts"] if a["path"].endswith(".pdf")
              and (built / a["path"]).is_file()}
    pages = []
    if not (built / "report.html").is_file():
        (built / "report.html").write_bytes(render_report_html(report, thumbs))
    pages.append(built / "report.html")
    full = dict(report)
    full["checks"] = report["checks"] + [{
        "check": "text-fidelity", "document": report["artifacts"][0]["document"],
        "locale": "ar", "output": "pdf", "severity": "error", "passed": False,
        "message": "the paragraph “جدًا” is missing from the pdf", "location": "source/x.md:10",
        "hint": "check the template", "metrics": {}}, {
        "check": "reading-level", "document": report["artifacts"][0]["document"],
        "locale": "en", "output": "pdf", "severity": "warning", "passed": False,
        "message": "flesch-kincaid-grade grade 9.1 (target at most 8.0)", "location": "x:1",
        "hint": None, "metrics": {"measured": True, "value": 9.1, "scale": "grade",
                                  "formula": "flesch-kincaid-grade", "hardest": [
                                      {"sentence": "Long words.", "score": 9, "long_words":
                                       ["Intracytoplasmic"]}]}}]
    full["artifacts"] = [dict(a, size=900 * 1024) if a["output"] == "pdf" else a
                         for a in report["artifacts"]]
    full["skipped"] = [{"document": "x", "locale": "ar", "output": "docx", "path": "ar/x.docx",
                        "reason": "translation incomplete"}]
    full["removed"] = ["fr/old-topic.pdf"]
    full["translation"] = {"ar": {"translated": 9, "fuzzy": 1, "untranslated": 2,
                                  "obsolete": 0, "percent": 75.0}}
    (tmp / "report-full.html").write_bytes(render_report_html(full, thumbs))
    pages.append(tmp / "report-full.html")
    return pages


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n['target']}: {n['html'][:160]}" for n in v["nodes"][:5]]
    return "\n".join(lines)


def test_article_pages_have_no_axe_violations(browser, axe_source, built):
    pages = sorted(p for p in built.rglob("*.html") if p.parent.name != built.name)
    assert len(pages) >= 3, f"too few HTML pages were published: {pages}"
    found = {page.relative_to(built).as_posix(): browser.axe(page.as_uri(), axe_source)
             for page in pages}
    failures = {page: _describe(v) for page, v in found.items() if v}
    assert not failures, "\n".join(f"{page}:\n{text}" for page, text in failures.items())


def test_report_pages_have_no_axe_violations(browser, axe_source, built, tmp_path):
    for page in _report_pages(built, tmp_path):
        violations = browser.axe(page.as_uri(), axe_source)
        assert not violations, f"{page.name}:\n{_describe(violations)}"


def test_axe_finds_a_real_violation(browser, axe_source, tmp_path):
    """The harness is live: a page with an image without alt text and faint text fails."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><main>'
                    '<img src="data:image/png;base64,iVBORw0KGgo="><p style="color:#ccc">'
                    'faint</p></main></body></html>', "utf-8")
    ids = {v["id"] for v in browser.axe(page.as_uri(), axe_source)}
    assert {"image-alt", "color-contrast"} <= ids

"""`plainpress serve`: an edit to a source is rebuilt, served, and announced to open pages."""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import queue
import threading
import time
from pathlib import Path

import lxml.html
import pikepdf
import pytest

from pipeline.devtools.serve import (RELOAD_SCRIPT, VERSION_PATH, Preview, RebuildFailed,
                                     child_build, serve)

DEADLINE = 10.0  # seconds; the watcher polls every 0.5 s


def get(port: int, path: str) -> tuple[int, dict, bytes]:
    """GET over a direct connection to 127.0.0.1 (no proxy from the environment)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def wait_for(condition, what: str):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"gave up after {DEADLINE} s waiting for {what}")


@pytest.fixture
def site(tmp_path: Path):
    """A project folder with the watched inputs, and a fake build that copies the source."""
    root = tmp_path / "proj"
    (root / "source").mkdir(parents=True)
    (root / "locales").mkdir()
    (root / "styles").mkdir()
    (root / "pyproject.toml").write_text("[tool.plainpress]\n", "utf-8")
    source = root / "source" / "topic.md"
    source.write_text("first words\n", "utf-8")
    out = tmp_path / "build"
    calls = []

    def rebuild():
        text = source.read_text("utf-8").strip()
        if text == "BROKEN":
            raise ValueError("source/topic.md:1: this source is broken")
        (out / "en").mkdir(parents=True, exist_ok=True)
        (out / "en" / "topic.html").write_text(
            f"<!DOCTYPE html><html lang=\"en\"><body><p>{text}</p></body></html>", "utf-8")
        calls.append(text)

    return root, source, out, rebuild, calls


@pytest.fixture
def running(site):
    """`serve` in a thread on a free port; stopped (and checked stopped) afterwards."""
    root, source, out, rebuild, calls = site
    ready: queue.Queue = queue.Queue()
    thread = threading.Thread(target=serve, args=(root, "127.0.0.1", 0),
                              kwargs={"rebuild": rebuild, "out_dir": out,
                                      "on_ready": ready.put}, daemon=True)
    thread.start()
    preview: Preview = ready.get(timeout=DEADLINE)
    yield preview, source, out, calls
    port = preview.port
    preview.stop()
    thread.join(timeout=DEADLINE)
    assert not thread.is_alive(), "serve() did not return after stop()"
    with pytest.raises(OSError):
        get(port, "/")


def version(port: int) -> dict:
    status, headers, body = get(port, VERSION_PATH)
    assert status == 200 and headers["Content-Type"] == "application/json"
    return json.loads(body)


def test_edit_is_rebuilt_and_served(running):
    preview, source, out, calls = running
    assert preview.server.server_address[0] == "127.0.0.1"
    assert calls == ["first words"]  # built once before serving
    assert version(preview.port) == {"version": 1, "error": None}
    status, headers, body = get(preview.port, "/en/topic.html")
    assert status == 200 and b"first words" in body
    assert headers["Cache-Control"] == "no-store"
    assert RELOAD_SCRIPT.encode() in body and body.index(RELOAD_SCRIPT.encode()) < body.index(
        b"</body>")
    assert RELOAD_SCRIPT.encode() not in (out / "en" / "topic.html").read_bytes()

    source.write_text("second, longer words\n", "utf-8")
    wait_for(lambda: version(preview.port)["version"] == 2, "the version to bump")
    status, _, body = get(preview.port, "/en/topic.html")
    assert status == 200 and b"second, longer words" in body
    assert calls == ["first words", "second, longer words"]


def test_a_failed_rebuild_is_reported_and_the_next_save_recovers(running):
    preview, source, _, calls = running
    source.write_text("BROKEN\n", "utf-8")
    state = wait_for(lambda: (lambda s: s if s["error"] else None)(version(preview.port)),
                     "the build error")
    assert state == {"version": 1, "error": "source/topic.md:1: this source is broken"}
    source.write_text("fixed\n", "utf-8")
    wait_for(lambda: version(preview.port) == {"version": 2, "error": None}, "a good rebuild")
    assert b"<p>fixed</p>" in get(preview.port, "/en/topic.html")[2]


def test_other_watched_inputs_trigger_a_rebuild(running):
    preview, source, _, calls = running
    root = source.parent.parent
    (root / "locales" / "es").mkdir()
    (root / "locales" / "es" / "topic.po").write_text("msgid \"\"\n", "utf-8")
    wait_for(lambda: version(preview.port)["version"] == 2, "a rebuild after a PO file")
    stamp = (root / "pyproject.toml").stat().st_mtime_ns + 2_000_000_000
    os.utime(root / "pyproject.toml", ns=(stamp, stamp))
    wait_for(lambda: version(preview.port)["version"] == 3, "a rebuild after pyproject.toml")


def test_only_the_build_folder_is_served(running):
    preview, _, _, _ = running
    for path in ("/../pyproject.toml", "/..%2fpyproject.toml", "/%2e%2e/source/topic.md"):
        status, _, body = get(preview.port, path)
        assert b"tool.plainpress" not in body and body != b"first words\n", (path, status)
    status, _, _ = get(preview.port, "/en/missing.html")
    assert status == 404


def test_stop_without_serving_does_not_hang(site):
    root, _, out, rebuild, _ = site
    preview = Preview(root, out, rebuild, port=0).start()
    started = time.monotonic()
    preview.stop()
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("sig,ignored", [("SIGINT", False), ("SIGINT", True),
                                         ("SIGTERM", True)],
                         ids=["ctrl-c", "ctrl-c-when-started-with-sigint-ignored", "sigterm"])
def test_signal_stops_cleanly(site, sig, ignored):
    """Ctrl-C (SIGINT) or SIGTERM: the server shuts down, closes its socket, exits 0 — also when
    it was started with SIGINT ignored, as a background job, `nohup` or a service manager does
    (Python then installs no KeyboardInterrupt handler of its own)."""
    import signal
    import subprocess
    import sys

    root, _, out, _, _ = site
    program = ("import sys; from pathlib import Path; from pipeline.devtools.serve import serve\n"
               "serve(Path(sys.argv[1]), port=0, rebuild=lambda: None, out_dir=Path(sys.argv[2]),"
               " on_ready=lambda p: print(p.port, flush=True))\n")

    def start_ignoring():
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)

    child = subprocess.Popen([sys.executable, "-c", program, str(root), str(out)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parent.parent,
                             preexec_fn=start_ignoring)
    try:
        port = int(child.stdout.readline())  # the event: the server is bound and its handlers set
        assert get(port, VERSION_PATH)[0] == 200
        child.send_signal(getattr(signal, sig))
        assert child.wait(timeout=DEADLINE) == 0, child.stderr.read()
        assert "Traceback" not in child.stderr.read()
        with pytest.raises(OSError):
            get(port, "/")
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


# ----------------------------------------------------------------------------- withheld artifacts

@contextlib.contextmanager
def live(project):
    """A real build of `project` served by a Preview, rebuilding as `plainpress serve` does:
    `plainpress build` in a child process."""
    out = project.root / "build"
    rebuild = child_build(project.root, ["--format=html", "--format=handout", "--jobs=1"],
                          out=io.StringIO())
    rebuild()
    preview = Preview(project.root, out, rebuild, port=0, interval=0.2).start()
    thread = threading.Thread(target=preview.serve_forever, daemon=True)
    thread.start()
    try:
        yield preview, out
    finally:
        preview.stop()
        thread.join(timeout=DEADLINE)


def overflowing(project) -> str:
    """The sample with a handout far over its two-page budget; returns the original text."""
    text = project.read("source/sample.md")
    extra = "".join(f"Short line number {n}.\n\n" for n in range(90))
    project.write("source/sample.md", text.replace("Short words. Short lines.\n",
                                                   "Short words. Short lines.\n\n" + extra))
    return text


@pytest.mark.slow
def test_a_withheld_handout_shows_why_and_a_preview(project):
    """Item 12.11: the URL of a handout the page budget withheld says why (the failing check,
    its file:line and fix), and links to the PDF as rendered, kept apart from build/en/."""
    original = overflowing(project)
    with live(project) as (preview, out):
        kept = out / ".plainpress-withheld/en/sample-handout.pdf"
        assert not (out / "en/sample-handout.pdf").exists() and kept.is_file()
        with pikepdf.open(kept) as pdf:
            assert len(pdf.pages) > 2
        status, headers, body = get(preview.port, "/en/sample-handout.pdf")
        assert status == 404 and headers["Content-Type"] == "text/html; charset=utf-8"
        page = lxml.html.document_fromstring(body)
        assert page.xpath("//p[@role='alert']")[0].text_content().startswith("WITHHELD")
        item = " ".join(page.xpath("//li")[0].text_content().split())
        assert item.startswith("Error [page-budget]") and "Where: source/sample.md:30" in item
        assert "Fix:" in item
        link = page.xpath("//a[starts-with(@href, '/__plainpress/withheld/')]")[0].get("href")
        assert link == "/__plainpress/withheld/en/sample-handout.pdf"
        assert RELOAD_SCRIPT.encode() in body

        status, headers, data = get(preview.port, link)
        assert status == 200 and headers["Content-Type"] == "application/pdf"
        assert headers["Content-Disposition"] == 'inline; filename="WITHHELD-sample-handout.pdf"'
        assert data == kept.read_bytes() and data.startswith(b"%PDF")
        # Published files are served as before; nothing else is reachable as a "preview".
        assert get(preview.port, "/en/sample.html")[0] == 200
        for path in ("/__plainpress/withheld/en/sample.html",
                     "/__plainpress/withheld/../pyproject.toml",
                     "/__plainpress/withheld/%2e%2e/report.json", "/en/nothing.pdf"):
            assert get(preview.port, path)[0] == 404, path

        project.write("source/sample.md", original)  # the author fixes it: served, kept copy gone
        wait_for(lambda: get(preview.port, "/en/sample-handout.pdf")[0] == 200, "the fix")
        assert not kept.exists()
        assert get(preview.port, link)[0] == 404


def test_a_withheld_html_preview_carries_a_withheld_banner(project):
    template = project.root / "styles/templates/article.html.j2"
    template.write_text(template.read_text().replace(
        '<div class="disclaimer">{{ blocks(doc.disclaimer.blocks) }}', '<div>'))
    with live(project) as (preview, out):
        status, _, body = get(preview.port, "/en/sample.html")
        assert status == 404 and b"[required-text]" in body and b"WITHHELD" in body
        status, headers, page = get(preview.port, "/__plainpress/withheld/en/sample.html")
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        tree = lxml.html.document_fromstring(page)
        banner = tree.xpath("//body/*[1]")[0]
        assert banner.get("role") == "alert" and "WITHHELD" in banner.text_content()
        assert banner.xpath(".//a")[0].get("href") == "/en/sample.html"
        assert RELOAD_SCRIPT.encode() in page
        assert b"WITHHELD" not in (out / ".plainpress-withheld/en/sample.html").read_bytes()


def test_a_job_skipped_for_its_translation_says_so_without_a_preview(es_project):
    with live(es_project) as (preview, out):
        status, _, body = get(preview.port, "/es/sample.html")
        assert status == 404
        text = " ".join(lxml.html.document_fromstring(body).text_content().split())
        assert "WITHHELD" in text and "[translation]" in text and "untranslated" in text
        assert "locales/es/LC_MESSAGES/sample.po:" in text
        assert "There is no preview: the file was not rendered" in text
        assert not (out / ".plainpress-withheld/es/sample.html").exists()


def request(port: int, path: str, host: str | None = None, method: str = "GET"
            ) -> tuple[int, bytes]:
    """A request with a chosen `Host:` header (None: http.client's own, 127.0.0.1:PORT)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest(method, path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_only_requests_for_this_server_are_answered(running):
    """DNS rebinding: a page on evil.example resolving its own name to 127.0.0.1 must not be
    able to read the preview."""
    preview, _, _, _ = running
    port = preview.port
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}",
                 "127.0.0.1:1", f"localhost:{port + 1}", ""):
        status, body = request(port, "/en/topic.html", host)
        assert status == 403 and b"first words" not in body, host
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}",
                 f"[::1]:{port}"):
        status, body = request(port, "/en/topic.html", host)
        assert status == 200 and b"first words" in body, host
    assert request(port, "/en/topic.html", "evil.example", "HEAD")[0] == 403


def test_hidden_files_are_never_served(running):
    preview, _, out, _ = running
    (out / ".lock").write_text("4242\n")
    (out / ".plainpress-state.json").write_text('{"secret": 1}')
    (out / "en" / ".draft.html").write_text("<p>hidden draft</p>")
    for path in ("/.lock", "/.plainpress-state.json", "/en/.draft.html", "/%2elock",
                 "/en/%2Edraft.html", "/.git/config"):
        status, body = request(preview.port, path)
        assert status == 404 and b"4242" not in body and b"secret" not in body \
            and b"hidden draft" not in body, path
        assert request(preview.port, path, method="HEAD")[0] == 404, path


@pytest.mark.parametrize("path", ["/%00", "/en/topic.html%00.png", "/en/%00/x", "/" + "a" * 5000])
def test_impossible_paths_are_answered_cleanly(running, capsys, path):
    preview, _, _, _ = running
    status, _ = request(preview.port, path)
    assert status in (400, 404), status
    assert "Traceback" not in capsys.readouterr().err
    assert get(preview.port, "/en/topic.html")[0] == 200  # the server is still fine


def test_a_server_bound_to_all_addresses_accepts_its_addresses(site):
    root, _, out, rebuild, _ = site
    preview = Preview(root, out, rebuild, host="0.0.0.0", port=0).start()
    try:
        assert preview.allows_host(f"192.168.1.7:{preview.port}")
        assert preview.allows_host(f"localhost:{preview.port}")
        assert not preview.allows_host(f"evil.example:{preview.port}")
        assert not preview.allows_host("192.168.1.7:1")
    finally:
        preview.stop()


# ----------------------------------------------------------------------------- the child build

def test_a_rebuild_runs_in_a_child_process_not_in_the_threaded_server(project, monkeypatch):
    """The watcher thread rebuilds while HTTP threads run, and a build forks its workers: that
    fork must not happen in this process. With `os.fork` and the in-process build booby-trapped
    here, an edit is still rebuilt, served and reported: the work was done by a child started
    with fork+exec (subprocess), which runs its own interpreter."""
    import pipeline.build

    def trap(*args, **kwargs):
        raise AssertionError("the preview forked or built in its own process")

    with live(project) as (preview, out):
        monkeypatch.setattr(os, "fork", trap)
        monkeypatch.setattr(pipeline.build, "build", trap)
        before = (out / "report.json").stat().st_mtime_ns
        project.write("source/sample.md", project.read("source/sample.md").replace(
            "A quoted line.", "A line quoted in the child."))
        wait_for(lambda: version(preview.port)["version"] == 1, "the rebuild")
        assert version(preview.port)["error"] is None
        assert b"A line quoted in the child." in get(preview.port, "/en/sample.html")[2]
        assert (out / "report.json").stat().st_mtime_ns > before
        assert threading.active_count() > 2  # the server and watcher threads were running


def test_serve_passes_its_selection_and_debug_to_the_child_build(project, monkeypatch):
    import pipeline.devtools.serve as serve_module
    from pipeline.cli import main

    calls = {}
    monkeypatch.setattr(serve_module, "serve", lambda root, host, port, **kwargs: calls.update(
        kwargs, root=root, host=host, port=port))
    assert main(["-C", str(project.root), "serve", "--doc", "sample", "--locale", "en",
                 "--format", "pdf", "--page-size", "a4", "--out", "preview", "-j", "3",
                 "--allow-incomplete", "--port", "0", "--debug"]) == 0
    assert calls["debug"] is True and calls["out_dir"] == (project.root / "preview").resolve()
    command = calls["rebuild"].command
    assert command[1:] == ["-m", "pipeline.cli", "-C", str(project.root.resolve()), "build",
                           "--quiet", "--doc=sample", "--locale=en", "--format=pdf",
                           "--jobs=3", "--out=preview", "--page-size=a4",
                           "--allow-incomplete", "--debug"]
    calls["rebuild"]()  # and it builds what was selected, where it was asked to
    assert sorted(p.name for p in (project.root / "preview/en").iterdir()) == ["sample-a4.pdf"]


def test_bad_input_fills_the_error_box_with_its_file_and_line(project):
    out = io.StringIO()
    rebuild = child_build(project.root, ["--format=html"], out=out)
    project.write("source/sample.md", project.read("source/sample.md").replace(
        "reviewed: 2025-08", "reviwed: 2025-08"))
    with pytest.raises(RebuildFailed) as failed:
        rebuild()
    assert str(failed.value).startswith("source/sample.md:4: error: unknown front-matter field "
                                        "`reviwed`"), str(failed.value)
    assert "Traceback" not in str(failed.value)


def test_a_gate_failure_is_a_rebuild_and_its_table_is_printed(project):
    """Exit 1 with only gate findings: the build ran, the withheld pages say why."""
    out, notes = io.StringIO(), []
    overflowing(project)
    child_build(project.root, ["--format=handout", "--jobs=1"], out=out, log=notes.append)()
    assert "error: [page-budget]" in out.getvalue() and "WITHHELD" in out.getvalue()
    assert notes == []


def test_a_crash_shows_its_last_line_and_the_traceback_only_with_debug():
    from pipeline.devtools.serve import _failure

    lines = ["Traceback (most recent call last):", '  File "x.py", line 1, in <module>',
             "KeyError: 'pdf'"]
    assert _failure(lines, 1, debug=False) == (
        "plainpress: internal error: KeyError: 'pdf' (run `plainpress serve --debug` for the "
        "traceback)")
    assert _failure(lines, 1, debug=True) == "\n".join(lines)
    assert _failure([], -9, debug=False) == "the build was stopped by SIGKILL"
    assert _failure([], 70, debug=False) == "the build exited with status 70"


@pytest.mark.parametrize("debug", [False, True])
def test_debug_comes_from_the_flag_not_the_environment(site, capsys, monkeypatch, debug):
    root, _, out, _, _ = site
    monkeypatch.setenv("PLAINPRESS_DEBUG", "1")

    def broken():
        raise ValueError("source/topic.md:1: this source is broken")

    preview = Preview(root, out, broken, port=0, debug=debug, log=lambda message: None)
    preview._rebuild()
    assert preview.state()["error"] == "source/topic.md:1: this source is broken"
    assert ("Traceback" in capsys.readouterr().err) is debug

"""`plainpress serve`: an edit to a source is rebuilt, served, and announced to open pages."""

from __future__ import annotations

import http.client
import json
import os
import queue
import threading
import time
from pathlib import Path

import pytest

from pipeline.serve import RELOAD_SCRIPT, VERSION_PATH, Preview, serve

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
    program = ("import sys; from pathlib import Path; from pipeline.serve import serve\n"
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

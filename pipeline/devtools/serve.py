"""`plainpress serve`: preview `build/` on localhost, rebuild on save, reload the open page.

Why: an author's loop is edit, save, look. As with `mkdocs serve` and `quarto preview`, this
serves the build folder over HTTP, polls the inputs (source/, locales/, styles/, pyproject.toml or plainpress.toml)
for changes every half second (mtime and size: no extra dependency, works on every file system),
calls `rebuild()` when something changed, and bumps a version number. Every HTML page it serves
gets a tiny script that polls `/__plainpress/version` and reloads the page when the number
changes (or shows the build error). The script is added to the HTTP response only; the files in
build/ stay byte-identical to what `plainpress build` publishes.

It binds to 127.0.0.1 unless told otherwise: a preview of unpublished patient material is not
for the network. For the same reason it answers only requests whose `Host:` names the address
it was bound to (or localhost, 127.0.0.1, [::1]) with its port: a web page elsewhere could
otherwise point a DNS name of its own at 127.0.0.1 and read the preview from the victim's
browser ("DNS rebinding"). Paths with a segment starting with `.` (the lock, the state file)
are never served, and a path a file system cannot hold (a NUL byte) is a 400, not a crash.
Ctrl-C (or `Preview.stop()`) shuts the server down, closes its socket and
stops the watcher.

A withheld artifact's URL shows why it was withheld and links to a preview of what was rendered
(`serve_withheld`), instead of a bare 404.

`plainpress serve` rebuilds in a child process (`child_build`): `python -m pipeline.cli build`,
started by `subprocess` (fork followed at once by exec). The build forks worker processes of its
own, and a fork in a process where other threads run (the watcher, one per HTTP request) copies
whatever locks those threads held at that instant into a child that can never release them; a
fresh interpreter holds none. The child's results table is printed as a build prints it, and
its errors fill the page's error box.
"""

from __future__ import annotations

import ipaddress
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import traceback
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Sequence, TextIO
from urllib.parse import unquote

import pipeline
from pipeline.devtools import serve_withheld
from pipeline.devtools.serve_withheld import PREVIEW_PREFIX
from pipeline.errors import EXIT_GATE_FAILED, EXIT_OK

WATCHED = ("source", "locales", "styles", "pyproject.toml", "plainpress.toml")
VERSION_PATH = "/__plainpress/version"
RELOAD_SCRIPT = (
    "<script>/* plainpress serve: reloads this page after a rebuild (not in the file) */"
    "(function(){var seen=null,box=null;function show(e){if(!e){if(box){box.remove();box=null}"
    "return}if(!box){box=document.createElement('pre');box.setAttribute('role','alert');"
    "box.style.cssText='position:fixed;inset:auto 0 0 0;margin:0;padding:1em;background:#8a1c24;"
    "color:#fff;white-space:pre-wrap;z-index:99999;font:14px/1.4 monospace';"
    "document.body.appendChild(box)}box.textContent='Build failed:\\n'+e}"
    "function poll(){fetch('" + VERSION_PATH + "',{cache:'no-store'}).then(function(r){"
    "return r.json()}).then(function(d){if(seen!==null&&d.version!==seen){location.reload();"
    "return}seen=d.version;show(d.error)}).catch(function(){}).then(function(){"
    "setTimeout(poll,700)})}poll()})();</script>")


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(mtime in ns, size) of every file the build reads, by project-relative path."""
    found: dict[str, tuple[int, int]] = {}
    for name in WATCHED:
        top = root / name
        if top.is_file():
            stat = top.stat()
            found[name] = (stat.st_mtime_ns, stat.st_size)
            continue
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")))
            for file in files:
                path = os.path.join(folder, file)
                try:
                    stat = os.stat(path)
                except OSError:  # deleted between listing and stat: the next poll sees it
                    continue
                found[os.path.relpath(path, root)] = (stat.st_mtime_ns, stat.st_size)
    return found


class RebuildFailed(Exception):
    """The child build reported an error: its message is what the build printed."""


NOTES = ("waiting for another build", "note: ")
"""How the lines a build prints on stderr that are not errors begin (the build lock's)."""

TRACEBACK = "Traceback (most recent call last):"


def child_build(root: Path, build_args: Sequence[str] = (), *, debug: bool = False,
                out: TextIO | None = None, log: Callable[[str], None] | None = None
                ) -> Callable[[], None]:
    """A `rebuild` for `Preview` that runs `plainpress -C ROOT build --quiet BUILD_ARGS` in a
    child process and raises `RebuildFailed` with the child's errors.

    Exit 0, or 1 with nothing but gate findings (the withheld pages say why), is a rebuild;
    bad input (2), an error line on stderr (an output folder that cannot be written exits 1
    too), a crash or a signal is a failure. Without `debug` a crash shows its last line, not
    its traceback."""
    command = [sys.executable, "-m", "pipeline.cli", "-C", str(Path(root).resolve()), "build",
               "--quiet", *build_args, *(["--debug"] if debug else [])]
    # `-m` puts the working folder first on sys.path: run from the folder that holds the
    # package this process imported, so that the child runs the same code.
    home = Path(pipeline.__file__).resolve().parent.parent
    say = log or (lambda message: print(message, file=sys.stderr, flush=True))

    def rebuild() -> None:
        done = subprocess.run(command, cwd=home, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, errors="replace")
        print(done.stdout, end="", file=out or sys.stdout, flush=True)
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        for line in lines:
            if line.startswith(NOTES):
                say(line)
        errors = [line for line in lines if not line.startswith(NOTES)]
        if done.returncode in (EXIT_OK, EXIT_GATE_FAILED) and not errors:
            return
        raise RebuildFailed(_failure(errors, done.returncode, debug))

    rebuild.command = command  # for a reader of the log, and for the tests
    return rebuild


def _failure(errors: list[str], code: int, debug: bool) -> str:
    """What the error box shows for a failed child build."""
    if TRACEBACK in errors and not debug:
        start = errors.index(TRACEBACK)
        errors = [*errors[:start], f"plainpress: internal error: {errors[-1]} (run `plainpress "
                  "serve --debug` for the traceback)"]
    if code < 0:
        errors.append(f"the build was stopped by {signal.Signals(-code).name}")
    elif not errors:
        errors.append(f"the build exited with status {code}")
    return "\n".join(errors)


class Preview:
    """The HTTP server and the watcher; `start()` binds, `serve_forever()` blocks.

    `rebuild` is called on the watcher's thread: it must not fork (`child_build` does not)."""

    def __init__(self, root: Path, out_dir: Path, rebuild: Callable[[], None],
                 host: str = "127.0.0.1", port: int = 8000, interval: float = 0.5,
                 log: Callable[[str], None] | None = None, debug: bool = False):
        self.root, self.out_dir, self.rebuild = Path(root), Path(out_dir), rebuild
        self.host, self.port, self.interval, self.debug = host, port, interval, debug
        self.log = log or (lambda message: print(message, file=sys.stderr, flush=True))
        self.version, self.error = 0, None
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.serving = False
        self.server: ThreadingHTTPServer | None = None
        self.watcher: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def start(self) -> "Preview":
        """Bind the socket (port 0 picks a free one) and start watching the inputs."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        handler = partial(_Handler, self, directory=str(self.out_dir))
        self.server = ThreadingHTTPServer((self.host, self.port), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        # The first snapshot is taken here, not in the thread: an edit made right after
        # start() returns must count as a change.
        self.watcher = threading.Thread(target=self._watch, args=(snapshot(self.root),),
                                        name="plainpress-watch", daemon=True)
        self.watcher.start()
        return self

    def serve_forever(self) -> None:
        """Serve until `stop()`; returns at once if it was already called."""
        with self.lock:
            server = self.server
            if server is None or self.stopping.is_set():
                return
            self.serving = True
        server.serve_forever(poll_interval=0.25)

    def stop(self) -> None:
        """Stop serving and watching; safe to call twice, and from another thread."""
        with self.lock:
            self.stopping.set()
            server, self.server = self.server, None
            serving = self.serving
        if server is not None:
            if serving:
                server.shutdown()  # returns once serve_forever has left its loop
            server.server_close()
        if self.watcher is not None and self.watcher is not threading.current_thread():
            self.watcher.join(timeout=max(5.0, self.interval * 4))

    def allows_host(self, header: str | None) -> bool:
        """A `Host:` header naming this server: localhost, the bound address (any address of
        this machine when bound to all of them), and the port it listens on."""
        if not header:
            return False
        header = header.strip().lower()
        if header.startswith("["):
            host, _, rest = header[1:].partition("]")
            port = rest[1:] if rest.startswith(":") else ("" if not rest else None)
        else:
            host, _, port = header.rpartition(":") if ":" in header else (header, "", "")
        if port is None or (port or "80") != str(self.port):
            return False
        host = host.rstrip(".")
        names = {"localhost", "127.0.0.1", "::1", self.host.lower().strip("[]")}
        if host in names:
            return True
        if self.host in ("0.0.0.0", "::", ""):
            try:
                ipaddress.ip_address(host)
                return True
            except ValueError:
                return host in {socket.gethostname().lower(), socket.getfqdn().lower()}
        return False

    def state(self) -> dict:
        with self.lock:
            return {"version": self.version, "error": self.error}

    def _watch(self, before: dict[str, tuple[int, int]]) -> None:
        while not self.stopping.wait(self.interval):
            now = snapshot(self.root)
            if now == before:
                continue
            changed = sorted(k for k in now.keys() | before.keys() if now.get(k) != before.get(k))
            before = now
            self.log(f"changed: {', '.join(changed[:5])}{' …' if len(changed) > 5 else ''}; "
                     "rebuilding")
            self._rebuild()

    def _rebuild(self) -> None:
        try:
            self.rebuild()
        except Exception as exc:  # a bad edit must not stop the preview: show it instead
            message = str(exc) or type(exc).__name__
            with self.lock:
                self.error = message
            self.log(f"build failed: {message}")
            if self.debug and not isinstance(exc, RebuildFailed):  # the child printed its own
                traceback.print_exc()
            return
        with self.lock:
            self.version += 1
            self.error = None
        self.log(f"rebuilt (version {self.version})")


class _Handler(SimpleHTTPRequestHandler):
    """Files from the build folder; HTML gets the reload script; one JSON endpoint."""

    def __init__(self, preview: Preview, *args, **kwargs):
        self.preview = preview
        super().__init__(*args, **kwargs)

    def _refused(self) -> bool:
        """Answer (and return True) for a request this preview does not serve."""
        if not self.preview.allows_host(self.headers.get("Host")):
            self._error(HTTPStatus.FORBIDDEN, "plainpress serve answers only requests for "
                        f"{self.preview.url} (or localhost on the same port)")
            return True
        path = unquote(self.path.split("?", 1)[0].split("#", 1)[0])
        if "\x00" in path:
            self._error(HTTPStatus.BAD_REQUEST, "a path cannot hold a NUL byte")
            return True
        if any(part.startswith(".") for part in path.replace("\\", "/").split("/")):
            self._error(HTTPStatus.NOT_FOUND, "not found")
            return True
        return False

    def _error(self, status: HTTPStatus, text: str) -> None:
        self._send((text + "\n").encode(), "text/plain; charset=utf-8", status)

    def do_HEAD(self):
        if not self._refused():
            super().do_HEAD()

    def do_GET(self):
        if self._refused():
            return None
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == VERSION_PATH:
            return self._send(json.dumps(self.preview.state()).encode(), "application/json")
        if path == "/" and (self.preview.out_dir / "report.html").is_file():
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", "/report.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if path.startswith(PREVIEW_PREFIX):
            return self._send_withheld_preview(path)
        local = Path(self.translate_path(self.path))
        try:
            if local.is_dir():
                local = local / "index.html"
            if not local.exists() and self._send_withheld_notice(path):
                return None
            page = local.read_bytes() if local.suffix.lower() in (".html", ".htm") and \
                local.is_file() else None
        except (OSError, ValueError):  # a name too long for the file system, say
            return self._error(HTTPStatus.NOT_FOUND, "not found")
        if page is not None:
            at = page.lower().rfind(b"</body>")
            script = RELOAD_SCRIPT.encode()
            page = page[:at] + script + page[at:] if at >= 0 else page + script
            return self._send(page, "text/html; charset=utf-8")
        return super().do_GET()

    def _send_withheld_notice(self, path: str) -> bool:
        """At a withheld artifact's URL: why it was withheld (404, with a page); False when
        the report does not know the path as withheld."""
        info = serve_withheld.withheld(self.preview.out_dir, path)
        if info is None:
            return False
        self._send(_with_reload(serve_withheld.notice(info)), "text/html; charset=utf-8",
                   HTTPStatus.NOT_FOUND)
        return True

    def _send_withheld_preview(self, path: str) -> None:
        """The kept bytes of a withheld artifact (HTML with a WITHHELD banner), or a 404."""
        found = serve_withheld.preview(self.preview.out_dir, path)
        if found is None:
            return self.send_error(HTTPStatus.NOT_FOUND, "no withheld preview here")
        data, name = found
        kind = self.guess_type(name)
        if kind.startswith("text/html"):
            return self._send(_with_reload(data), "text/html; charset=utf-8")
        return self._send(data, kind, headers={"Content-Disposition": 'inline; filename='
                                               f'"WITHHELD-{Path(name).name}"'})

    def _send(self, body: bytes, content_type: str, status: HTTPStatus = HTTPStatus.OK,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")  # a preview never shows a stale file
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # a preview prints what it rebuilds, not every request


def _with_reload(page: bytes) -> bytes:
    """An HTML page with the reload script before its `</body>`."""
    at = page.lower().rfind(b"</body>")
    script = RELOAD_SCRIPT.encode()
    return page[:at] + script + page[at:] if at >= 0 else page + script


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, *,
          rebuild: Callable[[], None], out_dir: Path, build_first: bool = True,
          interval: float = 0.5, on_ready: Callable[[Preview], None] | None = None,
          debug: bool = False) -> None:
    """Serve `out_dir` until Ctrl-C (or `Preview.stop()` from `on_ready`'s caller), rebuilding
    when an input changes. `build_first` runs `rebuild()` once before serving. `debug` (the
    CLI's `--debug`) prints the traceback of a rebuild that raised."""
    preview = Preview(root, out_dir, rebuild, host, port, interval, debug=debug)
    if build_first:
        preview._rebuild()
    preview.start()
    if host not in ("127.0.0.1", "localhost", "::1"):
        preview.log(f"warning: serving on {host}, reachable from other machines")
    preview.log(f"serving {out_dir} at {preview.url} (Ctrl-C to stop)")
    restore = _stop_on_signals(preview)
    try:
        if on_ready is not None:
            on_ready(preview)
        preview.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
        restore()


def _stop_on_signals(preview: Preview) -> Callable[[], None]:
    """Ctrl-C (SIGINT) and SIGTERM stop the preview, whatever the parent set.

    Why: Python only turns SIGINT into KeyboardInterrupt when SIGINT was not ignored at start-up,
    and a program started in the background, by `nohup` or by a service manager inherits it
    ignored; then Ctrl-C did nothing. The handler asks the server loop to end from another
    thread (`shutdown()` waits for the loop, so it cannot run on the loop's own thread)."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # signals are delivered to the main thread only

    def handler(signum, frame):
        preview.log("stopping")
        threading.Thread(target=preview.stop, name="plainpress-stop", daemon=True).start()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)
    return restore

"""Rendering and gating jobs in worker processes, each job with a time limit.

Each worker is a long-lived process that renders many jobs and keeps what is costly to make:
compiled templates, parsed theme CSS, WeasyPrint's font configuration. The parent prepares the
localized documents, forks the workers (they inherit them), hands out one job at a time, and
yields the results in plan order, so `--jobs 4` publishes the same bytes as `--jobs 1`.

Why our own small pool rather than `concurrent.futures`: a job that runs past its time limit
(a hostile label can keep WeasyPrint busy for hours) must be ended without losing the others,
and the only sure way to end Python code stuck in a library is to kill its process. A killed
worker is replaced and the build goes on. Jobs always run in a worker, even with `--jobs 1`, for
the same reason.

Workers die with their parent: on Linux they ask the kernel for SIGKILL when the parent goes
(`PR_SET_PDEATHSIG`), elsewhere a thread watches the parent's pid; an idle worker also sees its
pipe close. So `kill -9` of a build leaves no orphan rendering on, or holding `build/.lock`.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Iterator

from pipeline.model import Artifact, CheckResult, Document
from pipeline.settings.labels import Labels

_STATE: dict = {}
"""What the parent prepared: the project and the localized jobs."""
SCREEN = "auto"
"""The HTML page's `@page` size: the reader's own paper, whatever the editions are."""


@dataclass
class Rendered:
    """One job's artifact bytes and gate results, as sent back to the parent."""

    artifact: Artifact
    results: list[CheckResult]
    pages: int | None
    seconds: float
    peak_rss_kb: int


@dataclass
class Failed:
    """A job that produced no artifact: it ran out of time, or its worker died."""

    task: tuple[str, str, str, str, str | None]
    reason: str
    """`timeout` or `died`."""
    message: str
    seconds: float


class Renderers:
    """Per-process rendering state (compiled templates, WeasyPrint set-up)."""

    def __init__(self, project, page_size: str, pdf=None):
        from pipeline.render.context import RenderContext
        from pipeline.render.pdf import PdfRenderer

        self.ctx = RenderContext(project.config, project.theme, page_size)
        # WeasyPrint's set-up depends on the project, not the paper: editions share it.
        self.pdf = pdf or PdfRenderer(self.ctx)

    def render(self, doc: Document, output: str, labels: Labels) -> bytes:
        from pipeline.settings.locale import bcp47
        from pipeline.render.handout import render_handout
        from pipeline.render.html import render_article

        if output == "html":
            return render_article(doc, self.ctx, labels, for_print=False).encode("utf-8")
        if output == "pdf":
            html = render_article(doc, self.ctx, labels, for_print=True)
            return self.pdf.render(html, source=doc.path, lang=bcp47(doc.locale))
        if output == "docx":
            from pipeline.render.docx import render_docx
            return render_docx(doc, self.ctx, labels)
        if output in ("handout", "handout-large"):
            html = render_handout(doc, self.ctx, labels, output)
            return self.pdf.render(html, source=doc.path, lang=bcp47(doc.locale))
        raise AssertionError(output)


def page_count(output: str, data: bytes) -> int | None:
    """Pages of a PDF artifact (None for other outputs)."""
    if output not in ("pdf", "handout", "handout-large"):
        return None
    from pipeline.gates.run import pages
    return pages(data)


def prepare(project, localized: dict) -> None:
    """Set what the jobs need; call before `run` (workers inherit it when forked)."""
    _STATE.clear()
    _STATE.update(project=project, localized=localized, renderers={})


def renderers(page_size: str | None) -> Renderers:
    """This process's renderers for one page-size edition (None: the HTML page)."""
    made = _STATE["renderers"]
    size = page_size or SCREEN
    if size not in made:
        shared = next(iter(made.values())).pdf if made else None
        made[size] = Renderers(_STATE["project"], size, shared)
    return made[size]


def run_one(task: tuple[str, str, str, str, str | None]) -> Rendered:
    """Render and gate one (document, locale, output, filename, page size) in this process."""
    import time

    from pipeline.gates.run import gate
    from pipeline.render.html import stamp

    doc_id, locale, output, filename, page_size = task
    project = _STATE["project"]
    job = _STATE["localized"][(doc_id, locale)]
    doc = job.doc_for(output)
    start = time.perf_counter()
    data = renderers(page_size).render(doc, output, job.labels)
    artifact = Artifact(doc_id, locale, output, filename, data)
    results = gate(doc, artifact, stamp(doc, job.labels), project.config, project.theme)
    pages = page_count(output, data)
    return Rendered(artifact, results, pages, time.perf_counter() - start,
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


WORKER_NAME = "plainpress-work"
"""What `ps` and `top` show for a worker (Linux allows 15 characters)."""


class WorkerError(Exception):
    """An unexpected exception in a worker, with the worker's traceback (a bug, not input)."""


def _die_with_parent(parent: int) -> None:
    """Make the kernel (or a watcher thread) kill this worker when `parent` exits."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL, 0, 0, 0) != 0:  # PR_SET_PDEATHSIG
            raise OSError(ctypes.get_errno(), "prctl")
        libc.prctl(15, ctypes.c_char_p(WORKER_NAME.encode()), 0, 0, 0)  # PR_SET_NAME, for ps
    except (OSError, AttributeError):  # not Linux: watch the parent's pid instead
        def watch():
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)
        threading.Thread(target=watch, name="plainpress-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _worker(conn: Connection, parent: int, inherited: list[Connection]) -> None:
    """A worker's life: run the tasks the parent sends until it sends None or goes away."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends us
    for other in inherited:  # the parent's ends of every pipe: only the parent may hold them
        other.close()
    from pipeline.errors import PlainpressError
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            reply = ("ok", run_one(task))
        except PlainpressError as exc:
            reply = ("error", (type(exc), exc.message, exc.loc, exc.hint, exc.code))
        except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it
            reply = ("bug", f"{type(exc).__name__}: {exc}\n\nworker traceback:\n"
                            f"{traceback.format_exc()}")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


def _rebuild_error(kind, message, loc, hint, code):
    """The input error a worker raised, as the same class (their constructors differ, and
    exceptions with keyword-only state do not survive pickling)."""
    exc = kind.__new__(kind)
    Exception.__init__(exc, message)
    exc.message, exc.loc, exc.hint, exc.code = message, loc, hint, code
    return exc


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


class _Pool:
    """`jobs` forked workers, one job each at a time, each job with a deadline."""

    def __init__(self, jobs: int, timeout: float | None):
        self.size, self.timeout = jobs, timeout
        self.context = multiprocessing.get_context("fork")
        self.idle: list[tuple[object, Connection]] = []
        self.busy: dict[Connection, tuple[object, int, float]] = {}
        """conn → (process, task index, start time)"""

    def _spawn(self):
        ours, theirs = self.context.Pipe(duplex=True)
        inherited = [c for _, c in self.idle] + list(self.busy) + [ours]
        process = self.context.Process(target=_worker, args=(theirs, os.getpid(), inherited),
                                       name="plainpress-worker", daemon=True)
        process.start()
        theirs.close()
        return process, ours

    def _end(self, process, conn: Connection, kill: bool) -> None:
        if kill and process.is_alive():
            process.kill()
        process.join(timeout=None if kill else 5)
        if process.is_alive():
            process.kill()
            process.join()
        conn.close()

    def close(self) -> None:
        for process, conn in self.idle:
            try:
                conn.send(None)
            except OSError:
                pass
        for process, conn in self.idle:
            self._end(process, conn, kill=False)
        for conn, (process, _, _) in list(self.busy.items()):
            self._end(process, conn, kill=True)
        self.idle, self.busy = [], {}

    def results(self, tasks) -> Iterator[tuple[int, object]]:
        """(index, Rendered | Failed | exception) for every task, as they finish."""
        pending = list(range(len(tasks)))
        pending.reverse()
        while pending or self.busy:
            while pending and len(self.busy) < self.size:
                process, conn = self.idle.pop() if self.idle else self._spawn()
                try:
                    conn.send(tasks[pending[-1]])
                except OSError:  # an idle worker that was killed: replace it
                    self._end(process, conn, kill=True)
                    continue
                self.busy[conn] = (process, pending.pop(), time.monotonic())
            now = time.monotonic()
            wait_for = None
            if self.timeout is not None:
                wait_for = max(0.0, min(start + self.timeout for _, _, start in
                                        self.busy.values()) - now)
            for conn in wait(list(self.busy), timeout=wait_for):
                process, index, start = self.busy.pop(conn)
                try:
                    kind, payload = conn.recv()
                except (EOFError, OSError):
                    self._end(process, conn, kill=True)
                    code = process.exitcode
                    how = (f"signal {_signal_name(-code)}" if code and code < 0
                           else f"exit status {code}")
                    yield index, Failed(tasks[index], "died",
                                        f"the worker process rendering it died ({how}), "
                                        "perhaps out of memory", time.monotonic() - start)
                    continue
                self.idle.append((process, conn))
                if kind == "ok":
                    yield index, payload
                elif kind == "error":
                    yield index, _rebuild_error(*payload)
                else:
                    yield index, WorkerError(payload)
            if self.timeout is not None:
                now = time.monotonic()
                for conn, (process, index, start) in list(self.busy.items()):
                    if now - start >= self.timeout:
                        del self.busy[conn]
                        self._end(process, conn, kill=True)
                        yield index, Failed(tasks[index], "timeout",
                                            f"it was still running after the time limit of "
                                            f"{self.timeout:g} s and was stopped",
                                            now - start)


def run(tasks: list[tuple[str, str, str, str, str | None]], jobs: int,
        timeout: float | None = None) -> Iterator[Rendered | Failed]:
    """Results of `tasks`, in order, rendered by up to `jobs` worker processes; a job still
    running after `timeout` seconds is ended (its worker killed) and comes back as `Failed`.
    An input error or a bug in a job is raised here, in the parent."""
    if not tasks:
        return
    pool = _Pool(max(1, min(jobs, len(tasks))), timeout)
    done: dict[int, object] = {}
    following = 0
    try:
        for index, outcome in pool.results(tasks):
            done[index] = outcome
            while following in done:
                outcome = done.pop(following)
                if isinstance(outcome, BaseException):
                    raise outcome
                yield outcome
                following += 1
    finally:
        pool.close()

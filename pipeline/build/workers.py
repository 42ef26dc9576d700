"""Rendering and gating jobs in worker processes, each job with a time limit.

Each worker is a long-lived process that renders many jobs and keeps what is costly to make:
compiled templates, parsed theme CSS, WeasyPrint's font configuration. The parent prepares the
localized documents as one `Work` value, forks the workers (they inherit it), hands out one job
at a time, and yields the results in plan order, so `--jobs 4` publishes the same bytes as
`--jobs 1`.

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

from pipeline.build.jobs import Job
from pipeline.model import Artifact, CheckResult

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

    job: Job
    reason: str
    """`timeout` or `died`."""
    message: str
    seconds: float


class Work:
    """What the jobs of one build need, prepared by the parent and inherited by the forked
    workers (never a module global): the project, the localized documents, and each process's
    own renderers (made on first use, so the parent never loads WeasyPrint)."""

    def __init__(self, project, localized: dict):
        self.project, self.localized = project, localized
        self.renderers = None

    def run_one(self, job: Job) -> Rendered:
        """Render and gate one job in this process."""
        from pipeline.gates.run import gate
        from pipeline.gates.subject import Subject
        from pipeline.readback.pdf_blocks import page_count
        from pipeline.render import Renderers
        from pipeline.render.html import stamp

        project = self.project
        if self.renderers is None:
            self.renderers = Renderers(project.config, project.theme)
        localized = self.localized[(job.document, job.locale)]
        doc = localized.doc_for(job.output)
        start = time.perf_counter()
        data = self.renderers.render(doc, job.row, localized.labels, job.page_size)
        artifact = Artifact(job.document, job.locale, job.output, job.filename, data)
        results = gate(Subject(doc, job.row, artifact, localized.labels,
                               stamp(doc, localized.labels), project.config, project.theme))
        pages = page_count(data) if job.row.pdf else None
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


def _worker(conn: Connection, parent: int, inherited: list[Connection], work: Work) -> None:
    """A worker's life: run the jobs the parent sends until it sends None or goes away."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends us
    for other in inherited:  # the parent's ends of every pipe: only the parent may hold them
        other.close()
    from pipeline.errors import PlainpressError
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply = ("ok", work.run_one(job))
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

    def __init__(self, work: Work, jobs: int, timeout: float | None):
        self.work, self.size, self.timeout = work, jobs, timeout
        self.context = multiprocessing.get_context("fork")
        self.idle: list[tuple[object, Connection]] = []
        self.busy: dict[Connection, tuple[object, int, float]] = {}
        """conn → (process, task index, start time)"""

    def _spawn(self):
        ours, theirs = self.context.Pipe(duplex=True)
        inherited = [c for _, c in self.idle] + list(self.busy) + [ours]
        process = self.context.Process(target=_worker,
                                       args=(theirs, os.getpid(), inherited, self.work),
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


def run(work: Work, tasks: list[Job], jobs: int,
        timeout: float | None = None) -> Iterator[Rendered | Failed]:
    """Results of `tasks`, in order, rendered by up to `jobs` worker processes; a job still
    running after `timeout` seconds is ended (its worker killed) and comes back as `Failed`.
    An input error or a bug in a job is raised here, in the parent."""
    if not tasks:
        return
    pool = _Pool(work, max(1, min(jobs, len(tasks))), timeout)
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

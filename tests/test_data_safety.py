"""Crash safety, two builds at once, and where a build may write."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest

from conftest import SAMPLE

from pipeline.cli import main
from pipeline.outputs import OUTPUTS


def complete(path) -> bool:
    """The artifact opens in its own format's reader."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        try:
            with pikepdf.open(io.BytesIO(data)) as pdf:
                return len(pdf.pages) > 0
        except pikepdf.PdfError:
            return False
    if path.suffix in (".docx", ".epub"):
        import zipfile
        try:
            return zipfile.ZipFile(io.BytesIO(data)).testzip() is None
        except zipfile.BadZipFile:
            return False
    if path.suffix in (".brf", ".txt"):  # braille: every page whole, page number last
        from pipeline.readback import braille
        pages = braille.read_brf(data) if path.suffix == ".brf" else braille.read_text(data)
        return all(len(page) == 25 and page[-1].strip(" \u2800") for page in pages)
    if path.suffix == ".opus":
        from pipeline.readback.opus import read_opus
        from pipeline.readback.text import ArtifactUnreadable
        try:
            return read_opus(data).duration > 0
        except ArtifactUnreadable:
            return False
    return data.rstrip().endswith(b"</html>")


def start_build(project, *extra):
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "-C", str(project.root),
                             "build", "-q", *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


KILLED_DOCS = ("a", "b", "c")
EDITIONS = range(40)


def quoted(edition: int) -> str:
    return f"A quoted line {edition}."


def edition_of(path: Path) -> int | None:
    """Which edition of the text the published artifact holds (None: not there)."""
    if not path.is_file():
        return None
    if path.suffix == ".pdf":
        from pypdf import PdfReader
        text = " ".join((page.extract_text() or "") for page in PdfReader(path).pages)
    elif path.suffix == ".docx":
        import zipfile
        text = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    else:
        text = path.read_text("utf-8")
    found = [e for e in EDITIONS if quoted(e) in " ".join(text.split())]
    assert len(found) == 1, f"{path} holds editions {found}"
    return found[0]


@pytest.mark.slow
def test_killed_builds_leave_only_complete_artifacts_and_the_next_build_recovers(project):
    """Each round edits every document, starts a build and kills it (SIGKILL) at a random
    moment after the build published its first document and before it finished, so that
    every round has new files on disk to check: every artifact opens, and each document's
    files are all of the new edition or all of the one it had (they are published together;
    files only a killed build published may be removed). A build that finished before its
    kill is retried with a new edition (bounded)."""
    rng = random.Random(8)
    (project.root / "source/sample.md").unlink()
    build = project.root / "build"
    editions = iter(EDITIONS)
    html = {doc: build / f"en/{doc}.html" for doc in KILLED_DOCS}
    for round_ in range(4):
        for _attempt in range(4):
            edition = next(editions)
            before = {doc: edition_of(path) for doc, path in html.items()}
            recorded = state_names(project)  # published by a build that finished
            for doc in KILLED_DOCS:
                project.write(f"source/{doc}.md",
                              SAMPLE.replace("A quoted line.", quoted(edition)))
            proc = start_build(project, "--jobs", "1")
            wait_for(lambda: proc.poll() is not None or any(
                edition_of(path) == edition for path in html.values()), 120)
            assert proc.poll() is None, \
                f"round {round_}: the build ended before its kill: {proc.communicate()}"
            time.sleep(rng.uniform(0, 0.5))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            if not all(edition_of(path) == edition for path in html.values()):
                break  # the kill landed between the first publication and the last
        else:
            pytest.fail(f"round {round_}: every build published everything before its kill")
        for path in build.rglob("*"):
            if path.is_file() and path.suffix in (".pdf", ".docx", ".html", ".brf", ".txt",
                                                  ".epub", ".opus"):
                assert complete(path), f"round {round_}: {path} is incomplete"
        now = {}
        for doc in KILLED_DOCS:
            found = {name: edition_of(build / "en" / name)
                     for name in (f"{doc}.html", f"{doc}.pdf", f"{doc}.docx")}
            assert len(set(found.values())) == 1, f"round {round_}: {doc} is mixed: {found}"
            now[doc] = found[f"{doc}.html"]
            # Files a killed build published without recording them are removed when the
            # next build starts (and rendered again), so they may be gone after its kill.
            assert now[doc] in (edition, before[doc]) or (
                now[doc] is None and f"en/{doc}.html" not in recorded), \
                (round_, doc, now[doc], before[doc], recorded)
        assert edition in now.values(), now  # the kill came after a publication
    assert main(["-C", str(project.root), "build", "-q"]) == 0
    assert not list(build.rglob(".*.tmp"))
    report = json.loads((build / "report.json").read_text())
    assert len(report["artifacts"]) == len(OUTPUTS) * len(KILLED_DOCS)
    for artifact in report["artifacts"]:
        assert artifact["published"]
        assert complete(build / artifact["path"])
    for doc in KILLED_DOCS:
        assert edition_of(build / f"en/{doc}.pdf") == edition


@pytest.mark.slow
def test_two_builds_at_once_wait_for_each_other(project):
    first = start_build(project, "--jobs", "1")
    time.sleep(0.3)
    second = start_build(project, "--jobs", "1")
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2
    assert "waiting for another build" in err1 + err2
    for path in (project.root / "build").rglob("*"):
        if path.is_file() and path.suffix in (".pdf", ".docx", ".html", ".brf", ".txt",
                                              ".epub", ".opus"):
            assert complete(path)


@pytest.mark.parametrize("out", ["../elsewhere", "/tmp/plainpress-out", "source", "styles/x",
                                 "locales"])
def test_out_cannot_point_outside_the_project_or_at_inputs(project, capsys, out):
    assert main(["-C", str(project.root), "build", "--out", out]) == 2
    assert "--out" in capsys.readouterr().err


def test_out_inside_the_project_is_fine(project):
    assert main(["-C", str(project.root), "build", "-q", "--format", "html",
                 "--out", "build-a4"]) == 0
    assert (project.root / "build-a4/en/sample.html").is_file()


def test_leftover_temporary_files_are_removed(project):
    assert main(["-C", str(project.root), "build", "-q", "--format", "html"]) == 0
    leftover = project.root / "build/en/.sample.pdf.abc123.tmp"
    leftover.write_bytes(b"%PDF-1.7 half")
    assert main(["-C", str(project.root), "build", "-q", "--format", "html"]) == 0
    assert not leftover.exists()


@pytest.fixture
def umask():
    """Set the process umask for one test, restoring the old one after."""
    old = os.umask(0o022)
    os.umask(old)
    yield lambda mask: os.umask(mask)
    os.umask(old)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_published_files_follow_the_umask(project, umask, mask, mode):
    """A web server or a shared drive reads build/ with the permissions the umask allows."""
    umask(mask)
    assert main(["-C", str(project.root), "build", "-q", "--format", "html",
                 "--format", "docx"]) == 0
    build = project.root / "build"
    written = [build / "en/sample.html", build / "en/sample.docx", build / "report.json",
               build / "report.html", build / ".plainpress-state.json"]
    assert {path.name: oct(stat.S_IMODE(path.stat().st_mode)) for path in written} == \
        {path.name: oct(mode) for path in written}


def test_po_files_written_by_an_update_follow_the_umask(es_project, umask):
    umask(0o022)
    path = es_project.root / "locales/es/LC_MESSAGES/sample.po"
    path.unlink()
    assert main(["-C", str(es_project.root), "i18n", "update", "--init", "es"]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


# ----------------------------------------------------------------------------- kills, round two


def long_source(paragraphs: int) -> str:
    """The sample with many paragraphs: valid, well within the size limit, slow to lay out."""
    from conftest import SAMPLE
    body = "\n\n".join(f"Paragraph {i} has short words in it. It is here to make the page long."
                       for i in range(paragraphs))
    return SAMPLE.replace("> A quoted line.", body)


def children(pid: int) -> set[int]:
    """The live workers of `pid` (from /proc; a worker names itself), not the short-lived
    tools (fc-match, msgmerge) it runs."""
    from pipeline.build.workers import WORKER_NAME
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(p) for p in (task / "children").read_text().split()}
    return {p for p in found if alive(p) and comm(p) == WORKER_NAME}


def comm(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return None


def alive(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def wait_for(condition, seconds: float, step: float = 0.02):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


def state_names(project) -> set[str]:
    path = project.root / "build/.plainpress-state.json"
    return set(json.loads(path.read_text())["jobs"]) if path.exists() else set()


@pytest.mark.slow
def test_a_job_past_its_time_limit_is_ended_and_the_build_goes_on(project, capsys):
    project.write("pyproject.toml", project.read("pyproject.toml") + "job_timeout_s = 3\n")
    project.write("source/sample.md", long_source(3000))
    started = time.monotonic()
    code = main(["-C", str(project.root), "build", "-q", "-j", "1",
                 "--format", "html", "--format", "pdf"])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert "Traceback" not in out + err
    assert re.search(r"source/sample\.md: error: \[time-limit\] sample en pdf: rendering "
                     r"en/sample\.pdf: it was still running after the time limit of 3 s and "
                     r"was stopped; the artifact is withheld \(hint: raise `job_timeout_s`", out)
    assert (project.root / "build/en/sample.html").is_file()  # the rest of the build went on
    assert not (project.root / "build/en/sample.pdf").exists()
    assert elapsed < 40, elapsed
    assert not children(os.getpid()), "the worker was not ended"
    report = json.loads((project.root / "build/report.json").read_text())
    pdf = next(a for a in report["artifacts"] if a["path"] == "en/sample.pdf")
    assert not pdf["published"] and "time limit" in pdf["withheld_because"][0]
    assert "en/sample.pdf" not in state_names(project)  # retried by the next build


@pytest.mark.slow
def test_a_worker_killed_from_outside_withholds_its_job_and_the_build_goes_on(project):
    project.write("source/sample.md", long_source(3000))
    proc = start_build(project, "--jobs", "1", "--format", "html", "--format", "pdf")
    worker = wait_for(lambda: next(iter(children(proc.pid)), None), 60)
    assert worker, "no worker started"
    time.sleep(2.5)  # the HTML page takes well under a second, the PDF ten
    os.kill(worker, signal.SIGKILL)  # as the kernel's out-of-memory killer would
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, out + err
    assert "Traceback" not in err
    assert re.search(r"source/sample\.md: error: \[worker\] sample en pdf: rendering "
                     r"en/sample\.pdf: the worker process rendering it died \(signal SIGKILL\)",
                     out), out
    assert (project.root / "build/en/sample.html").is_file()
    assert not (project.root / "build/en/sample.pdf").exists()


@pytest.mark.parametrize("value", ["0", "-1", "nan", '"fast"'])
def test_job_timeout_must_be_a_positive_number(project, capsys, value):
    project.write("pyproject.toml", project.read("pyproject.toml") + f"job_timeout_s = {value}\n")
    assert main(["-C", str(project.root), "build", "-q"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pyproject.toml:5: error: `job_timeout_s` must be"), err


@pytest.mark.slow
def test_kill_of_the_parent_ends_its_workers_and_frees_the_lock(project):
    project.write("source/sample.md", long_source(1500))
    parent = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "-C", str(project.root),
                               "build", "-q", "--jobs", "2"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    workers = wait_for(lambda: children(parent.pid) if len(children(parent.pid)) == 2 else None,
                       60)
    assert workers, "the build never started its two workers"
    time.sleep(0.5)  # both are rendering now
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    try:
        assert wait_for(lambda: not any(alive(pid) for pid in workers), 10), \
            "workers outlived their parent"
    finally:
        for pid in workers:  # if they did, they are ours to end
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    again = start_build(project, "--jobs", "2")
    out, err = again.communicate(timeout=180)
    assert again.returncode == 0, out + err
    assert "waiting for another build" not in err
    assert f"the build with pid {parent.pid} ended without releasing" in err
    assert (project.root / "build/.lock").read_text() == ""  # released, no pid left


@pytest.mark.slow
def test_outputs_of_a_killed_build_are_cleaned_up_once_their_source_is_gone(project):
    project.write("source/a.md", project.read("source/sample.md"))
    project.write("source/sample.md", long_source(1500))  # rendered after a, slowly
    proc = start_build(project, "--jobs", "1")
    handout = project.root / "build/en/a-handout.pdf"
    assert wait_for(handout.exists, 120, step=0.01), "a-handout.pdf never appeared"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    names = [f"en/a{suffix}" for suffix in (".html", ".pdf", ".docx", "-handout.pdf",
                                            "-handout-large.pdf")]
    assert all((project.root / "build" / name).is_file() for name in names)  # all or nothing
    assert not state_names(project) & set(names), "the build finished before the kill"
    (project.root / "source/a.md").unlink()
    assert main(["-C", str(project.root), "build", "-q", "--format", "html"]) == 0
    assert main(["-C", str(project.root), "build", "-q"]) == 0
    for name in names:
        assert not (project.root / "build" / name).exists(), name
    assert not state_names(project) & set(names)
    assert not (project.root / "build/.plainpress-journal").exists()


@pytest.mark.slow
def test_removal_after_a_kill_is_listed(project, capsys):
    project.write("source/a.md", project.read("source/sample.md"))
    project.write("source/sample.md", long_source(1500))
    proc = start_build(project, "--jobs", "1")
    assert wait_for((project.root / "build/en/a.html").exists, 120, step=0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    (project.root / "source/a.md").unlink()
    assert main(["-C", str(project.root), "build", "-q"]) == 0
    out = capsys.readouterr().out
    for suffix in (".html", ".pdf", ".docx", "-handout.pdf", "-handout-large.pdf"):
        assert f"removed en/a{suffix} (its document, locale or page size is no longer " \
               "configured)" in out, out
    report = json.loads((project.root / "build/report.json").read_text())
    assert "en/a.html" in report["removed"]


@pytest.mark.slow
def test_a_damaged_journal_never_removes_anything_else(project):
    assert main(["-C", str(project.root), "build", "-q", "--format", "html"]) == 0
    precious = project.root / "source/_shared/contact.md"
    (project.root / "build/.plainpress-journal").write_text(
        '"../source/_shared/contact.md"\n"en/../../pyproject.toml"\n{"x": 1}\n"torn')
    assert main(["-C", str(project.root), "build", "-q", "--format", "html"]) == 0
    assert main(["-C", str(project.root), "build", "-q"]) == 0
    assert precious.is_file() and (project.root / "pyproject.toml").is_file()


@pytest.fixture
def small_disk(project):
    """`small/` in the project: a 1 MB file system of its own (tmpfs; needs root)."""
    folder = project.root / "small"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs",
                                            str(folder)], stderr=subprocess.DEVNULL).returncode:
        pytest.skip("mounting a small tmpfs needs root")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def fill(folder, leave: int) -> None:
    """Fill the file system holding `folder` so that about `leave` bytes stay free."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    (folder / "filler").write_bytes(b"\0" * max(0, free - leave))


@pytest.mark.slow
def test_a_full_disk_leaves_the_earlier_artifacts_of_the_document_intact(project, small_disk,
                                                                          capsys):
    assert main(["-C", str(project.root), "build", "-q", "-j", "1", "--out", "small"]) == 0
    before = {p.name: p.read_bytes() for p in (small_disk / "en").iterdir()}
    page = 4096
    html_pages = -(-len(before["sample.html"]) // page) + 1
    # room for the lock's pid and the new HTML page, not for the PDF that follows it
    fill(small_disk, (1 + html_pages) * page)
    project.write("source/sample.md", project.read("source/sample.md").replace(
        "A quoted line.", "A changed line."))
    code = main(["-C", str(project.root), "build", "-q", "-j", "1", "--out", "small"])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert "Traceback" not in err
    assert re.match(r"small/en/sample(\.pdf|\.docx|-handout\.pdf|-handout-large\.pdf): error: "
                    r"cannot write this file: No space left on device \(hint: free space", err), \
        err  # the HTML page was staged; a later file of the same document failed
    after = {p.name: p.read_bytes() for p in (small_disk / "en").iterdir()}
    assert after == before  # all or nothing: not one file of the set replaced
    assert not list(small_disk.rglob(".*.tmp"))
    (small_disk / "filler").unlink()
    assert main(["-C", str(project.root), "build", "-q", "-j", "1", "--out", "small"]) == 0
    assert "A changed line." in (small_disk / "en/sample.html").read_text()

"""Crash safety, two builds at once, and where a build may write."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import stat
import subprocess
import sys
import time

import pikepdf
import pytest

from pipeline.cli import main


def complete(path) -> bool:
    """The artifact opens in its own format's reader."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        try:
            with pikepdf.open(io.BytesIO(data)) as pdf:
                return len(pdf.pages) > 0
        except pikepdf.PdfError:
            return False
    if path.suffix == ".docx":
        import zipfile
        try:
            return zipfile.ZipFile(io.BytesIO(data)).testzip() is None
        except zipfile.BadZipFile:
            return False
    return data.rstrip().endswith(b"</html>")


def start_build(project, *extra):
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "-C", str(project.root),
                             "build", "-q", *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_killed_builds_leave_only_complete_artifacts_and_the_next_build_recovers(project):
    rng = random.Random(8)
    for round_ in range(5):
        text = project.read("source/sample.md")
        project.write("source/sample.md", text.replace(f"A quoted line{'' if not round_ else f' {round_ - 1}'}.",
                                                       f"A quoted line {round_}."))
        proc = start_build(project, "--jobs", "1")
        time.sleep(rng.uniform(0.3, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for path in (project.root / "build").rglob("*"):
            if path.is_file() and path.suffix in (".pdf", ".docx", ".html"):
                assert complete(path), f"round {round_}: {path} is incomplete"
    assert main(["-C", str(project.root), "build", "-q"]) == 0
    build = project.root / "build"
    assert not list(build.rglob(".*.tmp"))
    report = json.loads((build / "report.json").read_text())
    for artifact in report["artifacts"]:
        assert artifact["published"]
        assert complete(build / artifact["path"])
    assert "A quoted line 4." in (build / "en/sample.html").read_text()


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
        if path.is_file() and path.suffix in (".pdf", ".docx", ".html"):
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

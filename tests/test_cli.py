"""The command line end to end: exit codes, messages, what lands in build/."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pikepdf
import pytest

from pipeline.cli import main
from pipeline.outputs import OUTPUTS
from pipeline.devtools.scaffold import new_document


def run(project, *args):
    return main(["-C", str(project.root), *args])


def test_build_publishes_pdf_html_and_report(project, capsys):
    assert run(project, "build") == 0
    out = capsys.readouterr().out
    n = len(OUTPUTS)  # outputs per document and locale
    assert f"{n} published ({n} built, 0 reused), 0 withheld" in out
    build = project.root / "build"
    assert (build / "en/sample.html").is_file()
    with pikepdf.open(build / "en/sample.pdf") as pdf:
        assert len(pdf.pages) >= 1
    report = json.loads((build / "report.json").read_text())
    assert {a["path"] for a in report["artifacts"]} == {
        "en/sample.html", "en/sample.pdf", "en/sample.docx", "en/sample-handout.pdf",
        "en/sample-handout-large.pdf", "en/sample.brf", "en/sample-handout.brf",
        "en/sample.brl.txt", "en/sample-handout.brl.txt",
        "en/sample.epub", "en/sample-handout.epub", "en/sample.opus"}
    assert all(a["published"] for a in report["artifacts"])
    assert report["summary"]["errors"] == 0
    checks = {(c["check"], c["output"]) for c in report["checks"]}
    assert ("required-text", "pdf") in checks and ("pdf-ua", "pdf") in checks
    assert not list(build.rglob("*.tmp"))


def test_bad_input_exits_2_with_file_and_line_and_no_traceback(project):
    text = project.read("source/sample.md")
    project.write("source/sample.md", text.replace("reviewed:", "reviwed:"))
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "-C", str(project.root),
                           "build"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("source/sample.md:4: error: unknown front-matter field")
    assert "did you mean `reviewed`" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (project.root / "build/en").exists()


def test_every_source_error_of_a_run_is_printed_sorted_by_file_and_line(project, capsys):
    """Item 12.6: four mistakes are one run, in `build` and in `check`, not four."""
    text = project.read("source/sample.md")
    for old, new in (("reviewed:", "reviwed:"), ("Intro paragraph with", "Intro <b>x</b> with"),
                     ("### A subsection", "#### A subsection"),
                     ("images/square.png", "images/nothere.png")):
        text = text.replace(old, new, 1)
    project.write("source/aaa.md", project.read("source/sample.md").replace(
        "title: Sample Topic", "title: [broken"))
    project.write("source/sample.md", text)
    for command in ("build", "check"):
        assert run(project, command) == 2
        err = capsys.readouterr().err.splitlines()
        assert [line.split(": error:")[0] for line in err[:-1]] == [
            "source/aaa.md:3:8", *[f"source/sample.md:{n}" for n in (4, 9, 19, 26)]], err
        assert err[-1] == "plainpress: 5 errors in the sources; nothing was built"
        assert not any("Traceback" in line for line in err)
    assert not (project.root / "build/en").exists()


def test_debug_shows_traceback(project):
    project.write("source/sample.md", "")
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "--debug", "-C",
                           str(project.root), "build"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" in proc.stderr and "source/sample.md:1: error" in proc.stderr


def test_missing_disclaimer_in_output_fails_the_gate_and_withdraws(project, capsys):
    assert run(project, "build", "--format", "pdf") == 0
    published = project.root / "build/en/sample.pdf"
    assert published.is_file()
    template = project.root / "styles/templates/article.html.j2"
    template.write_text(template.read_text().replace(
        '<div class="disclaimer">{{ blocks(doc.disclaimer.blocks) }}', '<div>'))
    assert run(project, "build", "--format", "pdf") == 1
    out = capsys.readouterr().out
    assert "source/_shared/disclaimer.md:1: error: [required-text]" in out
    assert not published.exists()
    report = json.loads((project.root / "build/report.json").read_text())
    assert report["artifacts"][0]["published"] is False


def test_selection_and_usage_errors(project, capsys):
    assert run(project, "build", "--doc", "nope") == 2
    assert "no document `nope`" in capsys.readouterr().err
    assert run(project, "build", "--locale", "fr") == 2
    with pytest.raises(SystemExit) as caught:
        run(project, "build", "--format", "odt")
    assert caught.value.code == 2


def test_check_reports_corrupt_artifact(project, capsys):
    assert run(project, "build") == 0
    pdf = project.root / "build/en/sample.pdf"
    pdf.write_bytes(pdf.read_bytes()[: len(pdf.read_bytes()) // 2])
    assert run(project, "check") == 1
    out = capsys.readouterr().out
    assert "en/sample.pdf" in out and "FAILS GATES" in out


def test_new_document_builds_without_code_change(project, capsys):
    path = new_document(project.root, "knee-pain")
    assert run(project, "build", "--doc", "knee-pain") == 2  # the template's placeholders
    capsys.readouterr()
    text = path.read_text("utf-8")
    for old, new in PLACEHOLDERS.items():
        text = text.replace(old, new)
    path.write_text(text, "utf-8")
    assert run(project, "build", "--doc", "knee-pain") == 0, capsys.readouterr()
    assert (project.root / "build/en/knee-pain.pdf").is_file()
    assert run(project, "new", "knee-pain") == 2
    assert "already exists" in capsys.readouterr().err
    assert run(project, "new", "../escape") == 2


PLACEHOLDERS = {
    "One plain sentence that says what this page is about.": "What knee pain is and what helps.",
    "Your clinical team": "Test Review Team",
    "https://example.org/education/knee-pain": "https://clinic.example/knee-pain",
    "Write the full article here. Use short sentences and everyday words. Explain each "
    "medical word\nthe first time you use it.": "Knee pain is common. Rest helps.",
    "One thing that can help.": "Rest.", "Another thing that can help.": "Ice.",
    "Write the plain-language handout here. Keep sentences short.": "Knee pain is common.",
    "The first thing to remember.": "Rest your knee.",
    "The second thing to remember.": "Call us if it swells.",
}


def test_template_placeholders_are_errors_with_their_lines(project, capsys):
    """Item 12.8: what `plainpress new` wrote as an example must not be published."""
    path = new_document(project.root, "knee-pain")
    text = path.read_text("utf-8")
    assert "[[" not in text and "]]" not in text
    lines = text.splitlines()
    assert run(project, "build", "--doc", "knee-pain") == 2
    err = capsys.readouterr().err.splitlines()
    placeholder = [line for line in err if "placeholder" in line]
    expected = sorted({next(i for i, line in enumerate(lines, 1) if old.split("\n")[0] in line)
                       for old in PLACEHOLDERS})
    assert [int(line.split(":")[1]) for line in placeholder] == expected, err
    assert all(line.startswith("source/knee-pain.md:") and "replace the placeholder" in line
               for line in placeholder)
    assert not (project.root / "build/en/knee-pain.pdf").exists()
    # Replacing part of them leaves exactly the others as errors; the reusable template
    # headings and questions ("What is it?") are not placeholders.
    path.write_text(text.replace("Your clinical team", "Test Review Team"), "utf-8")
    assert run(project, "check", "--doc", "knee-pain") == 2
    err = capsys.readouterr().err
    assert "Your clinical team" not in err and err.count("placeholder text") == len(expected) - 1
    assert "What is it?" not in err and "What does this mean" not in err


def test_a_template_in_another_language_marks_its_own_placeholders(project, capsys):
    """Detection reads the templates' `[[…]]` marks, not a list of English sentences."""
    template = project.root / "styles/templates/new-document.md"
    template.write_text(template.read_text("utf-8").replace(
        "[[One plain sentence that says what this page is about.]]",
        "[[Una frase sencilla que dice de qué trata la página.]]"), "utf-8")
    new_document(project.root, "rodilla")
    assert run(project, "build", "--doc", "rodilla") == 2
    err = capsys.readouterr().err
    assert "source/rodilla.md:3: error: placeholder text from styles/templates/" \
           "new-document.md: “Una frase sencilla que dice de qué trata la página.”" in err
    # The sample project never used the template: it builds clean.
    assert run(project, "check", "--doc", "sample") in (0, 1)


def test_character_without_a_glyph_is_an_error_with_its_line(project, capsys):
    text = project.read("source/sample.md")
    project.write("source/sample.md", text.replace("bullet two", "bullet \U0001D11E two"))
    assert run(project, "build", "--format", "html") == 1
    out = capsys.readouterr().out
    assert "source/sample.md:14: error: [glyphs]" in out
    assert "U+1D11E MUSICAL SYMBOL G CLEF" in out
    assert not (project.root / "build/en/sample.html").exists()


@pytest.mark.slow
def test_check_tells_a_stale_build_from_a_broken_artifact(es_project, capsys):
    from conftest import translate_all
    translate_all(es_project, "es")
    assert run(es_project, "build", "--locale", "es") == 0
    capsys.readouterr()
    assert run(es_project, "check", "--locale", "es") == 0
    out = capsys.readouterr().out
    n = len(OUTPUTS)  # outputs per document and locale
    assert f"{n} checked ({n} pass)" in out and "published" not in out
    # The translator changes a translation: build/ is now older than the catalogs.
    po = es_project.root / "locales/es/LC_MESSAGES/sample.po"
    po.write_text(po.read_text("utf-8").replace('msgstr "ES bullet two"',
                                                'msgstr "ES segunda viñeta"'), "utf-8")
    assert run(es_project, "check", "--locale", "es") == 0
    out = capsys.readouterr().out
    assert "missing from" not in out and "WITHHELD" not in out and "published" not in out
    assert re.search(r"es/sample.html +stale: run `plainpress build`", out), out
    assert f"0 checked, {n} stale: run `plainpress build`" in out, out
    assert "older than its inputs" in out
    # Built again, one artifact damaged by hand: that one is broken, not stale.
    assert run(es_project, "build", "--locale", "es") == 0
    html = es_project.root / "build/es/sample.html"
    html.write_text(html.read_text("utf-8").replace("ES segunda viñeta", ""), "utf-8")
    capsys.readouterr()
    assert run(es_project, "check", "--locale", "es") == 1
    out = capsys.readouterr().out
    assert re.search(r"es/sample.html +FAILS GATES", out) and "stale" not in out
    assert f"{n} checked ({n - 1} pass, 1 fail gates)" in out


def test_check_says_what_a_build_would_hold_back_without_pretending_to_build(es_project, capsys):
    assert run(es_project, "check", "--locale", "es", "--format", "html") == 1
    out = capsys.readouterr().out
    assert "untranslated" in out and "WITHHELD" not in out and "published" not in out
    assert re.search(r"es/sample.html +held back: translation problems", out)
    assert "0 checked, 1 held back by translation problems" in out

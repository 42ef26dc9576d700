"""Incremental and parallel builds: what was rebuilt, asserted on outcomes (not on time)."""

from __future__ import annotations

import json
import shutil

import pytest

from pipeline.build import Selection, build
from pipeline.outputs import OUTPUTS


def statuses(result) -> dict[str, str]:
    return {o.filename: o.status for o in result.outcomes}


def test_second_build_reuses_everything_and_rewrites_nothing(project):
    first = build(project.root, jobs=1)
    assert set(statuses(first).values()) == {"built"}
    # build/.lock is the exception: a running build writes its pid there
    stamps = {p: p.stat().st_mtime_ns for p in (project.root / "build").rglob("*")
              if p.is_file() and p.name != ".lock"}
    second = build(project.root, jobs=1)
    assert set(statuses(second).values()) == {"reused"}
    assert second.exit_code == 0
    assert [c.message for c in second.checks] == [c.message for c in first.checks]
    after = {p: p.stat().st_mtime_ns for p in (project.root / "build").rglob("*")
             if p.is_file() and p.name != ".lock"}
    reports = {p for p in stamps if p.name.startswith("report.")}
    # The report says what each run did ("5 built" → "5 unchanged"); no artifact is touched.
    assert {p: s for p, s in after.items() if p not in reports} == {
        p: s for p, s in stamps.items() if p not in reports}
    build(project.root, jobs=1)
    again = {p: p.stat().st_mtime_ns for p in (project.root / "build").rglob("*")
             if p.is_file() and p.name != ".lock"}
    assert again == after


def test_editing_a_style_rebuilds_only_what_uses_it(project):
    build(project.root, jobs=1)
    css = project.root / "styles/css/handout.css.j2"
    css.write_text(css.read_text() + "\n/* edited */\n")
    result = statuses(build(project.root, jobs=1))
    assert result == {"en/sample.html": "reused", "en/sample.pdf": "reused",
                      "en/sample.docx": "reused", "en/sample-handout.pdf": "built",
                      "en/sample-handout-large.pdf": "built", "en/sample.brf": "reused",
                      "en/sample-handout.brf": "reused", "en/sample.brl.txt": "reused",
                      "en/sample-handout.brl.txt": "reused",
                      "en/sample.epub": "reused", "en/sample-handout.epub": "reused",
                      "en/sample.opus": "reused"}


@pytest.mark.slow
def test_editing_one_po_file_rebuilds_only_its_locale(es_project):
    from conftest import translate_all
    translate_all(es_project, "es")
    build(es_project.root, jobs=1)
    po = es_project.root / "locales/es/LC_MESSAGES/sample.po"
    po.write_text(po.read_text().replace('msgstr "ES bullet one"', 'msgstr "ES viñeta uno"'))
    result = statuses(build(es_project.root, jobs=1))
    assert {f for f, s in result.items() if s == "built"} == {
        f for f in result if f.startswith("es/")}
    assert all(s == "reused" for f, s in result.items() if f.startswith("en/"))


@pytest.mark.slow
def test_a_tampered_artifact_is_rebuilt(project):
    build(project.root, jobs=1)
    pdf = project.root / "build/en/sample.pdf"
    pdf.write_bytes(pdf.read_bytes()[:1000])
    result = statuses(build(project.root, jobs=1))
    assert result["en/sample.pdf"] == "built"
    assert result["en/sample.html"] == "reused"
    assert pdf.stat().st_size > 1000


@pytest.mark.slow
def test_parallel_build_gives_the_same_bytes(project, tmp_path):
    shutil.copy(project.root / "source/sample.md", project.root / "source/second.md")
    one = build(project.root, out_dir=tmp_path / "one", jobs=1)
    two = build(project.root, out_dir=tmp_path / "two", jobs=2)
    assert [o.filename for o in one.outcomes] == [o.filename for o in two.outcomes]
    for outcome in one.outcomes:
        a = (tmp_path / "one" / outcome.filename).read_bytes()
        b = (tmp_path / "two" / outcome.filename).read_bytes()
        assert a == b, outcome.filename
    assert (tmp_path / "one/report.json").read_bytes() == (tmp_path / "two/report.json").read_bytes()


@pytest.mark.slow
def test_outputs_of_a_removed_document_are_removed(project):
    shutil.copy(project.root / "source/sample.md", project.root / "source/second.md")
    build(project.root, jobs=1)
    assert (project.root / "build/en/second.pdf").is_file()
    (project.root / "source/second.md").unlink()
    result = build(project.root, jobs=1)
    assert "en/second.pdf" in result.removed
    assert not (project.root / "build/en/second.pdf").exists()
    report = json.loads((project.root / "build/report.json").read_text())
    assert "en/second.pdf" in report["removed"]


def test_a_partial_selection_keeps_the_rest(project):
    build(project.root, jobs=1)
    result = build(project.root, Selection(formats=("html",)), jobs=1)
    assert [o.filename for o in result.outcomes] == ["en/sample.html"]
    assert (project.root / "build/en/sample.pdf").is_file()
    assert statuses(build(project.root, jobs=1))["en/sample.pdf"] == "reused"


@pytest.mark.slow
def test_a_library_upgrade_rebuilds(project, tmp_path, monkeypatch):
    """Installing or upgrading a Python distribution (a new `*.dist-info` on the path, as
    `make` does after `make lock`) changes every fingerprint: nothing made with the old library
    is reused."""
    build(project.root, jobs=1)
    site = tmp_path / "site"
    (site / "babel-99.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(site))
    assert set(statuses(build(project.root, jobs=1)).values()) == {"built"}
    assert set(statuses(build(project.root, jobs=1)).values()) == {"reused"}


@pytest.mark.slow
def test_a_changed_font_file_rebuilds(project, tmp_path, monkeypatch):
    """A font package upgrade replaces the files the theme's families resolve to. Here a copy
    of an Atkinson face sits in a font folder of the test's own (a fontconfig file that adds
    it to the system's), and is then replaced: nothing on the machine is touched."""
    import os
    import shutil as sh

    from pipeline.settings.fonts import font_dir

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    face = fonts / "copy.ttf"
    sh.copyfile(sorted(font_dir().glob("*.ttf"))[0], face)
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f"<dir>{fonts}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
                    "</fontconfig>", "utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    build(project.root, jobs=1)
    assert set(statuses(build(project.root, jobs=1)).values()) == {"reused"}
    stat = face.stat()
    os.utime(face, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert set(statuses(build(project.root, jobs=1)).values()) == {"built"}


@pytest.mark.slow
def test_a_partial_build_reports_the_whole_build_folder(es_project):
    """After a full build that withheld `es`, building one other document in `en` keeps every
    artifact's last known state in the report: the withheld ones stay withheld, and why."""
    from pipeline.report.page import view

    root = es_project.root
    shutil.copy(root / "source/sample.md", root / "source/other.md")
    full = build(root, jobs=1)
    assert full.exit_code == 1  # es is untranslated: withheld
    partial = build(root, Selection(docs=("other",), locales=("en",)), jobs=1)
    assert partial.exit_code == 0
    n = len(OUTPUTS)  # outputs per document and locale
    assert {o.filename for o in partial.outcomes} == {
        "en/" + row.pattern.format(id="other") for row in OUTPUTS}
    report = json.loads((root / "build/report.json").read_text("utf-8"))
    paths = {a["path"]: a["published"] for a in report["artifacts"]}
    assert len(paths) == 4 * n
    assert not any(published for path, published in paths.items() if path.startswith("es/"))
    assert all(published for path, published in paths.items() if path.startswith("en/"))
    assert report["summary"]["withheld"] == 2 * n
    assert report["run"] == {"artifacts": n, "built": 0, "reused": n, "withheld": 0}
    assert {s["path"] for s in report["skipped"]} == {p for p in paths if p.startswith("es/")}
    assert any(c["check"] == "translation" and not c["passed"] for c in report["checks"])
    page = view(report, {})
    assert page["verdict"]["kind"] == "fail" and f"{2 * n} of {4 * n}" in page["verdict"]["text"]
    assert page["project"] == "Test Clinic"
    assert f"{n} outputs: 0 built, {n} unchanged" in page["run"]
    html = (root / "build/report.html").read_text("utf-8")
    assert "<title>Build report — Test Clinic catalog</title>" in html


def test_replacing_a_reference_style_image_rebuilds(project):
    """`![alt][pic]` with `[pic]: images/pic.png` (CommonMark reference images, in the body and
    the handout) is fingerprinted like an inline one: replacing the picture rebuilds every
    output that shows it, with the new picture, and nothing is reused with the old one."""
    import base64

    from conftest import png_bytes

    project.write("source/images/pic.png", png_bytes(colour=(200, 30, 30)))
    project.write("source/images/small.png", png_bytes(colour=(30, 200, 30)))
    source = project.read("source/sample.md")
    source = source.replace("> A quoted line.", "![A red square][pic]\n\n> A quoted line.")
    source = source.replace("Short words. Short lines.\n",
                            "Short words. Short lines.\n\n![A green square]\n")
    project.write("source/sample.md", source + "\n[pic]: images/pic.png\n"
                  "[a green square]: <images/small.png>\n")
    first = statuses(build(project.root, jobs=1))
    assert set(first.values()) == {"built"}
    new_red, new_green = png_bytes(colour=(10, 10, 240)), png_bytes(colour=(240, 240, 10))
    project.write("source/images/pic.png", new_red)
    after_red = statuses(build(project.root, jobs=1))
    # Every output shows the picture or its alt text (braille): all are built again.
    assert after_red == {"en/" + row.pattern.format(id="sample"): "built" for row in OUTPUTS}
    html = project.read("build/en/sample.html")
    assert base64.b64encode(new_red).decode() in html
    project.write("source/images/small.png", new_green)
    assert set(statuses(build(project.root, jobs=1)).values()) == {"built"}
    assert set(statuses(build(project.root, jobs=1)).values()) == {"reused"}


def test_a_build_with_nothing_to_do_reads_no_source(project, monkeypatch):
    """The state file records what each source's model referenced: while the source is the
    same, a build hashes that list and does not read (parse, validate) the document again."""
    from pipeline.read import reader

    build(project.root, jobs=1)
    state = json.loads((project.root / "build/.plainpress-state.json").read_text("utf-8"))
    assert state["sources"]["sample"]["assets"] == ["source/images/square.png"]

    reads = []
    real = reader.read_document
    monkeypatch.setattr(reader, "read_document",
                        lambda *a, **k: reads.append(a[1]) or real(*a, **k))
    assert set(statuses(build(project.root, jobs=1)).values()) == {"reused"}
    assert reads == []
    from conftest import png_bytes
    project.write("source/images/square.png", png_bytes(colour=(200, 30, 30)))
    assert set(statuses(build(project.root, jobs=1)).values()) == {"built"}
    assert reads == ["sample"]  # read to render it; the recorded list found the change


def test_an_edited_source_is_read_again_for_its_images(project):
    """After an edit the model's new references are fingerprinted: a picture the source only
    now shows is rebuilt when it is replaced."""
    from conftest import png_bytes

    build(project.root, jobs=1)
    project.write("source/images/new.png", png_bytes(colour=(200, 30, 30)))
    project.write("source/sample.md", project.read("source/sample.md").replace(
        "> A quoted line.", "![A red square][new]\n\n> A quoted line.") +
        "\n[new]: images/new.png\n")
    assert set(statuses(build(project.root, jobs=1)).values()) == {"built"}
    assert set(statuses(build(project.root, jobs=1)).values()) == {"reused"}
    project.write("source/images/new.png", png_bytes(colour=(30, 30, 200)))
    assert set(statuses(build(project.root, jobs=1)).values()) == {"built"}


def test_an_image_link_pointed_elsewhere_rebuilds(project):
    """`source/images/square.png` as a symbolic link: pointing it at another picture changes
    what the model references, though the source is the same."""
    from conftest import png_bytes

    images = project.root / "source/images"
    (images / "square.png").rename(images / "blue.png")
    project.write("source/images/red.png", png_bytes(colour=(200, 30, 30)))
    (images / "square.png").symlink_to("blue.png")
    build(project.root, jobs=1)
    (images / "square.png").unlink()
    (images / "square.png").symlink_to("red.png")
    assert set(statuses(build(project.root, jobs=1)).values()) == {"built"}
    assert set(statuses(build(project.root, jobs=1)).values()) == {"reused"}


def test_a_damaged_record_of_references_is_not_trusted(project):
    """References recorded outside source/ (an edited state file) are ignored: the source is
    read again, and the build is still right about what it can reuse."""
    build(project.root, jobs=1)
    path = project.root / "build/.plainpress-state.json"
    state = json.loads(path.read_text("utf-8"))
    state["sources"]["sample"]["assets"] = ["source/../pyproject.toml"]
    path.write_text(json.dumps(state), "utf-8")
    assert set(statuses(build(project.root, jobs=1)).values()) == {"reused"}
    state = json.loads(path.read_text("utf-8"))
    assert state["sources"]["sample"]["assets"] == ["source/images/square.png"]


@pytest.mark.slow
def test_the_same_project_in_another_folder_gives_the_same_bytes(project, tmp_path):
    """A second clone of a site builds byte-identical files: no output depends on where the
    project lies on disk (WeasyPrint names each image after its URL, so image URLs are the
    project-relative ones the fetcher resolves, not absolute file paths)."""
    other = tmp_path / "somewhere" / "else" / "entirely"
    shutil.copytree(project.root, other)
    selection = Selection(formats=("html", "pdf", "docx"))
    build(project.root, selection, jobs=1)
    build(other, selection, jobs=1)
    for name in ("en/sample.html", "en/sample.pdf", "en/sample.docx"):
        assert (project.root / "build" / name).read_bytes() == (other / "build" / name
                                                                  ).read_bytes(), name

"""Page-size editions side by side: `page_sizes = ["letter", "a4"]` keeps both sets of files."""

from __future__ import annotations

import io
import json
import zipfile

import pikepdf
import pytest

from pipeline.settings import config
from pipeline.cli import main
from pipeline.errors import ConfigError

LETTER, A4 = [0, 0, 612, 792], [0, 0, 595, 842]
BOTH = 'page_sizes = ["letter", "a4"]\n'


def build(project, *args):
    return main(["-C", str(project.root), "build", "-q", *args])


def media_box(path) -> list[int]:
    with pikepdf.open(path) as pdf:
        return [round(float(v)) for v in pdf.pages[0].MediaBox]


def docx_width(path) -> int:
    """The DOCX page width in twentieths of a point (Letter 12240, A4 11906)."""
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as docx:
        xml = docx.read("word/document.xml").decode()
    return int(xml.split("<w:pgSz", 1)[1].split('w:w="', 1)[1].split('"', 1)[0])


def configure(project, line: str) -> None:
    project.write("pyproject.toml", project.read("pyproject.toml") + line)


def test_page_size_is_the_one_size_form_of_page_sizes(project):
    assert config.load(project.root).page_sizes == ("letter",)
    configure(project, 'page_size = "a4"\n')
    loaded = config.load(project.root)
    assert loaded.page_sizes == ("a4",) and loaded.page_size == "a4"


@pytest.mark.parametrize("line, message", [
    ('page_size = "a4"\n' + BOTH, "either `page_size` or `page_sizes`"),
    ('page_sizes = ["letter", "a5"]\n', "unknown page size `a5` in `page_sizes`"),
    ('page_sizes = []\n', "`page_sizes` needs at least one page size"),
    ('page_sizes = ["a4", "a4"]\n', "`a4` is listed twice in `page_sizes`"),
])
def test_bad_page_sizes_name_the_line(project, line, message):
    configure(project, line)
    with pytest.raises(ConfigError) as caught:
        config.load(project.root)
    assert message in caught.value.message
    assert caught.value.loc.path == "pyproject.toml" and caught.value.loc.line >= 5


def test_two_editions_coexist_with_the_size_in_the_second_ones_names(project):
    configure(project, BOTH)
    assert build(project, "--format", "pdf", "--format", "handout", "--format", "docx",
                 "--format", "html") == 0
    out = project.root / "build/en"
    assert sorted(p.name for p in out.iterdir()) == [
        "sample-a4.docx", "sample-a4.pdf", "sample-handout-a4.pdf", "sample-handout.pdf",
        "sample.docx", "sample.html", "sample.pdf"]
    assert media_box(out / "sample.pdf") == media_box(out / "sample-handout.pdf") == LETTER
    assert media_box(out / "sample-a4.pdf") == media_box(out / "sample-handout-a4.pdf") == A4
    assert (docx_width(out / "sample.docx"), docx_width(out / "sample-a4.docx")) == (12240, 11906)
    report = json.loads((project.root / "build/report.json").read_text())
    sizes = {a["path"]: a["page_size"] for a in report["artifacts"]}
    assert sizes == {"en/sample.html": None, "en/sample.pdf": "letter", "en/sample-a4.pdf": "a4",
                     "en/sample.docx": "letter", "en/sample-a4.docx": "a4",
                     "en/sample-handout.pdf": "letter", "en/sample-handout-a4.pdf": "a4"}
    state = json.loads((project.root / "build/.plainpress-state.json").read_text())["jobs"]
    assert set(state) == set(sizes)
    assert state["en/sample.pdf"]["fingerprint"] != state["en/sample-a4.pdf"]["fingerprint"]


def test_a_second_build_reuses_both_editions(project):
    configure(project, BOTH)
    assert build(project, "--format", "pdf", "--format", "html") == 0
    from pipeline.build import Selection, build as run
    result = run(project.root, Selection(formats=("pdf", "html")), jobs=1)
    assert {o.filename: o.status for o in result.outcomes} == {
        "en/sample.html": "reused", "en/sample.pdf": "reused", "en/sample-a4.pdf": "reused"}


def test_page_size_option_builds_one_edition_and_never_overwrites_another(project):
    assert build(project, "--format", "pdf") == 0
    letter = project.root / "build/en/sample.pdf"
    before = (letter.read_bytes(), letter.stat().st_mtime_ns)
    assert build(project, "--format", "pdf", "--page-size", "a4") == 0
    assert (letter.read_bytes(), letter.stat().st_mtime_ns) == before
    assert media_box(project.root / "build/en/sample-a4.pdf") == A4


def test_page_size_option_picks_a_configured_edition(project):
    configure(project, BOTH)
    assert build(project, "--format", "pdf") == 0
    from pipeline.build import Selection, build as run
    result = run(project.root, Selection(formats=("pdf",)), page_size="a4", jobs=1)
    assert {o.filename: o.status for o in result.outcomes} == {"en/sample-a4.pdf": "reused"}
    assert (project.root / "build/en/sample.pdf").is_file()


@pytest.mark.slow
def test_an_edition_no_longer_configured_is_removed_by_the_next_full_build(project, capsys):
    configure(project, BOTH)
    assert build(project) == 0
    project.write("pyproject.toml", project.read("pyproject.toml").replace(BOTH, ""))
    assert build(project) == 0
    assert not (project.root / "build/en/sample-a4.pdf").exists()
    assert (project.root / "build/en/sample.pdf").is_file()
    report = json.loads((project.root / "build/report.json").read_text())
    assert "en/sample-handout-a4.pdf" in report["removed"]
    assert "page size" in capsys.readouterr().out


def test_the_html_page_does_not_depend_on_the_page_size(project):
    assert build(project, "--format", "html") == 0
    letter = (project.root / "build/en/sample.html").read_bytes()
    configure(project, 'page_size = "a4"\n')
    assert build(project, "--format", "html") == 0
    assert (project.root / "build/en/sample.html").read_bytes() == letter
    assert b"size: letter" not in letter


def test_file_names_of_two_editions_may_not_collide(project, capsys):
    configure(project, BOTH)
    project.write("source/sample-a4.md", project.read("source/sample.md"))
    assert build(project, "--format", "pdf") == 2
    err = capsys.readouterr().err
    assert "en/sample-a4.pdf" in err and "sample" in err and "sample-a4" in err


def test_check_reads_every_edition(project, capsys):
    configure(project, BOTH)
    assert build(project, "--format", "pdf") == 0
    capsys.readouterr()
    assert main(["-C", str(project.root), "check", "--format", "pdf"]) == 0
    out = capsys.readouterr().out
    assert "en/sample.pdf" in out and "en/sample-a4.pdf" in out

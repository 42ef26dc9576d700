"""Translating the model, the publication policy, QA, and broken catalogs."""

from __future__ import annotations

import json

import pytest

from pipeline.settings import config
from pipeline.read import reader
from pipeline.cli import main
from pipeline.outputs import OUTPUTS, Part
from pipeline.translate import qa
from pipeline.translate.apply import load, translate
from pipeline.translate.units import units
from conftest import cldr_plural_forms, set_plural_forms, translate_all


def build(project, *args):
    return main(["-C", str(project.root), "build", *args])


def edit_po(project, old: str, new: str, locale="es", domain="sample"):
    path = project.root / f"locales/{locale}/LC_MESSAGES/{domain}.po"
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_translated_model_has_parsed_inlines(es_project):
    translate_all(es_project, "es", {
        "Intro paragraph with *emphasis*, **strong** and a [web link](https://example.org/more).":
            "Párrafo con *énfasis*, **fuerte** y un [enlace](https://example.org/more)."})
    cfg = config.load(es_project.root)
    doc = reader.read_document(cfg, "sample")
    localized, results = translate(doc, load(cfg, "es", ["sample", "shared", "ui"]))
    assert not [r for r in results if r.blocks]
    assert localized.locale == "es"
    intro = localized.body[0]
    assert [type(n).__name__ for n in intro.inlines] == [
        "Text", "Emph", "Text", "Strong", "Text", "Link", "Text"]
    assert intro.inlines[5].url == "https://example.org/more"
    assert localized.meta.title.value == "ES Sample Topic"
    assert localized.handout[1].source == "ES Short words. Short lines."


def test_incomplete_locale_is_withheld_and_others_published(es_project, capsys):
    assert build(es_project, "--format", "pdf") == 1
    out = capsys.readouterr().out
    assert "locales/es/LC_MESSAGES/sample.po:" in out and "untranslated" in out
    assert (es_project.root / "build/en/sample.pdf").is_file()
    assert not (es_project.root / "build/es/sample.pdf").exists()
    report = json.loads((es_project.root / "build/report.json").read_text())
    assert report["skipped"][0]["path"] == "es/sample.pdf"


@pytest.mark.slow
def test_allow_incomplete_publishes_a_marked_draft(es_project):
    assert build(es_project, "--format", "pdf", "--format", "handout",
                 "--allow-incomplete") == 0
    from pipeline.readback.text import pdf_text
    for name in ("es/sample.pdf", "es/sample-handout.pdf"):
        import pikepdf
        data = (es_project.root / "build" / name).read_bytes()
        with pikepdf.open(es_project.root / "build" / name) as pdf:
            pages = len(pdf.pages)
        text = pdf_text(data)
        mark = "DRAFT — translation incomplete"
        if name.startswith("es/"):  # the labels of es come translated (shipped ui.po)
            ui = load(config.load(es_project.root), "es", ["ui"]).domains["ui"]
            mark = ui.get(mark).string
        assert text.count(mark) >= pages, name


@pytest.mark.slow
def test_complete_translation_publishes(es_project, capsys):
    translate_all(es_project, "es")
    assert build(es_project) == 0
    assert (es_project.root / "build/es/sample-handout.pdf").is_file()
    from pipeline.readback.text import pdf_text
    text = pdf_text((es_project.root / "build/es/sample.pdf").read_bytes())
    assert "ES Sample Topic" in text and "agosto de 2025" in text


def test_fuzzy_entry_blocks_with_its_line(es_project, capsys):
    translate_all(es_project, "es")
    edit_po(es_project, 'msgid "bullet two"', '#, fuzzy\nmsgid "bullet two"')
    lines = es_project.read("locales/es/LC_MESSAGES/sample.po").split("\n")
    flag = lines.index('msgid "bullet two"')  # the 1-based line of `#, fuzzy`
    assert build(es_project, "--format", "html") == 1
    out = capsys.readouterr().out
    assert f"locales/es/LC_MESSAGES/sample.po:{flag}: error: [translation] sample es" in out
    assert "fuzzy" in out


def test_untranslated_points_at_the_msgstr_line(es_project, capsys):
    lines = es_project.read("locales/es/LC_MESSAGES/sample.po").split("\n")
    msgstr = lines.index('msgid "bullet two"') + 2
    assert lines[msgstr - 1] == 'msgstr ""'
    assert build(es_project, "--format", "html") == 1
    out = capsys.readouterr().out
    assert f"locales/es/LC_MESSAGES/sample.po:{msgstr}: error: [translation] sample es" in out


@pytest.mark.parametrize("msgid,bad,words", [
    ("Intro paragraph with", "[enlace](https://evil.example/)", "links differ"),
    ("Intro paragraph with", "sin enlace", "links differ"),
    ("Intro paragraph with", '<img src=\\"https://evil.example/x.png\\">', "raw HTML"),
    ("step one", "paso 1", "numbers differ"),
    ("bullet one", "viñeta\u202euno", "U+202E"),
])
def test_qa_failures_block_the_locale(es_project, capsys, msgid, bad, words):
    translate_all(es_project, "es")
    path = es_project.root / "locales/es/LC_MESSAGES/sample.po"
    lines = path.read_text("utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("msgid") and msgid in line
                 or (line.startswith('"') and msgid in line))
    while not lines[index].startswith("msgid"):
        index -= 1
    while not lines[index].startswith("msgstr"):
        index += 1
    entry = index + 1  # errors point at the msgstr line, the one the translator fixes
    end = index + 1
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    lines[index:end] = [f'msgstr "{bad}"']
    path.write_text("\n".join(lines), "utf-8")
    assert build(es_project, "--format", "html") == 1
    out = capsys.readouterr().out
    assert f"locales/es/LC_MESSAGES/sample.po:{entry}" in out, out
    assert words in out
    assert not (es_project.root / "build/es/sample.html").exists()
    assert (es_project.root / "build/en/sample.html").is_file()


def test_po_syntax_error_names_file_and_line(es_project, capsys):
    translate_all(es_project, "es")
    edit_po(es_project, 'msgid "bullet two"', 'msgid "bullet two\nbroken')
    assert build(es_project, "--format", "html") == 1
    out = capsys.readouterr().out
    assert "locales/es/LC_MESSAGES/sample.po:" in out and "syntax" in out


def test_wrong_language_and_plural_header(es_project, capsys):
    translate_all(es_project, "es")
    edit_po(es_project, '"Language: es\\n"', '"Language: fr\\n"')
    set_plural_forms(es_project, "nplurals=4; plural=(n%4);")
    assert build(es_project, "--format", "html") == 1
    out = capsys.readouterr().out
    assert "declares Language `fr`" in out
    assert "nplurals=4" in out and "matches no rule for `es`" in out


def test_ui_placeholders_checked():
    assert qa.check("Page {page} of {pages}", "Página {page}", "ui.po", ui=True)[0]
    assert not qa.check("Page {page} of {pages}", "Página {page} de {pages}", "ui.po",
                        ui=True)[0]


def test_arabic_digits_count_as_the_same_numbers():
    errors, _ = qa.check("about 50% of people", "حوالي ٥٠٪ من الناس", "ar.po", script="arabic")
    assert errors == []


def test_a_new_document_without_catalogs_is_one_line_per_locale(es_project, capsys):
    """Item 12.8: a document added after the last `make locales` has no PO file in `es`: one
    error says so (and what to run), not one per message."""
    translate_all(es_project, "es")
    es_project.write("source/knee.md", es_project.read("source/sample.md").replace(
        "Sample Topic", "Knee Topic"))
    assert build(es_project, "--doc", "knee", "--format", "html") == 1
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "no catalog" in line]
    doc = reader.read_document(config.load(es_project.root), "knee")
    count = len({(u.context, u.msgid) for u in units(doc) if u.domain == "knee"})
    assert count > 10
    assert lines == ["locales/es/LC_MESSAGES/knee.po: error: [translation] knee es *: no catalog "
                     "for `knee` in `es`: locales/es/LC_MESSAGES/knee.po does not exist "
                     f"({count} messages to translate) (hint: run `make locales` to create it, "
                     "then translate it)"], out
    assert "[translation]" not in out.replace(lines[0], "")
    assert (es_project.root / "build/en/knee.html").is_file()


def update_catalogs(project):
    assert main(["-C", str(project.root), "i18n", "update"]) == 0


def _kinds(part: Part) -> set[str]:
    """The output kinds that show one part of a document (the article or the handouts)."""
    return {row.kind.value for row in OUTPUTS if row.part is part}


def _files(part: Part) -> set[str]:
    """The sample's file names of those outputs."""
    return {row.pattern.format(id="sample") for row in OUTPUTS if row.part is part}


@pytest.mark.slow
def test_a_paragraph_added_to_the_article_only_keeps_the_handouts(es_project, capsys):
    translate_all(es_project, "es")
    assert build(es_project, "--locale", "es") == 0
    text = es_project.read("source/sample.md")
    es_project.write("source/sample.md", text.replace(
        "> A quoted line.\n", "> A quoted line.\n\nA new paragraph for the article only.\n"))
    update_catalogs(es_project)
    capsys.readouterr()
    assert build(es_project, "--locale", "es") == 1
    out = capsys.readouterr().out
    assert "untranslated: “A new paragraph for the article only.”" in out
    built = es_project.root / "build/es"
    for name in _files(Part.HANDOUT):
        assert (built / name).is_file(), name  # the handout does not show the paragraph
    for name in _files(Part.ARTICLE):
        assert not (built / name).exists(), name
    report = json.loads((es_project.root / "build/report.json").read_text())
    assert {s["output"] for s in report["skipped"]} == _kinds(Part.ARTICLE)
    published = {a["output"] for a in report["artifacts"] if a["published"]}
    assert published == _kinds(Part.HANDOUT)
    # The draft mark goes only on the outputs that have gaps.
    assert build(es_project, "--locale", "es", "--allow-incomplete") == 0
    from pipeline.readback.text import pdf_text
    ui = load(config.load(es_project.root), "es", ["ui"]).domains["ui"]
    mark = ui.get("DRAFT — translation incomplete").string
    assert mark in pdf_text((built / "sample.pdf").read_bytes())
    assert mark not in pdf_text((built / "sample-handout.pdf").read_bytes())


@pytest.mark.slow
def test_a_handout_message_missing_withholds_only_the_handouts(es_project, capsys):
    translate_all(es_project, "es")
    text = es_project.read("source/sample.md")
    es_project.write("source/sample.md", text.replace(
        "Short words. Short lines.", "Short words. Short lines.\n\nOne more handout line."))
    update_catalogs(es_project)
    assert build(es_project, "--locale", "es") == 1
    built = es_project.root / "build/es"
    assert {p.name for p in built.iterdir()} == _files(Part.ARTICLE)


def test_a_title_missing_withholds_every_output(es_project):
    translate_all(es_project, "es")
    edit_po(es_project, 'msgstr "ES Sample Topic"', 'msgstr ""')
    assert build(es_project, "--locale", "es", "--format", "html", "--format", "handout") == 1
    assert not (es_project.root / "build/es").exists() or \
        not list((es_project.root / "build/es").iterdir())

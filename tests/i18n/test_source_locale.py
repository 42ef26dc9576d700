"""A site whose source language is not English: the labels the templates print come from the
`ui` translations (the site's own, else the shipped ones), a label left in English is caught,
and `plainpress new` starts from a template in the source language."""

from __future__ import annotations

import re
import zipfile
import io

import pytest

from pipeline.readback.text import html_text, pdf_text
from pipeline.cli import main
from pipeline.translate.extract import ui_template
from pipeline.settings import config
from pipeline.devtools.scaffold import new_document

SPANISH = """\
---
title: Dolor de rodilla
summary: Una página de prueba sobre el dolor de rodilla.
reviewed: 2025-08
reviewed_by: Equipo clínico de prueba
url: https://example.org/rodilla
---

La rodilla puede doler por muchas razones.

## Qué puede ayudar

| Medida | Cuándo |
| ------ | ------ |
| Hielo | Cada día |

:::: handout
## Lo que debe saber

Frases cortas. Palabras sencillas.

::: key-points
- Descanse la rodilla.
:::
::::
"""

CONTACT = "¿Preguntas? Llame a su equipo de atención.\n"
DISCLAIMER = "Esta hoja es solo para aprender. No es un consejo médico.\n"


@pytest.fixture
def es_source(project):
    project.write("pyproject.toml", project.read("pyproject.toml").replace(
        'source_locale = "en"\nlocales = ["en"]', 'source_locale = "es"\nlocales = ["es"]'))
    (project.root / "source/sample.md").unlink()
    project.write("source/rodilla.md", SPANISH)
    project.write("source/_shared/contact.md", CONTACT)
    project.write("source/_shared/disclaimer.md", DISCLAIMER)
    return project


def run(project, *args):
    return main(["-C", str(project.root), *args])


def english_pieces(project) -> list[str]:
    """The words of every label as the templates write them (placeholders left out)."""
    pieces = []
    for message in ui_template(config.load(project.root)):
        if message.id:
            pieces += [p.strip() for p in re.split(r"\{\w+\}", message.id) if len(p.strip()) > 3]
    return pieces


def all_text(path) -> str:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return pdf_text(data)
    if path.suffix == ".docx":
        with zipfile.ZipFile(io.BytesIO(data)) as package:  # body, headers and footers
            return " ".join(" ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>",
                                                package.read(name).decode()))
                            for name in package.namelist() if name.startswith("word/"))
    if path.suffix == ".epub":  # every XML document: its text, and every attribute
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return " ".join(html_text(package.read(name)) + package.read(name).decode()
                            for name in package.namelist()
                            if name.endswith((".xhtml", ".opf", ".smil")))
    if path.suffix == ".opus":  # the title, language and chapter names it is tagged with
        from pipeline.readback.opus import read_opus
        return " ".join(f"{key}={value}" for key, value in read_opus(data).tags)
    return html_text(data) + data.decode("utf-8")  # the text, and every attribute


@pytest.mark.slow
def test_a_spanish_source_prints_no_english_label(es_source, capsys):
    assert run(es_source, "build") == 0, capsys.readouterr().out
    pieces = english_pieces(es_source)
    assert "Key points" in pieces and "Scan for the full article" in pieces
    built = es_source.root / "build/es"
    found = {}
    for path in sorted(built.iterdir()):
        text = all_text(path)
        left = [p for p in pieces if re.search(rf"\b{re.escape(p)}\b", text)]
        if left:
            found[path.name] = left
    assert not found, f"labels printed in English: {found}"
    handout = pdf_text((built / "rodilla-handout.pdf").read_bytes())
    for spanish in ("Puntos clave", "Escanee para ver el artículo completo",
                    "Actualizado por Equipo clínico de prueba — agosto de 2025", "Página 1 de 1"):
        assert spanish in handout, spanish


def test_init_the_source_locale_creates_its_labels_from_the_shipped_ones(es_source, capsys):
    assert run(es_source, "i18n", "update", "--init", "es") == 0
    catalogs = sorted(p.relative_to(es_source.root).as_posix()
                      for p in (es_source.root / "locales").rglob("*.po"))
    assert catalogs == ["locales/es/LC_MESSAGES/ui.po"]  # the source text needs none
    ui = es_source.read("locales/es/LC_MESSAGES/ui.po")
    assert 'msgstr "Puntos clave"' in ui
    # The site's own catalog wins over the shipped one.
    es_source.write("locales/es/LC_MESSAGES/ui.po",
                    ui.replace('msgstr "Puntos clave"', 'msgstr "Lo esencial"'))
    assert run(es_source, "build", "--format", "handout") == 0
    assert "Lo esencial" in pdf_text((es_source.root / "build/es/rodilla-handout.pdf")
                                     .read_bytes())


def test_a_label_left_in_english_withholds_the_outputs(es_source, capsys):
    assert run(es_source, "i18n", "update", "--init", "es") == 0
    path = es_source.root / "locales/es/LC_MESSAGES/ui.po"
    lines = path.read_text("utf-8").split("\n")
    line = lines.index('msgstr "Escanee para ver el artículo completo"')
    lines[line] = 'msgstr ""'
    path.write_text("\n".join(lines), "utf-8")
    capsys.readouterr()
    assert run(es_source, "build", "--format", "handout") == 1
    out = capsys.readouterr().out
    assert f"locales/es/LC_MESSAGES/ui.po:{line + 1}: error: [translation]" in out, out
    assert "untranslated: “Scan for the full article”" in out
    assert not (es_source.root / "build/es/rodilla-handout.pdf").exists()


def test_an_english_source_locale_still_needs_no_translation(project, capsys):
    assert run(project, "i18n", "update", "--init", "en") == 2
    assert "needs no translation" in capsys.readouterr().err


@pytest.mark.parametrize("locale,words", [
    ("es", "Escriba aquí el artículo completo"),
    ("ar", "اكتب المقال الكامل هنا"),
    ("zh_Hans", "在这里写完整的文章"),
])
def test_new_writes_the_template_of_the_source_language(project, capsys, locale, words):
    project.write("pyproject.toml", project.read("pyproject.toml").replace(
        'source_locale = "en"\nlocales = ["en"]',
        f'source_locale = "{locale}"\nlocales = ["{locale}"]'))
    (project.root / "source/sample.md").unlink()
    assert run(project, "new", "knee-pain") == 0
    assert f"new-document.{locale}.md" in capsys.readouterr().out
    text = project.read("source/knee-pain.md")
    assert words in text and "[[" not in text
    assert "Write the full article" not in text
    # Its sample text is refused until replaced, in that language too.
    assert run(project, "build", "--format", "html") == 2
    err = capsys.readouterr().err
    assert f"placeholder text from styles/templates/new-document.{locale}.md" in err, err
    project.write("source/knee-pain.md", re.sub(r"\[\[.*?\]\]", "", project.read(
        f"styles/templates/new-document.{locale}.md"), flags=re.S).format(
            title="Knee pain", id="knee-pain", year="2025", month="08").replace(
            "url: \n", "url: https://example.org/knee\n").replace(
            "summary: \n", "summary: Knee.\n").replace("reviewed_by: \n", "reviewed_by: Team\n"))
    assert run(project, "build", "--format", "html") == 0, capsys.readouterr()


def test_new_falls_back_to_the_english_template(project):
    path = new_document(project.root, "knee-pain", locale="fr")
    assert "Write the full article here" in path.read_text("utf-8")

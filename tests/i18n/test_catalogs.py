"""Extraction and update: locations, notes, msgctxt, fuzzy with previous msgid, GNU layout."""

from __future__ import annotations

import subprocess

from pipeline.settings import config
from pipeline.read import reader
from pipeline.translate import catalogs, update
from conftest import cldr_plural_forms, require_tool, set_plural_forms, translate_all


def read(project, relative):
    return catalogs.read(project.root, project.root / relative)


def test_templates_have_locations_notes_and_context(es_project):
    pot = read(es_project, "locales/sample.pot")
    title = pot.get("Sample Topic")
    assert title.locations == [("source/sample.md", 2)]
    assert title.auto_comments == ["title"]
    link = pot.get("Intro paragraph with *emphasis*, **strong** and a "
                   "[web link](https://example.org/more).")
    assert link.locations == [("source/sample.md", 9)]
    assert any("URL" in note for note in link.auto_comments)
    handout = pot.get("Short words. Short lines.", "handout")
    assert handout is not None and "handout: keep it short and plain" in handout.auto_comments
    assert pot.get("Short words. Short lines.") is None  # only with its msgctxt
    assert pot.get("Name").auto_comments == ["table header"]
    assert pot.get("A blue square used as a test picture").auto_comments == ["image alt text"]
    shared = read(es_project, "locales/shared.pot")
    assert shared.get("Questions? Call your care team.").locations == [
        ("source/_shared/contact.md", 1)]
    ui = read(es_project, "locales/ui.pot")
    assert ui.get("Page {page} of {pages}") is not None
    assert ("styles/templates/blocks.html.j2", 44) in ui.get("Key points").locations


def test_po_files_are_initialised_with_the_right_header(es_project):
    po = read(es_project, "locales/es/LC_MESSAGES/sample.po")
    assert str(po.locale) == "es"
    assert po.plural_forms == cldr_plural_forms("es")
    assert all(not m.string for m in po if m.id)


def test_msgcat_leaves_every_file_byte_identical(es_project):
    msgcat = require_tool("msgcat")
    translate_all(es_project, "es")
    files = sorted((es_project.root / "locales").rglob("*.po*"))
    assert len(files) == 6
    for path in files:
        out = subprocess.run([msgcat, str(path)], capture_output=True, check=True).stdout
        assert out == path.read_bytes(), path


def test_changed_source_becomes_fuzzy_with_previous_msgid(es_project):
    translate_all(es_project, "es")
    cfg = config.load(es_project.root)
    update.update(cfg, [reader.read_document(cfg, "sample")])  # msgmerge's header layout
    text = es_project.read("source/sample.md")
    es_project.write("source/sample.md", text.replace("- bullet two", "- bullet number two"))
    changed = update.update(cfg, [reader.read_document(cfg, "sample")])
    assert [p.name for p in changed] == ["sample.pot", "sample.po"]
    po = read(es_project, "locales/es/LC_MESSAGES/sample.po")
    message = po.get("bullet number two")
    assert message.fuzzy
    # Babel writes `#|` but does not read it back into previous_id: check the file itself.
    assert message.string == "ES bullet two"
    others = [m for m in po if m.id and m.id != "bullet number two"]
    assert not any(m.fuzzy for m in others)
    raw = es_project.read("locales/es/LC_MESSAGES/sample.po")
    assert '#| msgid "bullet two"' in raw


def test_removed_message_is_kept_as_obsolete(es_project):
    translate_all(es_project, "es")
    text = es_project.read("source/sample.md")
    es_project.write("source/sample.md", text.replace("> A quoted line.\n", ""))
    cfg = config.load(es_project.root)
    update.update(cfg, [reader.read_document(cfg, "sample")])
    raw = es_project.read("locales/es/LC_MESSAGES/sample.po")
    assert '#~ msgid "A quoted line."' in raw


def test_update_is_idempotent(es_project):
    cfg = config.load(es_project.root)
    docs = [reader.read_document(cfg, "sample")]
    assert update.extract(cfg, docs) == []
    assert update.update(cfg, docs) == []

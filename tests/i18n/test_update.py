"""`plainpress i18n update` as translators run it: paragraph-length messages, repeated runs, a
broken catalog in the middle of a run. Every file must be one GNU gettext accepts."""

from __future__ import annotations

import re
import subprocess

import pytest

from pipeline.settings import config
from pipeline.read import reader
from pipeline.cli import main
from pipeline.errors import PlainpressError
from pipeline.translate import update
from conftest import translate_all

OLD = ("Genes are the body's instructions, stored in tiny bundles called chromosomes. In as "
       "many as 10 percent of cases, a genetic change is the reason the body makes less "
       "sperm, and \"doctors\" call it [a genetic cause](https://example.org/genes/why).")
NEW = OLD.replace("the body's instructions, stored in", "the instructions of the body, kept in")


def long_project(es_project):
    """The es sample project with a paragraph-length message, translated."""
    text = es_project.read("source/sample.md")
    es_project.write("source/sample.md", text.replace("> A quoted line.\n", OLD + "\n"))
    assert main(["-C", str(es_project.root), "i18n", "update"]) == 0
    translate_all(es_project, "es")
    return es_project


def snapshot(project) -> dict[str, bytes]:
    return {p.relative_to(project.root).as_posix(): p.read_bytes()
            for p in sorted((project.root / "locales").rglob("*.po*"))}


def msgfmt_check(project) -> None:
    for path in sorted((project.root / "locales").rglob("*.po")):
        proc = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                              capture_output=True, text=True)
        assert proc.returncode == 0, (path, proc.stderr)


def previous_msgid(raw: str, current_start: str) -> str | None:
    """The `#| msgid` text of the entry whose msgid starts with `current_start`."""
    for entry in raw.split("\n\n"):
        lines = entry.split("\n")
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', "\n".join(
            l for l in lines if l.startswith(("msgid", '"')) and not l.startswith("msgstr")),
            re.M))
        if not msgid.startswith(current_start):
            continue
        previous = [l[3:] for l in lines if l.startswith("#| ")]
        if not previous:
            return None
        return "".join(re.findall(r'"(.*)"', "\n".join(previous))).replace('\\"', '"')
    raise AssertionError(f"no entry starting with {current_start!r}")


def test_changed_long_paragraph_is_fuzzy_with_previous_text_across_runs(es_project):
    project = long_project(es_project)
    text = project.read("source/sample.md")
    project.write("source/sample.md", text.replace(OLD, NEW))
    assert main(["-C", str(project.root), "i18n", "update"]) == 0
    msgfmt_check(project)
    raw = project.read("locales/es/LC_MESSAGES/sample.po")
    assert previous_msgid(raw, "Genes are the instructions of the body") == OLD
    entry = next(e for e in raw.split("\n\n") if "Genes are the instructions" in e)
    assert "#, fuzzy" in entry and "ES Genes are the body's" in entry.replace('"\n"', "")
    # A second run with no source change keeps the previous text of the still-fuzzy entry.
    before = snapshot(project)
    cfg = config.load(project.root)
    assert update.update(cfg, [reader.read_document(cfg, "sample")]) == []
    assert snapshot(project) == before
    assert previous_msgid(project.read("locales/es/LC_MESSAGES/sample.po"),
                          "Genes are the instructions of the body") == OLD
    msgfmt_check(project)


@pytest.mark.parametrize("words", [5, 30, 120, 400])
def test_any_message_length_gives_files_gettext_accepts(es_project, words):
    vocabulary = ("sperm", '"quoted"', "50%", "*motility*", "body's", "a", "of", "the",
                  "chromosomes", "is")
    paragraph = " ".join(vocabulary[i % len(vocabulary)] for i in range(words)) + "."
    text = es_project.read("source/sample.md")
    es_project.write("source/sample.md", text.replace("> A quoted line.\n", paragraph + "\n"))
    assert main(["-C", str(es_project.root), "i18n", "update"]) == 0
    translate_all(es_project, "es")
    es_project.write("source/sample.md", es_project.read("source/sample.md").replace(
        paragraph, "Changed: " + paragraph))
    assert main(["-C", str(es_project.root), "i18n", "update"]) == 0
    msgfmt_check(es_project)
    raw = es_project.read("locales/es/LC_MESSAGES/sample.po")
    assert previous_msgid(raw, "Changed: ") == paragraph


def test_a_broken_catalog_stops_the_run_before_anything_is_written(es_project, capsys):
    text = es_project.read("pyproject.toml").replace('locales = ["en", "es"]',
                                                     'locales = ["en", "es", "ar"]')
    es_project.write("pyproject.toml", text)
    assert main(["-C", str(es_project.root), "i18n", "update"]) == 0
    path = es_project.root / "locales/ar/LC_MESSAGES/sample.po"
    lines = path.read_text("utf-8").split("\n")
    bad = next(i for i, line in enumerate(lines) if line.startswith('msgid "bullet two"'))
    lines[bad] = 'msgid "bullet two'
    path.write_text("\n".join(lines), "utf-8")
    es_project.write("source/sample.md", es_project.read("source/sample.md").replace(
        "- bullet one", "- bullet number one"))
    before = snapshot(es_project)
    capsys.readouterr()
    assert main(["-C", str(es_project.root), "i18n", "update"]) == 2
    err = capsys.readouterr().err
    assert f"locales/ar/LC_MESSAGES/sample.po:{bad + 1}:" in err, err
    assert "<stdin>" not in err and "/tmp" not in err
    assert snapshot(es_project) == before  # templates and the es files untouched too


def test_errors_of_gettext_itself_name_the_real_file(es_project):
    from pipeline.translate import merge
    path = es_project.root / "locales/es/LC_MESSAGES/sample.po"
    path.write_text(path.read_text("utf-8") + '\nmsgid "x"\nmsgstr "y" "z\n', "utf-8")
    with pytest.raises(PlainpressError) as caught:
        merge.merge(es_project.root, path, (es_project.root / "locales/sample.pot").read_bytes(),
                    "locales/sample.pot")
    message = str(caught.value)
    assert "locales/es/LC_MESSAGES/sample.po:" in message and "<stdin>" not in message


def creation_date(project, relative: str) -> str:
    return re.search(r'"POT-Creation-Date: ([^\\]+)\\n"', project.read(relative)).group(1)


def test_each_document_domain_carries_its_own_review_month(es_project):
    assert creation_date(es_project, "locales/sample.pot") == "2025-08-01 00:00+0000"
    assert creation_date(es_project, "locales/es/LC_MESSAGES/sample.po") == \
        "2025-08-01 00:00+0000"
    stable = {name: creation_date(es_project, name) for name in (
        "locales/shared.pot", "locales/ui.pot", "locales/es/LC_MESSAGES/shared.po",
        "locales/es/LC_MESSAGES/ui.po")}
    assert set(stable.values()) == {"1970-01-01 00:00+0000"}
    # A newer document brings its own catalogs and rewrites nobody else's header.
    newer = es_project.read("source/sample.md").replace("reviewed: 2025-08", "reviewed: 2026-03")
    es_project.write("source/later.md", newer)
    before = snapshot(es_project)
    assert main(["-C", str(es_project.root), "i18n", "update"]) == 0
    after = snapshot(es_project)
    assert sorted(set(after) - set(before)) == ["locales/es/LC_MESSAGES/later.po",
                                                "locales/later.pot"]
    assert all(after[name] == before[name] for name in before)
    assert creation_date(es_project, "locales/es/LC_MESSAGES/later.po") == \
        "2026-03-01 00:00+0000"

"""Braille gates on real outputs: the shipped article and handout in every locale pass (the
back-translation figures per locale land in the report), and each gate fails on a BRF that
breaks its rule. Layout rules (where lines may break) and the braille settings are tested
here too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.build import Selection, build
from pipeline.errors import ConfigError
from pipeline.gates.braille_format import format_check
from pipeline.gates.braille_page_budget import budget_check
from pipeline.gates.braille_readback import readback_check
from pipeline.readback import louis
from pipeline.readback.braille import BLANK, CONTINUATION, flow
from pipeline.render.braille.layout import Piece, wrap
from pipeline.render.braille.transcribe import Transcriber
from pipeline.settings import config

REPO = Path(__file__).resolve().parent.parent.parent
BRAILLE = ("braille", "handout-braille", "braille-text", "handout-braille-text")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The repository's own project (sample article, es/ar/zh_Hans), braille outputs built."""
    root = tmp_path_factory.mktemp("shipped")
    for name in ("source", "locales", "styles"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    result = build(root, Selection(formats=BRAILLE))
    return root, result


def test_every_locale_publishes_braille_that_reads_back(shipped):
    root, result = shipped
    assert result.exit_code == 0, [c.message for c in result.checks if c.blocks]
    cfg = config.load(root)
    for locale in cfg.locales:
        for name in ("non-obstructive-azoospermia.brf", "non-obstructive-azoospermia-handout.brf",
                     "non-obstructive-azoospermia.brl.txt"):
            assert (root / "build" / locale / name).is_file()
    shares = {(c.locale, c.output): c.metrics["share"] for c in result.checks
              if c.check == "braille-readback" and "share" in c.metrics}
    assert {locale for locale, _ in shares} == set(cfg.locales)
    assert all(shares[(locale, "braille")] >= 98 for locale in cfg.locales), shares
    required = [c for c in result.checks if c.check == "required-text"
                and c.output in ("braille", "handout-braille")]
    assert required and all(c.passed for c in required)
    # The report carries the figures per locale and a first-page preview.
    report = json.loads((root / "build" / "report.json").read_text("utf-8"))
    metrics = [c["metrics"] for c in report["checks"] if c["check"] == "braille-readback"
               and c["output"] == "braille" and "share" in c["metrics"]]
    assert len(metrics) == len(cfg.locales)
    page = (root / "build" / "report.html").read_text("utf-8")
    assert 'id="braille"' in page and page.count('<pre class="cells"') == 2 * len(cfg.locales)


def test_chinese_is_compared_by_syllable_and_says_so(shipped):
    _, result = shipped
    zh = next(c for c in result.checks if c.check == "braille-readback"
              and c.locale == "zh_Hans" and c.output == "braille" and "share" in c.metrics)
    assert zh.metrics["compared"] == "syllables"
    assert zh.metrics["literal_share"] < zh.metrics["share"]  # homophones come back


def test_arabic_latin_words_are_a_warning_and_emphasis_is_left_out(shipped):
    _, result = shipped
    warning = next(c for c in result.checks if c.check == "braille-readback"
                   and c.locale == "ar" and c.severity == "warning")
    assert "IVF" in warning.metrics["latin_words"] and not warning.blocks
    assert not Transcriber("ar-ar-g1.utb", lambda t, **k: t, "arabic").emphasis
    assert Transcriber("en-ueb-g2.ctb", lambda t, **k: t, "latin").emphasis


def _real(shipped, locale="en", output="braille"):
    root, _ = shipped
    name = "non-obstructive-azoospermia" + ("-handout" if output.startswith("handout") else "")
    ext = ".brf" if output in ("braille", "handout-braille") else ".brl.txt"
    return root, (root / "build" / locale / (name + ext)).read_bytes()


def _job(root, locale="en"):
    from pipeline.build import load_project
    from pipeline.render.html import stamp
    from pipeline.translate.localize import localize
    project = load_project(root, Selection(locales=(locale,), formats=("braille",)))
    job = localize(project.config, project.theme, project.documents, (locale,))[0]
    return job.doc, stamp(job.doc, job.labels), project.config


def test_format_gate_fails_on_long_lines_stray_characters_and_long_pages(shipped):
    root, data = _real(shipped)
    doc, _, cfg = _job(root)
    assert format_check(doc, "braille", data, cfg.braille)[0].passed
    first, rest = data.split(b"\r\n", 1)
    long = first + b"  ,TOO LONG" + b"\r\n" + rest
    result = format_check(doc, "braille", long, cfg.braille)[0]
    assert not result.passed and "page 1 line 1 has" in result.message
    stray = data.replace(b",", b"~", 1)
    assert "U+007E" in format_check(doc, "braille", stray, cfg.braille)[0].message
    tall = data.replace(b"\f", b"\r\n" * 3 + b"\f", 1)
    assert "page 1 has 28 lines" in format_check(doc, "braille", tall, cfg.braille)[0].message
    bare = data.replace(b"\r\n", b"\n", 1)
    assert "CR LF" in format_check(doc, "braille", bare, cfg.braille)[0].message
    _, preview = _real(shipped, output="braille-text")
    assert format_check(doc, "braille-text", preview, cfg.braille)[0].passed
    bad = preview.replace("\u2800".encode(), " ".encode(), 1)
    assert "U+0020" in format_check(doc, "braille-text", bad, cfg.braille)[0].message


def test_readback_gate_fails_when_text_or_the_disclaimer_is_lost(shipped):
    root, data = _real(shipped)
    doc, stamp, cfg = _job(root)
    pages = data.split(b"\f")
    results = readback_check(doc, "braille", data, stamp, cfg, "article")
    assert all(r.passed for r in results)
    # Drop two pages from the middle: far fewer words come back.
    short = b"\f".join(pages[:2] + pages[4:])
    share = readback_check(doc, "braille", short, stamp, cfg, "article")[0]
    assert not share.passed and share.metrics["share"] < 98 and share.blocks
    # Blank out the disclaimer's first line on the last page.
    last = pages[-1].split(b"\r\n")
    line = next(i for i, l in enumerate(last) if l.strip().startswith(b",? 9=MA;N"))
    last[line] = b""
    cut = b"\f".join(pages[:-1] + [b"\r\n".join(last)])
    disclaimer = [r for r in readback_check(doc, "braille", cut, stamp, cfg, "article")
                  if r.check == "required-text" and "disclaimer" in r.message]
    assert disclaimer and not disclaimer[0].passed
    assert str(disclaimer[0].location).startswith("source/_shared/disclaimer.md")


def test_handout_budget_is_a_warning(shipped):
    root, data = _real(shipped, output="handout-braille")
    doc, _, cfg = _job(root)
    tight = config.Config(**{**{f: getattr(cfg, f) for f in cfg.__slots__},
                             "braille": cfg.braille.__class__(handout_pages=1)})
    result = budget_check(doc, "handout-braille", data, tight.braille)[0]
    assert not result.passed and result.severity == "warning" and not result.blocks
    assert str(result.location).startswith("source/non-obstructive-azoospermia.md")


def test_lines_break_between_print_characters_only():
    table = "en-ueb-g2.ctb"
    text = "knowledge " * 6
    cells, positions = louis.translate_positions(table, text.strip())
    lines = wrap(Piece(cells, positions, text.strip()), 12, 12)
    assert all(len(line) <= 12 for line in lines)
    assert BLANK.join(lines) == cells  # words moved whole, never divided
    url = "https://www.example.org/a/very/long/path/to/some/page/that/will/not/fit.html"
    forms = [louis.NO_CONTRACT] * len(url)
    cells, positions = louis.translate_positions(table, url, forms)
    lines = wrap(Piece(cells, positions, url), 40, 40)
    assert len(lines) > 1 and all(l.endswith(CONTINUATION) for l in lines[:-1])
    assert all(len(line) <= 40 for line in lines)
    joined = flow([lines + ["number"]], "bottom")
    assert louis.back_translate(table, joined) == louis.back_translate(table, cells)
    zh = "无精子症是指精液中完全没有精子。" * 4
    cells, positions = louis.translate_positions("zhcn-cbs.ctb", zh)
    lines = wrap(Piece(cells, positions, zh), 40, 40, continuation=False)
    assert all(len(line) <= 40 for line in lines[:-1]) and len(lines) > 1
    assert sum(len(line) for line in lines) >= len(cells) - lines.count("") - len(lines)
    assert all(not line.endswith(CONTINUATION) for line in lines)


@pytest.mark.parametrize("setting, needle", [
    ('cells = 10', "cells = 10"),
    ('lines = "25"', "wrong type"),
    ('page_numbers = "left"', "unknown page_numbers"),
    ('margin = 2', "unknown setting `margin`"),
    ('tables = { en = "../../etc/passwd" }', "not a liblouis table name"),
])
def test_braille_settings_are_checked_with_their_line(project, setting, needle):
    project.write("pyproject.toml", project.read("pyproject.toml")
                  + f"\n[tool.plainpress.braille]\n{setting}\n")
    with pytest.raises(ConfigError) as caught:
        config.load(project.root)
    assert needle in str(caught.value) and "pyproject.toml:" in str(caught.value)


def test_a_table_liblouis_cannot_compile_stops_the_build_before_anything_is_written(project):
    project.write("pyproject.toml", project.read("pyproject.toml")
                  + '\n[tool.plainpress.braille.tables]\nen = "no-such-table.ctb"\n')
    with pytest.raises(ConfigError) as caught:
        build(project.root, Selection(formats=("braille",)))
    assert "no-such-table.ctb" in str(caught.value) and caught.value.exit_code == 2
    assert not (project.root / "build" / "en").exists()


def test_liblouis_data_is_in_the_fingerprint(tmp_path, monkeypatch):
    louis.data_digest.cache_clear()
    monkeypatch.setenv("LOUIS_TABLEPATH", str(tmp_path))
    before = louis.data_digest()
    (tmp_path / "extra.ctb").write_text("include en-ueb-g1.ctb\n")
    louis.data_digest.cache_clear()
    assert louis.data_digest() != before
    louis.data_digest.cache_clear()

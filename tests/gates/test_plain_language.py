"""The plain-language gate on seeded handouts in en, es, ar and zh_Hans: each problem is found
once, at its source line, and nothing else is."""

from __future__ import annotations

import io
import re

import pytest

from pipeline.gates import plain_language as pl
from pipeline.gates import plain_text as pt
from pipeline.read import reader
from pipeline.settings import config

HEAD = """\
---
title: {title}
summary: {title}.
reviewed: 2025-08
reviewed_by: Test Review Team
url: https://example.org/seeded
---

{intro}

:::: handout
"""

# Each locale: the handout body (after the `:::: handout` line, which is line 11) and what the
# gate must find there: kind → source line. The long sentence sits on the second line of its
# paragraph; the key points come last and nothing tells the reader what to do.
SEEDED = {
    "en": ("Seeded topic", "An intro.", """\
## Why sperm tests matter

Your doctor may find oligozoospermia in a sperm test.

Your visit starts at the front desk.
When you and your partner come to the clinic for the first visit, the nurse will ask you about your health, your past illnesses, the medicines you take now, the work you do every day and the things you eat and drink each week.

The sample is checked by the lab.

A physician reads the result.

::: key-points
- A sperm test looks at your semen.
- Your doctor explains the result.
:::
::::
""", {"rare": 14, "long": 17, "passive": 19, "plainer": 21}),
    "es": ("Tema de prueba", "Una introducción.", """\
## Por qué importa el análisis

El médico puede encontrar criptorquidia en la revisión.

Su visita empieza en la recepción.
Cuando usted y su pareja vengan a la clínica por primera vez, la enfermera le va a hacer preguntas sobre su salud, sobre las enfermedades que tuvo antes, sobre las medicinas que toma ahora, sobre el trabajo que hace cada día y sobre lo que come.

La muestra es analizada por el laboratorio.

Vamos a utilizar una muestra pequeña.

::: key-points
- El análisis mira su semen.
- Su médico le explica el resultado.
:::
::::
""", {"rare": 14, "long": 17, "passive": 19, "plainer": 21}),
    "ar": ("موضوع تجريبي", "مقدمة قصيرة.", """\
## لماذا يهم تحليل السائل المنوي

قد يجد الطبيب اللانطفية في تحليل السائل المنوي.

تبدأ زيارتك عند مكتب الاستقبال.
عندما تأتي أنت وزوجتك إلى العيادة أول مرة ستسألك الممرضة عن صحتك وعن الأمراض التي أصابتك من قبل وعن الأدوية التي تأخذها الآن وعن العمل الذي تقوم به كل يوم وعن الطعام الذي تأكله كل أسبوع وعن النوم وعن الرياضة.

::: key-points
- التحليل ينظر إلى السائل المنوي.
- الطبيب يشرح لك النتيجة.
:::
::::
""", {"rare": 14, "long": 17}),
    "zh_Hans": ("测试主题", "一段介绍。", """\
## 为什么精液检查很重要

医生说您可能有附睾炎。

您先去前台。
当您和您的伴侣第一次来到诊所的时候，护士会问您的健康情况、您以前得过的病、您现在吃的药、您每天做的工作，还有您每个星期吃什么和喝什么东西。

::: key-points
- 精液检查会看您的精液。
- 医生会给您解释结果。
:::
::::
""", {"rare": 14, "long": 17}),
}


def _project(project, locale: str):
    title, intro, body, expected = SEEDED[locale]
    project.write("pyproject.toml", f'[tool.plainpress]\norganisation = "Test Clinic"\n'
                                    f'source_locale = "{locale}"\nlocales = ["{locale}"]\n')
    project.write("source/seeded.md", HEAD.format(title=title, intro=intro) + body)
    cfg = config.load(project.root)
    return cfg, reader.read_document(cfg, "seeded"), expected


def _findings(results):
    """kind → [line] of the warnings, and the structure result."""
    found: dict[str, list[int]] = {}
    kinds = {"rare word": "rare", "sentence of": "long", "passive voice": "passive",
             "has a plainer word": "plainer"}
    for result in results:
        for phrase, kind in kinds.items():
            if result.check == pl.CHECK and phrase in result.message:
                found.setdefault(kind, []).append(result.location.line)
    return found


@pytest.mark.parametrize("locale", list(SEEDED))
def test_seeded_problems_are_each_flagged_once_at_their_line(project, locale):
    cfg, doc, expected = _project(project, locale)
    results = pl.evaluate(doc, cfg, "handout", None, False)
    assert all(r.location.path == "source/seeded.md" for r in results)
    found = _findings(results)
    assert found == {kind: [line] for kind, line in expected.items()}, [r.message for r in results]
    structure = next(r for r in results if r.message.startswith("structure"))
    failing = {item["id"] for item in structure.metrics["items"] if not item["passed"]}
    assert failing == {"main-message-first", "action"}
    assert not structure.passed and structure.metrics["score"] == 71
    summary = next(r for r in results if r.check == pl.SUMMARY)
    assert summary.metrics["not_a_grade"] is (locale in ("ar", "zh_Hans"))
    assert ("not a grade" in summary.message) is (locale in ("ar", "zh_Hans"))
    flagged = [line for line in summary.metrics["lines"] if line["long"]]
    assert len(flagged) == 1 and flagged[0]["location"] == f"source/seeded.md:{expected['long']}"


def test_rare_word_explained_at_first_use_is_not_flagged(project):
    cfg, doc, _ = _project(project, "en")
    text = project.read("source/seeded.md").replace(
        "in a sperm test.", "in a sperm test. Oligozoospermia means too few sperm.")
    project.write("source/seeded.md", text)
    doc = reader.read_document(cfg, "seeded")
    assert "rare" not in _findings(pl.evaluate(doc, cfg, "handout", None, False))


def test_key_points_first_and_an_action_make_the_structure_whole(project):
    cfg, doc, _ = _project(project, "en")
    text = project.read("source/seeded.md")
    box = re.search(r"::: key-points\n.*?\n:::\n", text, re.S).group(0)
    text = text.replace(box, "").replace(":::: handout\n", ":::: handout\n" + box + "\n")
    text = text.replace("::::\n", "## What you can do\n\n- Tell your doctor about your "
                                  "medicines.\n- Ask when the result is ready.\n::::\n")
    project.write("source/seeded.md", text)
    doc = reader.read_document(cfg, "seeded")
    structure = next(r for r in pl.evaluate(doc, cfg, "handout", None, False)
                     if r.message.startswith("structure"))
    assert structure.passed and structure.metrics["score"] == 100


def test_rendered_page_one_decides_the_first_screen(project):
    """On the real handout PDF the key points at the end are not on the first screen."""
    from pipeline.gates.subject import Subject
    from pipeline.model import Artifact
    from pipeline.outputs import output
    from pipeline.render import Renderers
    from pipeline.settings import theme as theme_mod
    from pipeline.settings.labels import Labels

    cfg, doc, _ = _project(project, "en")
    row = output("handout")
    data = Renderers(cfg, theme_mod.load(cfg)).render(doc, row, Labels(), cfg.page_size)
    subject = Subject(doc, row, Artifact("seeded", "en", "handout", "en/x.pdf", data),
                      Labels(), "", cfg, theme_mod.load(cfg))
    results = pl.check(subject)
    structure = next(r for r in results if r.message.startswith("structure"))
    first = next(i for i in structure.metrics["items"] if i["id"] == "main-message-first")
    assert not first["passed"] and "page 1" in first["detail"]
    assert first["location"] == "source/seeded.md:23"


def test_plainer_words_come_from_the_locale_table_and_authors_can_add(project):
    cfg, doc, _ = _project(project, "en")
    project.write("styles/plain-words/en.toml", '[words]\n"front desk" = "reception"\n')
    results = pl.evaluate(doc, cfg, "handout", None, False)
    plainer = [r for r in results if r.check == pl.CHECK and "plainer word" in r.message]
    assert [(r.location.line, "“reception”" in r.hint) for r in plainer] == [(16, True)]


def test_a_broken_table_is_an_error_naming_the_file(project):
    cfg, doc, _ = _project(project, "en")
    project.write("styles/plain-words/en.toml", "[words\n")
    with pytest.raises(ValueError, match="en.toml"):
        pt.substitutions(cfg.styles_dir, "en")


def test_config_thresholds_by_locale(project):
    project.write("pyproject.toml", '[tool.plainpress]\norganisation = "T"\n'
                                    '[tool.plainpress.plain_language]\n'
                                    'rare_zipf = { default = 2.5, zh = 3.5 }\n'
                                    'sentence_limit = 18\n')
    cfg = config.load(project.root)
    assert cfg.plain.limit("rare_zipf", "zh_Hans") == 3.5
    assert cfg.plain.limit("rare_zipf", "en") == 2.5
    assert cfg.plain.limit("sentence_limit", "es") == 18  # one number: every locale
    assert cfg.plain.limit("sentence_limit", "zh") == 18
    project.write("pyproject.toml", '[tool.plainpress]\norganisation = "T"\n'
                                    '[tool.plainpress.plain_language]\nrare_zipf = "low"\n')
    with pytest.raises(config.ConfigError) as err:
        config.load(project.root)
    assert err.value.loc.line == 4


@pytest.mark.slow
def test_shipped_handouts_have_a_plain_language_section_with_key_points_first(tmp_path):
    """The repository's own handouts, built in every locale: each has its summary in
    report.json (score, findings with source lines, marked sentences), the key points on the
    first screen of page 1, and its section in report.html."""
    import json
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    root = tmp_path / "shipped"
    for name in ("source", "locales", "styles"):
        shutil.copytree(repo / name, root / name)
    shutil.copy(repo / "pyproject.toml", root / "pyproject.toml")
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "-C", str(root), "build", "-q",
                           "--format", "handout"], capture_output=True, text=True, cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((root / "build" / "report.json").read_text("utf-8"))
    page = (root / "build" / "report.html").read_text("utf-8")
    summaries = {c["locale"]: c for c in report["checks"] if c["check"] == pl.SUMMARY}
    assert set(summaries) == {"en", "es", "ar", "zh_Hans"}
    for locale, summary in summaries.items():
        metrics = summary["metrics"]
        first = next(i for i in metrics["items"] if i["id"] == "main-message-first")
        assert first["passed"], (locale, first)
        assert metrics["score"] >= 70 and metrics["lines"]
        assert all(f["location"].startswith("source/non-obstructive-azoospermia.md:")
                   for f in metrics["findings"])
        assert metrics["not_a_grade"] is (locale in ("ar", "zh_Hans"))
        assert f'id="plain-non-obstructive-azoospermia-{locale}"' in page
    assert page.count("Statistics, not a grade") == 2
    assert '<mark class="rare"' in page and '<mark class="passive"' in page


def test_report_marks_rare_plainer_and_passive_words_inside_the_sentence():
    from pipeline.report.plain import pieces

    line = {"text": "A physician said oligozoospermia is found often.", "rare": ["oligozoospermia"],
            "plainer": [{"word": "physician", "suggestion": "doctor"}], "passive": "is found"}
    marked = [(p["text"], p["kind"]) for p in pieces(line) if p["kind"]]
    assert marked == [("physician", "plainer"), ("oligozoospermia", "rare"),
                      ("is found", "passive")]
    assert "".join(p["text"] for p in pieces(line)) == line["text"]


def test_pseudo_locales_and_languages_without_frequencies_are_left_out(project):
    from types import SimpleNamespace

    cfg, doc, _ = _project(project, "en")
    for locale, expected in (("en", True), ("zh_Hans", True), ("en_XA", False),
                             ("ar_XB", False), ("chr", False)):
        subject = SimpleNamespace(doc=SimpleNamespace(locale=locale), config=cfg)
        assert pl.applies(subject) is expected, locale

"""Figures our gates take from library data, pinned for fixed inputs (drift canaries).

Why: the gates read data that ships inside libraries (CLDR through Babel, textstat's formulas,
Pyphen's dictionaries, the CMU dictionary) and inside system font packages. The lock keeps the
Python ones steady for `make`; these tests make a change visible the day it comes, in
`make test-latest`, before `make lock` takes it in. Each expected figure was worked out by hand
from the published formula (Flesch–Kincaid: 0.39·words/sentence + 11.8·syllables/word − 15.59;
Szigriszt-Pazos: 206.835 − 62.3·syllables/word − words/sentence) or read off CLDR's charts.
The plural rules are not pinned here: `pipeline/i18n/plurals.py` accepts CLDR's rule of any
Babel and the rules translators' tools write, and its tests derive CLDR's from the running Babel.
"""

from __future__ import annotations

import pytest

from pipeline.settings.locale import direction, month_year, script
from pipeline.gates.readability import measure

EN = ["Azoospermia means there are no sperm in semen.",
      "Many people with it can still have a child who is genetically theirs.",
      "Finding the cause helps your care team plan the next steps."]
ES = ["La azoospermia significa que no hay espermatozoides en el semen.",
      "Muchas personas con esta condición pueden tener un hijo biológico.",
      "Saber la causa ayuda a su equipo médico a planear los pasos."]


def test_english_reading_figures():
    reading = measure(EN, "en")
    assert reading.stats["words"] == 32 and reading.stats["syllables_per_word"] == 1.28
    assert reading.value == 3.7  # 0.39 × 10.67 + 11.8 × 1.28 − 15.59
    assert reading.secondary == {"smog": 7.8}


def test_spanish_reading_figures():
    reading = measure(ES, "es")
    assert reading.stats["words"] == 32 and reading.stats["syllables_per_word"] == 1.97
    assert reading.value == 73.5  # 206.835 − 62.3 × 1.97 − 10.67


@pytest.mark.parametrize("locale,month,direction_,script_", [
    ("en", "August 2025", "ltr", "latin"),
    ("es", "agosto de 2025", "ltr", "latin"),
    ("ar", "أغسطس 2025", "rtl", "arabic"),
    ("zh_Hans", "2025年8月", "ltr", "cjk"),
])
def test_cldr_facts_the_outputs_print(locale, month, direction_, script_):
    """The review stamp's month, the page direction and the font slot of each shipped locale."""
    assert month_year(2025, 8, locale) == month
    assert direction(locale) == direction_
    assert script(locale) == script_


@pytest.mark.parametrize("family,text", [
    ("Atkinson Hyperlegible", "Azoospermia ñ é ü — “”"),
    ("Noto Sans Arabic", "لا توجد حيوانات منوية ٥٠٪"),
    ("Noto Sans CJK SC", "无精子症的原因"),
])
def test_the_theme_fonts_cover_the_shipped_scripts(family, text):
    """The glyph gate's data: the installed font files have every character of each script."""
    from pipeline.settings.fonts import coverage
    cmap = coverage(family)
    assert cmap, f"{family} is not installed (run make)"
    assert [c for c in text if c != " " and ord(c) not in cmap] == []

"""Pseudo-locales: every piece of text in every output must have gone through translation."""

from __future__ import annotations

import re

import pytest
from babel.dates import get_month_names

from pipeline.readback.docx import docx_text
from pipeline.readback.pdf_blocks import blocks
from pipeline.readback.text import html_text
from pipeline.cli import main

URL = re.compile(r"\S+://\S+|\S+\.(?:org|com)\S*")


def untranslated(text: str) -> list[str]:
    """Words that still hold plain ASCII vowels (pseudo-translation accents every vowel)."""
    allowed = {name.lower() for name in get_month_names(locale="en").values()}
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", URL.sub(" ", text))
    return [w for w in words if re.search(r"[aeiouAEIOU]", w) and w.lower() not in allowed]


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["en_XA", "ar_XB"])
def test_no_text_bypasses_translation(project, locale):
    main(["-C", str(project.root), "build", "--locale", locale])
    out = project.root / "build" / locale
    found = {}
    for name in ("sample.pdf", "sample-handout.pdf", "sample-handout-large.pdf"):
        for block in blocks((out / name).read_bytes()):
            if untranslated(block.text):
                found.setdefault(name, []).append(block.text)
    lines = docx_text((out / "sample.docx").read_bytes()).splitlines()
    found["sample.docx"] = [line for line in lines if untranslated(line)]
    body = html_text((out / "sample.html").read_bytes())
    found["sample.html"] = [line for line in body.splitlines() if untranslated(line)]
    found = {name: texts for name, texts in found.items() if texts}
    assert not found, f"text that did not pass through translation: {found}"


def test_pseudo_text_is_longer_and_bracketed(project):
    from pipeline.translate.pseudo import pseudo_text
    text = pseudo_text("Short words. Short lines.", "en_XA")
    assert text.startswith("\\[") and text.endswith("\\]")
    assert len(text) >= 1.4 * len("Short words. Short lines.")
    assert not re.search(r"[aeiou]", text)

"""Gates: each judges a rendered artifact (and the model it came from) and returns results.

`GATES` is the one registry: gate id → the module (in this package) that implements it. Every
module has `check(subject) -> list[CheckResult]` and may have `applies(subject) -> bool`; which
gates run on which output is the `gates` column of `pipeline.outputs`. `glyphs` is the one gate
of the localized model itself: it runs before rendering (`glyphs.check_model`).
"""

from __future__ import annotations

GATES: dict[str, str] = {
    "required-text": "required_text",
    "text-fidelity": "fidelity",
    "pdf-ua": "pdf_ua",
    "docx-a11y": "docx_a11y",
    "page-budget": "page_budget",
    "min-text-size": "text_size",
    "reading-level": "reading_level",
    "jargon": "jargon",
    "braille-format": "braille_format",
    "braille-readback": "braille_readback",
    "braille-page-budget": "braille_page_budget",
    "plain-language": "plain_language",
    "epubcheck": "epub_check",
    "ace": "ace",
    "media-overlays": "media_overlays",
    "audio": "audio",
}

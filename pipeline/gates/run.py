"""Run every gate registered for an artifact's output, on the rendered bytes."""

from __future__ import annotations

from functools import lru_cache

from pipeline.settings.config import Config
from pipeline.model import Artifact, CheckResult, Document
from pipeline.settings.theme import Theme
from pipeline.gates import GATES_BY_OUTPUT
from pipeline.readback.text import ArtifactUnreadable


MIN_TEXT_PT = {"handout": 12.0, "handout-large": 18.0}
"""The product's floors (large print: APH/ACB guidance), not the theme's: a theme that asks
for smaller text fails the gate instead of lowering it."""


def _min_size(theme: Theme, output: str) -> float:
    return MIN_TEXT_PT[output]


def gate(doc: Document, artifact: Artifact, stamp: str, config: Config, theme: Theme
         ) -> list[CheckResult]:
    """All gate results for one artifact; an unreadable artifact is one failed result."""
    from pipeline.gates import jargon, page_budget, reading_level, required_text, text_size

    output, data = artifact.output, artifact.data
    results: list[CheckResult] = []
    for check in GATES_BY_OUTPUT[output]:
        try:
            if check == "required-text":
                results += required_text.check(doc, output, data, stamp)
            elif check == "text-fidelity":
                from pipeline.gates import fidelity
                results += fidelity.check(doc, output, data, stamp)
            elif check == "pdf-ua":
                from pipeline.gates import pdf_ua
                results += pdf_ua.check(data, document=doc.id, locale=doc.locale, output=output)
            elif check == "docx-a11y":
                from pipeline.gates import docx_a11y
                results += docx_a11y.check(data, document=doc.id, locale=doc.locale)
            elif check == "page-budget":
                results += page_budget.check(doc, output, pages(data))
            elif check == "min-text-size":
                results += text_size.check(data, document=doc.id, locale=doc.locale,
                                           output=output, minimum=_min_size(theme, output))
            elif check == "reading-level":
                if output == "docx":
                    from pipeline.readback.docx import docx_text
                    units = docx_text(data).splitlines()
                else:
                    from pipeline.readback.pdf_blocks import blocks
                    units = [block.text for block in blocks(data)]
                results += reading_level.check(doc, output, units, stamp, config.reading)
            elif check == "jargon" and doc.locale == config.source_locale:
                results += jargon.check(doc, config.jargon, output)
        except ArtifactUnreadable as exc:
            results.append(CheckResult(check, doc.id, doc.locale, output, "error", False,
                                       str(exc), artifact.filename, "rebuild the artifact"))
        except Exception as exc:  # a corrupt file must be reported, not crash the build
            if not _is_parse_error(exc):
                raise
            results.append(CheckResult(check, doc.id, doc.locale, output, "error", False,
                                       f"the {output} cannot be read: {exc}", artifact.filename,
                                       "rebuild the artifact"))
    return results


@lru_cache(maxsize=4)
def pages(data: bytes) -> int:
    """Pages of a PDF (cached on the bytes: the budget gate and the report both ask)."""
    import io

    import pikepdf
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def _is_parse_error(exc: Exception) -> bool:
    """Errors that mean "this file is damaged", from the libraries that read artifacts."""
    import zipfile

    import pikepdf
    from pypdf.errors import PyPdfError
    return isinstance(exc, (pikepdf.PdfError, PyPdfError, zipfile.BadZipFile, KeyError,
                            ValueError))

"""Gate `braille-format`: every line fits the cell width, every page the line count, and the
file holds only characters an embosser takes (the 64 ASCII braille characters, CR, LF, form
feed; for the preview, six-dot cells of the U+2800 block, LF, form feed). The first page goes
into the result's metrics, for the report's preview.
"""

from __future__ import annotations

import re

from pipeline.model import CheckResult, Document
from pipeline.readback.braille import BLANK, BRF_CHARACTERS, read_brf, read_text

CHECK = "braille-format"


def _pages(output: str, data: bytes) -> list[list[str]]:
    return read_brf(data) if output.endswith("braille") else read_text(data)


def format_check(doc: Document, output: str, data: bytes, settings) -> list[CheckResult]:
    """Cell width, line count and legal characters, each problem named by page and line."""
    def result(passed: bool, message: str, hint: str | None = None, **metrics):
        return CheckResult("braille-format", doc.id, doc.locale, output, "error", passed,
                           message, doc.path, hint, metrics)

    problems = []
    if output.endswith("braille"):
        text = data.decode("latin-1")
        bad = sorted({c for c in text if c not in BRF_CHARACTERS and c not in "\r\n\f"})
        stray = re.search(r"\r(?!\n)|(?<!\r)\n", text)
        if stray:
            problems.append("a line does not end in CR LF")
    else:
        text = data.decode("utf-8", "replace")
        bad = sorted({c for c in text if not ("\u2800" <= c <= "\u283f") and c not in "\n\f"})
    if bad:
        shown = ", ".join(f"U+{ord(c):04X}" for c in bad[:8])
        problems.append(f"characters that are not braille cells: {shown}")
    pages = _pages(output, data)
    for number, page in enumerate(pages, 1):
        if len(page) > settings.lines:
            problems.append(f"page {number} has {len(page)} lines, more than {settings.lines}")
        for line_no, line in enumerate(page, 1):
            if len(line) > settings.cells:
                problems.append(f"page {number} line {line_no} has {len(line)} cells, more "
                                f"than {settings.cells}")
    first = "\n".join(line.replace(" ", BLANK) for line in pages[0]) if pages else ""
    metrics = {"pages": len(pages), "cells": settings.cells, "lines": settings.lines,
               "first_page": first}
    if problems:
        return [result(False, f"the {output} breaks the braille page format: "
                       + "; ".join(problems[:5]) + ("; …" if len(problems) > 5 else ""),
                       "rebuild it; if it persists, report the layout bug with this file",
                       **metrics)]
    return [result(True, f"{len(pages)} braille page(s) of at most {settings.lines} lines × "
                   f"{settings.cells} cells, braille characters only", **metrics)]


def check(subject) -> list[CheckResult]:
    return format_check(subject.doc, subject.output, subject.data, subject.config.braille)

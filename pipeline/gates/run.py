"""Run the gates of an artifact's output row, in order, on its bytes.

A damaged artifact is a finding, not a crash: the readers raise `ArtifactUnreadable`, and the
parse errors of the libraries that read PDF and DOCX files are turned into it here. Any other
exception inside a gate is a bug and propagates (it used to be reported as a damaged file).
"""

from __future__ import annotations

import importlib
import zipfile

from pipeline.gates import GATES
from pipeline.gates.subject import Subject
from pipeline.model import CheckResult
from pipeline.readback.text import ArtifactUnreadable


def _parse_errors() -> tuple[type[Exception], ...]:
    """What pikepdf, pypdf, zipfile and lxml raise for a file that is not what it claims."""
    import pikepdf
    from lxml import etree
    from pypdf.errors import PyPdfError
    return (pikepdf.PdfError, PyPdfError, zipfile.BadZipFile, etree.XMLSyntaxError)


def gate(subject: Subject) -> list[CheckResult]:
    """Every result of every gate the subject's output row lists."""
    results: list[CheckResult] = []
    for gate_id in subject.row.gates:
        module = importlib.import_module(f"pipeline.gates.{GATES[gate_id]}")
        if hasattr(module, "applies") and not module.applies(subject):
            continue
        try:
            results += module.check(subject)
        except (ArtifactUnreadable, *_parse_errors()) as exc:
            results.append(CheckResult(gate_id, subject.doc.id, subject.doc.locale,
                                       subject.output, "error", False,
                                       f"the {subject.output} cannot be read: {exc}",
                                       subject.artifact.filename, "rebuild the artifact"))
    return results

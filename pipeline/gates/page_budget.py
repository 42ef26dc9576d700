"""Gate: a handout fits its page budget (2 pages = one sheet printed on both sides; large
print 4: the `page_budget` column of `pipeline.outputs`), counted on the rendered PDF."""

from __future__ import annotations

from pipeline.model import CheckResult, Document

CHECK = "page-budget"
def evaluate(doc: Document, output: str, pages: int, budget: int) -> list[CheckResult]:
    ok = pages <= budget
    message = (f"{pages} page(s), budget {budget}" if ok else
               f"the {output} runs to {pages} pages, over its budget of {budget}")
    return [CheckResult(CHECK, doc.id, doc.locale, output, "error", ok, message,
                        str(doc.handout_loc), None if ok else
                        "shorten the handout container (fewer or shorter sections)",
                        {"pages": pages, "budget": budget})]


def check(subject) -> list[CheckResult]:
    from pipeline.readback.pdf_blocks import page_count
    return evaluate(subject.doc, subject.output, page_count(subject.data),
                    subject.row.page_budget)

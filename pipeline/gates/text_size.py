"""Gate: the smallest text actually painted in a PDF, measured from its content streams.

The effective size of a glyph run is the `Tf` size scaled by the text matrix and the current
transformation matrix (WeasyPrint draws in CSS pixels under a 0.75 `cm`), so the figure is what
a ruler on the printed page would show, not what the CSS asked for. Each run is attributed to
its structure element (through its MCID) so that a failure names the element and the page.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from pipeline.model import CheckResult

CHECK = "min-text-size"


@dataclass(frozen=True, slots=True)
class Run:
    """One text-showing operator and where it is."""

    size: float
    page: int
    element: str
    """Structure type (`P`, `H2`, `Artifact` …) of the marked content around it."""


def _mul(a, b):
    """Multiply two PDF matrices [a b c d e f] (row vector convention: a × b)."""
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def _vertical_scale(m) -> float:
    return math.hypot(m[2], m[3])


def _struct_types(pdf) -> dict[tuple[int, int], str]:
    """(page index, MCID) → structure type, from the ParentTree."""
    import pikepdf

    found: dict[tuple[int, int], str] = {}
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return found
    nums = root.ParentTree.get("/Nums", pikepdf.Array())
    page_of = {}
    for index, page in enumerate(pdf.pages):
        if "/StructParents" in page:
            page_of[int(page.StructParents)] = index
    for i in range(0, len(nums) - 1, 2):
        key, value = int(nums[i]), nums[i + 1]
        if key in page_of and isinstance(value, pikepdf.Array):
            for mcid, element in enumerate(value):
                if isinstance(element, pikepdf.Dictionary) and "/S" in element:
                    # Text sits in Span children; the block around it is what a person knows.
                    while (str(element.S) in ("/Span", "/NonStruct")
                           and isinstance(element.get("/P"), pikepdf.Dictionary)
                           and "/S" in element.P):
                        element = element.P
                    found[(page_of[key], mcid)] = str(element.S)[1:]
    return found


def runs(data: bytes) -> list[Run]:
    """Every text-showing operator with its effective size in points."""
    import pikepdf

    out: list[Run] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        types = _struct_types(pdf)

        def walk(obj, page_index, ctm, resources):
            stack, tm, size, marked = [], [1, 0, 0, 1, 0, 0], 0.0, []
            for operands, operator in pikepdf.parse_content_stream(obj):
                op = str(operator)
                if op == "q":
                    stack.append(ctm)
                elif op == "Q" and stack:
                    ctm = stack.pop()
                elif op == "cm":
                    ctm = _mul([float(v) for v in operands], ctm)
                elif op == "BT":
                    tm = [1, 0, 0, 1, 0, 0]
                elif op == "Tm":
                    tm = [float(v) for v in operands]
                elif op == "Tf":
                    size = float(operands[1])
                elif op in ("BDC", "BMC"):
                    tag = str(operands[0])[1:]
                    props = operands[1] if len(operands) > 1 else None
                    if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                        tag = types.get((page_index, int(props.MCID)), tag)
                    marked.append(tag)
                elif op == "EMC" and marked:
                    marked.pop()
                elif op in ("Tj", "TJ", "'", '"'):
                    scale = _vertical_scale(_mul(tm, ctm))
                    out.append(Run(round(size * scale, 2), page_index + 1,
                                   marked[-1] if marked else "untagged"))
                elif op == "Do" and resources is not None:
                    xobject = resources.get("/XObject", {}).get(str(operands[0]))
                    if xobject is not None and xobject.get("/Subtype") == "/Form":
                        matrix = [float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                        walk(xobject, page_index, _mul(matrix, ctm),
                             xobject.get("/Resources", resources))

        for index, page in enumerate(pdf.pages):
            walk(page, index, [1, 0, 0, 1, 0, 0], page.get("/Resources"))
    return out


def evaluate(data: bytes, *, document: str, locale: str, output: str, minimum: float
          ) -> list[CheckResult]:
    """Fail for every element whose text is smaller than `minimum` points (0.05 pt slack)."""
    found = runs(data)
    smallest = min((run.size for run in found), default=None)
    metrics = {"min_pt": smallest, "required_pt": minimum}
    small = {}
    for run in found:
        if run.size < minimum - 0.05:
            small.setdefault((run.page, run.element), run.size)
    if not small:
        return [CheckResult(CHECK, document, locale, output, "error", True,
                            f"smallest text is {smallest} pt (at least {minimum} pt required)",
                            metrics=metrics)]
    return [CheckResult(CHECK, document, locale, output, "error", False,
                        f"text in a {element} element on page {page} is {size} pt, under the "
                        f"{minimum} pt minimum", None,
                        "raise that element's size in styles/theme.toml or the CSS template",
                        metrics)
            for (page, element), size in sorted(small.items())]


def check(subject) -> list[CheckResult]:
    return evaluate(subject.data, document=subject.doc.id, locale=subject.doc.locale,
                    output=subject.output, minimum=subject.row.min_text_pt)

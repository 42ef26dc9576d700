"""Right-to-left text that every extractor copies out right: one character per glyph position.

WeasyPrint stores Arabic glyphs in visual order. Extractors turn them back into logical order in
two incompatible ways: pypdf reverses the glyphs and keeps each glyph's ToUnicode text as it is;
poppler (`pdftotext`, Evince, Okular) spreads a glyph's text over its width left to right,
sorts by position and reverses the characters. So a glyph that stands for several characters
(the lam-alef ligature "لا") reads "ال" in poppler, and a vowel mark, drawn in a run of its own
shifted over its letter, lands on the wrong side of it ("ُصلبهم"). `/ActualText` does not help:
poppler reverses its characters just the same.

What every extractor agrees on is one character per glyph, in visual order. So, in each
right-to-left cluster (a letter or ligature and the marks drawn over it), every glyph gets at
most one character and the rest ride on *carriers*: empty glyphs of the embedded font with zero
advance, placed at the cluster's edges, each mapped to one character. The page is unchanged
(carriers paint nothing and take no room). Per cluster, the characters in visual order are the
logical text reversed: a ligature's glyph keeps its last letter and carriers after it (at its
left edge) hold the others; a mark's glyph maps to nothing and a carrier before its letter holds
the mark. A mark over a ligature belongs to the component under its centre.

Fonts without a free empty glyph id are left as they were (the text-fidelity gate then reports
what poppler reads).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field

import pikepdf

from pipeline.readback.pdf_fonts import widths

RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_TEXT_OPS = ("Tj", "TJ")
_LINE_OPS = ("BT", "Tm", "Td", "TD", "T*")


def _is_mark(text: str) -> bool:
    return bool(text) and all(unicodedata.combining(c) for c in text)


def _splits(text: str) -> bool:
    return bool(RTL.search(text)) and (len(text) > 1 or _is_mark(text))


@dataclass
class _FontPlan:
    """One Type0 font: its glyphs' texts, widths and outlines, and the carriers it got."""

    font: pikepdf.Dictionary
    text: dict[int, str]
    widths: dict[int, float]
    bounds: dict[int, tuple[int, int]]
    upem: int
    carriers: dict[str, int] = field(default_factory=dict)
    """Character → the empty, zero-width glyph id that carries it."""
    split: frozenset[int] = frozenset()
    """Right-to-left glyphs that stand for a mark or for several characters."""
    marks: frozenset[int] = frozenset()
    """Those of them that are marks."""


@dataclass
class _Glyph:
    """One glyph shown in a text object: where it is in the content stream, and on the page."""

    op: int
    item: int
    offset: int
    code: int
    plan: _FontPlan
    line: int
    x: float
    width: float
    size: float


def _plan(pdf, font, to_unicode) -> _FontPlan | None:
    """What we need of a font, or None when it has nothing to split or cannot take carriers."""
    from fontTools.ttLib import TTFont

    if font.get("/Subtype") != "/Type0" or "/ToUnicode" not in font:
        return None
    descendant = font.DescendantFonts[0]
    if descendant.get("/CIDToGIDMap", "/Identity") != "/Identity":
        return None
    width, text = to_unicode(font)
    needed = sorted({char for t in text.values() if _splits(t) for char in t})
    if width != 2 or not needed:
        return None
    stream = descendant.get("/FontDescriptor", {}).get("/FontFile2")
    if stream is None:
        return None
    tt = TTFont(io.BytesIO(stream.read_bytes()), lazy=True)
    glyf, order = tt["glyf"], tt.getGlyphOrder()
    advances = widths(descendant)
    free = [gid for gid in range(1, len(order)) if gid not in text and gid not in advances
            and glyf[order[gid]].numberOfContours == 0]
    if len(free) < len(needed):
        return None  # every character a carrier may hold gets one up front, or none does
    bounds = {}
    for code in text:
        glyph = glyf[order[code]] if code < len(order) else None
        if glyph is not None and glyph.numberOfContours:
            bounds[code] = (glyph.xMin, glyph.xMax)
    split = frozenset(code for code, t in text.items() if _splits(t))
    return _FontPlan(font, text, advances, bounds, tt["head"].unitsPerEm, dict(zip(needed, free)),
                     split, frozenset(code for code in split if _is_mark(text[code])))


def _glyphs(ops, fonts: dict, plan_for) -> list[_Glyph]:
    """Every glyph of the stream's TJ/Tj in a font with something to split, with its position
    along its line in text space (enough to say which component a mark sits over) and its run
    (`line`: a new one at every line start and font change)."""
    out, plan, size, spacing, scale, pen, line, name = [], None, 0.0, 0.0, 1.0, 0.0, 0, None
    for index, instruction in enumerate(ops):
        op, args = str(instruction.operator), instruction.operands
        if op in _LINE_OPS:
            pen, line = 0.0, line + 1
        elif op == "Tf":
            # Another font starts a new run: a mark never takes a letter of another font.
            line += args[0] != name
            name, plan, size = args[0], plan_for(args[0]), float(args[1])
        elif op == "Tc":
            spacing = float(args[0])
        elif op == "Tz":
            scale = float(args[0]) / 100
        elif op in _TEXT_OPS and plan is not None:
            items = list(args[0]) if op == "TJ" else [args[0]]
            for item_index, item in enumerate(items):
                if not isinstance(item, pikepdf.String):
                    pen -= float(item) / 1000 * size * scale
                    continue
                raw = bytes(item)
                for offset in range(0, len(raw) - 1, 2):
                    code = int.from_bytes(raw[offset:offset + 2], "big")
                    advance = plan.widths.get(code, 1000.0) / 1000 * size
                    out.append(_Glyph(index, item_index, offset, code, plan, line, pen,
                                      advance, size))
                    pen += (advance + spacing) * scale
    return out


def _component(mark: _Glyph, base: _Glyph, parts: int) -> int:
    """Which component of a ligature (0 = logically first = rightmost) a mark is drawn over."""
    if parts == 1 or base.width <= 0:
        return 0
    low, high = mark.plan.bounds.get(mark.code, (0, 0))
    centre = mark.x + (low + high) / 2 / mark.plan.upem * mark.size
    from_right = base.x + base.width - centre
    return min(parts - 1, max(0, int(from_right / (base.width / parts))))


def _carriers(glyphs: list[_Glyph]) -> dict[tuple[int, int, int], tuple[list[int], list[int]]]:
    """(op, item, offset) of a glyph → (carrier codes before it, carrier codes after it)."""
    out: dict[tuple[int, int, int], tuple[list[int], list[int]]] = {}
    pending: list[_Glyph] = []

    def place(glyph: _Glyph, before: str, after: str) -> None:
        carriers = glyph.plan.carriers
        out[(glyph.op, glyph.item, glyph.offset)] = ([carriers[c] for c in before],
                                                     [carriers[c] for c in after])

    def flush_marks_alone() -> None:  # marks with no letter after them: carriers next to them
        for mark in pending:
            place(mark, "", mark.plan.text[mark.code][::-1])
        pending.clear()

    for glyph in glyphs:
        plan = glyph.plan
        if pending and (glyph.line != pending[0].line or plan is not pending[0].plan):
            flush_marks_alone()
        if glyph.code in plan.marks:
            pending.append(glyph)
            continue
        if not pending and glyph.code not in plan.split:
            continue
        text = plan.text.get(glyph.code, "")
        parts = len(text) if glyph.code in plan.split else 1
        marks = [[] for _ in range(max(parts, 1))]
        for mark in reversed(pending):  # marks come before their letter, last one first
            marks[_component(mark, glyph, parts)].append(glyph.plan.text[mark.code])
        pending.clear()
        components = list(text) if parts > 1 else [text]
        visual = "".join(c + "".join(m) for c, m in zip(components, marks))[::-1]
        own = len("".join(marks[-1]))  # the glyph keeps its last letter; marks on it go first
        place(glyph, visual[:own], visual[own + 1:])
    flush_marks_alone()
    return out


def _rewrite(ops, placed) -> bool:
    """Insert the carriers into the TJ/Tj strings; True if anything changed."""
    by_op: dict[int, dict] = {}
    for (op, item, offset), codes in placed.items():
        by_op.setdefault(op, {})[(item, offset)] = codes
    for op, inserts in by_op.items():
        instruction = ops[op]
        is_tj = str(instruction.operator) == "TJ"
        items = list(instruction.operands[0]) if is_tj else [instruction.operands[0]]
        new_items = []
        for item_index, item in enumerate(items):
            if not isinstance(item, pikepdf.String):
                new_items.append(item)
                continue
            raw, buf = bytes(item), bytearray()
            for offset in range(0, len(raw) - 1, 2):
                before, after = inserts.get((item_index, offset), ((), ()))
                buf += b"".join(code.to_bytes(2, "big") for code in before)
                buf += raw[offset:offset + 2]
                buf += b"".join(code.to_bytes(2, "big") for code in after)
            new_items.append(pikepdf.String(bytes(buf)))
        operand = pikepdf.Array(new_items) if is_tj else new_items[0]
        ops[op] = pikepdf.ContentStreamInstruction([operand], instruction.operator)
    return bool(by_op)


def split_clusters(pdf: pikepdf.Pdf, to_unicode, make_cmap) -> bool:
    """Give every right-to-left glyph at most one character (see the module docstring), in the
    open `pdf`. `to_unicode(font)` reads a ToUnicode map, `make_cmap(entries)` writes one.
    True if the PDF changed."""
    plans: dict[tuple, _FontPlan | None] = {}
    changed = False

    def visit(holder, resources, seen):
        nonlocal changed
        fonts = resources.get("/Font", pikepdf.Dictionary()) if resources is not None else {}

        def plan_for(name):
            font = fonts.get(name)
            if font is None:
                return None
            if font.objgen not in plans:
                plans[font.objgen] = _plan(pdf, font, to_unicode)
            return plans[font.objgen]

        ops = pikepdf.parse_content_stream(holder)
        placed = _carriers(_glyphs(ops, fonts, plan_for))
        if placed and _rewrite(ops, placed):
            data = pikepdf.unparse_content_stream(ops)
            if isinstance(holder, pikepdf.Page):
                holder.Contents = pdf.make_stream(data)
            else:
                holder.write(data)
            changed = True
        xobjects = resources.get("/XObject", {}) if resources is not None else {}
        for name in sorted(xobjects.keys()):
            form = xobjects[name]
            if form.get("/Subtype") == "/Form" and form.objgen not in seen:
                seen.add(form.objgen)
                visit(form, form.get("/Resources", resources), seen)

    seen: set = set()
    for page in pdf.pages:
        visit(page, page.get("/Resources"), seen)
    for plan in filter(None, plans.values()):
        entries = {code: ("" if code in plan.marks else text[-1]) if code in plan.split else text
                   for code, text in plan.text.items()}
        entries.update((code, char) for char, code in plan.carriers.items())
        plan.font.ToUnicode = pdf.make_stream(make_cmap(entries))
        descendant = plan.font.DescendantFonts[0]
        descendant.W = pikepdf.Array([*descendant.get("/W", []), *(
            item for code in sorted(plan.carriers.values())
            for item in (code, pikepdf.Array([0])))])
        changed = True
    return changed

"""Gate: the text read back from an artifact is the localized model's text, in reading order.

Why: a renderer can lose a paragraph, paint a box for a glyph its font lacks (the text layer
still says the right letter) or scramble the reading order; that shows only in the file.

The model is walked as the templates lay it out (title, summary, body or handout, contact,
disclaimer, stamp). Each unit (heading, paragraph, list item without its nested lists, table
cell, caption, alt text) must occur after the previous one, squashed (`readback.squash`, bidi
marks dropped); labels ("Key points"), furniture and the QR address may sit in between. Read:
the PDF structure tree (`pdf_blocks`, as assistive technology; figures by `/Alt`), the DOCX
body (`docx_text`), the HTML page (`html_text`).

Right-to-left PDFs: WeasyPrint stores Arabic glyphs in visual order, ToUnicode in logical order;
pypdf restores each Arabic word but puts digits, Latin words, punctuation and some spaces in
visual positions. So a PDF unit with RTL letters (every unit of an RTL document) must equal the
next structure block(s) as a multiset of characters, and each of its words (vowel signs aside)
must read, letters in order, in those blocks with spaces removed. Proven: no character lost,
added or changed; each word's letters and the blocks in logical order. Not proven: the order of
words, digits and punctuation inside a block, or which letter carries a vowel sign.

Two readers: after pypdf's structure-block comparison, a PDF is read again with poppler's
`pdftotext`, the text Evince and Okular copy out (`copy_text`): every unit must read right
there too (right-to-left units word by word, marks included).

Missing glyphs: U+FFFD or control characters in the readback (pypdf's sign of a broken font
map); in PDFs a painted glyph that is `.notdef`, not in the font, or blank for a non-space (an
empty glyph of zero advance paints nothing by design: it carries text, see `pdf_rtl_text`).
"""

from __future__ import annotations

import io
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from itertools import accumulate

from pipeline.settings.locale import direction
from pipeline.read.markdown import plain
from pipeline.model import CheckResult, Document, Figure, Heading, Loc, Paragraph, Table, walk
from pipeline.outputs import is_handout, is_pdf
from pipeline.readback import poppler as copy_text
from pipeline.readback.text import ArtifactUnreadable, squash, text_of

CHECK = "text-fidelity"
RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
BIDI_MARKS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
GARBLED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
LISTS = walk.LISTS
WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670])*")


@dataclass(frozen=True, slots=True)
class Unit:
    """One piece of model text that must be found in the artifact."""
    text: str
    loc: Loc | None
    kind: str


def units(doc: Document, output: str, stamp_text: str) -> list[Unit]:
    """The model's text units in reading order, as the templates lay them out."""
    pdf, meta = is_pdf(output), doc.meta
    out = [Unit(meta.title.value, meta.title.loc, "title")] + (
        _blocks(doc.handout, pdf) if is_handout(output) else
        [Unit(meta.summary.value, meta.summary.loc, "summary")] + _blocks(doc.body, pdf))
    out += _blocks(doc.contact.blocks, pdf) + _blocks(doc.disclaimer.blocks, pdf)
    out.append(Unit(stamp_text, meta.reviewed_loc, "review stamp"))
    return [u for u in out if _norm(u.text)]


def _blocks(blocks, pdf: bool) -> list[Unit]:
    """Units of `blocks`; in a PDF an alt text is not page text and goes after its block. A
    list item is one unit without its nested lists, as a PDF's LBody reads; they follow it."""
    out: list[Unit] = []
    for block in walk.blocks(blocks, into=_not_list):
        if isinstance(block, LISTS):
            for item in block.items:
                own = list(walk.blocks(item.blocks, into=_not_list))
                inner = [unit for node in own for unit in _units_of(node)]
                text = " ".join(u.text for u in inner if not (pdf and u.kind == "alt text"))
                out.append(Unit(text, item.loc, "list item"))
                out += [u for u in inner if pdf and u.kind == "alt text"]
                out += _blocks([node for node in own if isinstance(node, LISTS)], pdf)
        else:
            out += _units_of(block)
    return out


def _not_list(node) -> bool:  # lists are entered item by item (`_blocks`)
    return not isinstance(node, LISTS)


def _units_of(block) -> list[Unit]:
    """The units a block shows itself (none for a container: its blocks are walked)."""
    if isinstance(block, (Heading, Paragraph)):
        return [Unit(plain(block.inlines), block.loc, type(block).__name__.lower())]
    if isinstance(block, Table):
        return [Unit(plain(cell.inlines), cell.loc, "table cell")
                for cell in block.header + tuple(c for row in block.rows for c in row)]
    if isinstance(block, Figure):
        return [Unit(block.alt, block.loc, "alt text"),
                Unit(block.caption, block.loc, "figure caption")]
    return []


def _norm(text: str) -> str:  # squashed, bidi control marks dropped
    return BIDI_MARKS.sub("", squash(text))


def letters(text: str) -> Counter:
    """Every character but spaces and format marks, counted (presentation forms unfolded)."""
    return Counter(c for c in _norm(text) if unicodedata.category(c)[0] not in "ZC")


def words(text: str, marks: bool = True) -> list[str]:
    """Letters with their combining marks; without `marks`, the marks (vowel signs) dropped."""
    text = unicodedata.normalize("NFKC", text)
    return WORD.findall(text if marks else "".join(c for c in text if not
                                                   unicodedata.combining(c)))


def readback(output: str, data: bytes) -> list[str]:
    """The artifact's text as blocks in reading order."""
    if is_pdf(output):
        from pipeline.readback.pdf_blocks import blocks
        return [block.text for block in blocks(data)]
    return text_of(output, data).split("\n")  # HTML and DOCX: logical order, line by line


def compare(wanted: list[Unit], blocks: list[str], pdf: bool = False, rtl: bool = False
            ) -> tuple[int, Unit | None, str]:
    """(units matched, first unit not found, what is wrong with it). Greedy leftmost matching
    finds an in-order placement whenever one exists. In a PDF, units with RTL letters (all, for
    an RTL document) are matched per block: same letters, and each word's letters in order."""
    normed = [_norm(b) for b in blocks]
    starts = list(accumulate((len(t) for t in normed), initial=0))
    haystack, bags, offset = "".join(normed), [letters(b) for b in blocks], 0
    for index, unit in enumerate(wanted):
        if pdf and (rtl or RTL_CHARS.search(unit.text)):
            first, want = bisect_left(starts, offset), letters(unit.text)
            span = _bag_match(want, bags, first)
            if span is not None:
                flat = "".join(words(" ".join(blocks[span[0]:span[1] + 1]), marks=False))
                wrong = [w for w in words(unit.text, marks=False) if w not in flat]
                if wrong:
                    return index, unit, f"has the word “{wrong[0]}” out of letter order in"
                offset = starts[span[1] + 1]
                continue
            if _bag_match(want, bags, 0) is not None:
                return index, unit, "is out of reading order in"
            near = min(blocks[first:], default="", key=lambda b: sum(
                ((letters(b) - want) + (want - letters(b))).values()))
            lost, extra = (Counter(words(a)) - Counter(words(b)) for a, b in
                           ((unit.text, near), (near, unit.text)))
            if lost and extra and len(lost) + len(extra) <= 6:  # a few words read wrong
                return index, unit, f"reads “{' '.join(extra)}” for “{' '.join(lost)}” in"
        else:
            needle = _norm(unit.text)
            at = haystack.find(needle, offset)
            if at >= 0:
                offset = at + len(needle)
                continue
            if needle in haystack:
                return index, unit, "is out of reading order in"
        return index, unit, "is missing from"
    return len(wanted), None, ""


def _bag_match(want: Counter, bags: list[Counter], first: int) -> tuple[int, int] | None:
    """(first, last) of the blocks from `first` on whose letters add up to `want`."""
    for start in range(first, len(bags)):
        have = Counter()
        for end in range(start, len(bags)):
            have += bags[end]
            if have == want:
                return start, end
            if have - want:  # not this run (a page break may split a unit in two blocks)
                break
    return None


def pdf_alts(pdf) -> list[str]:
    """Alt texts of the Figure elements of an open pikepdf PDF, in structure order."""
    import pikepdf
    found: list[str] = []

    def walk(node, depth=0):
        if isinstance(node, pikepdf.Dictionary) and depth < 200:
            if node.get("/S") == "/Figure" and "/Alt" in node:
                found.append(str(node.Alt))
            node = node.get("/K")
        for kid in node if isinstance(node, pikepdf.Array) and depth < 200 else ():
            walk(kid, depth + 1)
    walk(pdf.Root.get("/StructTreeRoot", {}).get("/K", pikepdf.Array()))
    return found


class _Font:
    """An embedded Type0 font (Identity CID → glyph id): which glyphs show nothing."""

    def __init__(self, font):
        from fontTools.ttLib import TTFont
        cmap = font.ToUnicode.read_bytes().decode("latin-1") if "/ToUnicode" in font else ""
        self.unicode = {int(code, 16): bytes.fromhex(dest).decode("utf-16-be", "surrogatepass")
                        for part in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S)
                        for code, dest in re.findall(r"<(\w+)>\s*<(\w*)>", part)}
        self.glyphs, self.cache = None, {}
        descendant = font.DescendantFonts[0]
        from pipeline.readback.pdf_fonts import widths
        self.advance = widths(descendant)
        stream = next(filter(None, map(descendant.get("/FontDescriptor", {}).get,
                                       ("/FontFile2", "/FontFile3"))), None)
        if stream is not None and descendant.get("/CIDToGIDMap", "/Identity") == "/Identity":
            with suppress(Exception):  # a font fontTools cannot read is not our finding
                tt = TTFont(io.BytesIO(stream.read_bytes()), lazy=True)
                self.order, self.glyphs = tt.getGlyphOrder(), tt.getGlyphSet()

    def bad(self, gid: int) -> bool:
        """True when glyph `gid` paints nothing a reader can see for its character."""
        if self.glyphs is not None and gid not in self.cache:
            from fontTools.pens.boundsPen import BoundsPen
            self.cache[gid] = gid == 0 or gid >= len(self.order)
            if not self.cache[gid] and letters(self.unicode.get(gid, "")):
                pen = BoundsPen(self.glyphs)
                with suppress(Exception):  # an outline fontTools cannot draw proves nothing
                    self.glyphs[self.order[gid]].draw(pen)
                    self.cache[gid] = pen.bounds is None and self.advance.get(gid) != 0
        return self.cache.get(gid, False)


def missing_glyphs(pdf) -> list[tuple[int, str]]:
    """(page, character) for each glyph painted as .notdef or as nothing (first seen only)."""
    import pikepdf
    found, fonts = {}, {}

    def walk(stream, resources, page):
        font = None
        for operands, operator in pikepdf.parse_content_stream(stream):
            op = str(operator)
            if op == "Tf" and resources is not None:
                obj = resources.get("/Font", {}).get(str(operands[0]))
                key = obj.objgen if obj is not None else None
                if key not in fonts:
                    fonts[key] = _Font(obj) if key and obj.get("/Subtype") == "/Type0" else None
                font = fonts[key]
            elif op in ("Tj", "TJ", "'", '"') and font is not None:
                items = operands[-1] if isinstance(operands[-1], pikepdf.Array) else operands[-1:]
                raw = b"".join(bytes(i) for i in items if isinstance(i, pikepdf.String))
                for gid in (int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw) - 1, 2)):
                    if font.bad(gid):
                        found.setdefault((page, font.unicode.get(gid) or "\ufffd"))
            elif op == "Do" and resources is not None:
                xobject = resources.get("/XObject", {}).get(str(operands[0]))
                if xobject is not None and xobject.get("/Subtype") == "/Form":
                    walk(xobject, xobject.get("/Resources", resources), page)

    for index, page in enumerate(pdf.pages, 1):
        walk(page, page.get("/Resources"), index)
    return list(found)


def evaluate(doc: Document, output: str, data: bytes, stamp_text: str) -> list[CheckResult]:
    """One result: the artifact's text is the model's, or the first place where it is not.
    `stamp_text` is the review stamp as the renderer printed it."""
    import pikepdf
    from pypdf.errors import PyPdfError
    result = partial(CheckResult, CHECK, doc.id, doc.locale, output, "error")
    pdf, rtl = is_pdf(output), direction(doc.locale) == "rtl"
    wanted = units(doc, output, stamp_text)
    try:
        blocks, broken, alts = readback(output, data), [], []
        if pdf:
            with pikepdf.open(io.BytesIO(data)) as opened:
                broken, alts = missing_glyphs(opened), pdf_alts(opened)
    except (ArtifactUnreadable, pikepdf.PdfError, PyPdfError) as exc:  # a finding, not a crash
        return [result(False, f"the {output} cannot be read: {exc}", None, "rebuild it")]
    metrics = {"units": len(wanted), "mode": "letters, words per block (RTL PDF)" if pdf and rtl
               else "exact, in order"}
    garbled = sorted({c for b in blocks for c in GARBLED.findall(b)})
    if broken or garbled:
        shown = [f"“{c}” (U+{ord(c[0]):04X}) on page {p}" for p, c in broken[:5]] + [
            f"unreadable character U+{ord(c):04X}" for c in garbled]
        where = next((str(u.loc) for u in wanted if broken and broken[0][1] in u.text), None)
        return [result(False, f"missing glyphs in the {output}: {', '.join(shown)}", where,
                       "use fonts that cover them (styles/theme.toml) or change the text",
                       {**metrics, "missing_glyphs": len(broken) + len(garbled)})]
    text_units = [u for u in wanted if not (pdf and u.kind == "alt text")]
    matched, unit, problem = compare(text_units, blocks, pdf, rtl)
    if unit is None and pdf:  # PDF figures: their alt texts, in order
        more, unit, problem = compare([u for u in wanted if u.kind == "alt text"], alts)
        matched += more
    metrics["matched"] = matched
    if unit is None and pdf:
        metrics["readers"] = ["pypdf", "pdftotext"]
        try:
            wrong = copy_text.missing(text_units, data, lambda u: rtl or bool(
                RTL_CHARS.search(u.text)), _norm, words)
        except copy_text.PopplerMissing as exc:
            return [result(False, f"cannot read the {output} as poppler copies it: {exc}", None,
                           "run `make` (it installs poppler-utils), or apt-get install "
                           "poppler-utils", metrics)]
        if wrong is not None:
            unit, words_there = wrong
            shown = unit.text if len(unit.text) <= 60 else unit.text[:57] + "…"
            where = str(unit.loc) if unit.loc else None
            if words_there:  # see copy_text: the page shows the words in this order
                return [CheckResult(CHECK, doc.id, doc.locale, output, "warning", False,
                                    f"the {unit.kind} “{shown}” has its words in another order "
                                    f"when copied out of the {output} with poppler (pdftotext, "
                                    "as Evince and Okular copy it); every word reads right",
                                    where, "look at the page: a left-to-right phrase with "
                                    "emphasis or a link inside a right-to-left line can show "
                                    "its pieces in right-to-left order", metrics)]
            return [result(False, f"the {unit.kind} “{shown}” reads wrong in the {output} when "
                           "copied out with poppler (pdftotext; Evince and Okular copy the "
                           "same text), though pypdf reads it right", where, "the PDF's text "
                           "layer must give every reader the same text: see "
                           "pipeline/render/pdf_rtl_text.py", metrics)]
    if unit is None:
        readers = "; read by pypdf and by pdftotext" if pdf else ""
        return [result(True, f"all {len(wanted)} pieces of text are in the {output}, in order "
                       f"({metrics['mode']}{readers})", None, None, metrics)]
    shown = unit.text if len(unit.text) <= 60 else unit.text[:57] + "…"
    if pdf and rtl and problem.startswith("has the word"):
        # Every letter is there; only the order of one word differs, and pypdf's visual-to-
        # logical reordering is unreliable next to digits and Latin runs (a readback limit,
        # not proof of a defect): reported, not blocking.
        return [CheckResult(CHECK, doc.id, doc.locale, output, "warning", False,
                            f"the {unit.kind} “{shown}” {problem} the {output} as read back "
                            "(all its letters are present; right-to-left readback next to "
                            "digits is unreliable)", str(unit.loc) if unit.loc else None,
                            "look at the page; if it reads right, nothing needs fixing",
                            metrics)]
    return [result(False, f"the {unit.kind} “{shown}” {problem} the {output}", str(unit.loc)
                   if unit.loc else None, "check the template and the fonts: every block of "
                   "the source must be rendered once, in source order", metrics)]


def check(subject) -> list[CheckResult]:
    return evaluate(subject.doc, subject.output, subject.data, subject.stamp)

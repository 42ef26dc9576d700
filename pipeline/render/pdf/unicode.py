"""Repair the ToUnicode maps WeasyPrint 70 writes for shaped scripts (Arabic).

WeasyPrint gives each glyph the text of the first cluster it was drawn in: a glyph that shapes
together with its neighbour (a positional form of ئ followed by tanween, say) takes the whole
cluster's text ("ئً") while the other glyph gets none, and every later use of those glyphs
reads wrongly. Screen readers and copy-paste then get garbled words although the page is right.

The subset fonts keep their original glyph ids, so each glyph's own text can be recovered from
the installed font: its character map, then the single and ligature substitutions of its GSUB
table (positional forms and lam-alef). A map entry is replaced only when it is empty or holds
several characters where the glyph stands for one of them; correct entries and real ligatures
are left alone.

Then each right-to-left glyph is left with at most one character (`pdf_rtl_text`), so that
poppler's extraction reads the words as pypdf's does.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from functools import lru_cache

ENTRY = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def _original_font(family: str, base_font: str) -> str | None:
    name = base_font.split("+", 1)[-1]
    style = name[len(family.replace(" ", "-")):].strip("-") or "Regular"
    try:
        path = subprocess.run(["fc-match", "-f", "%{file}", f"{family}:style={style}"],
                              capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return path or None


@lru_cache(maxsize=16)
def glyph_texts(path: str) -> tuple[int, dict[int, str]]:
    """(number of glyphs, glyph id → the text it stands for) from a font file."""
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True, fontNumber=0)
    text: dict[str, str] = {}
    for code, glyph in sorted(font.getBestCmap().items()):
        text.setdefault(glyph, chr(code))
    lookups = font["GSUB"].table.LookupList.Lookup if "GSUB" in font else []
    for _ in range(3):  # substitutions can chain (form of a form)
        for lookup in lookups:
            for table in lookup.SubTable:
                table = getattr(table, "ExtSubTable", table)
                if getattr(table, "mapping", None):
                    for source, target in table.mapping.items():
                        if source in text:
                            text.setdefault(target, text[source])
                for first, ligatures in (getattr(table, "ligatures", None) or {}).items():
                    for ligature in ligatures:
                        parts = [first, *ligature.Component]
                        if all(part in text for part in parts):
                            text.setdefault(ligature.LigGlyph, "".join(text[p] for p in parts))
    order = font.getGlyphOrder()
    return len(order), {font.getGlyphID(name): _base_letters(value) for name, value in text.items()}


def _base_letters(text: str) -> str:
    """Arabic presentation forms (the cmap's names for positional glyphs) → the letters."""
    return "".join(unicodedata.normalize("NFKC", c) if "\ufb50" <= c <= "\ufdff" or
                   "\ufe70" <= c <= "\ufeff" else c for c in text)


def _decode(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode()).decode("utf-16-be", "replace") if hex_text else ""


def _cmap(entries: dict[int, str]) -> bytes:
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0",
             b">> def", b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(entries.items())
    for start in range(0, len(items), 100):
        chunk = items[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar".encode())
        for code, value in chunk:
            lines.append(f"<{code:04x}> <{value.encode('utf-16-be').hex()}>".encode())
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines) + b"\n"


def repair(pdf_bytes: bytes) -> bytes:
    """The PDF with its fonts' ToUnicode maps corrected and its right-to-left clusters given
    one character per glyph (unchanged bytes if nothing to fix)."""
    import pikepdf

    from pipeline.render.pdf.rtl_text import split_clusters
    from pipeline.render.pdf.tagging import _to_unicode

    changed = False
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        seen = set()
        for page in pdf.pages:
            for font in page.get("/Resources", {}).get("/Font", {}).values():
                if font.objgen in seen or "/ToUnicode" not in font or \
                        "/DescendantFonts" not in font:
                    continue
                seen.add(font.objgen)
                descendant = font.DescendantFonts[0]
                if descendant.get("/CIDToGIDMap") != "/Identity":
                    continue
                descriptor = descendant.FontDescriptor
                family = str(descriptor.get("/FontFamily", ""))
                path = _original_font(family, str(font.BaseFont)) if family else None
                embedded = descriptor.get("/FontFile2")
                if not path or embedded is None:
                    continue
                from fontTools.ttLib import TTFont
                count = TTFont(io.BytesIO(embedded.read_bytes()), lazy=True)["maxp"].numGlyphs
                total, derived = glyph_texts(path)
                if count > total:
                    continue  # not the same font (a subset keeps ids, drops the tail)
                entries = {int(code, 16): _decode(value)
                           for code, value in ENTRY.findall(font.ToUnicode.read_bytes())}
                fixed = dict(entries)
                for code, current in entries.items():
                    own = derived.get(code)
                    if own and current != own and (
                            not current or (len(current) > 1 and len(own) == 1 and own in current)):
                        fixed[code] = own
                if fixed != entries:
                    font.ToUnicode = pdf.make_stream(_cmap(fixed))
                    changed = True
        changed = split_clusters(pdf, _to_unicode, _cmap) or changed
        if not changed:
            return pdf_bytes
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()

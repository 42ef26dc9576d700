"""What a listener hears for each element of a content document, read from the XHTML itself.

One rule for both sides: the renderer speaks these texts, and the audio gate reads the same
texts back out of the published EPUB to judge the clips' lengths. An element is spoken when its
id is `s<n>`; it says its own text (images by their alt text) without the elements inside it
that are spoken on their own (a nested list's items). Two additions help a listener who cannot
see the layout: an item of a numbered list starts with its number, and a table row says each
cell after its column header ("Cause: Genetic change.").
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

XHTML_NS = "http://www.w3.org/1999/xhtml"

UNIT = re.compile(r"^s\d+$")
H = f"{{{XHTML_NS}}}"
HEADINGS = {f"{H}h{n}" for n in range(1, 7)}
END_PUNCTUATION = tuple(".!?:;。！？：；…") + ("؟", "؛")


def _text(element, top: bool = True) -> str:
    if not top and UNIT.match(element.get("id", "")):
        return element.tail or ""
    parts = [element.text or ""]
    if element.tag == f"{H}img":
        parts.append(f" {element.get('alt', '')} ")
    elif element.tag in (f"{H}br", f"{H}figcaption", f"{H}p", f"{H}li", f"{H}td", f"{H}th"):
        parts.insert(0, " ")
    for child in element:
        parts.append(_text(child, top=False))
    if not top:
        parts.append(element.tail or "")
    return "".join(parts)


def squeeze(value: str) -> str:
    return " ".join(value.split())


def _sentence(value: str) -> str:
    return value if not value or value.endswith(END_PUNCTUATION) else value + "."


def units(xhtml: bytes | str) -> list[tuple[str, str, bool]]:
    """(id, spoken text, is a heading) of every spoken element, in document order."""
    root = ET.fromstring(xhtml.encode("utf-8") if isinstance(xhtml, str) else xhtml)
    parents = {child: parent for parent in root.iter() for child in parent}
    out = []
    for element in root.iter():
        ident = element.get("id", "")
        if not UNIT.match(ident):
            continue
        spoken = squeeze(_text(element))
        parent = parents.get(element)
        if element.tag == f"{H}li" and parent is not None and parent.tag == f"{H}ol":
            number = int(parent.get("start", "1")) + list(parent).index(element)
            spoken = f"{number}. {spoken}"
        elif element.tag == f"{H}tr":
            table = parents.get(parent)
            headers = [squeeze(_text(th)) for th in table.iter(f"{H}th")] if table is not None \
                else []
            cells = [squeeze(_text(td)) for td in element if td.tag == f"{H}td"]
            spoken = " ".join(_sentence(f"{h}: {c}" if h else c) for h, c in
                              zip(headers + [""] * (len(cells) - len(headers)), cells) if c)
        out.append((ident, spoken, element.tag in HEADINGS))
    return out

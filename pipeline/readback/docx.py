"""Read the text back out of a saved DOCX, in the order Word and screen readers present it.

The required-text and fidelity gates must see what a reader of the file sees, so this reads the
package itself (zipfile + lxml), not the model: paragraphs and tables in body order, a table
row by row and cell by cell, hyperlink and field text included, deleted revisions left out.
A picture contributes its alt text (`wp:docPr/@descr`), as an `<img alt>` does in the HTML
reading. Headers and footers (page furniture) are not part of the body text.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from lxml import etree

from pipeline.readback.text import ArtifactUnreadable

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_SKIP = {f"{{{W}}}del", f"{{{W}}}rPr", f"{{{W}}}pPr", f"{{{W}}}instrText",
         f"{{{W}}}fldChar", f"{{{W}}}delText"}


def main_part(package: zipfile.ZipFile) -> str:
    """The name of the main document part (`word/document.xml` unless the package says else)."""
    types = parse(package.read("[Content_Types].xml"))
    for override in types:
        if override.get("ContentType", "").endswith(".document.main+xml"):
            return override.get("PartName", "/word/document.xml").lstrip("/")
    return "word/document.xml"


def parse(xml: bytes) -> etree._Element:
    """Parse a package part without entity expansion or network access."""
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))


def document_xml(data: bytes) -> etree._Element:
    """The parsed main document part of a DOCX."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            return parse(package.read(main_part(package)))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError) as exc:
        raise ArtifactUnreadable(f"the DOCX cannot be read: {exc}") from exc


def inline_text(element, parts: list[str]) -> None:
    """Append the text inside a paragraph (or any run container) to `parts`."""
    for child in element:
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag == f"{{{W}}}t":
            parts.append(child.text or "")
        elif tag == f"{{{W}}}tab":
            parts.append("\t")
        elif tag in (f"{{{W}}}br", f"{{{W}}}cr"):
            parts.append("\n")
        elif tag == f"{{{W}}}noBreakHyphen":
            parts.append("\u2011")
        elif tag == f"{{{WP}}}docPr":
            if child.get("descr"):
                parts.append(f" {child.get('descr')} ")
        else:
            inline_text(child, parts)


def _blocks(container, lines: list[str]) -> None:
    for child in container:
        tag = child.tag
        if tag == f"{{{W}}}p":
            parts: list[str] = []
            inline_text(child, parts)
            lines.append("".join(parts))
        elif tag == f"{{{W}}}tbl":
            for row in child.iter(f"{{{W}}}tr"):
                if row.getparent() is not child:
                    continue
                for cell in row.findall(f"{{{W}}}tc"):
                    _blocks(cell, lines)
        elif tag in (f"{{{W}}}sdt", f"{{{W}}}sdtContent", f"{{{W}}}customXml",
                     f"{{{W}}}smartTag", f"{{{W}}}ins"):
            _blocks(child, lines)


def docx_text(data: bytes) -> str:
    """The document body's text, one paragraph (or table cell paragraph) per line."""
    root = document_xml(data)
    body = root.find(f"{{{W}}}body")
    if body is None:
        raise ArtifactUnreadable("the DOCX has no document body")
    lines: list[str] = []
    _blocks(body, lines)
    return "\n".join(lines)

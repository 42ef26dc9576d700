"""Read an EPUB back: its files, its package document, and its text in reading order.

The text is what a reading system presents: the XHTML documents of the spine, in spine order
(those marked `linear="no"`, such as the navigation document, left out), each read like an HTML
page (`text.html_text`).
"""

from __future__ import annotations

import io
import posixpath
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote

from pipeline.readback.text import ArtifactUnreadable, html_text

OPF_NS = "{http://www.idpf.org/2007/opf}"
SMIL_NS = "{http://www.w3.org/ns/SMIL}"


@dataclass
class Book:
    """The parts of an EPUB the overlay gate reads."""

    files: dict[str, bytes]
    opf_path: str
    opf: ET.Element

    @classmethod
    def open(cls, data: bytes) -> "Book":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                files = {name: archive.read(name) for name in archive.namelist()}
            container = ET.fromstring(files["META-INF/container.xml"])
            opf_path = next(e.get("full-path") for e in container.iter()
                            if e.tag.endswith("rootfile"))
            return cls(files, opf_path, ET.fromstring(files[opf_path]))
        except (zipfile.BadZipFile, KeyError, StopIteration, ET.ParseError) as exc:
            raise ArtifactUnreadable(f"the EPUB cannot be read: {exc}") from exc

    def path(self, href: str, base: str | None = None) -> str:
        """A zip path for an href relative to `base` (default: the package document)."""
        folder = posixpath.dirname(base or self.opf_path)
        return posixpath.normpath(posixpath.join(folder, unquote(href.split("#")[0])))

    def items(self) -> dict[str, ET.Element]:
        return {item.get("id"): item for item in self.opf.iter(f"{OPF_NS}item")}

    def meta(self, prop: str, refines: str | None = None) -> list[str]:
        return [(m.text or "").strip() for m in self.opf.iter(f"{OPF_NS}meta")
                if m.get("property") == prop and m.get("refines") == refines]

    def content(self) -> ET.Element | None:
        """The manifest item of the (first) content document that is not the navigation."""
        return next((i for i in self.items().values() if i.get("media-type") ==
                     "application/xhtml+xml" and "nav" not in (i.get("properties") or "")),
                    None)


def epub_text(data: bytes) -> str:
    """The text of the spine's XHTML documents, in spine order."""
    book = Book.open(data)
    items = book.items()
    parts = []
    for ref in book.opf.iter(f"{OPF_NS}itemref"):
        item = items.get(ref.get("idref"))
        if item is None:
            raise ArtifactUnreadable(f"the EPUB's spine names `{ref.get('idref')}`, which is "
                                     "not in its manifest")
        if ref.get("linear") == "no" or item.get("media-type") != "application/xhtml+xml":
            continue
        path = book.path(item.get("href"))
        if path not in book.files:
            raise ArtifactUnreadable(f"the EPUB lacks {path}")
        parts.append(html_text(book.files[path]))
    return "\n".join(parts)

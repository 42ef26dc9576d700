"""The EPUB container (OCF): a zip whose first entry is `mimetype`, stored, with no extra
field, then `META-INF/container.xml` and the publication's files.

Deterministic by construction: entries in the order given, every timestamp the review month
(so the file's dates say when the content was reviewed, never when it was built), fixed
permissions, fixed compression level. Same inputs, byte-identical EPUB.
"""

from __future__ import annotations

import io
import zipfile

MIMETYPE = b"application/epub+zip"
CONTAINER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
             '\n<rootfiles>\n<rootfile full-path="EPUB/package.opf" '
             'media-type="application/oebps-package+xml"/>\n</rootfiles>\n</container>\n')
STORED_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".opus")
"""Already compressed: deflating them again only costs time."""


def _entry(name: str, when: tuple[int, ...], stored: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    return info


def pack(files: list[tuple[str, bytes]], when: tuple[int, int, int]) -> bytes:
    """The EPUB bytes: `files` are (path under EPUB/, bytes), in the order to write them."""
    stamp = (*when, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_entry("mimetype", stamp, True), MIMETYPE)
        archive.writestr(_entry("META-INF/container.xml", stamp, False), CONTAINER,
                         compresslevel=9)
        for name, data in files:
            stored = name.lower().endswith(STORED_SUFFIXES)
            archive.writestr(_entry(f"EPUB/{name}", stamp, stored), data,
                             compresslevel=None if stored else 9)
    return buffer.getvalue()

"""Document properties from the model, no template traces, and a byte-stable package.

Word shows the core properties in File › Info and screen readers announce the title, so they
come from the source: title, subject (the summary), author and last editor (the organisation),
keywords, language, the article's URL as identifier, and created/modified set to the first day
of the review month at 00:00 UTC — never the clock, so the same inputs give the same file.
python-docx's default template leaves traces that would mislead a reader of the file ("generated
by python-docx", a 2013 date, a thumbnail of an empty page, "spelling clean", Word 2010's
`stylesWithEffects` copy of the styles we changed); they are removed. Finally the zip is
rewritten with a fixed entry order and fixed entry dates (1980-01-01), because zipfile stamps
each entry with the current time.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from pipeline.settings.locale import bcp47
from pipeline.model import Document
from pipeline.render.docx.xml import drop, make

MAX_PROPERTY = 255
"""python-docx refuses longer core-property strings (Word's own limit for these fields)."""
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FIRST = ("[Content_Types].xml", "_rels/.rels")
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_DROPPED_CORE = ("description", "category", "contentStatus", "lastPrinted", "version")


def _short(text: str) -> str:
    return text if len(text) <= MAX_PROPERTY else text[:MAX_PROPERTY - 1] + "…"


def reviewed_datetime(doc: Document) -> dt.datetime:
    """First day of the review month, 00:00 UTC."""
    year, month = doc.meta.reviewed
    return dt.datetime(year, month, 1, tzinfo=dt.timezone.utc)


def core_properties(document, doc: Document, organisation: str) -> None:
    props = document.core_properties
    element = props._element
    for child in list(element):
        if child.tag.rsplit("}", 1)[-1] in _DROPPED_CORE:
            element.remove(child)
    props.title = _short(doc.meta.title.value)
    props.subject = _short(doc.meta.summary.value)
    props.author = _short(organisation)
    props.last_modified_by = _short(organisation)
    props.keywords = _short(", ".join(doc.meta.keywords))
    props.language = bcp47(doc.locale)
    props.identifier = _short(doc.meta.url.value)
    props.revision = 1
    when = reviewed_datetime(doc)
    props.created = when
    props.modified = when


def drop_traces(document, *, from_template: bool) -> None:
    """Remove what the template says about itself rather than about this document."""
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS or (from_template and
                                                  rel.reltype == RT.CUSTOM_XML):
            document.part.rels.pop(rid)
    settings = document.settings.element
    # proofState says "spelling and grammar checked": Word would not proof the new text.
    drop(settings, "w:proofState", "w:savePreviewPicture", "w:rsids")
    body = document.element.body
    sect = body.find(qn("w:sectPr"))
    if sect is not None:
        for name in ("w:rsidR", "w:rsidRPr", "w:rsidSect"):
            sect.attrib.pop(qn(name), None)


def app_xml(organisation: str) -> bytes:
    """Extended properties that describe this file, not the template's Word version."""
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
            '2006/docPropsVTypes"><Application>Plainpress</Application>'
            f"<DocSecurity>0</DocSecurity><Company>{escape(organisation)}</Company>"
            "</Properties>").encode("utf-8")


def font_table(xml: bytes, families: list[str]) -> bytes:
    """Declare the theme's families as sans-serif in `word/fontTable.xml`, so that Word on a
    machine without them substitutes a sans-serif face rather than its serif default."""
    root = etree.fromstring(xml)
    known = {font.get(qn("w:name")) for font in root.iter(qn("w:font"))}
    for family in dict.fromkeys(families):
        if family not in known:
            font = make("w:font", w_name=family)
            font.append(make("w:family", w_val="swiss"))
            font.append(make("w:pitch", w_val="variable"))
            root.append(font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def deterministic_zip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The same package with fixed entry order, dates and attributes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        ordered = [n for n in FIRST if n in names] + sorted(n for n in names if n not in FIRST)
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, replace.get(name, source.read(name)), compresslevel=6)
    return out.getvalue()


def finish(document, doc: Document, organisation: str, *, from_template: bool,
           families: list[str] = ()) -> bytes:
    """Properties, clean-up, save, and the byte-stable zip. `families` are the fonts the
    styles name (declared in the font table)."""
    core_properties(document, doc, organisation)
    drop_traces(document, from_template=from_template)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    replace: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        if "docProps/app.xml" in names:
            replace["docProps/app.xml"] = app_xml(organisation)
        if families and "word/fontTable.xml" in names:
            replace["word/fontTable.xml"] = font_table(package.read("word/fontTable.xml"),
                                                       list(families))
    return deterministic_zip(data, replace)

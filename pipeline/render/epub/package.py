"""The EPUB package document (`package.opf`): identity, the manifest, the spine, and the EPUB
Accessibility 1.1 metadata worked out from what the publication actually holds.

Why derived, not fixed: a tool that writes the same accessibility claims into every book
(pandoc does) says "visual" for a text without pictures and "alternativeText" where there is
nothing to describe. Here each claim follows from the content: `visual` and
`alternativeText` only when there are images (the reader refuses images without alt text),
`auditory` and `synchronizedAudioText` only when the spoken edition is inside, and the summary
says the same in the document's language (the `ui` catalog).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pipeline.render.epub.content import Content
from pipeline.render.epub.xml import attr, text
from pipeline.settings.labels import Labels

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
OPUS = "audio/ogg; codecs=opus"


@dataclass(frozen=True)
class Overlay:
    """What the package says about the Media Overlay."""

    smil: str
    audio: str
    duration: str
    """Clock value, `h:mm:ss.fff`."""
    narrator: str


def accessibility(content: Content, audio: bool, labels: Labels) -> list[tuple[str, str]]:
    """(property, value) pairs of the schema.org accessibility metadata for this content."""
    images = bool(content.images)
    modes = ["textual"] + (["visual"] if images else []) + (["auditory"] if audio else [])
    # Every image has a text alternative (the reader refuses one without), so text alone is
    # enough; the spoken edition reads every block, alt texts included.
    sufficient = ["textual"] + (["textual,visual"] if images else []) + \
        (["auditory"] if audio else [])
    features = ["structuralNavigation", "tableOfContents", "readingOrder",
                "displayTransformability"]
    if images:
        features.append("alternativeText")
    if audio:
        features.append("synchronizedAudioText")
    # Translators: the accessibility summary of an e-book (its metadata); the next three
    # sentences are added when they apply. Keep "WCAG 2.2 Level AA" as it is.
    summary = [labels("This publication meets WCAG 2.2 Level AA. Headings, a table of "
                      "contents and landmarks give it structure, and its text can be resized "
                      "and restyled.")]
    if images:
        # Translators: a sentence of the e-book's accessibility summary.
        summary.append(labels("Every image has a text description."))
    if content.tables:
        # Translators: a sentence of the e-book's accessibility summary.
        summary.append(labels("Every table has header cells."))
    if audio:
        # Translators: a sentence of the e-book's accessibility summary.
        summary.append(labels("A synthetic voice reads the whole text aloud, in step with "
                              "the text."))
    return ([("schema:accessMode", m) for m in modes] +
            [("schema:accessModeSufficient", s) for s in sufficient] +
            [("schema:accessibilityFeature", f) for f in features] +
            [("schema:accessibilityHazard", "none"),
             ("schema:accessibilitySummary", _sentences(summary)),
             ("dcterms:conformsTo", CONFORMANCE)])


def _sentences(parts: list[str]) -> str:
    """Sentences joined as their script writes them: Chinese and Japanese full stops need no
    space after them."""
    out = ""
    for part in parts:
        out += part if not out or out.endswith(("。", "！", "？")) else " " + part
    return out


def identifier(doc, output: str) -> str:
    """A stable URN for this document, locale and output (same inputs, same identifier)."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL,
                                        f"{doc.meta.url.value}#{doc.locale}/{output}"))


def render_package(doc, output: str, content: Content, labels: Labels, *, lang: str,
                   dir_: str, organisation: str, overlay: Overlay | None) -> str:
    year, month = doc.meta.reviewed
    date = f"{year:04d}-{month:02d}-01"
    meta = [f'<dc:identifier id="uid">{identifier(doc, output)}</dc:identifier>',
            f"<dc:title>{text(doc.meta.title.value)}</dc:title>",
            f"<dc:language>{text(lang)}</dc:language>",
            f"<dc:creator>{text(organisation)}</dc:creator>",
            f"<dc:publisher>{text(organisation)}</dc:publisher>",
            f"<dc:contributor>{text(doc.meta.reviewed_by.value)}</dc:contributor>",
            f"<dc:date>{date}</dc:date>",
            f"<dc:description>{text(doc.meta.summary.value)}</dc:description>",
            *(f"<dc:subject>{text(k)}</dc:subject>" for k in doc.meta.keywords),
            f'<meta property="dcterms:modified">{date}T00:00:00Z</meta>']
    meta += [f'<meta property="{p}">{text(v)}</meta>'
             for p, v in accessibility(content, overlay is not None, labels)]
    meta.append(f'<meta property="a11y:certifiedBy">{text(organisation)}</meta>')
    items = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" '
             'properties="nav"/>',
             '<item id="content" href="content.xhtml" media-type="application/xhtml+xml"'
             + (' media-overlay="overlay"' if overlay else "") + "/>",
             '<item id="style" href="style.css" media-type="text/css"/>']
    items += [f'<item id="image-{n}" href="{attr(name)}" media-type="{media}"/>'
              for n, (name, _, media) in enumerate(content.images, 1)]
    if overlay:
        meta += [f'<meta property="media:duration" refines="#overlay">{overlay.duration}</meta>',
                 f'<meta property="media:duration">{overlay.duration}</meta>',
                 f'<meta property="media:narrator">{text(overlay.narrator)}</meta>',
                 '<meta property="media:active-class">-epub-media-overlay-active</meta>']
        items += [f'<item id="overlay" href="{overlay.smil}" media-type="application/smil+xml"/>',
                  f'<item id="audio" href="{attr(overlay.audio)}" media-type="{OPUS}"/>']
    progression = ' page-progression-direction="rtl"' if dir_ == "rtl" else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
            f'unique-identifier="uid" xml:lang="{attr(lang)}" dir="{dir_}">\n'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n' + "\n".join(meta) +
            "\n</metadata>\n<manifest>\n" + "\n".join(items) + "\n</manifest>\n"
            f'<spine{progression}>\n<itemref idref="content"/>\n<itemref idref="nav" linear="no"/>\n'
            '</spine>\n</package>\n')

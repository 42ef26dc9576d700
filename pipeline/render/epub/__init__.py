"""Localized Document → an accessible EPUB 3.3 (article or handout), with its spoken edition.

Pure like the other renderers: `(Document, context, labels) → bytes`. The parts:
`content` (the XHTML), `nav` (table of contents and landmarks), `package` (the OPF and its
accessibility metadata), `overlay` (the SMIL Media Overlay), `ocf` (the deterministic zip),
`readback.spoken` (what each element says aloud, shared with the gates) and `render.speech`
(eSpeak NG and opusenc); the voices are `settings.voices`. No EPUB library:
ebooklib is AGPL, and an EPUB is a few small XML files in a zip.

The spoken edition is included when the locale is in `audio_locales` and its voice can read the
text (see `settings.voices.unreadable`); the standalone audio file of a document (`render_audio`) is the
very file inside its article EPUB.
"""

from __future__ import annotations

from pipeline.model import Document
from pipeline.outputs import Output, Part
from pipeline.readback.opus import clock
from pipeline.readback.spoken import units
from pipeline.render import speech
from pipeline.render.epub.content import Content, render_content
from pipeline.render.epub.nav import render_nav
from pipeline.render.epub.ocf import pack
from pipeline.render.epub.overlay import render_overlay
from pipeline.render.epub.package import Overlay, render_package
from pipeline.render.html import stamp as review_stamp
from pipeline.settings import voices
from pipeline.settings.labels import Labels
from pipeline.settings.locale import bcp47, direction, script

AUDIO_DIR = "audio"


def _content(doc: Document, labels: Labels, handout: bool) -> Content:
    return render_content(doc, labels, handout=handout, lang=bcp47(doc.locale),
                          dir_=direction(doc.locale), stamp=review_stamp(doc, labels))


def voicing(doc: Document, config, segments) -> str | None:
    """None when this document in this locale gets a spoken edition, else why not."""
    if doc.locale not in voices.audio_locales(config):
        return f"`{doc.locale}` is not in audio_locales"
    return voices.unreadable(doc.locale, [text for _, text, _ in segments])


def _track(doc: Document, ctx, segments) -> speech.Track:
    return speech.synthesize(segments, voices.voice_for(doc.locale),
                             title=doc.meta.title.value, artist=ctx.config.organisation,
                             lang=bcp47(doc.locale))


def render_epub(doc: Document, ctx, labels: Labels, row: Output) -> bytes:
    """The EPUB of the part of the document `row` shows (the article or the handout)."""
    lang, dir_ = bcp47(doc.locale), direction(doc.locale)
    handout = row.part is Part.HANDOUT
    content = _content(doc, labels, handout)
    segments = units(content.xhtml)
    voiced = voicing(doc, ctx.config, segments) is None
    css = ctx.css("epub", script(doc.locale), audio="yes" if voiced else "no")
    files = [("content.xhtml", content.xhtml.encode("utf-8")),
             ("nav.xhtml", render_nav(content.headings, labels, lang=lang, dir_=dir_,
                                      title=doc.meta.title.value).encode("utf-8")),
             ("style.css", str(css).encode("utf-8"))]
    files += [(name, (ctx.config.root / src).read_bytes()) for name, src, _ in content.images]
    overlay = None
    if voiced:
        track = _track(doc, ctx, segments)
        audio = f"{AUDIO_DIR}/{doc.id}{'-handout' if handout else ''}.opus"
        rows = dict(_table_rows(content.xhtml))
        files += [("content.smil", render_overlay(track, rows, content="content.xhtml",
                                                  audio=audio).encode("utf-8")),
                  (audio, track.audio)]
        overlay = Overlay("content.smil", audio, clock(track.duration),
                          f"eSpeak NG ({track.voice.name})")
    opf = render_package(doc, row.kind.value, content, labels, lang=lang, dir_=dir_,
                         organisation=ctx.config.organisation, overlay=overlay)
    year, month = doc.meta.reviewed
    return pack([("package.opf", opf.encode("utf-8")), *files], (year, month, 1))


def render_audio(doc: Document, ctx, labels: Labels, row: Output) -> bytes:
    """The standalone spoken edition of the article (Ogg Opus with chapter marks), or no bytes
    when the locale's voice cannot read the text (the audio gate then says why)."""
    segments = units(_content(doc, labels, row.part is Part.HANDOUT).xhtml)
    if voicing(doc, ctx.config, segments) is not None:
        return b""
    return _track(doc, ctx, segments).audio


def _table_rows(xhtml: str):
    """(row id, table id) of every spoken table row."""
    import xml.etree.ElementTree as ET

    from pipeline.render.epub.xml import XHTML_NS
    root = ET.fromstring(xhtml.encode("utf-8"))
    for table in root.iter(f"{{{XHTML_NS}}}table"):
        for row in table.iter(f"{{{XHTML_NS}}}tr"):
            if row.get("id"):
                yield row.get("id"), table.get("id")

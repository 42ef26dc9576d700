"""The Media Overlay (SMIL 3.0): one `par` per spoken element, in text order, pairing the
element (`text src="content.xhtml#s12"`) with its clip of the audio file.

A table's rows sit in a `seq` marked `epub:type="table"`, so that a reading system can offer to
escape from the table and go on after it, as it does with the text.
"""

from __future__ import annotations

from pipeline.readback.opus import clock
from pipeline.render.epub.xml import attr
from pipeline.render.speech import Track

SMIL_NS = "http://www.w3.org/ns/SMIL"


def render_overlay(track: Track, tables: dict[str, str], *, content: str, audio: str) -> str:
    """`tables` maps the id of each spoken table row to the id of its table."""
    out, open_table = [], None
    for clip in track.clips:
        table = tables.get(clip.ref)
        if table != open_table:
            if open_table:
                out.append("</seq>")
            if table:
                out.append(f'<seq id="seq-{attr(table)}" epub:textref="{content}#{attr(table)}"'
                           ' epub:type="table">')
            open_table = table
        out.append(f'<par id="par-{attr(clip.ref)}"><text src="{content}#{attr(clip.ref)}"/>'
                   f'<audio src="{attr(audio)}" clipBegin="{clock(clip.begin)}" '
                   f'clipEnd="{clock(clip.end)}"/></par>')
    if open_table:
        out.append("</seq>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<smil xmlns="{SMIL_NS}" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">\n'
            f'<body>\n<seq id="seq-body" epub:textref="{content}">\n' + "\n".join(out) +
            "\n</seq>\n</body>\n</smil>\n")

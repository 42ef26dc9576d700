"""Gate `audio`: the standalone `<id>.opus` is tagged and marked as the article is built.

Read from the file itself: the tags name the title, the organisation and the language; there is
a chapter mark per heading of the article, with its text, in order, inside the file; each
chapter lasts about as long as the words of its section take to say. An empty file (the
locale's voice cannot read the text) is withheld with the reason.
"""

from __future__ import annotations

from functools import partial

from pipeline.gates.silence import why_silent
from pipeline.gates.subject import Subject
from pipeline.model import BlockQuote, CheckResult, Document, Heading, KeyPoints
from pipeline.read.markdown import plain
from pipeline.readback.opus import clock, read_opus
from pipeline.settings import voices
from pipeline.settings.locale import bcp47

PER_CLIP = 1.0
"""Seconds a block may run beyond its words (its pause, a slow short heading)."""


def check(subject: Subject) -> list[CheckResult]:
    return evaluate(subject.doc, subject.data, subject.config, subject.stamp,
                    subject.artifact.filename)


def headings(doc: Document) -> list[str | None]:
    """The article's headings as chapter names (None: a key-points box's label heading)."""
    out: list[str | None] = [doc.meta.title.value]

    def walk(blocks):
        for block in blocks:
            if isinstance(block, Heading):
                out.append(plain(block.inlines))
            elif isinstance(block, KeyPoints):
                out.append(None)
                walk(block.blocks)
            elif isinstance(block, BlockQuote):
                walk(block.blocks)
    walk(doc.body)
    return out


def evaluate(doc: Document, data: bytes, config, stamp: str, filename: str
             ) -> list[CheckResult]:
    """The `audio` gate for the standalone `<id>.opus`."""
    result = partial(CheckResult, "audio", doc.id, doc.locale, "audio")
    if not data:
        silent = why_silent(doc, config, stamp) or ("error", "the audio file is empty")
        return [result("error", False, f"not published: {silent[1]}", None,
                       "add short-vowel marks to the translation, or leave the locale out of "
                       "audio_locales in pyproject.toml" if "vowel" in silent[1] else
                       "rebuild it; check that espeak-ng and opusenc work")]
    opus = read_opus(data)
    problems = []
    for key, want in (("TITLE", doc.meta.title.value), ("ARTIST", config.organisation),
                      ("LANGUAGE", bcp47(doc.locale))):
        if opus.tag(key) != want:
            problems.append(f"the {key} tag is “{opus.tag(key)}”, not “{want}”")
    chapters, expected = opus.chapters(), headings(doc)
    names = [name for _, name in chapters]
    if len(names) != len(expected) or any(want is not None and " ".join(want.split()) != got
                                          for want, got in zip(expected, names)):
        first = next((i for i, (w, g) in enumerate(zip(expected, names + [""] * len(expected)))
                      if w is not None and " ".join(w.split()) != g), len(names))
        problems.append(f"the chapters do not match the headings: {len(names)} chapters for "
                        f"{len(expected)} headings, first difference at chapter {first + 1} "
                        f"(“{names[first] if first < len(names) else '—'}” for "
                        f"“{expected[first] if first < len(expected) else '—'}”)")
    starts = [start for start, _ in chapters]
    if starts and (starts[0] != 0 or starts != sorted(starts) or starts[-1] >= opus.duration):
        problems.append("the chapter marks are not in order inside the file "
                        f"({', '.join(clock(s) for s in starts[:5])}…, file "
                        f"{clock(opus.duration)})")
    voice = voices.voice_for(doc.locale)
    if voice and not problems:
        problems += _chapter_lengths(doc, stamp, chapters, opus.duration, voice)
    metrics = {"seconds": round(opus.duration, 3), "chapters": len(chapters),
               "voice": voice.name if voice else None}
    if problems:
        return [result("error", False, problem, filename, "rebuild the audio file", metrics)
                for problem in problems]
    return [result("error", True, f"{len(chapters)} chapters match the headings; "
                   f"{clock(opus.duration)} long, tagged {bcp47(doc.locale)}", None,
                   None, metrics)]


def _chapter_lengths(doc, stamp, chapters, duration, voice) -> list[str]:
    """Each chapter lasts about as long as the words of its section take to say."""
    from pipeline.gates.fidelity import units
    found = units(doc, "html", stamp)
    sections: list[list[str]] = [[found[0].text]]  # the title's chapter
    for unit in found[1:]:
        if unit.kind == "heading":
            sections.append([])
        sections[-1].append(unit.text)
    ends = [start for start, _ in chapters[1:]] + [duration]
    low, high = voice.seconds_per_word
    problems = []
    for (start, name), end, texts in zip(chapters, ends, sections):
        n = sum(voices.words(t) for t in texts)
        # Table rows also say their column headers, numbered items their numbers: room above.
        top = 1.6 * n * high + PER_CLIP * (len(texts) + 1)
        if not 0.8 * n * low <= end - start <= top:
            problems.append(f"chapter “{name}” lasts {end - start:.1f} s for {n} words "
                            f"(expected {0.8 * n * low:.1f}–{top:.1f} s)")
    return problems

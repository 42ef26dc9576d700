"""Gate `media-overlays`: the EPUB's spoken edition plays in order and fits its text.

Read from the published EPUB itself: the package declares the overlay and its duration; every
spoken element of the content document (`readback.spoken`) has exactly one `par`, in text
order; every clip lies inside its audio file (whose length comes from the Ogg stream: last
granule position less the Opus pre-skip); clips do not overlap; each clip's length fits the
words it says at the voice's rate (`settings.voices`); the declared durations add up. When the
EPUB has no spoken edition it says why: a warning when the locale's voice cannot read the text
(unvowelled Arabic), a note when the locale was left out of `audio_locales` on purpose.

Not proven here: that the clips hold speech and not silence (the tests decode the audio and
measure its energy), or that the speech is right (no offline recognizer here hears eSpeak NG).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import partial
from urllib.parse import unquote

from pipeline.gates.silence import why_silent
from pipeline.gates.subject import Subject
from pipeline.model import CheckResult
from pipeline.readback.epub import SMIL_NS, Book
from pipeline.readback.opus import clock, read_opus, seconds
from pipeline.readback.spoken import units as spoken_units
from pipeline.readback.text import ArtifactUnreadable
from pipeline.settings import voices

SLACK = 0.05
"""Seconds a clip may reach past the audio's end (encoder rounding)."""
PER_CLIP = 1.0
"""Seconds a clip may run beyond its words (its pause, a slow short heading)."""


def check(subject: Subject) -> list[CheckResult]:
    return evaluate(subject.doc, subject.output, subject.data, subject.config, subject.stamp,
                    subject.artifact.filename)


def evaluate(doc, output: str, data: bytes, config, stamp: str, filename: str
             ) -> list[CheckResult]:
    """The `media-overlays` gate for an EPUB."""
    result = partial(CheckResult, "media-overlays", doc.id, doc.locale, output)
    book = Book.open(data)
    items = book.items()
    content = book.content()
    if content is None:
        raise ArtifactUnreadable("the EPUB has no content document")
    silent = why_silent(doc, config, stamp)
    overlay_id = content.get("media-overlay")
    if overlay_id is None:
        if silent is None:
            return [result("error", False, "the spoken edition is missing from the EPUB",
                           filename, "rebuild it; check that espeak-ng and opusenc work")]
        severity, reason = silent
        hint = ("add short-vowel marks to the translation, or record the audio another way"
                if "vowel" in reason else "add the locale to audio_locales in pyproject.toml "
                "to voice it")
        return [result(severity, severity == "info", reason, None, hint)]
    problems: list[str] = []
    content_path = book.path(content.get("href"))
    smil_item = items.get(overlay_id)
    if smil_item is None or book.path(smil_item.get("href")) not in book.files:
        raise ArtifactUnreadable(f"the EPUB's overlay `{overlay_id}` is not in it")
    smil_path = book.path(smil_item.get("href"))
    smil = ET.fromstring(book.files[smil_path])
    spoken = spoken_units(book.files[content_path])
    wanted = {ident: text for ident, text, _ in spoken}
    order = {ident: n for n, (ident, _, _) in enumerate(spoken)}
    voice = voices.voice_for(doc.locale)
    low, high = voice.seconds_per_word if voice else (0.0, float("inf"))
    audio_lengths: dict[str, float] = {}
    seen, previous, total, clips = set(), (-1, None, 0.0), 0.0, 0
    for par in smil.iter(f"{SMIL_NS}par"):
        text, audio = par.find(f"{SMIL_NS}text"), par.find(f"{SMIL_NS}audio")
        if text is None or audio is None:
            problems.append(f"`par` {par.get('id')} lacks its text or audio")
            continue
        ref = unquote(text.get("src", "").partition("#")[2])
        audio_path = book.path(audio.get("src", ""), smil_path)
        if audio_path not in audio_lengths:
            if audio_path not in book.files:
                problems.append(f"clip of `{ref}` points at {audio_path}, not in the EPUB")
                continue
            audio_lengths[audio_path] = read_opus(book.files[audio_path]).duration
        begin, end = seconds(audio.get("clipBegin", "0")), seconds(audio.get("clipEnd", "0"))
        clips += 1
        total += end - begin
        if ref not in wanted:
            problems.append(f"clip points at `#{ref}`, which is not a spoken element")
            continue
        if ref in seen:
            problems.append(f"`#{ref}` has more than one clip")
        seen.add(ref)
        if order[ref] < previous[0]:
            problems.append(f"the clip of `#{ref}` plays after `#{previous[1]}`, which "
                            "comes later in the text")
        if not 0 <= begin < end <= audio_lengths[audio_path] + SLACK:
            problems.append(f"the clip of `#{ref}` ({begin:.3f}–{end:.3f} s) does not lie "
                            f"inside its audio file ({audio_lengths[audio_path]:.3f} s)")
        if previous[1] is not None and begin < previous[2] - 0.001:
            problems.append(f"the clip of `#{ref}` overlaps the one before")
        n = voices.words(wanted[ref])
        if not n * low <= end - begin <= n * high + PER_CLIP:
            problems.append(f"the clip of `#{ref}` lasts {end - begin:.2f} s for {n} words "
                            f"(expected {n * low:.1f}–{n * high + PER_CLIP:.1f} s): "
                            f"“{wanted[ref][:50]}”")
        previous = (order[ref], ref, end)
    missing = [ident for ident in wanted if ident not in seen]
    if missing:
        problems.append(f"{len(missing)} spoken element(s) have no clip, first `#{missing[0]}`")
    declared = book.meta("media:duration", f"#{overlay_id}")
    whole = book.meta("media:duration")
    for label, values in (("the overlay's", declared), ("the publication's", whole)):
        if not values or abs(seconds(values[0]) - total) > 0.01 * max(1, clips):
            problems.append(f"{label} media:duration ({values[0] if values else 'none'}) is "
                            f"not the length of its clips ({clock(total)})")
    metrics = {"clips": clips, "seconds": round(total, 3),
               "voice": voice.name if voice else None}
    if problems:
        return [result("error", False, problem, f"{filename}!{smil_path}",
                       "rebuild the EPUB; if it persists, the speech step is broken", metrics)
                for problem in problems[:10]]
    return [result("error", True, f"spoken edition: {clips} clips, {clock(total)}, "
                   "each inside its audio, in text order, of a length that fits its words",
                   None, None, metrics)]



"""The spoken edition: text read aloud offline by eSpeak NG, one clip per block, as Ogg Opus.

Why: members who listen rather than read are owed the same material (ADA, Section 1557, the
European Accessibility Act), and no tool a clinic uses makes audio that follows the text.

How: each block's spoken text goes through `espeak-ng` on its own (16-bit mono WAV); its
leading and trailing silence is trimmed, so a clip starts and ends on speech; the clips are
joined into one track with a fixed pause after each (a clip runs from the start of its speech
to the start of the next clip's), and the track is encoded once by
`opusenc` (Ogg Opus, a core media type of EPUB 3.3). The EPUB's Media Overlays point at the
clips' time ranges in that file, and the same bytes are the standalone `<id>.opus`: its
comments carry the title, artist and language and a chapter mark per heading in the form
most players read (`CHAPTER000=00:01:02.345`, `CHAPTER000NAME=…`). Same text, same voice,
same bytes: opusenc's stream serial number is derived from the content, and nothing reads
the clock.

The voices, their rates and which texts they can read are in `settings.voices`.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
import wave
from array import array
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path

from pipeline.errors import PlainpressError
from pipeline.readback.opus import chapter_time
from pipeline.settings.voices import Voice, words

PAUSE = 0.35
"""Seconds of silence after each clip's speech; it belongs to the clip, so that a reading
system playing the overlay clip after clip keeps the pauses between blocks."""
SILENCE = 300
"""Samples quieter than this (of 32767) at the ends of a clip are trimmed."""
EDGE = 0.02
"""Seconds of quiet kept before and after the speech of each clip."""
OPUS_ARGS = ("--quiet", "--speech", "--bitrate", "24", "--comp", "0", "--framesize", "60")
"""Speech at 24 kbit/s. The lowest complexity and the longest frames encode about 1.7 times as
fast as `--comp 3` with 20 ms frames (measured on eSpeak NG output), at the same file size."""


class SpeechError(PlainpressError):
    """eSpeak NG or opusenc is missing or failed."""


@dataclass(frozen=True, slots=True)
class Clip:
    """One block's speech: the element it belongs to and where it lies in the track."""

    ref: str
    """The id of the element in the content document."""
    begin: float
    end: float
    text: str
    """What was spoken."""


@dataclass(frozen=True, slots=True)
class Track:
    """The encoded spoken edition of one document."""

    audio: bytes
    """Ogg Opus, with tags and chapter marks."""
    clips: tuple[Clip, ...]
    duration: float
    chapters: tuple[tuple[float, str], ...]
    voice: Voice


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SpeechError(f"`{name}` is not installed, so no spoken edition can be made",
                          hint=f"run `make` (it installs Debian's `{package}`), or leave "
                               "the locale out of `audio_locales` in pyproject.toml")
    return path


def _run(command: list[str], what: str, **kwargs) -> None:
    done = subprocess.run(command, capture_output=True, timeout=300, check=False, **kwargs)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SpeechError(f"{what} failed: {message[-1] if message else done.returncode}",
                          hint="run the build with --debug and check the eSpeak NG install")


def _speak(text: str, voice: Voice, folder: Path, index: int) -> tuple[int, array]:
    """(sample rate, 16-bit samples) of one clip, with its silent ends trimmed."""
    path = folder / f"{index}.wav"
    _run([_tool("espeak-ng", "espeak-ng"), "-b", "1", "-v", voice.name, "-s", str(voice.rate),
          "-w", str(path)], f"eSpeak NG ({voice.name})", input=text.encode("utf-8"))
    with wave.open(str(path)) as wav:
        rate = wav.getframerate()
        samples = array("h", wav.readframes(wav.getnframes()))
    path.unlink()
    first = next((i for i, s in enumerate(samples) if abs(s) > SILENCE), None)
    if first is None:
        return rate, array("h")
    last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > SILENCE)
    edge = int(EDGE * rate)
    return rate, samples[max(0, first - edge):min(len(samples), last + 1 + edge)]


_CACHE: dict[str, Track] = {}
_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
"""This module's own source: a change to how speech is made invalidates the shared cache."""


@lru_cache(maxsize=1)
def tool_versions() -> str:
    """The versions of espeak-ng and opusenc (part of every cache key)."""
    found = []
    for name, package in (("espeak-ng", "espeak-ng"), ("opusenc", "opus-tools")):
        done = subprocess.run([_tool(name, package), "--version"], capture_output=True,
                              timeout=30, check=False)
        found.append(done.stdout.decode("utf-8", "replace").strip())
    return "\n".join(found)


def synthesize(segments: list[tuple[str, str, bool]], voice: Voice, *, title: str,
               artist: str, lang: str) -> Track:
    """Speak `segments` ((element id, text, is a heading), in reading order) into one track.
    Cached by content, in this process and in `speech_cache` (shared by the workers): the EPUB
    and the standalone file of a document share one synthesis."""
    from pipeline.render import speech_cache

    key = hashlib.sha256(repr((segments, voice, title, artist, lang, tool_versions(),
                               _CODE)).encode()).hexdigest()
    if key in _CACHE:
        return _CACHE[key]
    with speech_cache.entry(key) as cache:
        found = cache[0]() if cache else None
        if found:
            audio, meta = found
            track = Track(audio, tuple(Clip(**c) for c in meta["clips"]), meta["duration"],
                          tuple(tuple(c) for c in meta["chapters"]), voice)
        else:
            track = _synthesize(segments, voice, title, artist, lang, key)
            if cache:
                cache[1](track.audio, {"clips": [asdict(c) for c in track.clips],
                                       "duration": track.duration,
                                       "chapters": [list(c) for c in track.chapters]})
    if len(_CACHE) >= 4:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = track
    return track


def _synthesize(segments, voice, title, artist, lang, key) -> Track:
    with tempfile.TemporaryDirectory(prefix="plainpress-speech-") as tmp:
        folder = Path(tmp)
        rate, track, clips, chapters = 22050, array("h"), [], []
        for index, (ref, text, heading) in enumerate(segments):
            if not words(text):
                continue
            rate, samples = _speak(text, voice, folder, index)
            if not samples:
                continue
            if track:
                track.extend(array("h", bytes(2 * int(PAUSE * rate))))
            begin = round(len(track) / rate, 3)
            track.extend(samples)
            if clips:  # a clip lasts until the next one starts: its pause is played with it
                clips[-1] = replace(clips[-1], end=begin)
            clips.append(Clip(ref, begin, round(len(track) / rate, 3), text))
            if heading:
                chapters.append((begin, " ".join(text.split())))
        if chapters and chapters[0][0] > 0:  # what comes before the title (a DRAFT mark)
            chapters[0] = (0.0, chapters[0][1])  # belongs to the first chapter
        wav_path, opus_path = folder / "track.wav", folder / "track.opus"
        with wave.open(str(wav_path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(rate)
            wav.writeframes(track.tobytes())
        tags = ["--title", title, "--artist", artist, "--comment", f"LANGUAGE={lang}"]
        for number, (start, name) in enumerate(chapters):
            tags += ["--comment", f"CHAPTER{number:03d}={chapter_time(start)}",
                     "--comment", f"CHAPTER{number:03d}NAME={name}"]
        _run([_tool("opusenc", "opus-tools"), *OPUS_ARGS, "--serial",
              str(int(key[:8], 16) & 0x7FFFFFFF), *tags, str(wav_path), str(opus_path)],
             "opusenc")
        audio = opus_path.read_bytes()
    return Track(audio, tuple(clips), round(len(track) / rate, 3), tuple(chapters), voice)

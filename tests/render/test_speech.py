"""The spoken edition, listened to as far as a machine can: every clip of the Media Overlay
lies inside its audio file and holds speech (its energy, decoded by opus-tools' `opusdec`, is
far above the silence between clips), its length fits its words at the voice's rate, the clips
play in text order, and the standalone file's chapters (read by `opusinfo`, an independent
reader) match the headings. Arabic without vowel marks is reported, not voiced."""

from __future__ import annotations

import math
import re
import subprocess
import wave
import xml.etree.ElementTree as ET
from array import array

import pytest

from conftest import PYPROJECT, make_project, published, require_tool
from pipeline.settings import config
from pipeline.build import Selection, build
from pipeline.readback.epub import SMIL_NS, Book
from pipeline.readback.opus import read_opus, seconds
from pipeline.errors import ConfigError
from pipeline.settings import voices
from pipeline.readback.spoken import units

pytestmark = pytest.mark.slow  # EPUBCheck, DAISY Ace (Chromium) and speech synthesis

RATE = 16000
SILENT_DB = -50.0
SPEECH_DB = -35.0


def decode(opus: bytes, tmp_path) -> array:
    """16-bit mono samples at RATE, as a player would play them (pre-skip removed)."""
    (tmp_path / "a.opus").write_bytes(opus)
    subprocess.run([require_tool("opusdec"), "--quiet", "--rate", str(RATE), str(tmp_path / "a.opus"),
                    str(tmp_path / "a.wav")], check=True)
    with wave.open(str(tmp_path / "a.wav")) as wav:
        assert wav.getnchannels() == 1
        return array("h", wav.readframes(wav.getnframes()))


def db(samples) -> float:
    if not len(samples):
        return -120.0
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768
    return 20 * math.log10(rms) if rms else -120.0


def clips(book: Book):
    """(element id, begin, end) of every `par`, in SMIL order."""
    smil = ET.fromstring(book.files["EPUB/content.smil"])
    for par in smil.iter(f"{SMIL_NS}par"):
        audio = par.find(f"{SMIL_NS}audio")
        yield (par.find(f"{SMIL_NS}text").get("src").split("#")[1],
               seconds(audio.get("clipBegin")), seconds(audio.get("clipEnd")))


@pytest.fixture(scope="module")
def heard(epub_build, tmp_path_factory):
    proj, _ = epub_build
    book = Book.open(published(proj, "sample.epub"))
    samples = decode(book.files["EPUB/audio/sample.opus"], tmp_path_factory.mktemp("audio"))
    return proj, book, samples


def test_every_clip_lies_inside_the_file_and_holds_speech(heard):
    proj, book, samples = heard
    length = len(samples) / RATE
    found = list(clips(book))
    assert len(found) >= 15
    for n, (ref, begin, end) in enumerate(found):
        assert 0 <= begin < end <= length + 0.05, ref
        clip = samples[int(begin * RATE):int(end * RATE)]
        assert db(clip) > SPEECH_DB, f"clip #{ref} is nearly silent ({db(clip):.1f} dB)"
        # It starts on speech (its first loud 10 ms come within 100 ms) and, unless last,
        # ends in the pause before the next block (its last 200 ms are silence).
        frame = RATE // 100
        onset = next(i for i in range(0, len(clip), frame) if db(clip[i:i + frame]) > -40)
        assert onset / RATE < 0.1, (ref, onset / RATE)
        if n < len(found) - 1:
            assert db(clip[-int(0.2 * RATE):]) < SILENT_DB, ref


def test_clip_lengths_fit_their_words_and_play_in_text_order(heard):
    proj, book, samples = heard
    spoken = units(book.files["EPUB/content.xhtml"])
    order = [ident for ident, _, _ in spoken]
    text = {ident: words for ident, words, _ in spoken}
    found = list(clips(book))
    assert [ref for ref, _, _ in found] == order  # every spoken element, in document order
    assert all(a[2] <= b[1] + 1e-6 for a, b in zip(found, found[1:]))  # no overlap, in time
    total_words = sum(voices.words(text[ref]) for ref, _, _ in found)
    total_minutes = sum(end - begin for _, begin, end in found) / 60
    # eSpeak NG speaks en-us at 150 words a minute; with the pauses between blocks, the
    # whole edition comes out between 100 and 170.
    assert 100 <= total_words / total_minutes <= 170
    for ref, begin, end in found:
        n = voices.words(text[ref])
        assert 0.2 * n <= end - begin <= 1.2 * n + 1.0, (ref, text[ref], end - begin)
    # The table row says its column headers; the numbered item says its number.
    assert any(t.startswith("Name: alpha. Value: 1") for t in text.values())
    assert any(t.startswith("1. step one") for t in text.values())
    assert any("A blue square used as a test picture" in t for t in text.values())


def test_the_standalone_file_is_the_epub_audio_with_chapters_per_heading(heard, tmp_path):
    proj, book, _ = heard
    standalone = published(proj, "sample.opus")
    assert standalone == book.files["EPUB/audio/sample.opus"]
    path = tmp_path / "sample.opus"
    path.write_bytes(standalone)
    info = subprocess.run([require_tool("opusinfo"), str(path)], capture_output=True, text=True,
                          check=True).stdout
    names = re.findall(r"CHAPTER\d+NAME=(.*)", info)
    assert names == ["Sample Topic", "First section", "A subsection"]
    starts = [seconds(t) for t in re.findall(r"CHAPTER\d+=(\S+)", info)]
    heading_clips = {ref: begin for ref, begin, _ in clips(book)}
    page = ET.fromstring(book.files["EPUB/content.xhtml"])
    heading_ids = [h.get("id") for h in page.iter()
                   if h.tag.endswith(("}h1", "}h2", "}h3"))]
    assert starts == [heading_clips[i] for i in heading_ids]
    assert re.search(r"title=Sample Topic", info) and "artist=Test Clinic" in info
    assert "LANGUAGE=en" in info
    m, s = re.search(r"Playback length: (\d+)m:([\d.]+)s", info).groups()
    assert abs(int(m) * 60 + float(s) - read_opus(standalone).duration) < 0.05


ARABIC = """\
---
title: {title}
summary: {summary}
reviewed: 2025-08
reviewed_by: {team}
url: https://example.org/ar
---

{body}

::: handout
## {heading}

{body}
:::
"""
PLAIN = dict(title="صحة الكلى", summary="هذه الصفحة تشرح صحة الكلى.", team="فريق المراجعة",
             heading="ما الذي يجب أن تعرفه؟", body="اشرب الماء كل يوم. اسأل طبيبك عن الدواء.",
             disclaimer="هذه المعلومات للتعلم فقط.", contact="اتصل بفريق الرعاية.")
VOWELLED = dict(title="صِحَّةُ الكُلَى", summary="هَذِهِ الصَّفْحَةُ تَشْرَحُ صِحَّةَ الكُلَى.",
                team="فَرِيقُ المُرَاجَعَةِ", heading="مَاذَا تَعْرِفُ؟",
                body="اِشْرَبِ المَاءَ كُلَّ يَوْمٍ. اِسْأَلْ طَبِيبَكَ عَنِ الدَّوَاءِ.",
                disclaimer="هَذِهِ المَعْلُومَاتُ لِلتَّعَلُّمِ فَقَطْ.",
                contact="اِتَّصِلْ بِفَرِيقِ الرِّعَايَةِ.")


def arabic_project(root, text: dict, audio: str | None):
    settings = PYPROJECT.replace('source_locale = "en"', 'source_locale = "ar"').replace(
        'locales = ["en"]', 'locales = ["ar"]' + (f"\naudio_locales = {audio}" if audio else ""))
    proj = make_project(root, settings)
    (proj.root / "source/sample.md").unlink()
    proj.write("source/kidney.md", ARABIC.format(**text))
    proj.write("source/_shared/disclaimer.md", text["disclaimer"] + "\n")
    proj.write("source/_shared/contact.md", text["contact"] + "\n")
    return proj


def test_unvowelled_arabic_is_reported_not_voiced(tmp_path):
    assert voices.unreadable("ar", [PLAIN["body"]]) is not None
    assert voices.unreadable("ar", [VOWELLED["body"]]) is None
    assert voices.vowelled_share([VOWELLED["body"]]) > 0.8
    # By default Arabic is not in audio_locales: the EPUB is published without audio, and the
    # report says why (a warning that names the vowel marks); no audio file is planned.
    proj = arabic_project(tmp_path / "plain", PLAIN, None)
    result = build(proj.root, Selection(formats=("epub", "audio")), jobs=1)
    assert result.exit_code == 0
    assert [(o.filename, o.published) for o in result.outcomes] == [("ar/kidney.epub", True)]
    note = next(c for c in result.checks if c.check == "media-overlays")
    assert note.severity == "warning" and not note.passed and "short-vowel" in note.message
    book = Book.open((proj.root / "build/ar/kidney.epub").read_bytes())
    assert "EPUB/content.smil" not in book.files
    assert book.opf.find(f"{{http://www.idpf.org/2007/opf}}spine").get(
        "page-progression-direction") == "rtl"
    page = ET.fromstring(book.files["EPUB/content.xhtml"])
    assert page.get("dir") == "rtl" and page.get("lang") == "ar"
    assert all(c.passed for c in result.checks if c.check in ("epubcheck", "ace"))
    # Asked for explicitly, the audio is withheld with the reason and the fix.
    proj = arabic_project(tmp_path / "asked", PLAIN, '["ar"]')
    result = build(proj.root, Selection(formats=("audio",)), jobs=1)
    assert result.exit_code == 1
    failed = next(c for c in result.checks if c.check == "audio")
    assert "short-vowel marks" in failed.message and "audio_locales" in failed.hint
    assert not (proj.root / "build/ar/kidney.opus").exists()


def test_vowelled_arabic_is_voiced(tmp_path):
    proj = arabic_project(tmp_path / "vowelled", VOWELLED, '["ar"]')
    result = build(proj.root, Selection(formats=("epub", "audio")), jobs=1)
    assert result.exit_code == 0, [c.message for c in result.checks if not c.passed]
    assert {o.filename for o in result.outcomes if o.published} == {"ar/kidney.epub",
                                                                    "ar/kidney.opus"}
    opus = read_opus((proj.root / "build/ar/kidney.opus").read_bytes())
    assert opus.tag("LANGUAGE") == "ar" and opus.chapters()[0] == (0.0, VOWELLED["title"])


def test_audio_locales_must_be_configured_locales(project):
    project.write("pyproject.toml", PYPROJECT + 'audio_locales = ["en", "fr"]\n')
    with pytest.raises(ConfigError) as error:
        config.load(project.root)
    assert error.value.loc.line == 5 and "fr" in error.value.message
    project.write("pyproject.toml", PYPROJECT + "audio_locales = []\n")
    assert config.load(project.root).audio_locales == ()
    assert voices.audio_locales(config.load(project.root)) == ()
    project.write("pyproject.toml", PYPROJECT.replace('["en"]', '["en", "es", "ar", "zh_Hans"]'))
    assert voices.audio_locales(config.load(project.root)) == ("en", "es", "zh_Hans")

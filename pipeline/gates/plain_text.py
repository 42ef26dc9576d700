"""Language facts the plain-language gate needs, for en, es, ar and zh: sentences, words,
rare words, explanations, passive voice and plainer words.

Why its own module: these are per-language rules written as data (patterns, a substitution table
under `styles/plain-words/`), and the gate only combines them. Words come from `wordfreq`'s
tokenizer (Arabic normalised the way its frequencies are counted) and, for Chinese, from jieba's
segmentation, so a Chinese "word" is a word and not a run of characters up to the next comma. A word is rare when
its Zipf frequency (log10 of uses per billion words) is below the locale's threshold: Zipf 3 is
about once in a million words ("ovulation"), everyday words are 4–7.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.gates.readability import language, sentences as latin_sentences

CJK_END = re.compile(r"(?<=[。！？!?；])")
ARABIC_END = re.compile(r"(?<=[.!?؟])\s+")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

DEFINING = {
    # (pattern after the word, pattern before the word); {w} is the word.
    "en": (r"{w}\w*\s*(?:\(|—|–|:|,\s*(?:an?|the|which|that|or)\b|\s+(?:means?|is|are|"
           r"refers? to|stands? for)\b)",
           r"(?:called|known as|named|\()\s*(?:an?\s+|the\s+)?{w}"),
    "es": (r"{w}\w*\s*(?:\(|—|–|:|,\s*(?:una?|el|la|los|las|que|o)\b|\s+(?:significa|quiere "
           r"decir|es|son|se refiere)\b)",
           r"(?:llamad[oa]s?|se llaman?|conocid[oa]s? como|\()\s*(?:una?\s+|el\s+|la\s+)?{w}"),
    "ar": (r"{w}\w*\s*(?:\(|—|–|:|،\s*(?:أي|وهو|وهي|الذي|التي)|\s+(?:يعني|تعني|هو|هي|أي))",
           r"(?:يسمى|تسمى|يُسمى|تُسمى|يدعى|تدعى|باسم|\()\s*{w}"),
    "zh": (r"{w}\s*(?:（|\(|—|：|:|，?(?:是指|指的是|就是|意思是|是|指))",
           r"(?:叫做|叫作|叫|称为|称作|名为|（|\()[^，。]{{0,4}}{w}"),
}
"""How a language explains a word where it first uses it: "X means …", "X (…)", "called X"."""

PASSIVE = {
    "en": re.compile(
        r"\b(?:am|is|are|was|were|be|been|being|get|gets|got|gotten)\s+(?:\w+ly\s+|not\s+|"
        r"then\s+|also\s+|often\s+|usually\s+)?((?!(?:need|tired|interested|worried|scared|"
        r"married|concerned|pleased|excited|supposed|based|related|called|used to)\b)\w+ed|"
        r"done|made|given|taken|seen|found|put|told|shown|held|kept|sent|built|brought|"
        r"caught|lost|frozen|chosen|written|broken|hidden|worn|paid|passed on|left)\b", re.I),
    "es": re.compile(
        r"\b(?:es|son|fue|fueron|será|serán|sea|sean|era|eran|sido|ser)\s+(?:\w+mente\s+)?"
        r"(\w+(?:ado|ada|ados|adas|ido|ida|idos|idas)|hech[oa]s?|puest[oa]s?|vist[oa]s?|"
        r"dich[oa]s?|escrit[oa]s?|rot[oa]s?|cubiert[oa]s?|abiert[oa]s?)\b", re.I),
}
"""A form of "to be" (Spanish *ser*) followed by a past participle: the passive voice that
Hemingway-style editors flag. English adjectives in -ed after "is" ("is tired") are left out,
and so are "is called", "is known as" and "are born": the first two are how a handout explains
a word, the third has no active form a reader would prefer."""


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a sentence, as wordfreq sees it."""

    text: str
    zipf: float
    key: str = ""
    """The word's dictionary form, roughly, so that "biopsy" and "biopsies" (الخزعة,
    الخزعات) are one word when the gate reports each rare word once."""


def lang_of(locale: str) -> str:
    """The wordfreq language of a locale: `zh_Hans` → `zh`."""
    return language(locale)


def supported(locale: str) -> bool:
    """Whether wordfreq has word frequencies for the locale's language."""
    return lang_of(locale) in _wordfreq().available_languages()


def split_sentences(text: str, locale: str) -> list[str]:
    """The sentences of one unit (paragraph, heading, list item) in its language."""
    lang = lang_of(locale)
    text = " ".join(text.split())
    if lang == "zh":
        return [piece.strip() for piece in CJK_END.split(text) if piece.strip()]
    if lang == "ar":
        return [piece.strip() for piece in ARABIC_END.split(text) if piece.strip()]
    return latin_sentences([text]) if text else []


@lru_cache(maxsize=1)
def _wordfreq():
    """wordfreq, with jieba's start-up chatter on stderr silenced."""
    import logging

    logging.getLogger("jieba").setLevel(logging.WARNING)
    try:
        import jieba
        jieba.setLogLevel(logging.WARNING)
    except ImportError:  # pragma: no cover - jieba is a dependency
        pass
    import wordfreq
    return wordfreq


ARABIC_PREFIXES = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك", "س")
ARABIC_SUFFIXES = ("كما", "هما", "ات", "هم", "هن", "كم", "كن", "نا", "ها", "ة", "ك", "ه", "ي", "ا")


def arabic_forms(token: str) -> set[str]:
    """The token and its stems without a clitic prefix ("and", "the", "with") or a pronoun or
    plural suffix: wordfreq counts written forms, and Arabic writes "your genes" as one word
    (جيناتك), so the stem's frequency is the word's."""
    forms = {token}
    for prefix in ("", *ARABIC_PREFIXES):
        if prefix and not token.startswith(prefix):
            continue
        stem = token[len(prefix):]
        if len(stem) < 3:
            continue
        forms.add(stem)
        for suffix in ARABIC_SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                forms.add(stem[:-len(suffix)])
                forms.add("ال" + stem[:-len(suffix)])
    return forms


def _tokens(sentence: str, lang: str) -> list[str]:
    """Words as wordfreq tokenizes them; Chinese through jieba's full dictionary, which keeps
    medical compounds whole (静脉曲张, 附睾炎) where wordfreq's own smaller one splits them into
    common single characters; wordfreq then scores the compound."""
    if lang != "zh":
        return _wordfreq().tokenize(sentence, lang)
    import jieba
    return [token.strip().lower() for token in jieba.lcut(sentence) if token.strip()]


def singular(word: str) -> str:
    """English and Spanish plurals folded: biopsies → biopsy, biopsias → biopsia."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words(sentence: str, locale: str) -> list[Word]:
    """The words of a sentence with their Zipf frequencies (numbers and symbols left out; an
    Arabic word counts as common when its stem is)."""
    wf = _wordfreq()
    lang = lang_of(locale)
    out = []
    for token in _tokens(sentence, lang):
        if not any(ch.isalpha() for ch in token) or any(ch.isdigit() for ch in token):
            continue
        forms = arabic_forms(token) if lang == "ar" else {token}
        out.append(Word(token, max(wf.zipf_frequency(form, lang) for form in forms),
                        min(forms, key=len) if lang == "ar" else singular(token)))
    return out


def length(sentence: str, locale: str) -> int:
    """Words in a sentence; for Chinese, its characters (Han characters and letters)."""
    if lang_of(locale) == "zh":
        return sum(1 for ch in sentence if ch.isalnum())
    return len(words(sentence, locale))


def _word_pattern(word: str, lang: str) -> str:
    escaped = re.escape(word)
    if lang == "zh" or HAN.search(word):
        return escaped
    if lang == "ar":  # a word may carry a one-letter prefix: و (and), ب (with), ل (for), ال
        return rf"(?<!\w)(?:[وفبلك]|ال|وال|بال|لل)?{escaped}(?!\w)"
    return rf"(?<!\w){escaped}"


ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")


def fold(text: str) -> str:
    """Text as wordfreq compares it: Arabic short-vowel marks and tatweel removed."""
    return ARABIC_MARKS.sub("", text)


def uses(word: str, sentence: str, locale: str) -> bool:
    return re.search(_word_pattern(word, lang_of(locale)), fold(sentence), re.I) is not None


def explains(word: str, sentence: str, locale: str) -> bool:
    """Whether the sentence explains `word`: it starts with it, or defines it in the
    language's way ("X means …", "X (…)", "… called X")."""
    lang = lang_of(locale)
    after, before = DEFINING.get(lang, DEFINING["en"])
    w = _word_pattern(word, lang)
    start = {"en": r"^(?:an?|the)?\s*", "es": r"^(?:una?|el|la|los|las)?\s*"}.get(lang, r"^\s*")
    sentence = fold(sentence)
    return any(re.search(pattern, sentence, re.I) for pattern in
               (start + w, after.format(w=w), before.format(w=w)))


def passive(sentence: str, locale: str) -> str | None:
    """The passive phrase in the sentence (en, es), or None."""
    pattern = PASSIVE.get(lang_of(locale))
    found = pattern.search(sentence) if pattern else None
    return found.group(0) if found else None


PLAIN_WORDS_DIR = "plain-words"


def table_path(styles_dir: Path, locale: str) -> Path:
    """`styles/plain-words/<locale>.toml`, else the file of its language (`zh.toml`)."""
    folder = styles_dir / PLAIN_WORDS_DIR
    exact = folder / f"{locale}.toml"
    return exact if exact.is_file() else folder / f"{lang_of(locale)}.toml"


@lru_cache(maxsize=16)
def _table(path: Path, stamp: float) -> tuple[tuple[str, str], ...]:
    data = tomllib.loads(path.read_text("utf-8"))
    pairs = data.get("words", {})
    return tuple(sorted(((str(k), str(v)) for k, v in pairs.items()),
                        key=lambda pair: -len(pair[0])))


def substitutions(styles_dir: Path, locale: str) -> tuple[tuple[str, str], ...]:
    """(phrase, plainer phrase) pairs of a locale, longest phrase first; none without a file.
    A file that is not valid TOML raises ValueError with its path (the gate reports it)."""
    path = table_path(styles_dir, locale)
    if not path.is_file():
        return ()
    try:
        return _table(path, path.stat().st_mtime)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path.name}: {exc}") from exc


def suggestions(sentence: str, locale: str, table) -> list[tuple[str, str]]:
    """(phrase as written, plainer phrase) for every table phrase the sentence uses."""
    lang = lang_of(locale)
    found, taken = [], []
    for phrase, plainer in table:
        pattern = _word_pattern(phrase, lang) + ("" if lang in ("zh", "ar") else r"(?!\w)")
        for match in re.finditer(pattern, sentence, re.I):
            span = range(match.start(), match.end())
            if any(set(span) & set(other) for other in taken):
                continue  # a longer phrase already covers it ("prior to" in "prior to it")
            taken.append(span)
            found.append((match.group(0), plainer))
            break
    return found

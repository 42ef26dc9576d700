"""Judging a PO file's `Plural-Forms` header the way translators' tools judge it.

Why: CLDR's plural rules move between Babel releases (Babel 2.19 gave Spanish a third form for
millions; its Arabic rule differs from the one Babel 2.18 wrote), and GNU gettext's `msginit`
still writes the older two-form rules. A header one of those tools wrote is sound: refusing it
withheld whole locales the week a new Babel came out. So a header is
- an error when it is malformed or unsafe (`catalogs.check_plural_forms`, on reading), or when
  a plural message in the catalog has a different number of forms than `nplurals`;
- accepted when it means what the running Babel's CLDR rule means (same form for every count);
- accepted, with an info result naming both rules and the Babel/CLDR version, when it means
  what a rule in `TOOL_RULES` means: one that `msginit` or an older Babel writes;
- an error otherwise (a rule no tool writes for the language picks wrong forms).

`TOOL_RULES` is data: the rules GNU gettext 0.21's `msginit` writes and the ones Babel 2.18.0
(CLDR 47 and its own older table) wrote, for the languages where they differ from CLDR 49.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.errors import SourceError
from pipeline.model import Loc
from pipeline.translate import catalogs

_SAMPLES = (*range(0, 1001), 10_000, 100_000, 1_000_000, 2_000_000, 10_000_000)

TOOL_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "es": (("GNU gettext msginit", "nplurals=2; plural=(n != 1);"),),
    "fr": (("GNU gettext msginit", "nplurals=2; plural=(n > 1);"),),
    "pt": (("GNU gettext msginit", "nplurals=2; plural=(n != 1);"),),
    "it": (("GNU gettext msginit", "nplurals=2; plural=(n != 1);"),),
    "de": (("GNU gettext msginit", "nplurals=2; plural=(n != 1);"),),
    "he": (("GNU gettext msginit", "nplurals=2; plural=(n != 1);"),),
    "ru": (("GNU gettext msginit", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 "
            "&& n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"),),
    "uk": (("GNU gettext msginit", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 "
            "&& n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"),),
    "pl": (("GNU gettext msginit", "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && "
            "(n%100<10 || n%100>=20) ? 1 : 2);"),),
    "ar": (("Babel 2.18", "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
            "n%100<=10 ? 3 : n%100>=0 && n%100<=2 ? 4 : 5);"),
           ("Poedit and Weblate", "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
            "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);")),
    "pt_BR": (("Babel 2.18", "nplurals=2; plural=(n > 1);"),),
    "tr": (("Babel 2.18", "nplurals=1; plural=0;"),),
    "hi": (("Babel 2.18", "nplurals=2; plural=(n != 1);"),),
    "bn": (("Babel 2.18", "nplurals=2; plural=(n != 1);"),),
    "fa": (("Babel 2.18", "nplurals=1; plural=0;"),),
    "hu": (("Babel 2.18", "nplurals=1; plural=0;"),),
    "id": (("Babel 2.18", "nplurals=2; plural=(n != 1);"),),
    "tl": (("Babel 2.18", "nplurals=2; plural=(n != 1);"),),
    "am": (("Babel 2.18", "nplurals=2; plural=(n != 1);"),),
    "my": (("Babel 2.18", "nplurals=2; plural=(n != 1);"),),
    "pa": (("Babel 2.18", "nplurals=2; plural=(n != 1);"),),
}
"""language (or language_TERRITORY) → (tool, rule) pairs a translator's tool writes."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the header's rule is, compared with CLDR's and the tools'."""

    ok: bool
    message: str
    """Empty when the header means CLDR's rule."""
    hint: str | None = None


def cldr_rule(locale) -> tuple[int, str, str]:
    """(nplurals, `nplurals=…; plural=…;`, "Babel X, CLDR Y") for a Babel locale."""
    import babel
    from babel.core import get_cldr_version
    from babel.messages.plurals import get_plural

    plural = get_plural(locale)
    return (plural.num_plurals, plural.plural_forms,
            f"Babel {babel.__version__}, CLDR {get_cldr_version()}")


def _function(rule: str):
    try:
        return catalogs.plural_function(rule, Loc("-"))
    except SourceError:
        return None


def same_meaning(first: str, second: str) -> bool:
    """True when two rules have the same number of forms and pick the same form for every
    sampled count (0–1000 and large round numbers)."""
    a, b = _function(first), _function(second)
    if a is None or b is None or a[0] != b[0]:
        return False
    try:
        return all(int(a[1](n)) == int(b[1](n)) for n in _SAMPLES)
    except (ArithmeticError, ValueError, TypeError):
        return False


def _first_difference(theirs: str, ours: str) -> str:
    a, b = _function(theirs), _function(ours)
    if a is None or b is None:
        return ""
    if a[0] != b[0]:
        return f"it has nplurals={a[0]}, CLDR {b[0]}"
    for n in _SAMPLES:
        if int(a[1](n)) != int(b[1](n)):
            return f"it picks form {int(a[1](n))} for n={n}; CLDR's rule picks form {int(b[1](n))}"
    return ""


def tool_rules(code: str) -> tuple[tuple[str, str], ...]:
    """The rules translators' tools write for a locale code (`pt_BR`, then `pt`)."""
    language = code.split("_")[0]
    return TOOL_RULES.get(code, ()) + (TOOL_RULES.get(language, ()) if code != language else ())


def judge(header_rule: str, code: str, locale) -> Verdict:
    """Compare a header's `nplurals=…; plural=…;` with CLDR's and the tools' rules for `code`."""
    count, cldr, version = cldr_rule(locale)
    if same_meaning(header_rule, cldr):
        return Verdict(True, "")
    for tool, rule in tool_rules(code):
        if same_meaning(header_rule, rule):
            return Verdict(True, f"the Plural-Forms header is the rule {tool} writes for `{code}` "
                           f"(`{_shorten(rule)}`); {version} has `{_shorten(cldr)}`. Both are "
                           "accepted: leave the header as it is")
    known = [f"`{rule}` ({tool})" for tool, rule in tool_rules(code)]
    difference = _first_difference(header_rule, cldr)
    return Verdict(False, f"the Plural-Forms header `{_shorten(header_rule)}` matches no rule "
                   f"for `{code}`: {difference or 'it differs from CLDR'} ({version})",
                   f"use `Plural-Forms: {cldr}`" + (f", or {', '.join(known)}" if known else ""))


def _shorten(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"

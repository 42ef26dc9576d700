"""What CLDR (through Babel) says about a locale: its BCP 47 tag, direction, script and dates.

Our locale codes follow gettext folder names (`zh_Hans`); `lang` attributes and PDF `/Lang` use
BCP 47 (`zh-Hans`).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton

from pipeline.errors import ConfigError
from pipeline.model import Loc

PSEUDO = {"en_XA": "en", "ar_XB": "ar"}


@lru_cache(maxsize=None)
def babel_locale(code: str) -> Locale:
    """The Babel locale for one of our locale codes (pseudo-locales map to their base)."""
    base = PSEUDO.get(code.replace("-", "_"), code)
    try:
        return Locale.parse(base.replace("-", "_"))
    except (ValueError, UnknownLocaleError) as exc:
        raise ConfigError(f"unknown locale `{code}`: {exc}", Loc("pyproject.toml"),
                          hint="use a CLDR code such as en, es, ar, zh_Hans") from exc


def bcp47(code: str) -> str:
    """`zh_Hans` → `zh-Hans`, `en_XA` → `en-XA`."""
    return code.replace("_", "-")


def direction(code: str) -> str:
    """`rtl` or `ltr`, from CLDR's character order."""
    return "rtl" if babel_locale(code).character_order == "right-to-left" else "ltr"


def script(code: str) -> str:
    """The font slot a locale needs: `arabic`, `cjk` or `latin`."""
    language = babel_locale(code).language
    if language in ("ar", "fa", "ur"):
        return "arabic"
    if language in ("zh", "ja", "ko"):
        return "cjk"
    return "latin"


def month_year(year: int, month: int, code: str) -> str:
    """The review month as the locale writes it ("August 2025", "agosto de 2025")."""
    return format_skeleton("yMMMM", dt.date(year, month, 1), locale=babel_locale(code))

"""Site configuration: `[tool.plainpress]` in `pyproject.toml` → a typed, frozen `Config`.

Unknown keys and values of the wrong type are errors that name `pyproject.toml`, the line and
the key, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError
from .model import Loc

PAGE_SIZES = ("letter", "a4")


@dataclass(frozen=True, slots=True)
class ReadingTargets:
    """Reading-level targets (US grade levels and INFLESZ scores)."""

    handout_max_grade: float = 6.0
    handout_min_inflesz: float = 65.0
    article_warn_grade: float = 8.0
    article_warn_inflesz: float = 55.0


@dataclass(frozen=True, slots=True)
class Config:
    """Everything `[tool.plainpress]` can say, with defaults filled in."""

    root: Path
    """The project folder (where `pyproject.toml` is)."""
    organisation: str
    """Credited as the author of every output."""
    source_locale: str = "en"
    locales: tuple[str, ...] = ("en",)
    """Locales to publish, the source locale included."""
    page_size: str = "letter"
    theme: str = "styles/theme.toml"
    email_size_limit_kb: int = 500
    reading: ReadingTargets = field(default_factory=ReadingTargets)
    jargon: tuple[str, ...] = ()
    reference_docx: str | None = None
    """A .docx whose styles the DOCX output uses instead of the theme's (like pandoc's
    --reference-doc), relative to the project."""

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def styles_dir(self) -> Path:
        return self.root / "styles"


_SCHEMA: dict[str, type | tuple[type, ...]] = {
    "organisation": str,
    "source_locale": str,
    "locales": list,
    "page_size": str,
    "theme": str,
    "email_size_limit_kb": int,
    "reading_level": dict,
    "jargon": list,
    "reference_docx": str,
}
_READING_KEYS = {
    "handout_max_grade": (int, float),
    "handout_min_inflesz": (int, float),
    "article_warn_grade": (int, float),
    "article_warn_inflesz": (int, float),
}


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` whose pyproject.toml has `[tool.plainpress]`."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.plainpress" in candidate.read_text("utf-8", "replace"):
            return folder
    raise ConfigError(
        f"no pyproject.toml with a [tool.plainpress] table at or above {start}",
        hint="run plainpress inside a Plainpress project, or create one with `plainpress new`",
    )


def _line_of(text: str, key: str) -> int | None:
    """The line where `key =` is first written, for error messages (tomllib gives none)."""
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


def load(root: Path) -> Config:
    """Read and validate `root/pyproject.toml`."""
    path = root / "pyproject.toml"
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read pyproject.toml: {exc}", Loc("pyproject.toml")) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        loc = Loc("pyproject.toml", int(match.group(1)) if match else None)
        raise ConfigError(f"pyproject.toml is not valid TOML: {exc}", loc,
                          hint="fix the TOML syntax at that line") from exc
    table = data.get("tool", {}).get("plainpress")
    if not isinstance(table, dict):
        raise ConfigError("pyproject.toml has no [tool.plainpress] table", Loc("pyproject.toml"),
                          hint="add [tool.plainpress] with at least `organisation = \"…\"`")

    def where(key: str) -> Loc:
        return Loc("pyproject.toml", _line_of(text, key))

    for key, value in table.items():
        if key not in _SCHEMA:
            close = difflib.get_close_matches(key, _SCHEMA, n=1)
            hint = f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(_SCHEMA)}"
            raise ConfigError(f"unknown setting `{key}` in [tool.plainpress]", where(key), hint)
        if not isinstance(value, _SCHEMA[key]) or isinstance(value, bool):
            expected = _SCHEMA[key].__name__
            raise ConfigError(f"`{key}` must be a {expected}, not {type(value).__name__}",
                              where(key), hint=f"write `{key}` as a TOML {expected}")

    if "organisation" not in table or not table["organisation"].strip():
        raise ConfigError("[tool.plainpress] needs `organisation`", Loc("pyproject.toml"),
                          hint='add `organisation = "Your clinic"`; it is credited in every output')
    source_locale = table.get("source_locale", "en")
    locales = table.get("locales", [source_locale])
    for locale in locales:
        if not isinstance(locale, str):
            raise ConfigError("`locales` must be a list of locale codes", where("locales"))
    if source_locale not in locales:
        locales = [source_locale, *locales]
    page_size = table.get("page_size", "letter")
    if page_size not in PAGE_SIZES:
        raise ConfigError(f"unknown page_size `{page_size}`", where("page_size"),
                          hint=f"use one of: {', '.join(PAGE_SIZES)}")
    reading = table.get("reading_level", {})
    for key, value in reading.items():
        if key not in _READING_KEYS:
            raise ConfigError(f"unknown setting `{key}` in [tool.plainpress.reading_level]",
                              where(key), hint=f"known keys: {', '.join(_READING_KEYS)}")
        if not isinstance(value, _READING_KEYS[key]) or isinstance(value, bool):
            raise ConfigError(f"`{key}` must be a number", where(key))
    jargon = table.get("jargon", [])
    if not all(isinstance(term, str) for term in jargon):
        raise ConfigError("`jargon` must be a list of words", where("jargon"))
    return Config(
        root=root,
        organisation=table["organisation"].strip(),
        source_locale=source_locale,
        locales=tuple(dict.fromkeys(locales)),
        page_size=page_size,
        theme=table.get("theme", "styles/theme.toml"),
        email_size_limit_kb=table.get("email_size_limit_kb", 500),
        reading=ReadingTargets(**{k: float(v) for k, v in reading.items()}),
        jargon=tuple(jargon),
        reference_docx=table.get("reference_docx"),
    )

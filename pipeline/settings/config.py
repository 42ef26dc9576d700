"""Site configuration → a typed, frozen `Config`.

A site is configured in its own `plainpress.toml` (the keys at the top level, what
`plainpress init` writes); this repository's sample site keeps them in `[tool.plainpress]` of
its `pyproject.toml`, beside the product's packaging. A folder with both is an error: which one
counts would be a guess.

Unknown keys and values of the wrong type are errors that name the file, the line and
the key, so a typo never silently falls back to a default; a key that a newer Plainpress
renamed (`RENAMED`) is an error naming the new key. Values are checked too: locale codes
must look like locale codes (they become folder names under `locales/` and `build/`) and be
known to CLDR; numbers must be finite (a `nan` threshold would switch a gate off); `theme` and
`reference_docx` must be relative paths under `styles/` (the renderers read nothing else).
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Loc
from pipeline.settings.braille import BrailleSettings, parse as parse_braille

PAGE_SIZES = ("letter", "a4")


@dataclass(frozen=True, slots=True)
class ReadingTargets:
    """Reading-level targets (US grade levels and INFLESZ scores)."""

    handout_max_grade: float = 6.0
    handout_min_inflesz: float = 65.0
    article_warn_grade: float = 8.0
    article_warn_inflesz: float = 55.0


@dataclass(frozen=True, slots=True)
class PlainLanguage:
    """Limits of the plain-language gate, per locale (or language) with a default."""

    rare_zipf: dict = field(default_factory=lambda: {"default": 3.0})
    """A word whose Zipf frequency (wordfreq) is below this is rare: `default` or a locale."""
    sentence_limit: dict = field(default_factory=lambda: {"default": 25, "es": 30, "ar": 25,
                                                          "zh": 50})
    """Longest sentence: words (characters for `zh`), by locale or language."""

    def limit(self, table: str, locale: str) -> float:
        """The value for `locale` (`zh_Hans` → `zh_Hans`, then `zh`, then `default`)."""
        values = getattr(self, table)
        lang = re.split(r"[-_]", locale)[0].lower()
        return values.get(locale, values.get(lang, values["default"]))


@dataclass(frozen=True, slots=True)
class Config:
    """Everything `[tool.plainpress]` can say, with defaults filled in."""

    root: Path
    """The project folder (where its configuration file is)."""
    organisation: str
    """Credited as the author of every output."""
    config_file: str = "plainpress.toml"
    """`plainpress.toml`, or `pyproject.toml` with a `[tool.plainpress]` table."""
    source_locale: str = "en"
    locales: tuple[str, ...] = ("en",)
    """Locales to publish, the source locale included."""
    page_sizes: tuple[str, ...] = ("letter",)
    """The page-size editions of the paged outputs; the first keeps the plain file names."""
    theme: str = "styles/theme.toml"
    email_size_limit_kb: int = 500
    reading: ReadingTargets = field(default_factory=ReadingTargets)
    jargon: tuple[str, ...] = ()
    plain: PlainLanguage = field(default_factory=PlainLanguage)
    reference_docx: str | None = None
    """A .docx whose styles the DOCX output uses instead of the theme's (like pandoc's
    --reference-doc), relative to the project."""
    job_timeout_s: float = 300.0
    """Seconds one job (document × locale × output) may take before it is ended and its
    artifact withheld; a long article renders in well under a minute."""
    braille: BrailleSettings = field(default_factory=BrailleSettings)
    """`[tool.plainpress.braille]`: cells, lines, page numbers, tables per locale."""
    audio_locales: tuple[str, ...] | None = None
    """Locales that get a spoken edition (EPUB Media Overlays and `<id>.opus`); None: those
    whose eSpeak NG voice reads the language as usually written (`settings.voices`)."""

    @property
    def page_size(self) -> str:
        """The main edition's page size (the only one, unless `page_sizes` lists more)."""
        return self.page_sizes[0]

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
    "page_sizes": list,
    "theme": str,
    "email_size_limit_kb": int,
    "reading_level": dict,
    "jargon": list,
    "plain_language": dict,
    "reference_docx": str,
    "job_timeout_s": (int, float),
    "braille": dict,
    "audio_locales": list,
}
SITE_FILE = "plainpress.toml"
RENAMED: dict[str, str] = {
    "email_limit_kb": "email_size_limit_kb",
}
"""Keys an earlier Plainpress read, and the key that replaced each (an error names the new
one, so an upgrade says what to change instead of "unknown setting")."""
_TYPE_NAMES = {str: "text in quotes", list: "a list in brackets [ ]", int: "a whole number",
               dict: "a table", float: "a number", bool: "true or false"}
_LOCALE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")
_READING_KEYS = {
    "handout_max_grade": (int, float),
    "handout_min_inflesz": (int, float),
    "article_warn_grade": (int, float),
    "article_warn_inflesz": (int, float),
}


def _has_table(path: Path) -> bool:
    return path.is_file() and "[tool.plainpress" in path.read_text("utf-8", "replace")


def config_path(root: Path) -> Path:
    """The configuration file of the project at `root`: `plainpress.toml`, else
    `pyproject.toml` (checked by `find_root`)."""
    own = root / SITE_FILE
    return own if own.is_file() else root / "pyproject.toml"


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` with a `plainpress.toml`, or a pyproject.toml
    that has `[tool.plainpress]`; both in one folder is an error."""
    for folder in (start, *start.parents):
        own, packaging = folder / SITE_FILE, folder / "pyproject.toml"
        if own.is_file() and _has_table(packaging):
            raise ConfigError(
                f"{folder} has both plainpress.toml and [tool.plainpress] in pyproject.toml",
                Loc(SITE_FILE), hint="keep the settings in one of them: move them into "
                "plainpress.toml and delete the [tool.plainpress] table, or the reverse")
        if own.is_file() or _has_table(packaging):
            return folder
    raise ConfigError(
        f"no plainpress.toml (or pyproject.toml with [tool.plainpress]) at or above {start}",
        hint="run plainpress inside a Plainpress site, or create one with "
             "`plainpress init DIR --organisation NAME`",
    )


def _line_of(text: str, key: str) -> int | None:
    """The line where `key =` is first written, for error messages (tomllib gives none)."""
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*(?:[\w\"'-]+\s*\.\s*)*{re.escape(key)}\s*=", line):
            return number
    return None


def load(root: Path) -> Config:
    """Read and validate the configuration of the project at `root` (`config_path`)."""
    path = config_path(root)
    name = path.name
    own = name == SITE_FILE
    table_name = name if own else "[tool.plainpress]"
    try:
        data_bytes = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {name}: {exc.strerror}", Loc(name)) from exc
    try:
        text = data_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data_bytes[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{name} is not UTF-8: invalid byte at byte {exc.start}",
                          Loc(name, line),
                          hint="save the file as UTF-8 in your editor") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        loc = Loc(name, int(match.group(1)) if match else None)
        raise ConfigError(f"{name} is not valid TOML: {exc}", loc,
                          hint="fix the TOML syntax at that line") from exc
    table = data if own else data.get("tool", {}).get("plainpress")
    if not isinstance(table, dict):
        raise ConfigError("pyproject.toml has no [tool.plainpress] table", Loc(name),
                          hint="add [tool.plainpress] with at least `organisation = \"…\"`")

    def where(key: str) -> Loc:
        return Loc(name, _line_of(text, key))

    for key, value in table.items():
        if key in RENAMED:
            raise ConfigError(f"`{key}` was renamed `{RENAMED[key]}`", where(key),
                              hint=f"write `{RENAMED[key]}` instead of `{key}` in {name}")
        if key not in _SCHEMA:
            close = difflib.get_close_matches(key, _SCHEMA, n=1)
            hint = f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(_SCHEMA)}"
            raise ConfigError(f"unknown setting `{key}` in {table_name}", where(key), hint)
        if not isinstance(value, _SCHEMA[key]) or isinstance(value, bool):
            expected = _TYPE_NAMES.get(_SCHEMA[key], getattr(_SCHEMA[key], "__name__", "a number"))
            found = _TYPE_NAMES.get(type(value), type(value).__name__)
            raise ConfigError(f"`{key}` must be {expected}, not {found} ({_shown(value)})",
                              where(key), hint=f"write it as {_example(key)}")

    if "organisation" not in table or not table["organisation"].strip():
        raise ConfigError(f"{table_name} needs `organisation`",
                          where("organisation") if "organisation" in table else Loc(name),
                          hint='add `organisation = "Your clinic"`; it is credited in every output')
    source_locale = table.get("source_locale", "en")
    locales = table.get("locales", [source_locale])
    for locale in locales:
        if not isinstance(locale, str):
            raise ConfigError("`locales` must be a list of locale codes", where("locales"),
                              hint='write it as `locales = ["en", "es"]`')
    for key, codes in (("source_locale", [source_locale]), ("locales", locales)):
        for code in codes:
            check_locale(code, where(key) if key in table else Loc(name))
    if table.get("email_size_limit_kb", 1) < 1:
        raise ConfigError("`email_size_limit_kb` must be at least 1",
                          where("email_size_limit_kb"),
                          hint="write it as `email_size_limit_kb = 500`")
    timeout = table.get("job_timeout_s", 300)
    if not math.isfinite(timeout) or timeout <= 0:
        raise ConfigError(f"`job_timeout_s` must be a number of seconds above 0, not {timeout}",
                          where("job_timeout_s"), hint=f"write it as {_example('job_timeout_s')}")
    for key in ("theme", "reference_docx"):
        if key in table:
            _check_styles_path(root, table[key], key, where(key))
    if source_locale not in locales:
        locales = [source_locale, *locales]
    page_sizes = _page_sizes(table, where)
    reading = table.get("reading_level", {})
    for key, value in reading.items():
        if key not in _READING_KEYS:
            raise ConfigError(f"unknown setting `{key}` in "
                              f"{'[reading_level]' if own else '[tool.plainpress.reading_level]'}",
                              where(key), hint=f"known keys: {', '.join(_READING_KEYS)}")
        if not isinstance(value, _READING_KEYS[key]) or isinstance(value, bool):
            raise ConfigError(f"`{key}` must be a number, not {_shown(value)}", where(key),
                              hint=f"write it as `{key} = {getattr(ReadingTargets(), key)}`")
        if not math.isfinite(value) or value < 0:
            raise ConfigError(f"`{key}` must be a finite number of 0 or more, not {value}",
                              where(key), hint=f"write it as `{key} = "
                                               f"{getattr(ReadingTargets(), key)}`")
    jargon = table.get("jargon", [])
    if not all(isinstance(term, str) for term in jargon):
        raise ConfigError("`jargon` must be a list of words", where("jargon"),
                          hint='write it as `jargon = ["myocardial", "idiopathic"]`')
    plain = _plain_language(table.get("plain_language", {}), where)
    audio = table.get("audio_locales")
    for code in audio or ():
        if not isinstance(code, str) or code not in locales:
            raise ConfigError(f"`audio_locales` names {_shown(code)}, which is not in `locales`",
                              where("audio_locales"), hint=f"use some of: {', '.join(locales)}")
    return Config(
        root=root,
        organisation=table["organisation"].strip(),
        config_file=name,
        source_locale=source_locale,
        locales=tuple(dict.fromkeys(locales)),
        page_sizes=page_sizes,
        theme=table.get("theme", "styles/theme.toml"),
        email_size_limit_kb=table.get("email_size_limit_kb", 500),
        reading=ReadingTargets(**{k: float(v) for k, v in reading.items()}),
        jargon=tuple(jargon),
        plain=plain,
        reference_docx=table.get("reference_docx"),
        job_timeout_s=float(timeout),
        braille=parse_braille(table.get("braille", {}), where),
        audio_locales=tuple(dict.fromkeys(audio)) if audio is not None else None,
    )


def _plain_language(table: dict, where) -> PlainLanguage:
    """`[tool.plainpress.plain_language]`: `rare_zipf` and `sentence_limit`, each a number (for
    every locale) or a table of numbers by locale or language (`default` for the rest)."""
    defaults = PlainLanguage()
    values = {}
    for key, value in table.items():
        if key not in ("rare_zipf", "sentence_limit"):
            raise ConfigError(f"unknown setting `{key}` in [tool.plainpress.plain_language]",
                              where(key), hint="known keys: rare_zipf, sentence_limit")
        given = value if isinstance(value, dict) else {"default": value}
        for name, number in given.items():
            if (not isinstance(number, (int, float)) or isinstance(number, bool)
                    or not math.isfinite(number) or number <= 0):
                raise ConfigError(f"`{key}` must be a number above 0, not {_shown(number)}",
                                  where(key), hint=f"write it as `{key} = "
                                  f"{getattr(defaults, key)['default']}` or as a table by "
                                  f"locale, e.g. `{key} = {{ default = "
                                  f"{getattr(defaults, key)['default']}, zh = 50 }}`")
        # A number is every locale's value; a table overrides the defaults it names.
        values[key] = {**getattr(defaults, key), **given} if isinstance(value, dict) else given
    return PlainLanguage(**values)


def _page_sizes(table: dict, where) -> tuple[str, ...]:
    """`page_size = "a4"` is the one-size form of `page_sizes = ["a4"]`; not both at once."""
    if "page_size" in table and "page_sizes" in table:
        raise ConfigError("give either `page_size` or `page_sizes`, not both",
                          where("page_sizes"), hint=f"write {_example('page_sizes')} alone")
    key = "page_sizes" if "page_sizes" in table else "page_size"
    sizes = table.get("page_sizes", [table.get("page_size", "letter")])
    if not sizes:
        raise ConfigError("`page_sizes` needs at least one page size", where(key),
                          hint=f"write {_example('page_sizes')}")
    for size in sizes:
        if size not in PAGE_SIZES:
            raise ConfigError(f"unknown page size `{_shown(size).strip(chr(34))}` in `{key}`",
                              where(key), hint=f"use one of: {', '.join(PAGE_SIZES)}")
        if sizes.count(size) > 1:
            raise ConfigError(f"`{size}` is listed twice in `{key}`", where(key),
                              hint=f"write {_example('page_sizes')}")
    return tuple(sizes)


def _shown(value: object) -> str:
    """A value as TOML writes it, shortened."""
    import json
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "…"


def _example(key: str) -> str:
    """How a key is written, for hints."""
    return {"organisation": '`organisation = "Your clinic"`',
            "source_locale": '`source_locale = "en"`',
            "locales": '`locales = ["en", "es"]`',
            "page_size": '`page_size = "letter"` (or "a4")',
            "page_sizes": '`page_sizes = ["letter", "a4"]`',
            "theme": '`theme = "styles/theme.toml"`',
            "email_size_limit_kb": "`email_size_limit_kb = 500`",
            "reading_level": "a [tool.plainpress.reading_level] table",
            "jargon": '`jargon = ["word", "other word"]`',
            "plain_language": "a [tool.plainpress.plain_language] table",
            "reference_docx": '`reference_docx = "styles/reference.docx"`',
            "job_timeout_s": "`job_timeout_s = 300`",
            "braille": "a [tool.plainpress.braille] table",
            "audio_locales": '`audio_locales = ["en", "es"]`'}.get(key, f"`{key}`")


def check_locale(code: str, loc: Loc) -> None:
    """A locale code must be well formed (it names folders) and known to CLDR."""
    from pipeline.settings.locale import PSEUDO
    if not _LOCALE_CODE.match(code):
        raise ConfigError(f"`{code}` is not a locale code", loc,
                          hint="use a CLDR code such as en, es, ar, zh_Hans, pt_BR")
    if code.replace("-", "_") in PSEUDO:
        return
    from babel import Locale, UnknownLocaleError
    try:
        Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"unknown locale `{code}`: {reason}", loc,
                          hint="use a CLDR code such as en, es, ar, zh_Hans, pt_BR") from exc


def _check_styles_path(root: Path, value: str, key: str, loc: Loc) -> None:
    """`theme` and `reference_docx` are files under styles/, given relative to the project."""
    path = Path(value)
    inside = (not path.is_absolute() and ".." not in path.parts and "\\" not in value
              and (root / path).resolve().is_relative_to((root / "styles").resolve()))
    if not inside:
        raise ConfigError(f"`{key} = \"{value}\"` is not a file under styles/", loc,
                          hint=f"copy the file into styles/ and write {_example(key)}; the "
                               "renderers read only files under source/ and styles/")

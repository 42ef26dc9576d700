"""PO and POT files on disk: where they live, reading them with errors people can act on, and
writing them exactly as GNU gettext would.

Layout: `locales/<domain>.pot` and `locales/<locale>/LC_MESSAGES/<domain>.po`. Babel reads
catalogs and writes templates; its output is then passed through GNU `msgcat`, the formatter
Poedit, Weblate and `msgmerge` users already run, so that re-saving one of our files in those
tools changes nothing (Babel wraps lines differently from gettext's Unicode line-breaking
rules). Existing PO files are merged by `msgmerge` itself (`merge.py`).

PO files come from translators outside the organisation, so `read` checks what Babel lets
through: an entry given twice (Babel silently keeps the last one; `msgfmt` refuses the file)
is an error naming both lines, and the `Plural-Forms` header must be a valid gettext plural
expression whose forms are in range (checked with the standard library's safe C-expression
translator, never `eval` of the header); a file over `MAX_CATALOG_BYTES` is refused before it
is read. `header_lines` on the returned catalog maps each header field to its line, so later
errors about the header can point at it; `entry_lines` gives each message's msgstr line and
`#,` flags line, the lines a translator edits (QA points there, not at the msgid).
"""

from __future__ import annotations

import gettext
import io
import re
import shutil
import subprocess
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, unescape, write_po

from ..errors import PlainpressError, SourceError
from ..model import Loc

MAX_CATALOG_BYTES = 16 * 1024 * 1024
"""Sources are at most 1 MB; their catalogs (msgid, msgstr, comments) stay well under this."""


def pot_path(root: Path, domain: str) -> Path:
    return root / "locales" / f"{domain}.pot"


def po_path(root: Path, locale: str, domain: str) -> Path:
    return root / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"


def shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def read(root: Path, path: Path, locale: str | None = None) -> Catalog:
    """Read a PO/POT file; a syntax error names the file and line."""
    name = shown(root, path)
    try:
        size = path.stat().st_size
        if size > MAX_CATALOG_BYTES:
            raise SourceError(Loc(name), f"the catalog is {size / 1024 / 1024:.1f} MB, over the "
                              f"{MAX_CATALOG_BYTES // (1024 * 1024)} MB limit",
                              hint="a document's catalog is a few times the size of its source "
                                   "(at most 1 MB); this file is not one of ours")
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(Loc(name), f"cannot read the catalog: {exc.strerror}") from exc
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise SourceError(Loc(name, line), f"invalid UTF-8 at byte {exc.start}",
                          hint="save the PO file as UTF-8") from exc
    header_lines, plural_entries, entry_lines = _check_entries(data.decode("utf-8"), name)
    try:
        catalog = read_po(io.BytesIO(data), locale=locale, abort_invalid=True, charset="utf-8")
        catalog.header_lines = header_lines
        catalog.plural_entries = plural_entries
        catalog.entry_lines = entry_lines
        return catalog
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        raise SourceError(Loc(name, line), f"PO syntax error: {exc}",
                          hint="open the file in Poedit or run `msgfmt -c` on it to see the "
                               "problem") from exc
    except (ValueError, TypeError) as exc:
        raise SourceError(Loc(name), f"cannot parse the catalog: {exc}") from exc


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s*(".*")\s*$')
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*')
_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")
_PLURAL_SAMPLES = (*range(0, 1001), 10_000, 100_000, 1_000_000, 10_000_000)


def _entries(text: str, name: str = "") -> list[dict[str, list[tuple[int, str]]]]:
    """The entries of a PO file as keyword → [(line, unescaped piece)], obsolete ones left out.

    A light scan of our own: Babel merges an entry that is given twice without a word, and
    lets a line through that is not PO at all (an unterminated string), which gettext then
    refuses; here it is an error naming that line."""
    entries: list[dict[str, list[tuple[int, str]]]] = []
    current: dict[str, list[tuple[int, str]]] | None = None
    key = None
    flags = None  # the `#,` line of the entry that comes next
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            key = None
            if line.startswith("#,"):
                flags = number
            continue
        match = _KEYWORD.match(line)
        strings = match.group(2) if match else line
        if not _STRINGS.fullmatch(strings):
            raise SourceError(Loc(name, number), f"PO syntax error: `{_short(line)}` is not a "
                              "keyword and a complete \"quoted string\"",
                              hint="close the string with a \" (write a quote inside it as "
                                   "\\\"), or open the file in Poedit to see the problem")
        if match:
            key = match.group(1)
            if key == "msgctxt" or (key == "msgid" and (current is None or "msgid" in current)):
                current = {"#,": [(flags, "")]} if flags else {}
                flags = None
                entries.append(current)
            if current is not None:
                current[key] = [(number, _unescape(match.group(2)))]
        elif line.startswith('"') and key and current is not None:
            current[key].append((number, _unescape(line)))
    return entries


def _unescape(quoted: str) -> str:
    try:
        return unescape(quoted)
    except Exception:  # noqa: BLE001 — Babel reports the syntax error itself
        return quoted


def _check_entries(text: str, name: str):
    """Refuse duplicate entries and a broken Plural-Forms; the line of each header field,
    (line, number of msgstr[…] forms) of each plural message, and the (msgstr, `#,`) lines of
    each entry by (msgctxt, msgid)."""
    seen: dict[tuple[str | None, str], int] = {}
    entry_lines: dict[tuple[str | None, str], tuple[int, int | None]] = {}
    header_lines: dict[str, int] = {}
    plural_entries: list[tuple[int, int]] = []
    for entry in _entries(text, name):
        if "msgid" not in entry:
            continue
        if "msgid_plural" in entry:
            plural_entries.append((entry["msgid"][0][0],
                                   sum(1 for key in entry if key.startswith("msgstr["))))
        context = "".join(piece for _, piece in entry["msgctxt"]) if "msgctxt" in entry else None
        msgid = "".join(piece for _, piece in entry["msgid"])
        line = entry["msgid"][0][0]
        first = seen.setdefault((context, msgid), line)
        if first != line:
            what = f"“{_short(msgid)}”" if msgid else "the header (msgid \"\")"
            if context is not None:
                what += f" with msgctxt “{context}”"
            raise SourceError(Loc(name, line), f"the message {what} is in the catalog twice, "
                              f"at lines {first} and {line}",
                              hint="delete one of the two entries and keep the right "
                                   "translation (msgfmt and translation tools refuse duplicates)")
        msgstr = next((entry[key][0][0] for key in ("msgstr", "msgstr[0]") if key in entry), line)
        entry_lines[(context, msgid)] = (msgstr, entry["#,"][0][0] if "#," in entry else None)
        if msgid == "" and context is None and not header_lines:
            for number, piece in entry.get("msgstr", []):
                for field in piece.split("\n"):
                    if ":" in field:
                        header_lines.setdefault(field.split(":", 1)[0].strip(), number)
            header = "".join(piece for _, piece in entry.get("msgstr", []))
            for field in header.split("\n"):
                if field.split(":", 1)[0].strip() == "Plural-Forms":
                    check_plural_forms(field.split(":", 1)[1],
                                       Loc(name, header_lines.get("Plural-Forms", line)))
    return header_lines, plural_entries, entry_lines


def plural_function(forms: str, loc: Loc):
    """(nplurals, n → form) for a `Plural-Forms` value; SourceError if it is not valid."""
    hint = ("write it as `Plural-Forms: nplurals=N; plural=EXPRESSION;`, e.g. "
            "`nplurals=2; plural=(n != 1);` (see the gettext manual, “Plural forms”)")
    match = _PLURAL_FORMS.match(forms)
    if not match:
        raise SourceError(loc, f"the Plural-Forms header `{forms.strip()[:80]}` is not "
                          "`nplurals=N; plural=EXPRESSION;`", hint=hint, code="plural-forms")
    count = int(match.group(1)) if len(match.group(1)) < 4 else 0
    if not 1 <= count <= 6:
        raise SourceError(loc, f"the Plural-Forms header says nplurals={match.group(1)}; a "
                          "language has 1 to 6 plural forms", hint=hint, code="plural-forms")
    try:
        function = gettext.c2py(match.group(2))
    except (ValueError, RecursionError, SyntaxError) as exc:
        raise SourceError(loc, f"the Plural-Forms expression `{match.group(2)[:80]}` is not "
                          f"valid: {exc}", hint=hint, code="plural-forms") from None
    return count, function


def check_plural_forms(forms: str, loc: Loc) -> None:
    """Every count must pick a form between 0 and nplurals − 1."""
    count, function = plural_function(forms, loc)
    for n in _PLURAL_SAMPLES:
        try:
            form = function(n)
        except (ArithmeticError, ValueError, TypeError) as exc:
            raise SourceError(loc, f"the Plural-Forms expression fails for n={n}: {exc}",
                              code="plural-forms") from None
        if not 0 <= form < count:
            raise SourceError(loc, f"the Plural-Forms expression picks form {form} for n={n}, "
                              f"but nplurals={count}", code="plural-forms",
                              hint="the forms are numbered 0 to nplurals − 1")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "…"


def gnu_format(data: bytes, name: str) -> bytes:
    """Lay a PO file out as GNU gettext does (through `msgcat`)."""
    msgcat = shutil.which("msgcat")
    if msgcat is None:
        raise PlainpressError("GNU gettext's `msgcat` is not installed",
                              hint="run `make` (it installs the gettext package) or "
                                   "`apt-get install gettext`")
    proc = subprocess.run([msgcat, "-"], input=data, capture_output=True)
    if proc.returncode != 0:
        # Our own text, not yet a file: name the file it was written for, never `<stdin>`.
        detail = proc.stderr.decode(errors="replace").replace("<stdin>", "line").strip()
        raise PlainpressError(f"GNU msgcat refused the text plainpress generated for {name} "
                              f"(nothing was written): {detail}",
                              hint="this is a bug in plainpress; run again with --debug and "
                                   "report it with the source file that caused it")
    return proc.stdout


def serialise(catalog: Catalog, name: str) -> bytes:
    """The bytes of `catalog` as a GNU-formatted PO file (obsolete entries kept).

    For templates and new files: merging into an existing PO file is `merge.merge`'s job
    (Babel writes a wrapped previous msgid as `#|` lines gettext refuses)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=79, include_previous=False, ignore_obsolete=False)
    return gnu_format(buffer.getvalue(), name)

"""PO and POT files on disk: where they live, reading them with errors people can act on, and
writing them exactly as GNU gettext would.

Layout: `locales/<domain>.pot` and `locales/<locale>/LC_MESSAGES/<domain>.po`. Babel reads
catalogs and writes templates; its output is then passed through GNU `msgcat`, the formatter
Poedit, Weblate and `msgmerge` users already run, so that re-saving one of our files in those
tools changes nothing (Babel wraps lines differently from gettext's Unicode line-breaking
rules). Existing PO files are merged by `msgmerge` itself (`merge.py`).

PO files come from translators outside the organisation, so `read` checks what Babel lets
through: the bytes must be in the charset the header declares (`decode`), every line must be
PO syntax as `msgfmt -c` reads it (`posyntax`), an entry given twice (Babel silently keeps the
last one; `msgfmt` refuses the file) is an error naming both lines, and the `Plural-Forms`
header must be a valid gettext plural expression whose forms are in range (checked with the
standard library's safe C-expression translator, never `eval` of the header); a file over
`MAX_CATALOG_BYTES` is refused before it is read. `header_lines` on the returned catalog maps each header field to its line, so later
errors about the header can point at it; `entry_lines` gives each message's msgstr line and
`#,` flags line, the lines a translator edits (QA points there, not at the msgid).
"""

from __future__ import annotations

import codecs
import gettext
import io
import re
import shutil
import subprocess
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po

from pipeline.errors import PlainpressError, SourceError
from pipeline.model import Loc
from pipeline.translate import posyntax

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
    """Read a PO/POT file; a syntax, charset or header error names the file and line."""
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
    text, entries = decode(data, name)
    header_lines, plural_entries, entry_lines = _check_entries(entries, name)
    try:
        catalog = read_po(io.StringIO(text), locale=locale, abort_invalid=True)
        catalog.header_lines = header_lines
        catalog.plural_entries = plural_entries
        catalog.entry_lines = entry_lines
        return catalog
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)  # Babel counts lines from 0
        raise SourceError(Loc(name, line + 1 if isinstance(line, int) else None),
                          f"PO syntax error: {exc}", hint=posyntax.HINT) from exc
    except (ValueError, TypeError) as exc:
        raise SourceError(Loc(name), f"cannot parse the catalog: {exc}") from exc


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def decode(data: bytes, name: str) -> tuple[str, list[posyntax.Entry]]:
    """The text of a PO file, decoded as its header's charset says, and its entries.

    The charset must read the bytes: invalid bytes are an error at their line, and so is a
    header that declares a one-byte charset such as ISO-8859-1 over a file that is UTF-8
    (`msgfmt` cannot tell, and every accented letter would be published as two: "pÃ¡gina").
    A byte-order mark is an error on line 1, as `msgfmt` judges it."""
    if data.startswith(codecs.BOM_UTF8):
        raise SourceError(Loc(name, 1), "the file starts with a byte-order mark (BOM), which "
                          "GNU gettext refuses",
                          hint="save it as UTF-8 without a BOM (Notepad: “UTF-8”, not “UTF-8 "
                               "with BOM”; Poedit never writes one)")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError(Loc(name, 1), "the file is saved as UTF-16",
                          hint="save it as UTF-8 (gettext reads no UTF-16 PO files)")
    try:
        text, invalid = data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        text, invalid = data.decode("latin-1"), exc  # enough to find the header
    entries = posyntax.scan(text, name)
    charset, line = _declared_charset(entries)
    where = Loc(name, line)
    fix = "set the header to \"Content-Type: text/plain; charset=UTF-8\\n\" and save as UTF-8"
    if charset is None or _codec(charset) == "utf-8":
        if invalid is not None:
            raise SourceError(Loc(name, _line_of(data, invalid.start)),
                              f"invalid UTF-8 at byte {invalid.start}",
                              hint="save the PO file as UTF-8")
        return text, entries
    if charset.upper() == "CHARSET":  # the placeholder of a fresh template
        if data.isascii():
            return text, entries
        raise SourceError(where, "the header still says charset=CHARSET (the template's "
                          "placeholder), but the file has non-ASCII text", hint=fix)
    codec = _codec(charset)
    if codec is None:
        raise SourceError(where, f"unknown charset `{charset}` in the header", hint=fix)
    if "msgid \"\"\n".encode(codec, "replace") != b'msgid ""\n':
        raise SourceError(where, f"charset={charset} is not a charset gettext can read in a "
                          "PO file (it is not ASCII-compatible)", hint=fix)
    if invalid is None and not data.isascii():
        word = re.search(r"\w*[^\x00-\x7f]\w*", text).group()
        misread = word.encode("utf-8").decode(codec, "replace")
        raise SourceError(where, f"the header declares charset={charset}, but the file is "
                          f"UTF-8: “{word}” would be read as “{misread}”", hint=fix)
    try:
        decoded = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise SourceError(Loc(name, _line_of(data, exc.start)), f"the header declares "
                          f"charset={charset}, but byte {exc.start} is not {charset}",
                          hint=fix) from None
    return decoded, posyntax.scan(decoded, name)


def is_utf8(catalog: Catalog) -> bool:
    """Whether a catalog read by `read` was UTF-8 (or plain ASCII) on disk."""
    codec = _codec(catalog.charset or "utf-8")
    return codec in ("utf-8", "ascii")


def as_utf8(root: Path, path: Path) -> bytes:
    """A PO file in another charset (as its header declares it), re-encoded as UTF-8 with the
    header saying so; the rest of the file is unchanged."""
    name = shown(root, path)
    text, entries = decode(path.read_bytes(), name)
    _, line = _declared_charset(entries)
    lines = text.split("\n")
    if line is not None:
        lines[line - 1] = re.sub(r"charset\s*=\s*[^\s;\\\"]+", "charset=UTF-8", lines[line - 1],
                                 flags=re.IGNORECASE)
    return "\n".join(lines).encode("utf-8")


def _codec(charset: str) -> str | None:
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def _header(entries: list[posyntax.Entry]) -> posyntax.Entry | None:
    first = entries[0] if entries else None
    if (first is None or first.obsolete or "msgctxt" in first.parts
            or first.parts["msgid"].text != "" or "msgstr" not in first.parts):
        return None
    return first


def _declared_charset(entries: list[posyntax.Entry]) -> tuple[str | None, int | None]:
    """The charset the header's Content-Type declares, and the line it is on."""
    header = _header(entries)
    if header is None:
        return None, None
    for line, piece in header.parts["msgstr"].pieces:
        for field in piece.split("\n"):
            key, _, value = field.partition(":")
            if key.strip().lower() == "content-type":
                match = re.search(r"charset\s*=\s*([^\s;]+)", value, re.IGNORECASE)
                return (match.group(1) if match else None), line
    return None, None


def _check_entries(entries: list[posyntax.Entry], name: str):
    """Refuse duplicate entries and a broken Plural-Forms; the line of each header field,
    (line, number of msgstr[…] forms) of each plural message, and the (msgstr, `#,`) lines of
    each entry by (msgctxt, msgid)."""
    seen: dict[tuple[str | None, str], int] = {}
    entry_lines: dict[tuple[str | None, str], tuple[int, int | None]] = {}
    header_lines: dict[str, int] = {}
    plural_entries: list[tuple[int, int]] = []
    header = _header(entries)
    for entry in entries:
        if entry.obsolete:
            continue
        parts = entry.parts
        if "msgid_plural" in parts:
            plural_entries.append((parts["msgid"].line,
                                   sum(1 for key in parts if key.startswith("msgstr["))))
        context = parts["msgctxt"].text if "msgctxt" in parts else None
        msgid = parts["msgid"].text
        line = parts["msgid"].line
        first = seen.setdefault((context, msgid), line)
        if first != line:
            what = f"“{_short(msgid)}”" if msgid else "the header (msgid \"\")"
            if context is not None:
                what += f" with msgctxt “{context}”"
            raise SourceError(Loc(name, line), f"the message {what} is in the catalog twice, "
                              f"at lines {first} and {line}",
                              hint="delete one of the two entries and keep the right "
                                   "translation (msgfmt and translation tools refuse duplicates)")
        msgstr = next((parts[key].line for key in ("msgstr", "msgstr[0]") if key in parts), line)
        entry_lines[(context, msgid)] = (msgstr, entry.flags)
    if header is not None:
        for number, piece in header.parts["msgstr"].pieces:
            for field in piece.split("\n"):
                if ":" in field:
                    header_lines.setdefault(field.split(":", 1)[0].strip(), number)
        for field in header.parts["msgstr"].text.split("\n"):
            if field.split(":", 1)[0].strip() == "Plural-Forms":
                check_plural_forms(field.split(":", 1)[1],
                                   Loc(name, header_lines.get("Plural-Forms",
                                                              header.parts["msgid"].line)))
    return header_lines, plural_entries, entry_lines


_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")
_PLURAL_SAMPLES = (*range(0, 1001), 10_000, 100_000, 1_000_000, 10_000_000)


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

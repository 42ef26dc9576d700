"""PO and POT files on disk: where they live, reading them with errors people can act on, and
writing them exactly as GNU gettext would.

Layout: `locales/<domain>.pot` and `locales/<locale>/LC_MESSAGES/<domain>.po`. Babel reads and
writes catalogs; its output is then passed through GNU `msgcat`, the formatter Poedit, Weblate
and `msgmerge` users already run, so that re-saving one of our files in those tools changes
nothing (Babel wraps lines differently from gettext's Unicode line-breaking rules).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po

from ..errors import PlainpressError, SourceError
from ..model import Loc

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


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
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(Loc(name), f"cannot read the catalog: {exc.strerror}") from exc
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise SourceError(Loc(name, line), f"invalid UTF-8 at byte {exc.start}",
                          hint="save the PO file as UTF-8") from exc
    try:
        return read_po(io.BytesIO(data), locale=locale, abort_invalid=True, charset="utf-8")
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        raise SourceError(Loc(name, line), f"PO syntax error: {exc}",
                          hint="open the file in Poedit or run `msgfmt -c` on it to see the "
                               "problem") from exc
    except (ValueError, TypeError) as exc:
        raise SourceError(Loc(name), f"cannot parse the catalog: {exc}") from exc


def gnu_format(data: bytes, name: str) -> bytes:
    """Lay a PO file out as GNU gettext does (through `msgcat`)."""
    msgcat = shutil.which("msgcat")
    if msgcat is None:
        raise PlainpressError("GNU gettext's `msgcat` is not installed",
                              hint="run `make` (it installs the gettext package) or "
                                   "`apt-get install gettext`")
    proc = subprocess.run([msgcat, "-"], input=data,
                          capture_output=True)
    if proc.returncode != 0:
        raise PlainpressError(f"msgcat refused {name}: {proc.stderr.decode(errors='replace')}")
    return proc.stdout


def serialise(catalog: Catalog, name: str) -> bytes:
    """The bytes of `catalog` as a GNU-formatted PO file (previous msgids and obsolete kept)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=79, include_previous=True, ignore_obsolete=False)
    return gnu_format(buffer.getvalue(), name)

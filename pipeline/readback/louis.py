"""A small ctypes binding of the system liblouis (Debian `liblouis20`, tables in `liblouis-data`).

Why our own: liblouis has no PyPI wheel, and Debian's `python3-louis` lives in the system
`dist-packages`, which a venv does not see (adding that folder to the venv would bring every
other Debian Python package along). The C API we need is six functions; binding them here keeps
the venv closed and lets us say, in a Plainpress error, what is missing and how to install it.

Braille is exchanged as Unicode braille (U+2800 block, `dotsIO | ucBrl` mode) so that no display
table stands between liblouis and our formatter; the BRF writer maps the cells to ASCII braille
through the display table `en-us-brf.dis`, also with liblouis.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from functools import lru_cache

from pipeline.errors import PlainpressError

SONAME = "liblouis.so.20"
DOTS_IO, UC_BRL, NO_UNDEFINED = 4, 64, 128
MODE = DOTS_IO | UC_BRL
"""Input and output of braille as Unicode braille patterns."""
ITALIC, UNDERLINE, BOLD = 0x0001, 0x0002, 0x0004
NO_CONTRACT = 0x1000
"""Typeform bit: write these characters uncontracted (URLs, email addresses)."""
LOG_WARN = 30000

_lock = threading.Lock()
_log: list[str] = []


class LouisError(PlainpressError):
    """liblouis is missing, or a table cannot be compiled or used."""

    exit_code = 2


@lru_cache(maxsize=1)
def _library() -> ctypes.CDLL:
    name = SONAME
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        found = ctypes.util.find_library("louis")
        if not found:
            raise LouisError(
                "liblouis is not installed: the braille outputs need it",
                hint="run `make` (it installs Debian's liblouis-bin and liblouis-data), or "
                     "`apt-get install liblouis-bin liblouis-data`") from None
        lib = ctypes.CDLL(found)
    buf = ctypes.POINTER(ctypes.c_char)
    intp = ctypes.POINTER(ctypes.c_int)
    lib.lou_version.restype = ctypes.c_char_p
    lib.lou_charSize.restype = ctypes.c_int
    for fn in (lib.lou_translateString, lib.lou_backTranslateString):
        fn.argtypes = (ctypes.c_char_p, buf, intp, buf, intp,
                       ctypes.POINTER(ctypes.c_ushort), buf, ctypes.c_int)
        fn.restype = ctypes.c_int
    lib.lou_translate.argtypes = (ctypes.c_char_p, buf, intp, buf, intp,
                                  ctypes.POINTER(ctypes.c_ushort), buf, intp, intp, intp,
                                  ctypes.c_int)
    lib.lou_translate.restype = ctypes.c_int
    for fn in (lib.lou_dotsToChar, lib.lou_charToDots):
        fn.argtypes = (ctypes.c_char_p, buf, buf, ctypes.c_int, ctypes.c_int)
        fn.restype = ctypes.c_int
    lib.lou_checkTable.argtypes = (ctypes.c_char_p,)
    lib.lou_checkTable.restype = ctypes.c_void_p
    lib.lou_getTypeformForEmphClass.argtypes = (ctypes.c_char_p, ctypes.c_char_p)
    lib.lou_getTypeformForEmphClass.restype = ctypes.c_int
    lib.lou_registerLogCallback.restype = None
    lib.lou_setLogLevel.argtypes = (ctypes.c_int,)
    lib.lou_setLogLevel.restype = None
    lib.lou_registerLogCallback(_LOG_CALLBACK)
    lib.lou_setLogLevel(LOG_WARN)
    return lib


@ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p)
def _LOG_CALLBACK(level: int, message: bytes) -> None:
    """liblouis's messages are collected (and shown in our errors), never printed."""
    _log.append((message or b"").decode("utf-8", "replace"))


def _encoding() -> str:
    return "utf-32-le" if _library().lou_charSize() == 4 else "utf-16-le"


def _encode(text: str) -> tuple[ctypes.Array, int]:
    data = text.encode(_encoding(), "surrogatepass")
    return ctypes.create_string_buffer(data, len(data)), len(data) // _library().lou_charSize()


def version() -> str:
    """The liblouis version, e.g. `3.24.0`."""
    return _library().lou_version().decode("ascii")


def check_table(tables: str) -> str | None:
    """None when `tables` compiles; otherwise what liblouis said about it."""
    lib = _library()
    with _lock:
        del _log[:]
        ok = lib.lou_checkTable(tables.encode("utf-8"))
        said = "; ".join(line for line in _log if "Duplicate emphasis" not in line)
    return None if ok else (said or f"liblouis cannot compile `{tables}`")


def typeform_for(tables: str, emphasis_class: str) -> int:
    """The typeform bit of a table's emphasis class (`transnote` in UEB), or 0 when the table
    has no such class."""
    with _lock:
        return _library().lou_getTypeformForEmphClass(tables.encode("utf-8"),
                                                      emphasis_class.encode("ascii"))


def _call(fn, tables: str, text: str, typeform: list[int] | None, mode: int,
          positions: bool) -> tuple[str, list[int]]:
    """One liblouis call; the output buffer grows until the whole input is consumed."""
    if not text:
        return "", []
    inbuf, inlen = _encode(text)
    char = _library().lou_charSize()
    size = inlen * 8 + 64
    while True:
        outbuf = ctypes.create_string_buffer(size * char)
        in_len, out_len = ctypes.c_int(inlen), ctypes.c_int(size)
        forms = (ctypes.c_ushort * max(size, inlen))(*typeform[:inlen]) if typeform else None
        with _lock:
            del _log[:]
            if positions:
                input_pos = (ctypes.c_int * size)()
                ok = fn(tables.encode("utf-8"), inbuf, ctypes.byref(in_len), outbuf,
                        ctypes.byref(out_len), forms, None, None, input_pos, None, mode)
            else:
                ok = fn(tables.encode("utf-8"), inbuf, ctypes.byref(in_len), outbuf,
                        ctypes.byref(out_len), forms, None, mode)
            said = "; ".join(line for line in _log if "Duplicate emphasis" not in line)
        if not ok:
            raise LouisError(f"liblouis could not translate with `{tables}`"
                             + (f": {said}" if said else ""),
                             hint="check the braille table names in [tool.plainpress.braille]")
        if in_len.value >= inlen or size > inlen * 64 + 4096:
            break
        size *= 4  # the output buffer was full before the input was consumed
    cells = outbuf.raw[:out_len.value * char].decode(_encoding(), "surrogatepass")
    return cells, list(input_pos[:out_len.value]) if positions else []


def translate(tables: str, text: str, typeform: list[int] | None = None) -> str:
    """Text → Unicode braille, with one typeform value per character (emphasis, uncontracted)."""
    return _call(_library().lou_translateString, tables, text, typeform, MODE, False)[0]


def translate_positions(tables: str, text: str, typeform: list[int] | None = None
                        ) -> tuple[str, list[int]]:
    """Like `translate`, with the input character each braille cell came from (so that lines
    are broken between characters, never inside a contraction or a Chinese syllable)."""
    return _call(_library().lou_translate, tables, text, typeform, MODE, True)


def back_translate(tables: str, braille: str) -> str:
    """Unicode braille → text, as `lou_translate --backward` reads it."""
    return _call(_library().lou_backTranslateString, tables, braille, None, 0, False)[0]


def _convert(fn, table: str, text: str, mode: int) -> str:
    if not text:
        return ""
    inbuf, length = _encode(text)
    outbuf = ctypes.create_string_buffer(len(inbuf.raw) + 4)
    with _lock:
        ok = fn(table.encode("utf-8"), inbuf, outbuf, length, mode)
    if not ok:
        raise LouisError(f"liblouis could not convert braille cells with `{table}`")
    return outbuf.raw[:length * _library().lou_charSize()].decode(_encoding(), "surrogatepass")


def dots_to_chars(display: str, cells: str) -> str:
    """Unicode braille → the display table's characters (ASCII braille with en-us-brf.dis)."""
    return _convert(_library().lou_dotsToChar, display, cells, 0)


def chars_to_dots(display: str, chars: str) -> str:
    """Display characters → Unicode braille (the reverse of `dots_to_chars`)."""
    return _convert(_library().lou_charToDots, display, chars, UC_BRL)


TABLE_FOLDERS = ("/usr/share/liblouis/tables", "/usr/local/share/liblouis/tables")


@lru_cache(maxsize=1)
def data_digest() -> str:
    """The liblouis version and the identity (name, size, time) of its table files, for the
    fingerprints of braille jobs: a Debian upgrade of liblouis rebuilds the braille outputs.
    Reads names and sizes only (no table is compiled), and needs no liblouis installed."""
    import hashlib
    import os

    digest = hashlib.sha256()
    try:
        digest.update(version().encode())
    except LouisError:
        digest.update(b"no liblouis")
    folders = [p for p in os.environ.get("LOUIS_TABLEPATH", "").split(",") if p]
    for folder in (*folders, *TABLE_FOLDERS):
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            stat = entry.stat()
            digest.update(f"{folder}/{entry.name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()

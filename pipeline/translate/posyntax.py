"""A strict reading of PO syntax, before Babel sees the file: errors at the line GNU `msgfmt -c`
names, and nothing that Babel would read differently from gettext.

Babel is lenient where it matters: `msgstr "Acerca de esto` (no closing quote) is read as
"Acerca de est", `msgid "a" "b"` as `a" "b`, an unknown line is reported one line early, and
numeric escapes (`\\x41`) are kept as a backslash and digits. So every line is checked here
first, and Babel only reads files that pass:

- a keyword line is `msgctxt`, `msgid`, `msgid_plural`, `msgstr` or `msgstr[N]`, a space and
  one quoted string; a continuation line is one quoted string; `#~` lines (obsolete entries)
  follow the same rules, `#|` lines (previous msgids) must have well-formed strings, other `#`
  lines are comments;
- a string ends on its line with a closing quote and nothing after it but spaces; its escapes
  are `\\n \\t \\r \\" \\\\` (numeric escapes, which Babel misreads, and the control-character
  ones are refused with a hint);
- an entry is `[msgctxt] msgid (msgstr | msgid_plural msgstr[0] msgstr[1] …)`, each once.

Line numbers count from 1, like every editor and `msgfmt`. The text is already decoded
(`catalogs.read` checks the charset and refuses a byte-order mark).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.errors import SourceError
from pipeline.model import Loc

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s\"]|$)")
"""A keyword at the start of a line (what follows it is checked separately)."""
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_NUMERIC = set("01234567x")
"""Octal and hex escapes: valid C, but Babel keeps them as a backslash and digits."""
_CONTROLS = set("abfv")
HINT = "open the file in Poedit or run `msgfmt -c` on it to see the problem"


@dataclass
class Part:
    """One keyword of an entry and its strings (line of each, unescaped)."""

    keyword: str
    pieces: list[tuple[int, str]] = field(default_factory=list)

    @property
    def line(self) -> int:
        return self.pieces[0][0]

    @property
    def text(self) -> str:
        return "".join(piece for _, piece in self.pieces)


@dataclass
class Entry:
    """An entry: its keywords in order, and whether it is obsolete (`#~`)."""

    obsolete: bool
    flags: int | None = None
    """The line of the `#,` flags comment before it (where `fuzzy` is removed)."""
    parts: dict[str, Part] = field(default_factory=dict)
    closed: bool = False
    """A comment came after its msgstr: a string line can no longer continue it."""

    @property
    def line(self) -> int:
        return (self.parts.get("msgid") or next(iter(self.parts.values()))).line

    def complete(self) -> bool:
        if "msgid_plural" in self.parts:
            return "msgstr[0]" in self.parts
        return "msgstr" in self.parts

    def last(self) -> Part:
        return list(self.parts.values())[-1]


def _error(name: str, line: int, message: str, hint: str = HINT) -> SourceError:
    return SourceError(Loc(name, line), f"PO syntax error: {message}", hint=hint)


_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"[ \t]*\Z')
_ESCAPE = re.compile(r"\\(.)")


def string(text: str, name: str, line: int) -> str:
    """The value of one quoted PO string that makes up all of `text` (spaces around it
    allowed); SourceError at `line` otherwise."""
    text = text.strip(" \t")
    match = _STRING.match(text)
    if match:
        body = match.group(1)
        if "\\" not in body:
            return body
        if all(code in _ESCAPES for code in _ESCAPE.findall(body)):
            return _ESCAPE.sub(lambda found: _ESCAPES[found.group(1)], body)
    return _diagnose(text, name, line)


def _diagnose(text: str, name: str, line: int) -> str:
    """What is wrong with a string the fast pattern refused (the same rules, one character at
    a time, so the message can say what and where)."""
    if not text.startswith('"'):
        raise _error(name, line, f"expected a string in double quotes, found `{text[:30]}`")
    out = []
    index = 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            if index + 1 >= len(text):
                raise _error(name, line, "a backslash at the end of the line",
                             "end the string with a quote and go on in a new \"…\" line")
            code = text[index + 1]
            if code in _ESCAPES:
                out.append(_ESCAPES[code])
            elif code in _NUMERIC:
                raise _error(name, line, f"the numeric escape `\\{code}…` is read differently by "
                             "gettext and by Babel", "write the character itself")
            elif code in _CONTROLS:
                raise _error(name, line, f"the escape `\\{code}` writes a control character",
                             "a translation has no use for it: delete it")
            else:
                raise _error(name, line, f"invalid escape `\\{code}`",
                             "the escapes are \\n, \\t, \\\" and \\\\; write a backslash as \\\\")
            index += 2
        elif char == '"':
            rest = text[index + 1:].strip(" \t")
            if rest:
                raise _error(name, line, f"text after the closing quote: `{rest[:30]}`",
                             "write a quote inside a string as \\\", and one string per line")
            return "".join(out)
        else:
            out.append(char)
            index += 1
    raise _error(name, line, "the string has no closing quote",
                 "end the string with \" on the same line")


def scan(text: str, name: str) -> list[Entry]:
    """The entries of a PO file (obsolete ones marked); SourceError at the first problem."""
    entries: list[Entry] = []
    current: Entry | None = None
    flags: int | None = None  # a `#,` line for the entry that comes next

    def finish() -> None:
        if current is not None and not current.complete():
            what = ("msgstr[0], msgstr[1], …" if "msgid_plural" in current.parts else
                    "msgid and msgstr" if "msgid" not in current.parts else "msgstr")
            raise _error(name, current.line, f"the entry has no {what}",
                         "every msgid needs its msgstr (write msgstr \"\" if it is not "
                         "translated yet)")

    for number, raw in enumerate(text.split("\n"), 1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if "\r" in line:
            raise _error(name, number, "a carriage return inside a line",
                         "save the file with Unix (LF) or Windows (CRLF) line endings")
        line = line.strip(" \t\f\v")
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].lstrip(" \t")
            if line.startswith("|"):  # a previous msgid of an obsolete entry
                _previous(line[1:], name, number)
                continue
        elif line.startswith("#|"):
            _previous(line[2:], name, number)
            continue
        elif line.startswith("#"):
            if current is not None:
                finish()
                current.closed = True
            if line.startswith("#,"):
                flags = number
            continue
        if not line:
            continue
        if line.startswith('"'):
            if current is None or current.closed or current.obsolete != obsolete:
                raise _error(name, number, "a string line that continues no msgid or msgstr",
                             "put it right under the msgid or msgstr it belongs to")
            current.last().pieces.append((number, string(line, name, number)))
            continue
        match = _KEYWORD.match(line)
        if match is None:
            word = line.split()[0][:30]
            raise _error(name, number, f"`{word}` is not a PO keyword",
                         "a line is a comment (#…), a keyword (msgid, msgstr, msgctxt, "
                         "msgid_plural, msgstr[N]) with a string, or a string in quotes")
        keyword = match.group(1)
        if not line[match.end():].strip():
            raise _error(name, number, f"{keyword} without a string", f"write {keyword} \"…\"")
        if not line[match.end():].startswith(" "):
            raise _error(name, number, f"write a space between {keyword} and its string",
                         f"{keyword} \"…\"")
        value = string(line[match.end():], name, number)
        if keyword == "msgctxt" or (keyword == "msgid" and (
                current is None or current.closed or current.obsolete != obsolete
                or "msgid" in current.parts)):
            finish()
            current = Entry(obsolete, flags)
            flags = None
            entries.append(current)
        elif current is None or current.obsolete != obsolete or current.closed:
            raise _error(name, number, f"{keyword} without a msgid before it")
        parts = current.parts
        if keyword in parts:
            raise _error(name, number, f"a second {keyword} in the same entry",
                         "an entry has one msgid and one msgstr; start a new entry with msgid")
        if keyword == "msgid" and set(parts) - {"msgctxt"}:
            raise _error(name, number, "msgid after the msgstr of its entry")
        if keyword != "msgctxt" and "msgid" not in parts and keyword != "msgid":
            raise _error(name, number, f"{keyword} without a msgid before it")
        if keyword == "msgid_plural" and any(k.startswith("msgstr") for k in parts):
            raise _error(name, number, "msgid_plural after the msgstr of its entry")
        if keyword == "msgstr" and "msgid_plural" in parts:
            raise _error(name, number, "a plural message needs msgstr[0], msgstr[1], … "
                         "instead of msgstr")
        if match.group(2) is not None:
            if "msgid_plural" not in parts:
                raise _error(name, number, f"{keyword} without msgid_plural",
                             "a message without a plural form has one msgstr")
            expected = sum(1 for k in parts if k.startswith("msgstr["))
            if int(match.group(2)) != expected:
                raise _error(name, number, f"{keyword} where msgstr[{expected}] comes next",
                             "number the plural forms 0, 1, 2, … in order")
        parts[keyword] = Part(keyword, [(number, value)])
    finish()
    return entries


def _previous(rest: str, name: str, number: int) -> None:
    """A `#|` line: a keyword (or nothing) and a well-formed string."""
    rest = rest.strip(" \t")
    match = _KEYWORD.match(rest)
    if match:
        rest = rest[match.end():]
    if rest.strip():
        string(rest, name, number)

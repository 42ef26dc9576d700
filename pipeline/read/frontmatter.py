"""YAML front matter → `Meta`, with the line of every field kept for error messages.

YAML is loaded with PyYAML's safe loader only (no tags, no objects); aliases are refused, since
front matter never needs them and alias expansion is how "billion laughs" files blow up memory;
lists and maps nested more than `MAX_DEPTH` deep are refused before PyYAML's recursive composer
sees them (a thousand `[` would otherwise end in a RecursionError).
Explicit tags (`!!python/object/apply:…`, `!custom`) are refused on any node, before anything
is constructed; keys must be plain words; values are checked for control and direction-control
characters that YAML escapes (`"\u202e"`) could smuggle past the reader's check of the file.
"""

from __future__ import annotations

import difflib
import datetime as dt
import re

import yaml

from pipeline.errors import Problems, SourceError
from pipeline.read.markdown import FORBIDDEN_CHARS, describe_char, hidden_host
from pipeline.model import Field, Loc, Meta

REQUIRED = ("title", "summary", "reviewed", "reviewed_by", "url")
OPTIONAL = ("keywords",)
MAX_DEPTH = 3
"""Collections inside each other: the fields' map and a list of keywords are two."""
_REVIEWED = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def split(text: str, path: str) -> tuple[str, str, int]:
    """Split a source into (yaml, body, body's first line number, 1-based)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise SourceError(Loc(path, 1), "the file does not start with YAML front matter",
                          hint="begin the file with a line `---`, the fields title, summary, "
                               "reviewed, reviewed_by, url, and another line `---`")
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:number - 1]), "\n".join(lines[number:]), number + 1
    raise SourceError(Loc(path, 1), "the front matter is never closed",
                      hint="add a line `---` after the last front-matter field")


def _compose(text: str, path: str) -> yaml.Node | None:
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:  # PyYAML's composer would recurse until it crashed
                    raise SourceError(Loc(path, event.start_mark.line + 2),
                                      "lists or fields are nested too deeply in the front matter",
                                      hint="front matter holds fields of text and one list "
                                           "(`keywords: [a, b]`), nothing inside that")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise SourceError(Loc(path, event.start_mark.line + 2),
                                  "YAML anchors and aliases are not allowed in front matter",
                                  hint="write each value out in full")
            tag = getattr(event, "tag", None)
            if tag is not None and not (isinstance(event, yaml.ScalarEvent) and tag == "!"):
                raise SourceError(Loc(path, event.start_mark.line + 2),
                                  f"the YAML tag `{tag}` is not allowed in front matter",
                                  hint="remove the `!tag`; front matter holds plain text, dates "
                                       "and lists of words only")
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else 2
        column = mark.column + 1 if mark else None
        raise SourceError(Loc(path, line, column), f"broken YAML in front matter: {exc.problem}",
                          hint="check quoting and indentation; quote values that contain `: `"
                          ) from exc
    except yaml.YAMLError as exc:
        raise SourceError(Loc(path, 2), f"broken YAML in front matter: {exc}") from exc


def _scalar(node: yaml.Node, key: str, path: str, line: int) -> object:
    if not isinstance(node, yaml.ScalarNode):
        raise SourceError(Loc(path, line), f"`{key}` must be a single value, not a list or map")
    if node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp",
                        "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        if node.tag == "tag:yaml.org,2002:bool":
            raise SourceError(Loc(path, line), f"`{key}: {node.value}` must be text, but YAML "
                              f"reads `{node.value}` as the value true or false",
                              hint=f"put the text in quotes: `{key}: \"{node.value}\"`")
        if node.tag.startswith("tag:yaml.org,2002:"):
            raise SourceError(Loc(path, line), f"`{key}` is empty or not text",
                              hint=f"write a value after `{key}:`")
        raise SourceError(Loc(path, line), f"`{key}` uses the YAML tag {node.tag}",
                          hint="remove the `!tag`; front matter holds plain text only")
    if node.tag.endswith("timestamp"):
        try:
            return yaml.SafeLoader(" ").construct_object(node, deep=True)
        except (ValueError, OverflowError):
            return node.value  # `2025-02-30`: reported by the caller as not a date
    return node.value


def latest_review_month() -> tuple[int, int]:
    """The latest month a review can have happened in: the current month wherever on Earth it
    is latest (UTC+14). The clock is read for this check only, never for anything an output
    holds, so the bytes of a build never depend on it; and a month accepted once stays
    accepted, so an old commit always builds again."""
    now = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=14)
    return now.year, now.month


def _plain_text(value: str, key: str, path: str, line: int) -> None:
    found = FORBIDDEN_CHARS.search(value)
    if found:
        raise SourceError(Loc(path, line), f"`{key}` holds {describe_char(found.group())}",
                          hint="delete it; YAML escapes such as \\u202e are not allowed either")


def parse(text: str, path: str, problems: Problems | None = None) -> Meta | None:
    """Validate the front matter (text between the `---` lines) of `path`.

    Every field is checked, each problem added to `problems`; the `Meta` is returned only when
    there were none. Without a collector the errors are raised (one, or `SourceErrors`)."""
    own = problems is None
    problems = Problems() if own else problems
    before = problems.total
    meta = _parse(text, path, problems)
    if own:
        problems.raise_if_any()
    return meta if problems.total == before else None


def _parse(text: str, path: str, problems: Problems) -> Meta | None:
    try:
        root = _compose(text, path)
    except SourceError as error:  # unparsable YAML: nothing below can be trusted
        problems.add(error)
        return None
    if root is None:
        problems.add(SourceError(Loc(path, 1), "the front matter is empty",
                                 hint=f"add the fields {', '.join(REQUIRED)}"))
        return None
    if not isinstance(root, yaml.MappingNode):
        problems.add(SourceError(Loc(path, root.start_mark.line + 2),
                                 "the front matter must be a set of `key: value` fields"))
        return None
    values: dict[str, tuple[yaml.Node, int]] = {}
    suggested: set[str] = set()
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 2
        if not isinstance(key_node, yaml.ScalarNode):
            problems.add(SourceError(Loc(path, line), "a front-matter field name must be a word",
                                     hint=f"allowed fields: {', '.join(REQUIRED + OPTIONAL)}"))
            continue
        key = key_node.value
        if key in values:
            problems.add(SourceError(Loc(path, line), f"`{key}` is given twice",
                                     hint=f"keep one of the lines {values[key][1]} and {line}"))
            continue
        if key not in REQUIRED + OPTIONAL:
            close = difflib.get_close_matches(key, REQUIRED + OPTIONAL, n=1)
            hint = (f"did you mean `{close[0]}`?" if close
                    else f"allowed fields: {', '.join(REQUIRED + OPTIONAL)}")
            problems.add(SourceError(Loc(path, line), f"unknown front-matter field `{key}`",
                                     hint=hint))
            suggested.update(close)
            continue
        values[key] = (value_node, line)
    for key in REQUIRED:
        if key not in values and key not in suggested:  # a misspelt key is one error
            problems.add(SourceError(Loc(path, 1), f"the front matter has no `{key}`",
                                     hint=f"add a line `{key}: …` between the `---` lines"))

    def checked(key: str, check):
        """`check()`'s value, or None with its error recorded (and None for a missing key)."""
        if key not in values:
            return None
        try:
            return check()
        except SourceError as error:
            problems.add(error)
            return None

    def text_field(key: str) -> Field:
        node, line = values[key]
        value = _scalar(node, key, path, line)
        if not str(value).strip():
            raise SourceError(Loc(path, line), f"`{key}` is empty")
        _plain_text(str(value), key, path, line)
        return Field(str(value).strip(), Loc(path, line))

    title = checked("title", lambda: text_field("title"))
    summary = checked("summary", lambda: text_field("summary"))
    reviewed_by = checked("reviewed_by", lambda: text_field("reviewed_by"))
    reviewed = checked("reviewed", lambda: _reviewed(*values["reviewed"], path))
    url = checked("url", lambda: _url(text_field("url")))
    keywords = checked("keywords", lambda: _keywords(*values["keywords"], path)) or ()
    if None in (title, summary, reviewed_by, reviewed, url):
        return None
    return Meta(title=title, summary=summary, reviewed=reviewed,
                reviewed_loc=Loc(path, values["reviewed"][1]), reviewed_by=reviewed_by,
                url=url, keywords=keywords,
                keywords_loc=Loc(path, values["keywords"][1]) if "keywords" in values else None)


def _reviewed(node: yaml.Node, line: int, path: str) -> tuple[int, int]:
    """(year, month) of the `reviewed` field."""
    reviewed = _scalar(node, "reviewed", path, line)
    if isinstance(reviewed, dt.date):
        year, month = reviewed.year, reviewed.month
    else:
        match = _REVIEWED.match(str(reviewed).strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise SourceError(Loc(path, line), f"`reviewed: {reviewed}` is not a month",
                              hint="write the review month as YYYY-MM, e.g. `reviewed: 2025-08`")
        year, month = int(match.group(1)), int(match.group(2))
        if match.group(3):
            try:
                dt.date(year, month, int(match.group(3)))
            except ValueError:
                raise SourceError(Loc(path, line), f"`reviewed: {reviewed}` is not a date",
                                  hint="write the review month as YYYY-MM, e.g. "
                                       "`reviewed: 2025-08`") from None
    if year < 1900:
        raise SourceError(Loc(path, line), f"`reviewed: {reviewed}` is not a plausible "
                          "review month", hint="write the month the text was last reviewed, "
                                               "e.g. `reviewed: 2025-08`")
    latest = latest_review_month()
    if (year, month) > latest:
        raise SourceError(Loc(path, line), f"`reviewed: {reviewed}` is in the future "
                          f"(this machine's clock says {latest[0]}-{latest[1]:02d})",
                          hint="write the month the text was last reviewed; a review stamp "
                               "cannot promise a review that has not happened")
    return year, month


def _url(url: Field) -> Field:
    if not re.match(r"^https?://[^\s<>\"]+$", url.value):
        raise SourceError(url.loc, f"`url: {url.value}` is not a web address",
                          hint="give the full address of the online article, starting https://")
    disguised = hidden_host(url.value)
    if disguised:
        raise SourceError(url.loc, f"`url: {url.value}` {disguised}",
                          hint="write the address as the browser shows it, with nothing "
                               "before `@` (e.g. https://example.org/page)")
    return url


def _keywords(node: yaml.Node, line: int, path: str) -> tuple[str, ...]:
    if not isinstance(node, yaml.SequenceNode) or not all(
            isinstance(item, yaml.ScalarNode) for item in node.value):
        raise SourceError(Loc(path, line), "`keywords` must be a list of words",
                          hint="write `keywords: [first, second]`")
    keywords = tuple(str(item.value).strip() for item in node.value if str(item.value).strip())
    for keyword in keywords:
        _plain_text(keyword, "keywords", path, line)
    return keywords

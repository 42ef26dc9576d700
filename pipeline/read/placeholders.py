"""Placeholder text of the new-document template left in a source: an error at its line.

`plainpress new` writes `source/<id>.md` from `styles/templates/new-document*.md`. In those
templates every text the author has to replace (the example URL, "One plain sentence…", the
sample list items) is written between `[[` and `]]`; `plainpress new` drops the brackets. The
reader reads the same templates and refuses any source text that still holds one of those
sentences, so a template's sample text is never published. The data lives in the templates:
a template in another language marks its own placeholders the same way, and nothing here knows
their wording. `{id}`, `{title}`, `{year}` and `{month}` inside a placeholder match anything.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pipeline.errors import SourceError
from pipeline.read.markdown import plain
from pipeline.settings.styles import style_files
from pipeline import model as m
from pipeline.model import walk

MARK = re.compile(r"\[\[(.+?)\]\]", re.S)
"""A placeholder in a template: `[[text the author replaces]]`."""
FIELD = re.compile(r"\{[a-z_]+\}")
SENTENCE = re.compile(r"(?<=[.!?])\s+")
TEMPLATES = "new-document*.md"


def unmark(template: str) -> str:
    """The template as `plainpress new` writes it: placeholders without their brackets."""
    return MARK.sub(r"\1", template)


def templates(styles_dir: Path) -> list[Path]:
    """The new-document templates of a project (one per language, or one): its own, and the
    package's defaults it does not override, since `plainpress new` writes from either."""
    return list(style_files(styles_dir.parent, "templates", TEMPLATES).values())


def marked(text: str, shown: str) -> list[SourceError]:
    """One error per `[[…]]` left in a file: `plainpress init` writes the shared disclaimer
    and contact block that way, to be replaced by the clinic's approved text."""
    errors = []
    for found in MARK.finditer(text):
        line = text.count("\n", 0, found.start()) + 1
        words = " ".join(found.group(1).split())
        short = words if len(words) <= 60 else words[:57] + "…"
        errors.append(SourceError(m.Loc(shown, line), f"placeholder “{short}” is still here",
                                  hint="replace it, brackets and all, with your approved text",
                                  code="placeholder"))
    return errors


def _pattern(sentence: str) -> re.Pattern | None:
    """A regex for one placeholder sentence (any run of white space for a space, anything for
    a field); None when it has no words of its own (it would match any text)."""
    if not re.search(r"[^\W\d_]", FIELD.sub("", sentence)):
        return None
    tokens = [token for token in re.split(r"(\{[a-z_]+\}|\s+)", sentence) if token]
    parts = [r"\s+" if token.isspace() else r".+?" if FIELD.fullmatch(token)
             else re.escape(token) for token in tokens]
    if FIELD.fullmatch(tokens[-1]):
        parts[-1] = r"\S+"  # a field at the end (the URL's `{id}`) runs to the next space
    return re.compile("".join(parts))


@lru_cache(maxsize=8)
def _patterns(stamp: tuple[tuple[str, int, int], ...]) -> tuple[tuple[re.Pattern, str, str], ...]:
    """(regex, the sentence as written, template name) for every placeholder sentence."""
    found = []
    for name, _, _ in stamp:
        path = Path(name)
        for mark in MARK.finditer(path.read_text("utf-8")):
            for sentence in SENTENCE.split(" ".join(mark.group(1).split())):
                pattern = _pattern(sentence)
                if pattern is not None:
                    found.append((pattern, sentence, path.name))
    return tuple(found)


def _texts(meta: m.Meta | None, blocks) -> list[tuple[m.Loc, str]]:
    """(where, plain text) of every front-matter value and block an author writes."""
    out: list[tuple[m.Loc, str]] = []
    if meta is not None:
        out += [(f.loc, f.value) for f in (meta.title, meta.summary, meta.reviewed_by, meta.url)]

    for block in walk.blocks(blocks):
        if isinstance(block, (m.Heading, m.Paragraph)):
            out.append((block.loc, plain(block.inlines)))
        elif isinstance(block, m.Table):
            out.extend((cell.loc, plain(cell.inlines))
                       for row in (block.header, *block.rows) for cell in row)
        elif isinstance(block, m.Figure):
            out.extend([(block.loc, block.alt), (block.loc, block.caption)])
    return out


def find(styles_dir: Path, meta: m.Meta | None, blocks) -> list[SourceError]:
    """One error per text of the source that still holds a template placeholder."""
    stamp = []
    for template in templates(styles_dir):
        try:
            info = template.stat()
        except OSError:
            continue
        stamp.append((str(template), info.st_mtime_ns, info.st_size))
    patterns = _patterns(tuple(stamp)) if stamp else ()
    errors = []
    for loc, text in _texts(meta, blocks):
        text = " ".join(text.split())
        for pattern, _, template in patterns:
            found = pattern.search(text) if text else None
            if found:
                words = found.group()
                short = words if len(words) <= 60 else words[:57] + "…"
                errors.append(SourceError(
                    loc, f"placeholder text from styles/templates/{template}: “{short}”",
                    hint="replace the placeholder with your own text", code="placeholder"))
                break
    return errors

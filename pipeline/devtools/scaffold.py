"""`plainpress new ID`: a new source document from the starter template of the source language.

The starter is `styles/templates/new-document.<locale>.md` (the site's or the package's) (then `.<language>.md`), and the
English `new-document.md` for English or a language without one, so that a Spanish-source site
starts from Spanish text: the front-matter keys and the `handout` / `key-points` containers are
syntax and stay as they are in every language. Each template marks the text an author must
replace as `[[…]]`; the new source gets that text without the brackets, and the reader refuses
it until it is replaced (`placeholders`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.read.placeholders import unmark
from pipeline.read.reader import ID_PATTERN
from pipeline.settings.styles import style_path

TEMPLATE = "new-document"


def template_path(root: Path, locale: str) -> Path:
    """The starter template for `locale`: its own, its language's, else the English one; each
    the site's (`styles/templates/`) when it has one, else the one shipped with Plainpress."""
    language = locale.replace("-", "_").split("_")[0]
    for name in dict.fromkeys((f"{TEMPLATE}.{locale}.md", f"{TEMPLATE}.{language}.md")):
        path = style_path(root, f"templates/{name}")
        if path.is_file():
            return path
    return style_path(root, f"templates/{TEMPLATE}.md")


def new_document(root: Path, doc_id: str, today: dt.date | None = None,
                 locale: str | None = None, title: str | None = None) -> Path:
    """Write `source/<doc_id>.md` from the template of `locale` (default: the configured
    source locale); refuse bad ids and never overwrite."""
    if not ID_PATTERN.match(doc_id):
        raise UsageError(f"`{doc_id}` is not a usable document id",
                         hint="use lower-case letters, digits and hyphens, e.g. knee-pain")
    target = root / "source" / f"{doc_id}.md"
    if target.exists():
        raise UsageError(f"source/{doc_id}.md already exists", hint="pick another id")
    if locale is None:
        from pipeline.settings.config import load
        locale = load(root).source_locale
    today = today or dt.date.today()
    template = unmark(template_path(root, locale).read_text("utf-8"))
    title = title or doc_id.replace("-", " ").capitalize()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template.format(title=title, id=doc_id, year=f"{today.year:04d}",
                                      month=f"{today.month:02d}"), "utf-8")
    return target

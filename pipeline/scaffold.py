"""`plainpress new ID`: a new source document from `styles/templates/new-document.md`.

The template marks the text an author must replace as `[[…]]`; the new source gets that text
without the brackets, and the reader refuses it until it is replaced (`placeholders`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .errors import UsageError
from .placeholders import unmark
from .reader import ID_PATTERN


def new_document(root: Path, doc_id: str, today: dt.date | None = None) -> Path:
    """Write `source/<doc_id>.md`; refuse bad ids and never overwrite."""
    if not ID_PATTERN.match(doc_id):
        raise UsageError(f"`{doc_id}` is not a usable document id",
                         hint="use lower-case letters, digits and hyphens, e.g. knee-pain")
    target = root / "source" / f"{doc_id}.md"
    if target.exists():
        raise UsageError(f"source/{doc_id}.md already exists", hint="pick another id")
    today = today or dt.date.today()
    template = unmark((root / "styles" / "templates" / "new-document.md").read_text("utf-8"))
    title = doc_id.replace("-", " ").capitalize()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template.format(title=title, id=doc_id, year=f"{today.year:04d}",
                                      month=f"{today.month:02d}"), "utf-8")
    return target

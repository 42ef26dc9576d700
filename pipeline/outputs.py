"""The one table of outputs: what each kind of artifact is, and everything that depends on it.

Every stage reads this table instead of naming output kinds itself: the command line's
`--format` choices, the planner (file names, page-size editions), the fingerprint (which style
files a renderer reads), the workers (which renderer), the gates (which run, and their limits),
the translation stage (which part of the document an output shows) and the report (labels,
order, which outputs have pages). A new output kind is one row here plus its renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """The output kinds, as `--format` and `report.json` name them."""

    HTML = "html"
    PDF = "pdf"
    DOCX = "docx"
    HANDOUT = "handout"
    HANDOUT_LARGE = "handout-large"
    BRAILLE = "braille"
    HANDOUT_BRAILLE = "handout-braille"
    BRAILLE_TEXT = "braille-text"
    HANDOUT_BRAILLE_TEXT = "handout-braille-text"
    EPUB = "epub"
    HANDOUT_EPUB = "handout-epub"
    AUDIO = "audio"


class Part(StrEnum):
    """Which part of a source document an output shows (translation completeness follows it)."""

    ARTICLE = "article"
    HANDOUT = "handouts"


@dataclass(frozen=True, slots=True)
class Output:
    """One row of the table."""

    kind: Kind
    pattern: str
    """The file name in `build/<locale>/`, `{id}` standing for the document id."""
    label: str
    """What the report calls it."""
    part: Part
    renderer: str
    """`render.<module>:<function>` that turns a localized Document into the bytes."""
    styles: tuple[str, ...]
    """Files under `styles/` the renderer and its gates read (part of its fingerprint)."""
    gates: tuple[str, ...]
    """Gate ids (see `gates.GATES`) run on every artifact of this kind, in this order."""
    reader: str = "pdf"
    """How `readback.text` reads its text back: `pdf`, `html`, `docx` or `epub` (`braille`:
    only through liblouis, `readback.braille`; `opus`: an audio file, which no text gate
    reads)."""
    paged: bool = False
    """Laid out on paper: one job and one file per page-size edition."""
    pdf: bool = False
    """A PDF: the report shows its first page and page count."""
    edition: str | None = None
    """The theme table (`[handout]`, `[handout_large]`) a handout edition takes sizes from."""
    min_text_pt: float | None = None
    """The smallest text allowed anywhere on the page (product floors, not the theme's)."""
    page_budget: int | None = None
    """The most pages it may run to."""
    voiced: bool = False
    """Only for the locales in `audio_locales` (the spoken edition on its own)."""


ARTICLE_PAGE = ("templates/article.html.j2", "templates/blocks.html.j2", "css/article.css.j2")
PLAIN_WORDS = tuple(f"plain-words/{locale}.toml" for locale in ("en", "es", "ar", "zh_Hans"))
"""The plain-language gate's tables of plainer words (a handout is re-gated when one changes)."""
HANDOUT_PAGE = ("templates/handout.html.j2", "templates/blocks.html.j2", "css/handout.css.j2",
                *PLAIN_WORDS)
EPUB_GATES = ("required-text", "text-fidelity", "epubcheck", "ace", "media-overlays")

OUTPUTS: tuple[Output, ...] = (
    Output(Kind.HTML, "{id}.html", "HTML page", Part.ARTICLE, "html:render_page",
           ARTICLE_PAGE, ("required-text", "text-fidelity"), reader="html"),
    Output(Kind.PDF, "{id}.pdf", "PDF article", Part.ARTICLE, "pdf:render_article",
           ARTICLE_PAGE, ("required-text", "text-fidelity", "pdf-ua", "reading-level"),
           paged=True, pdf=True),
    Output(Kind.DOCX, "{id}.docx", "Word (DOCX)", Part.ARTICLE, "docx:render", (),
           ("required-text", "text-fidelity", "docx-a11y", "reading-level"), reader="docx",
           paged=True),
    Output(Kind.HANDOUT, "{id}-handout.pdf", "Handout", Part.HANDOUT, "pdf:render_handout",
           HANDOUT_PAGE, ("required-text", "text-fidelity", "pdf-ua", "page-budget",
                          "min-text-size", "reading-level", "jargon", "plain-language"),
           paged=True, pdf=True, edition="handout", min_text_pt=12.0, page_budget=2),
    Output(Kind.HANDOUT_LARGE, "{id}-handout-large.pdf", "Large-print handout", Part.HANDOUT,
           "pdf:render_handout", HANDOUT_PAGE,
           ("required-text", "text-fidelity", "pdf-ua", "page-budget", "min-text-size",
            "reading-level"),  # jargon and plain-language: the same text, advised once
           paged=True, pdf=True, edition="handout_large", min_text_pt=18.0, page_budget=4),
    # Braille: one edition whatever the paper (a braille page is cells and lines, configured in
    # [tool.plainpress.braille]); the .brl.txt preview is the same pages as Unicode braille.
    Output(Kind.BRAILLE, "{id}.brf", "Braille article (BRF)", Part.ARTICLE,
           "braille:render_brf", (), ("braille-format", "braille-readback"), reader="braille"),
    Output(Kind.HANDOUT_BRAILLE, "{id}-handout.brf", "Braille handout (BRF)", Part.HANDOUT,
           "braille:render_brf", (), ("braille-format", "braille-readback",
                                      "braille-page-budget"), reader="braille"),
    Output(Kind.BRAILLE_TEXT, "{id}.brl.txt", "Braille article preview", Part.ARTICLE,
           "braille:render_text", (), ("braille-format",), reader="braille"),
    Output(Kind.HANDOUT_BRAILLE_TEXT, "{id}-handout.brl.txt", "Braille handout preview",
           Part.HANDOUT, "braille:render_text", (), ("braille-format",), reader="braille"),
    Output(Kind.EPUB, "{id}.epub", "EPUB (e-book)", Part.ARTICLE, "epub:render_epub",
           ("css/epub.css.j2",), EPUB_GATES, reader="epub"),
    Output(Kind.HANDOUT_EPUB, "{id}-handout.epub", "Handout EPUB", Part.HANDOUT,
           "epub:render_epub", ("css/epub.css.j2",), EPUB_GATES, reader="epub"),
    Output(Kind.AUDIO, "{id}.opus", "Audio (Opus)", Part.ARTICLE, "epub:render_audio", (),
           ("audio",), reader="opus", voiced=True),
)
"""Every output kind, in the order builds plan them and the report shows them."""

BY_KIND: dict[str, Output] = {row.kind: row for row in OUTPUTS}
KINDS: tuple[str, ...] = tuple(row.kind.value for row in OUTPUTS)


def output(kind: str) -> Output:
    """The row of an output kind (KeyError for one that does not exist)."""
    return BY_KIND[kind]


def shows(scope: str | None, kind: str) -> bool:
    """Whether a translation result about `scope` (a part, an output kind, or `*`) concerns
    artifacts of `kind`."""
    row = BY_KIND.get(kind)
    return scope in (None, "*", kind) or (row is not None and scope == row.part)


def is_pdf(kind: str) -> bool:
    """Whether artifacts of `kind` are PDF files."""
    row = BY_KIND.get(kind)
    return row is not None and row.pdf


def is_handout(kind: str) -> bool:
    """Whether `kind` shows the handout part of a document."""
    row = BY_KIND.get(kind)
    return row is not None and row.part is Part.HANDOUT

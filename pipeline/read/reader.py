"""Source files → `Document`: front matter, Markdown body, the handout, the shared snippets.

`source/<id>.md` holds one topic; `source/_shared/*.md` holds the approved blocks every output
ends with. Every error names the file and line and says how to fix it, and a run reports every
error of every file (`read_documents`), not the first: each file is read on past its mistakes,
except where the rest of it cannot be trusted (too big, binary, not UTF-8, front matter never
closed, nesting too deep), which stops that file only.

Sources are untrusted text, so the reader bounds what it accepts before parsing anything:

- a source or snippet over `MAX_SOURCE_BYTES` (1 MB) is refused from its size on disk, before
  it is read, so memory stays bounded whatever lands in `source/` (a long patient article is
  under 100 KB; a megabyte of Markdown is a mistake or an attack, and rendering it would take
  minutes);
- the file must be UTF-8 text: a NUL byte means a binary file, and an invalid byte is reported
  with its byte offset and line; a BOM and CRLF line endings are accepted (same model as LF);
- control characters (other than tab and newline), the invisible line and paragraph
  separators (U+2028, U+2029) and the direction controls that can disguise text
  (U+202A–U+202E, U+2066–U+2069) are refused with their line and column, in the file and, after
  character references such as `&#x202E;` are decoded, in the parsed text;
- a document must be a regular file inside `source/` (a symlink pointing elsewhere, or one
  that loops back to itself, is refused);
- an image must be a file under `source/`, at most `MAX_IMAGE_BYTES` (5 MB) and
  `MAX_IMAGE_PIXELS` (25 megapixels, so a small "decompression bomb" cannot blow up a renderer),
  and must really be a PNG, JPEG or GIF (its header is decoded, not just its magic bytes) whose
  name ends in the matching extension. Names may hold any letters, spaces and `%`: markdown-it's
  percent-encoding of the destination is undone before the file is looked up.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.read import frontmatter
from pipeline.settings.config import Config
from pipeline.read import placeholders
from pipeline.errors import MAX_REPORTED, Problems, SourceError
from pipeline.read.markdown import BIDI_CONTROLS, FORBIDDEN_CHARS, Context, describe_char, read_blocks
from pipeline.model import Document, Figure, Heading, Loc, Snippet
from pipeline.model import walk

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
SHARED = ("disclaimer", "contact")
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"GIF8": "gif"}
EXTENSIONS = {"png": (".png",), "jpeg": (".jpg", ".jpeg"), "gif": (".gif",)}
"""The file names each image type may have: the bytes decide the type, and the name must say
the same (a PNG named `x.svg` or `x.html` would be served as SVG or HTML by a web server)."""
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 25_000_000
MAX_SOURCE_BYTES = 1024 * 1024


def rel(config: Config, path: Path) -> str:
    """A project-relative path with forward slashes, as errors print it."""
    try:
        return path.absolute().relative_to(config.root.absolute()).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(config.root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return str(path)


def follow_links(path: Path, loc: Loc, what: str) -> Path:
    """`path` with every link followed; a link that leads back to itself is an error (Python
    raises RuntimeError or OSError for a loop, depending on the version)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError) as exc:
        raise SourceError(loc, f"{what} is a symbolic link that leads back to itself (a link "
                          "loop)", hint="replace the link with the file itself") from exc


def read_text(path: Path, shown: str, problems: Problems | None = None) -> str:
    """Decode a UTF-8 text file (BOM and CRLF accepted); bad bytes name their line.

    A file that is too big, binary or not UTF-8 raises (nothing after it can be read). With a
    collector, each forbidden character is recorded and blanked, so the rest is still read."""
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SourceError(Loc(shown), f"the file is {size / 1024 / 1024:.1f} MB, over the "
                              f"{MAX_SOURCE_BYTES // (1024 * 1024)} MB limit for a source",
                              hint="split it into several documents; a patient article is "
                                   "rarely over 100 KB of text")
        with path.open("rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise SourceError(Loc(shown), f"cannot read the file: {exc.strerror}") from exc
    if len(data) > MAX_SOURCE_BYTES:  # grew while we read it
        raise SourceError(Loc(shown), f"the file is over the {MAX_SOURCE_BYTES // (1024 * 1024)} "
                          "MB limit for a source", hint="split it into several documents")
    if b"\x00" in data:
        raise SourceError(Loc(shown, data[:data.index(b"\x00")].count(b"\n") + 1),
                          "this is a binary file, not Markdown text",
                          hint="save the document as plain UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise SourceError(Loc(shown, line), f"invalid UTF-8 at byte {exc.start}",
                          hint="save the file as UTF-8 in your editor") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return check_characters(text, shown, problems)


def check_characters(text: str, shown: str, problems: Problems | None = None) -> str:
    """Refuse control characters and the direction controls that can disguise text: the first
    raises; with a collector each is recorded (line and column) and the text is returned with
    them blanked, so that the parser does not report them again."""
    for found in FORBIDDEN_CHARS.finditer(text):
        char = found.group()
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        hint = ("delete it (it is invisible in most editors: move the cursor there and press "
                "Delete); the outputs set the text direction from the locale"
                if char in BIDI_CONTROLS else
                "delete it; it often comes from copying out of a PDF or a terminal")
        error = SourceError(Loc(shown, line, column), f"the file holds {describe_char(char)}",
                            hint=hint)
        if problems is None:
            raise error
        problems.add(error)
        if problems.count(shown) >= MAX_REPORTED:
            break
    return FORBIDDEN_CHARS.sub(" ", text) if problems is not None else text


def document_ids(config: Config) -> list[str]:
    """Ids of the documents in `source/`, sorted (file names starting with `_` are not)."""
    return sorted(p.stem for p in config.source_dir.glob("*.md") if not p.name.startswith("_"))


def _image_resolver(config: Config, source: Path):
    source_dir = config.source_dir.resolve()

    def resolve(src: str, loc: Loc) -> str:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src) or src.startswith(("/", "\\")):
            raise SourceError(loc, f"the image `{src}` is not a file in source/",
                              hint="put the image in source/ and give a relative path; "
                                   "images are never fetched from the network or elsewhere")
        target = follow_links(source.parent / src, loc, f"the image `{src}`")
        if not target.is_relative_to(source_dir):
            raise SourceError(loc, f"the image `{src}` is outside source/",
                              hint="copy the image into source/ (for example source/images/)")
        if not target.is_file():
            raise SourceError(loc, f"the image `{src}` does not exist",
                              hint=f"check the file name; looked for {rel(config, target)}")
        size = target.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise SourceError(loc, f"the image `{src}` is {size // 1024} KB, over the 5 MB limit",
                              hint="export it smaller; printed handouts need ~300 dpi at most")
        with target.open("rb") as handle:
            head = handle.read(8)
        if not any(head.startswith(magic) for magic in IMAGE_TYPES):
            raise SourceError(loc, f"`{src}` is not a PNG, JPEG or GIF image",
                              hint="export the picture as PNG or JPEG")
        _check_image(target, src, loc)
        return rel(config, target)

    return resolve


def _check_image(target: Path, src: str, loc: Loc) -> None:
    """Decode the image's header: a renamed or truncated file, or one whose pixel count would
    blow up a renderer's memory, is refused here rather than crashing a worker."""
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(target) as image:
                width, height = image.size
                kind = image.format
                if width * height > MAX_IMAGE_PIXELS:
                    raise SourceError(loc, f"the image `{src}` is {width}×{height} pixels, over "
                                      f"the {MAX_IMAGE_PIXELS // 1_000_000} megapixel limit",
                                      hint="scale it down; 2000 pixels across is plenty for "
                                           "print")
                image.verify()
    except SourceError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise SourceError(loc, f"the image `{src}` has too many pixels",
                          hint="scale it down; 2000 pixels across is plenty for print") from exc
    except Exception as exc:  # Pillow raises many kinds for a broken file
        raise SourceError(loc, f"`{src}` is not a readable image ({type(exc).__name__}: {exc})",
                          hint="open it in an image editor and export it again as PNG or "
                               "JPEG") from exc
    if kind not in ("PNG", "JPEG", "GIF"):
        raise SourceError(loc, f"`{src}` is a {kind} image, not PNG, JPEG or GIF",
                          hint="export the picture as PNG or JPEG")
    names = EXTENSIONS[kind.lower()]
    if target.suffix.lower() not in names:
        raise SourceError(loc, f"`{src}` holds a {kind} image but its name ends in "
                          f"`{target.suffix or '(nothing)'}`",
                          hint=f"rename the file to end in {' or '.join(names)}; an image's "
                               "name must say what it is")


def _check_headings(blocks, first_level: int, problems: Problems) -> None:
    """Headings start at `first_level` and never skip a level (screen readers navigate by them).
    After a bad heading the next ones are judged from it, so one mistake is one error."""
    previous = first_level - 1
    for block in walk.blocks(blocks):
        if not isinstance(block, Heading):
            continue
        if block.level < first_level:
            problems.add(SourceError(block.loc, f"a level-{block.level} heading is not allowed "
                                     "here", hint="the title comes from the front matter; start "
                                                  f"sections with {'#' * first_level}"))
            previous = first_level - 1
            continue
        if block.level > previous + 1:
            problems.add(SourceError(block.loc, f"heading level jumps from {max(previous, 1)} "
                                     f"to {block.level}",
                                     hint=f"use {'#' * (previous + 1)} here; do not skip levels"))
        previous = block.level


def _inside_source(config: Config, path: Path, shown: str) -> None:
    """A source that is a symlink to a file outside `source/` is refused (confinement)."""
    if not follow_links(path, Loc(shown), "the file").is_relative_to(config.source_dir.resolve()):
        raise SourceError(Loc(shown), "the file is a link to a file outside source/",
                          hint="replace the link with a copy of the file")


def read_snippet(config: Config, name: str, problems: Problems | None = None) -> Snippet | None:
    """One approved block from `source/_shared/<name>.md` (None, with a collector, when it has
    errors)."""
    return _collecting(problems, lambda found: _read_snippet(config, name, found))


def _read_snippet(config: Config, name: str, problems: Problems) -> Snippet | None:
    path = config.source_dir / "_shared" / f"{name}.md"
    shown = rel(config, path)
    _inside_source(config, path, shown)
    if not path.is_file():
        raise SourceError(Loc(shown), f"the shared {name} block is missing",
                          hint=f"create {shown} with the approved {name} text; every output "
                               "ends with it")
    text = read_text(path, shown, problems)
    for error in placeholders.marked(text, shown):  # `plainpress init` left it to replace
        problems.add(error)
    body, handouts = read_blocks(text, Context(shown, problems=problems))
    for handout_loc, _ in handouts:
        problems.add(SourceError(handout_loc, "a shared block cannot hold a handout",
                                 hint="write the handout in the document, not in source/_shared"))
    if not body and not handouts:
        problems.add(SourceError(Loc(shown, 1), f"the shared {name} block is empty",
                                 hint=f"write the approved {name} text in it"))
    if any(isinstance(block, (Heading, Figure)) for block in walk.blocks(body)):
        problems.add(SourceError(Loc(shown, 1), f"the shared {name} block may hold text and "
                                 "lists only", hint="remove its headings and images"))
    return Snippet(name, body, Loc(shown, 1))


def _collecting(problems: Problems | None, read):
    """Run `read(problems)`: an error that stops the file is recorded; the result is None when
    the file had any error. Without a collector of the caller's, the errors are raised."""
    own = problems is None
    found = Problems() if own else problems
    before = found.total
    try:
        result = read(found)
    except SourceError as error:  # the rest of the file cannot be read
        found.add(error)
        result = None
    if own:
        found.raise_if_any()
    return result if found.total == before else None


def read_document(config: Config, doc_id: str, snippets: dict[str, Snippet] | None = None,
                  problems: Problems | None = None) -> Document | None:
    """Read and validate `source/<doc_id>.md` into the source-locale `Document`.

    Every error of the file is found, not just the first: with a `problems` collector they are
    added to it (and None is returned); without, they are raised (`SourceErrors` for several)."""
    return _collecting(problems, lambda found: _read_document(config, doc_id, snippets, found))


def _read_document(config: Config, doc_id: str, snippets: dict[str, Snippet] | None,
                   problems: Problems) -> Document | None:
    path = config.source_dir / f"{doc_id}.md"
    shown = rel(config, path)
    if not ID_PATTERN.match(doc_id):
        raise SourceError(Loc(shown), f"`{doc_id}` is not a usable document id",
                          hint="name source files with lower-case letters, digits and hyphens, "
                               "e.g. source/knee-pain.md")
    _inside_source(config, path, shown)
    if not path.is_file():
        raise SourceError(Loc(shown), f"there is no document `{doc_id}`",
                          hint="check the id, or create it with `plainpress new " + doc_id + "`")
    text = read_text(path, shown, problems)
    if not text.strip():
        raise SourceError(Loc(shown, 1), "the file is empty",
                          hint="start from `plainpress new ID`, which writes a template")
    yaml_text, body_text, body_line = frontmatter.split(text, shown)
    meta = frontmatter.parse(yaml_text, shown, problems)
    ctx = Context(shown, body_line - 1, _image_resolver(config, path), problems)
    body, handouts = read_blocks(body_text, ctx)
    if not handouts:
        problems.add(SourceError(Loc(shown, body_line), "the document has no `::: handout` "
                                 "container", hint="add the plain-language handout between a "
                                 "line `::: handout` and a closing line `:::`"))
    for extra, _ in handouts[1:]:
        problems.add(SourceError(extra, "a second `::: handout` container",
                                 hint=f"a document has one handout; merge it with the one at "
                                      f"line {handouts[0][0].line}"))
    handout_loc, handout = handouts[0] if handouts else (Loc(shown, body_line), ())
    if not body:
        problems.add(SourceError(Loc(shown, body_line), "the article body is empty",
                                 hint="write the full article outside the handout container"))
    if handouts and not handout:
        problems.add(SourceError(handout_loc, "the handout container is empty",
                                 hint="write the plain-language handout inside it"))
    _check_headings(body, 2, problems)
    _check_headings(handout, 2, problems)
    for error in placeholders.find(config.styles_dir, meta, body + handout):
        problems.add(error)
    snippets = snippets if snippets is not None else read_snippets(config, problems)
    if meta is None or not snippets:
        return None
    return Document(
        id=doc_id, path=shown, meta=meta, body=body, handout=handout, handout_loc=handout_loc,
        contact=snippets["contact"], disclaimer=snippets["disclaimer"],
        locale=config.source_locale, assets=tuple(dict.fromkeys(
            block.src for block in walk.blocks(body + handout) if isinstance(block, Figure))),
    )


def read_snippets(config: Config, problems: Problems | None = None
                  ) -> dict[str, Snippet] | None:
    """Every shared block the outputs need (None, with a collector, when one has errors)."""
    found = Problems() if problems is None else problems
    before = found.total
    snippets = {name: read_snippet(config, name, found) for name in SHARED}
    if problems is None:
        found.raise_if_any()
    return snippets if found.total == before else None


def read_documents(config: Config, doc_ids: list[str]) -> list[Document]:
    """The documents `doc_ids` and the shared blocks, every error of every file reported at
    once (`SourceErrors`, sorted by file and line), so that one run shows every mistake."""
    problems = Problems()
    snippets = read_snippets(config, problems)
    documents = [read_document(config, doc_id, snippets or {}, problems) for doc_id in doc_ids]
    problems.raise_if_any()
    return documents

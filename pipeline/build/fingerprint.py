"""What a job depends on, hashed; and the state file that remembers what was published.

A job (document × locale × output) is rebuilt only when the hash of its inputs changes: its
source file and every file its model references (`Document.assets` and every image of the body,
the handout and the snippets), the shared snippets, the PO files of its locale (and the `ui`
catalog its labels come from, for a source locale that is not English), the style files its
output uses (the site's own or the package's default), the theme, the configuration file, its
page-size edition (paged outputs only), the
pipeline's own code, and what it depends on outside the project: the installed library versions
and the font files the theme resolves to.

The referenced files come from the model, never from a guess at the Markdown (a regex missed
reference-style images, `![alt][pic]`, and a replaced picture was "reused"). So that a build
with nothing to do stays fast, the state file records, per document, the digests of its source
file, of the shared snippets and of the symbolic links under `source/` (which decide where an
image path leads), with the files its model referenced; while those digests match, that list
is hashed and the source is not read. A changed source is read (and validated) here, once, to
learn its new list.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath

from pipeline.model import Document, Figure, walk
from pipeline.settings.config import config_path
from pipeline.settings.labels import labels_translated, ui_catalog
from pipeline.settings.styles import project_file, style_path

from pipeline import outputs

STATE_FILE = ".plainpress-state.json"
_DOC_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


@lru_cache(maxsize=1)
def pipeline_digest() -> str:
    """The pipeline's own version: a hash of every module of the installed package but the
    developer tools (`devtools/`: serve, scaffold, bench), which no artifact depends on."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        if path.relative_to(package).parts[0] == "devtools":
            continue
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def library_digest() -> str:
    """The installed Python distributions and their versions (from the `*.dist-info` folder
    names, which need no metadata parsing), so that upgrading a library through `make lock`
    rebuilds what it renders or gates."""
    import sys

    found = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.update(name for name in names if name.endswith(".dist-info"))
    return hashlib.sha256("\n".join(sorted(found)).encode()).hexdigest()


def font_digest(root: Path, theme: str) -> str:
    """The font files the theme's families resolve to (path, size, modification time)."""
    import tomllib

    from pipeline.settings.fonts import identity

    try:
        fonts = tomllib.loads(project_file(root, theme).read_text("utf-8")).get("fonts", {})
    except (OSError, ValueError):
        return "no theme"
    families = [value for value in fonts.values() if isinstance(value, str)]
    return hashlib.sha256(identity(families).encode()).hexdigest()


class Fingerprints:
    """Computes job fingerprints for one build, reading each input file once."""

    def __init__(self, root: Path, theme: str, source_locale: str, allow_incomplete: bool,
                 reference_docx: str | None = None, recorded: dict | None = None):
        self.root = root
        self.source_locale = source_locale
        self.cache: dict[Path, str] = {}
        self.recorded = recorded or {}
        """What the last build learned of each source's references (`load_sources`)."""
        self.learned: dict[str, dict] = {}
        self.sources: dict[str, str] = {}
        self._links: str | None = None
        self._reading: tuple | None = None
        common = hashlib.sha256()
        for part in (pipeline_digest(), library_digest(), font_digest(root, theme),
                     self.digest(config_path(root)),
                     self.digest(project_file(root, theme)), str(allow_incomplete),
                     self.digest(project_file(root, reference_docx)) if reference_docx else "-"):
            common.update(part.encode())
        shared = hashlib.sha256()
        for path in sorted((root / "source" / "_shared").glob("*.md")):
            shared.update(path.name.encode() + self.digest(path).encode())
        self.shared = shared.hexdigest()
        """The shared snippets (each document's model holds them)."""
        common.update(self.shared.encode())
        self.common = common.hexdigest()

    def digest(self, path: Path) -> str:
        if path not in self.cache:
            self.cache[path] = _file_digest(path)
        return self.cache[path]

    def source(self, doc_id: str) -> str:
        """The source file and every file its model references."""
        if doc_id not in self.sources:
            own = self.digest(self.root / "source" / f"{doc_id}.md")
            digest = hashlib.sha256(own.encode())
            assets = self.assets(doc_id, own)
            if assets is None:  # it does not read: never reused (the build reports why)
                digest.update(b"\0unreadable")
            for asset in assets or ():
                digest.update(asset.encode() + b"\0" + self.digest(self.root / asset).encode())
            self.sources[doc_id] = digest.hexdigest()
        return self.sources[doc_id]

    def assets(self, doc_id: str, own: str) -> list[str] | None:
        """What the model of the source whose digest is `own` references: as recorded by an
        earlier build while the source, the snippets and the links under `source/` are unchanged,
        else read."""
        key = {"sha256": own, "shared": self.shared, "links": self.links()}
        entry = self.recorded.get(doc_id)
        if isinstance(entry, dict) and all(entry.get(k) == v for k, v in key.items()) and \
                _asset_list(entry.get("assets")):
            assets = entry["assets"]
        else:
            assets = self.read(doc_id)
        if assets is not None:
            self.learned[doc_id] = {**key, "assets": assets}
        return assets

    def links(self) -> str:
        """The symbolic links under `source/` and where they point."""
        if self._links is None:
            found = "\n".join(_symlinks(self.root / "source", "source"))
            self._links = hashlib.sha256(found.encode("utf-8", "surrogateescape")).hexdigest()
        return self._links

    def read(self, doc_id: str) -> list[str] | None:
        """Read the document as the build does, for its references (None if it has errors:
        the build reads it again and reports them)."""
        from pipeline.errors import PlainpressError, Problems
        from pipeline.read import reader
        from pipeline.settings import config as config_mod

        try:
            if self._reading is None:
                config = config_mod.load(self.root)
                self._reading = config, reader.read_snippets(config, Problems())
            config, snippets = self._reading
            doc = reader.read_document(config, doc_id, snippets, Problems()) if snippets \
                else None
        except PlainpressError:
            return None
        return None if doc is None else list(references(doc))

    def recorded_sources(self) -> dict:
        """The references to record in the state file: what this build learned, and, for the
        documents it did not look at, what the last build had recorded."""
        kept = {doc_id: entry for doc_id, entry in self.recorded.items()
                if doc_id not in self.learned and isinstance(doc_id, str)
                and _DOC_ID.fullmatch(doc_id)
                and (self.root / "source" / f"{doc_id}.md").is_file()}
        return dict(sorted({**kept, **self.learned}.items()))

    def job(self, doc_id: str, locale: str, output: str, page_size: str | None) -> str:
        digest = hashlib.sha256()
        digest.update(f"{self.common}|{doc_id}|{locale}|{output}|{page_size}|".encode())
        digest.update(self.source(doc_id).encode())
        for name in outputs.output(output).styles:
            # The file the renderer reads: the site's own, else the package's default.
            digest.update(self.digest(style_path(self.root, name)).encode())
        if outputs.output(output).reader == "braille":
            # liblouis and its tables are system data outside the venv: an upgrade rebuilds.
            from pipeline.readback.louis import data_digest
            digest.update(data_digest().encode())
        if locale != self.source_locale:
            for domain in (doc_id, "shared"):
                po = self.root / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"
                digest.update(self.digest(po).encode())
        if locale != self.source_locale or labels_translated(locale):
            # The labels' catalog: the site's own, or the one shipped with plainpress.
            ui = ui_catalog(self.root, locale)
            where = b"-" if ui is None else b"site" if ui.is_relative_to(self.root) else b"shipped"
            digest.update(where + (self.digest(ui).encode() if ui else b""))
        return digest.hexdigest()


def references(doc: Document) -> tuple[str, ...]:
    """Project-relative paths of every file the model references: its assets and every image
    of the body, the handout and the snippets."""
    return tuple(dict.fromkeys(doc.assets + tuple(
        block.src for block in walk.blocks(doc) if isinstance(block, Figure))))


def _asset_list(value) -> bool:
    """A recorded list has the model's shape: paths inside `source/`, so that a damaged or
    edited state file cannot make a build hash files elsewhere."""
    return isinstance(value, list) and all(
        isinstance(item, str) and PurePosixPath(item).parts[:1] == ("source",)
        and ".." not in PurePosixPath(item).parts and "\\" not in item for item in value)


def _symlinks(folder: Path, shown: str) -> list[str]:
    """`path\0target` of every symbolic link under `folder` (links are not followed)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []
    found = []
    for entry in entries:
        name = f"{shown}/{entry.name}"
        if entry.is_symlink():
            try:
                found.append(f"{name}\0{os.readlink(entry.path)}")
            except OSError:
                found.append(f"{name}\0?")
        elif entry.is_dir():
            found += _symlinks(Path(entry.path), name)
    return found


def load_state(out_dir: Path) -> dict:
    """The jobs recorded by the last build in `out_dir` (empty when unreadable)."""
    try:
        data = json.loads((out_dir / STATE_FILE).read_text("utf-8"))
        return data["jobs"] if data.get("version") == 1 else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def load_sources(out_dir: Path) -> dict:
    """What the last build recorded of each source's references (empty when unreadable)."""
    try:
        data = json.loads((out_dir / STATE_FILE).read_text("utf-8"))
        sources = data.get("sources", {}) if data.get("version") == 1 else {}
        return sources if isinstance(sources, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def dump_state(jobs: dict, sources: dict | None = None) -> bytes:
    state = {"version": 1, "jobs": jobs, **({"sources": sources} if sources else {})}
    return (json.dumps(state, ensure_ascii=False, indent=1) + "\n").encode()


def still_published(out_dir: Path, record: dict) -> bool:
    """The artifact a record describes is still in `out_dir`, byte for byte. Size and
    modification time recorded at publication are the fast path; otherwise it is re-hashed."""
    path = out_dir / record["path"]
    try:
        stat = path.stat()
        if stat.st_size != record["size"]:
            return False
        if stat.st_mtime_ns == record.get("mtime_ns"):
            return True
        return hashlib.sha256(path.read_bytes()).hexdigest() == record["sha256"]
    except OSError:
        return False

"""What a job depends on, hashed; and the state file that remembers what was published.

A job (document × locale × output) is rebuilt only when the hash of its inputs changes: its
source file and the images it names, the shared snippets, the PO files of its locale (and the
`ui` catalog its labels come from, for a source locale that is not English), the style files
its output uses, the theme, `pyproject.toml`, its page-size edition (paged outputs only), the
pipeline's own code, and what it depends on outside the project: the installed library versions
and the font files the theme resolves to. Everything here reads bytes and names only (no parsing of sources), so a build
with nothing to do stays fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from pipeline.settings.labels import labels_translated, ui_catalog

from pipeline import outputs

STATE_FILE = ".plainpress-state.json"
IMAGE_REF = re.compile(rb"!\[[^\]]*\]\(\s*(?:<([^>\n]+)>|([^)\s]+))")
"""An image reference's destination: `<with spaces.png>` or `plain.png`."""


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
        fonts = tomllib.loads((root / theme).read_text("utf-8")).get("fonts", {})
    except (OSError, ValueError):
        return "no theme"
    families = [value for value in fonts.values() if isinstance(value, str)]
    return hashlib.sha256(identity(families).encode()).hexdigest()


class Fingerprints:
    """Computes job fingerprints for one build, reading each input file once."""

    def __init__(self, root: Path, theme: str, source_locale: str, allow_incomplete: bool,
                 reference_docx: str | None = None):
        self.root = root
        self.source_locale = source_locale
        self.cache: dict[Path, str] = {}
        common = hashlib.sha256()
        for part in (pipeline_digest(), library_digest(), font_digest(root, theme),
                     self.digest(root / "pyproject.toml"),
                     self.digest(root / theme), str(allow_incomplete),
                     self.digest(root / reference_docx) if reference_docx else "-"):
            common.update(part.encode())
        shared = sorted((root / "source" / "_shared").glob("*.md"))
        for path in shared:
            common.update(path.name.encode() + self.digest(path).encode())
        self.common = common.hexdigest()

    def digest(self, path: Path) -> str:
        if path not in self.cache:
            self.cache[path] = _file_digest(path)
        return self.cache[path]

    def source(self, doc_id: str) -> str:
        """The source file and every image it names."""
        path = self.root / "source" / f"{doc_id}.md"
        digest = hashlib.sha256(self.digest(path).encode())
        try:
            refs = sorted({a or b for a, b in IMAGE_REF.findall(path.read_bytes())})
        except OSError:
            refs = []
        for ref in refs:
            try:
                image = (path.parent / unquote(ref.decode("utf-8", "replace"))).resolve()
            except (OSError, RuntimeError, ValueError):
                continue  # a link loop or a NUL byte: the reader reports it, with its line
            digest.update(ref + self.digest(image).encode())
        return digest.hexdigest()

    def job(self, doc_id: str, locale: str, output: str, page_size: str | None) -> str:
        digest = hashlib.sha256()
        digest.update(f"{self.common}|{doc_id}|{locale}|{output}|{page_size}|".encode())
        digest.update(self.source(doc_id).encode())
        for name in outputs.output(output).styles:
            digest.update(self.digest(self.root / "styles" / name).encode())
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


def load_state(out_dir: Path) -> dict:
    """The jobs recorded by the last build in `out_dir` (empty when unreadable)."""
    try:
        data = json.loads((out_dir / STATE_FILE).read_text("utf-8"))
        return data["jobs"] if data.get("version") == 1 else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def dump_state(jobs: dict) -> bytes:
    return (json.dumps({"version": 1, "jobs": jobs}, ensure_ascii=False,
                       indent=1) + "\n").encode()


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

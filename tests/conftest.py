"""Shared fixtures: tiny throw-away projects built from the real styles/ of this repository, and
the one rule for a missing external tool (`require_tool`, `require_file`)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from pipeline.settings import config
from pipeline.read import reader
from pipeline.translate import catalogs, update

REPO = Path(__file__).resolve().parent.parent

# ----------------------------------------------------------------------------- external tools
# A test that needs a program from outside the venv fails when it is missing, never skips:
# `make test` installs every one (the Debian packages in the Makefile's SYSTEM_PACKAGES and
# TEST_SYSTEM_PACKAGES, axe-core through npm), so a skip could only hide a broken set-up.
# tests/test_suite_rules.py checks this table against the Makefile.

TOOL_PACKAGES = {
    "soffice": "libreoffice-writer-nogui",
    "chromium": "chromium",
    "pdftoppm": "poppler-utils",
    "pdftotext": "poppler-utils",
    "msgcat": "gettext",
    "msgmerge": "gettext",
    "msgfmt": "gettext",
    "fc-list": "fontconfig",
    "fc-match": "fontconfig",
    "lou_translate": "liblouis-bin",
    "java": "default-jre-headless",
    "espeak-ng": "espeak-ng",
    "opusenc": "opus-tools",
    "opusdec": "opus-tools",
    "opusinfo": "opus-tools",
}
"""The Debian package that puts each program the tests run on PATH."""


def require_tool(name: str) -> str:
    """The path of program `name`; the calling test fails, naming `make test` and the package
    that installs it, when it is not on PATH."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `make test`, which installs it "
                    f"(Debian package {TOOL_PACKAGES[name]})", pytrace=False)
    return found


def require_file(path: Path, what: str, installed_by: str) -> Path:
    """`path`, which a `make` step fetches (axe-core from npm, say); the calling test fails,
    naming that step, when it is not there."""
    if not path.is_file():
        pytest.fail(f"{what} is missing ({path}): run `make test`, which {installed_by}",
                    pytrace=False)
    return path


PYPROJECT = """\
[tool.plainpress]
organisation = "Test Clinic"
source_locale = "en"
locales = ["en"]
"""

DISCLAIMER = "This sheet is for learning only. It is not medical advice. Ask your own doctor.\n"
CONTACT = "Questions? Call your care team.\n"

SAMPLE = """\
---
title: Sample Topic
summary: A page used by the tests.
reviewed: 2025-08
reviewed_by: Test Review Team
url: https://example.org/sample
---

Intro paragraph with *emphasis*, **strong** and a [web link](https://example.org/more).

## First section

- bullet one
- bullet two

1. step one
2. step two

### A subsection

| Name | Value |
| ---- | ----: |
| alpha | 1 |
| beta | 2 |

![A blue square used as a test picture](images/square.png)

> A quoted line.

::: handout
## What to know

Short words. Short lines.
:::
"""


class Project:
    """A project folder on disk that tests can edit."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, "utf-8")
        return path

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text("utf-8")


def png_bytes(size: int = 16, colour=(20, 60, 160)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A minimal valid project with one sample document (every construct, one image)."""
    root = tmp_path / "proj"
    shutil.copytree(REPO / "styles", root / "styles")
    proj = Project(root)
    proj.write("pyproject.toml", PYPROJECT)
    proj.write("source/_shared/disclaimer.md", DISCLAIMER)
    proj.write("source/_shared/contact.md", CONTACT)
    proj.write("source/sample.md", SAMPLE)
    proj.write("source/images/square.png", png_bytes())
    return proj



def translate_all(project, locale: str, table: dict[str, str] | None = None) -> None:
    """Fill every msgstr of `locale` (from `table`, else a marked copy of the msgid)."""
    cfg = config.load(project.root)
    for path in (project.root / "locales" / locale / "LC_MESSAGES").glob("*.po"):
        catalog = catalogs.read(project.root, path)
        for message in catalog:
            if message.id:
                message.string = (table or {}).get(message.id, f"ES {message.id}"
                                                   if "{" not in message.id else message.id)
                message.flags.discard("fuzzy")
        path.write_bytes(catalogs.serialise(catalog, path.name))
    del cfg


@pytest.fixture
def es_project(project):
    """The sample project with `es` configured and its PO files initialised (untranslated)."""
    text = project.read("pyproject.toml").replace('locales = ["en"]', 'locales = ["en", "es"]')
    project.write("pyproject.toml", text)
    cfg = config.load(project.root)
    docs = [reader.read_document(cfg, "sample")]
    update.extract(cfg, docs)
    update.update(cfg, docs, init="es")
    return project


def cldr_plural_forms(locale: str) -> str:
    """The `nplurals=…; plural=…;` the running Babel's CLDR data gives `locale` (tests never
    copy a literal from one Babel version)."""
    from babel import Locale
    from babel.messages.plurals import get_plural
    return get_plural(Locale.parse(locale)).plural_forms


def set_plural_forms(project, forms: str, locale: str = "es", domain: str = "sample") -> int:
    """Replace the Plural-Forms header field (however msgcat wrapped it); returns its line."""
    path = project.root / f"locales/{locale}/LC_MESSAGES/{domain}.po"
    lines = path.read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith('"Plural-Forms:'))
    end = start
    while not lines[end].endswith('\\n"'):
        end += 1
    lines[start:end + 1] = [f'"Plural-Forms: {forms}\\n"']
    path.write_text("\n".join(lines), "utf-8")
    return start + 1


def make_project(root: Path, pyproject: str = PYPROJECT) -> Project:
    """The sample project (as the `project` fixture) in `root`, with other settings."""
    shutil.copytree(REPO / "styles", root / "styles")
    proj = Project(root)
    proj.write("pyproject.toml", pyproject)
    proj.write("source/_shared/disclaimer.md", DISCLAIMER)
    proj.write("source/_shared/contact.md", CONTACT)
    proj.write("source/sample.md", SAMPLE)
    proj.write("source/images/square.png", png_bytes())
    return proj


@pytest.fixture(scope="session")
def epub_build(tmp_path_factory):
    """(project, build result) of the sample's EPUBs and audio file, built once per session:
    EPUBCheck, Ace and speech synthesis are slow, and every EPUB and audio test reads it."""
    from pipeline.build import Selection, build

    for tool in ("java", "espeak-ng", "opusenc", "chromium"):
        require_tool(tool)
    require_file(REPO / "tools/ace/node_modules/@daisy/ace-cli/bin/ace.js", "DAISY Ace",
                 "runs `npm ci --prefix tools/ace`")
    proj = make_project(tmp_path_factory.mktemp("epub") / "proj")
    return proj, build(proj.root, Selection(formats=("epub", "handout-epub", "audio")), jobs=1)


def published(proj: Project, name: str, locale: str = "en") -> bytes:
    """A file the build published."""
    return (proj.root / "build" / locale / name).read_bytes()

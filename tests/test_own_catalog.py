"""A second clinic's catalog: the wheel installed into a fresh venv outside this repository,
`plainpress init` of a Spanish-source and an English site, both built and their artifacts read.

Why: a clinic had to copy `pipeline/`, `styles/` and `pyproject.toml` out of this repository to
publish its own topics, and the sample organisation leaked into what it would publish. The venv
gets its libraries from `requirements.lock` (hash-checked, the runtime part of it) and the
wheel with --no-deps, as a clinic's machine would; nothing of this checkout is importable there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import require_tool
from pypdf import PdfReader

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
SAMPLE_ORGANISATION = "Progyny"  # the sample site's, which nothing of the product may carry
PIP = ["-m", "pip", "--disable-pip-version-check", "-q"]

SPANISH = """\
---
title: Dolor de rodilla
summary: Qué hacer cuando le duele la rodilla.
reviewed: 2026-03
reviewed_by: "{organisation}"
url: https://clinica.example/rodilla
---

## ¿Qué es?

El dolor de rodilla es común. Suele mejorar con reposo y hielo.

## Qué puede ayudar

- Descanse la pierna.
- Ponga hielo en la rodilla.

:::: handout
## ¿Qué es?

El dolor de rodilla es común. Suele mejorar en pocos días.

::: key-points
- Descanse la pierna.
- Ponga hielo.
:::
::::
"""

ENGLISH = """\
---
title: Knee pain
summary: What to do when your knee hurts.
reviewed: 2026-03
reviewed_by: "{organisation}"
url: https://clinic.example/knee
---

## What is it?

Knee pain is common. It often gets better with rest and ice.

## What can help

- Rest your leg.
- Put ice on your knee.

:::: handout
## What is it?

Knee pain is common. It often gets better in a few days.

::: key-points
- Rest your leg.
- Use ice.
:::
::::
"""

SITES = {  # folder: (organisation, init options, approved disclaimer, contact, document)
    "clinica": ("Clínica del Río", ["--source-locale", "es", "--locale", "en",
                                    "--page-size", "a4"],
                "Esta hoja es para aprender. No es un consejo médico. Hable con su médico.",
                "¿Tiene preguntas? Llame a la Clínica del Río.", SPANISH),
    "riverside": ("Riverside Family Clinic", [],
                  "This sheet is for learning only. It is not medical advice. Ask your doctor.",
                  "Questions? Call Riverside Family Clinic.", ENGLISH),
}


def runtime_lock(target: Path) -> Path:
    """The blocks of `requirements.lock` (pins with their hashes) of the packages the wheel
    needs at run time: its dependencies and theirs, as this environment's metadata says."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    needed, todo = set(), [Requirement(r) for r in metadata.requires("plainpress")]
    while todo:
        requirement = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name in needed:
            continue
        needed.add(name)
        todo += [Requirement(r) for r in metadata.requires(name) or []]
    text = (REPO / "requirements.lock").read_text("utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    kept = [block for block in blocks[1:]
            if canonicalize_name(re.match(r"[A-Za-z0-9._-]+", block).group()) in needed]
    assert len(kept) >= len(needed) - 1, "a runtime dependency is missing from the lock"
    target.write_text("\n".join(kept) + "\n", "utf-8")
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict]:
    """(the fresh venv's `plainpress`, an environment that cannot see this checkout)."""
    where = tmp_path_factory.mktemp("clinic-machine")
    wheels = where / "wheels"
    subprocess.run([sys.executable, *PIP, "wheel", "--no-deps", "--no-build-isolation",
                    "-w", str(wheels), str(REPO)], check=True, cwd=REPO)
    wheel = next(wheels.glob("plainpress-*.whl"))
    venv = where / "venv"
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # pip of this environment installs into the new one (--python), from the lock by hash.
    subprocess.run([sys.executable, *PIP, "--python", str(python), "install",
                    "--require-hashes", "--no-deps", "-r", str(runtime_lock(where / "lock.txt"))],
                   check=True, env=env, cwd=where)
    subprocess.run([sys.executable, *PIP, "--python", str(python), "install", "--no-deps",
                    str(wheel)], check=True, env=env, cwd=where)
    return venv / "bin" / "plainpress", env, wheel


def plainpress(installed, *args, cwd: Path) -> subprocess.CompletedProcess:
    program, env, _ = installed
    return subprocess.run([str(program), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


def test_the_wheel_carries_the_defaults_and_nothing_of_the_sample_site(installed):
    names = zipfile.ZipFile(installed[2]).namelist()
    for name in ("pipeline/defaults/styles/theme.toml",
                 "pipeline/defaults/styles/templates/handout.html.j2",
                 "pipeline/defaults/styles/css/article.css.j2",
                 "pipeline/defaults/styles/templates/new-document.es.md",
                 "pipeline/defaults/locales/ui.pot",
                 "pipeline/defaults/locales/es/LC_MESSAGES/ui.po"):
        assert name in names
    assert not [n for n in names if "azoospermia" in n or n.endswith("shared.po")]
    for name in names:
        if not name.endswith((".pyc", "METADATA")):  # METADATA is the README, which may
            data = zipfile.ZipFile(installed[2]).read(name)  # name the sample (it is one)
            assert SAMPLE_ORGANISATION.encode() not in data, name


@pytest.fixture(scope="module")
def sites(installed, tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """Each site as `plainpress init` writes it, then built once before and once after the
    clinic wrote its approved text: {folder: (site, first build)}."""
    require_tool("msgmerge")  # init starts the ui catalogs with `plainpress i18n update`
    home = tmp_path_factory.mktemp("clinic-sites")
    built = {}
    for folder, (organisation, options, disclaimer, contact, document) in SITES.items():
        done = plainpress(installed, "init", folder, "--organisation", organisation, *options,
                          cwd=home)
        assert done.returncode == 0, done.stderr
        site = home / folder
        first = plainpress(installed, "build", "-C", folder, "-q", cwd=home)
        (site / "source" / "_shared" / "disclaimer.md").write_text(disclaimer + "\n", "utf-8")
        (site / "source" / "_shared" / "contact.md").write_text(contact + "\n", "utf-8")
        (site / "source" / "example-topic.md").unlink()
        (site / "source" / "knee-pain.md").write_text(
            document.format(organisation=organisation), "utf-8")
        source_locale = "es" if "es" in options else "en"
        done = plainpress(installed, "build", "-C", folder, "-q", "--format", "html",
                          "--format", "handout", "--locale", source_locale, "-j", "2",
                          cwd=home)
        assert done.returncode == 0, done.stdout + done.stderr
        built[folder] = (site, first)
    return built


def test_init_writes_a_site_of_its_own(sites):
    site, _ = sites["clinica"]
    config = (site / "plainpress.toml").read_text("utf-8")
    assert 'organisation = "Clínica del Río"' in config and 'source_locale = "es"' in config
    assert 'page_size = "a4"' in config and not (site / "pyproject.toml").exists()
    assert (site / ".gitignore").read_text("utf-8").splitlines()[-1] == "build/"
    assert not (site / "styles").exists()  # the theme and templates come with the package
    assert "Puntos clave" in (site / "locales/es/LC_MESSAGES/ui.po").read_text("utf-8")
    assert (site / "locales/en/LC_MESSAGES/shared.po").is_file()
    assert (site / "README.md").is_file()


def test_the_placeholders_are_errors_with_file_and_line_until_replaced(sites):
    for folder, (site, first) in sites.items():
        assert first.returncode == 2, first.stdout + first.stderr
        for name in ("source/_shared/disclaimer.md:1:", "source/_shared/contact.md:1:",
                     "source/example-topic.md:3:"):
            assert name in first.stderr, (folder, first.stderr)
        assert "Traceback" not in first.stderr


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.parametrize("folder, locale, key_points", [("clinica", "es", "Puntos clave"),
                                                        ("riverside", "en", "Key points")])
def test_the_artifacts_speak_the_source_language_and_credit_the_clinic(
        sites, installed, folder, locale, key_points):
    site, _ = sites[folder]
    organisation = SITES[folder][0]
    out = site / "build" / locale
    handout = out / "knee-pain-handout.pdf"
    text = pdf_text(handout)
    assert key_points in text
    if locale == "es":
        assert "Key points" not in text
    assert PdfReader(handout).metadata.author == organisation
    assert organisation in " ".join(text.split())  # the review stamp and the contact block
    page = (out / "knee-pain.html").read_text("utf-8")
    assert f'<meta name="author" content="{organisation}">' in page
    assert f"{organisation} —" in page or f"{organisation} -" in page  # the stamp
    report = json.loads((site / "build" / "report.json").read_text("utf-8"))
    assert report["organisation"] == organisation
    version = subprocess.run([str(installed[0].parent / "python"), "-c",
                              "import pipeline; print(pipeline.__version__)"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert report["plainpress"] == version
    assert {a["path"] for a in report["artifacts"] if a["published"]} >= {
        f"{locale}/knee-pain.html", f"{locale}/knee-pain-handout.pdf"}
    for path in (site / "build").rglob("*"):
        if path.is_file():
            assert SAMPLE_ORGANISATION.encode() not in path.read_bytes(), path

"""`plainpress init DIR --organisation NAME`: a new site in its own folder, asking nothing.

A site is only what is the clinic's: `plainpress.toml`, `source/` (one example document from
the new-document template of the source language, and the shared disclaimer and contact block
left as `[[…]]` placeholders, which the reader refuses until the clinic writes its approved
text), `locales/` (the `ui` catalogs started from the ones shipped with Plainpress), a README
and a `.gitignore`. The theme, templates and CSS stay in the installed package; a site copies
into `styles/` only the files it wants to change.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.settings import config as config_mod
from pipeline.model import Loc

EXAMPLE_ID = "example-topic"
TITLES = {"en": "Example topic", "es": "Tema de ejemplo", "ar": "موضوع للمثال",
          "zh": "示例主题"}
"""The example document's title in the source language (English for the others)."""
SHARED = {
    "en": {"disclaimer": "[[Write your clinic's approved disclaimer here. It is printed at the "
                         "end of every article, handout and document.]]",
           "contact": "[[Write how patients reach your clinic here: a phone number, an "
                      "address or a web page.]]"},
    "es": {"disclaimer": "[[Escriba aquí el aviso aprobado por su clínica. Se imprime al "
                         "final de cada artículo, hoja informativa y documento.]]",
           "contact": "[[Escriba aquí cómo pueden contactar los pacientes con su clínica: un "
                      "teléfono, una dirección o una página web.]]"},
}
"""The placeholder of each shared block, in the source language (English for the others)."""
GITIGNORE = "# Outputs of `plainpress build`: rebuilt from source/, locales/ and styles/.\nbuild/\n"


def _toml(value: object) -> str:
    """A TOML value: JSON strings and lists of strings are valid TOML."""
    return json.dumps(value, ensure_ascii=False)


def configuration(organisation: str, source_locale: str, locales: list[str],
                  page_size: str) -> str:
    return (
        "# Plainpress site configuration. Every key is described in the Plainpress README\n"
        "# (\"Configuration\"); the theme, templates and CSS come with Plainpress, and a file\n"
        "# of the same name under styles/ overrides one of them.\n"
        f"organisation = {_toml(organisation)}\n"
        f"source_locale = {_toml(source_locale)}\n"
        f"locales = {_toml(locales)}\n"
        f"page_size = {_toml(page_size)}\n")


def readme(organisation: str, source_locale: str, locales: list[str]) -> str:
    targets = [l for l in locales if l != source_locale]
    translate = (f"Translations ({', '.join(targets)}): after writing a document, run "
                 "`plainpress i18n update` and translate the PO files under `locales/`.\n\n"
                 if targets else "")
    return (
        f"# {organisation}: patient-education catalog\n\n"
        "Published with Plainpress. Before the first build, replace every `[[…]]` placeholder "
        "(`plainpress build` names each one with its file and line):\n\n"
        "- `source/_shared/disclaimer.md` and `source/_shared/contact.md`: your approved "
        "text, printed at the end of every output;\n"
        f"- `source/{EXAMPLE_ID}.md`: the example document, written in `{source_locale}`.\n\n"
        "Then:\n\n"
        "    plainpress build        # render, check and publish into build/\n"
        "    plainpress new my-topic # start another document\n\n"
        f"{translate}"
        "Settings are in `plainpress.toml`. To change the look, copy only the file you change "
        "into `styles/` (for example `styles/theme.toml`); every other file comes with "
        "Plainpress, so upgrading Plainpress needs no merge.\n")


def _credit(path: Path, organisation: str) -> None:
    """The example's `reviewed_by` (the review stamp's team) starts as the organisation,
    instead of the template's placeholder team."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.startswith("reviewed_by:"):
            lines[number] = f"reviewed_by: {_toml(organisation)}\n"  # a JSON string is YAML
            break
    path.write_text("".join(lines), "utf-8")


def init(folder: Path, organisation: str, source_locale: str = "en",
         locales: list[str] | None = None, page_size: str = "letter") -> list[Path]:
    """Create the site in `folder` (new or empty); returns the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} already exists and is not an empty folder",
                         hint="give the name of a new folder, e.g. plainpress init my-catalog")
    if not organisation.strip():
        raise UsageError("--organisation is empty",
                         hint='give the clinic\'s name, e.g. --organisation "Riverside Clinic"')
    if page_size not in config_mod.PAGE_SIZES:
        raise UsageError(f"unknown page size `{page_size}`",
                         hint=f"use one of: {', '.join(config_mod.PAGE_SIZES)}")
    every = list(dict.fromkeys([source_locale, *(locales or [])]))
    for code in every:
        try:
            config_mod.check_locale(code, Loc(config_mod.SITE_FILE))
        except config_mod.ConfigError as exc:
            raise UsageError(f"--locale {code}: {exc.message}", hint=exc.hint) from None
    language = source_locale.replace("-", "_").split("_")[0]
    folder.mkdir(parents=True, exist_ok=True)
    written = {folder / config_mod.SITE_FILE: configuration(organisation.strip(), source_locale,
                                                            every, page_size),
               folder / ".gitignore": GITIGNORE,
               folder / "README.md": readme(organisation.strip(), source_locale, every)}
    for name, text in SHARED.get(language, SHARED["en"]).items():
        written[folder / "source" / "_shared" / f"{name}.md"] = text + "\n"
    for path, text in written.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    from pipeline.devtools.scaffold import new_document
    from pipeline.translate import update

    files = list(written)
    example = new_document(folder, EXAMPLE_ID, locale=source_locale,
                           title=TITLES.get(language, TITLES["en"]))
    files.append(example)
    _credit(example, organisation.strip())
    files += update.update(config_mod.load(folder), [])  # ui.pot, shared.pot, the PO files
    return files

"""Where a style file comes from: the site's own `styles/`, else the defaults that ship in the
Plainpress package.

A site overrides only what it has (its `theme.toml`, one template, one CSS file, a reference
DOCX); every other file is the package's. The installed wheel carries the defaults as
`pipeline/defaults/styles` and the shipped `ui` catalogs as `pipeline/defaults/locales`
(see `setup.py`); in a source checkout they are this repository's own `styles/` and `locales/`.
Every reader of a style file (the Jinja loaders, the theme, the fingerprint, `ui` extraction,
the new-document templates) asks here, so that the file hashed is the file used.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def _shipped(name: str) -> Path:
    packaged = _PACKAGE / "defaults" / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


DEFAULT_STYLES = _shipped("styles")
"""The default theme, templates and CSS."""
SHIPPED_LOCALES = _shipped("locales")
"""The `ui` translations that come with Plainpress (`<locale>/LC_MESSAGES/ui.po`)."""


def style_dirs(root: Path) -> list[Path]:
    """The folders a style file is looked up in, the site's first."""
    return list(dict.fromkeys((root / "styles", DEFAULT_STYLES)))


def style_path(root: Path, name: str) -> Path:
    """`styles/<name>` of the site when it has that file, else the package's default (which
    may not exist either: the caller reports a missing file)."""
    site = root / "styles" / name
    return site if site.is_file() else DEFAULT_STYLES / name


def project_file(root: Path, relative: str) -> Path:
    """A configured project-relative path (`theme`, `reference_docx`): a file under `styles/`
    falls back to the default of the same name."""
    parts = Path(relative).parts
    if parts and parts[0] == "styles" and len(parts) > 1:
        return style_path(root, Path(*parts[1:]).as_posix())
    return root / relative


def style_files(root: Path, folder: str, pattern: str) -> dict[str, Path]:
    """Every file matching `pattern` in `styles/<folder>` of the site or the defaults, by
    name (relative to the folder), the site's winning."""
    found: dict[str, Path] = {}
    for base in reversed(style_dirs(root)):
        where = base / folder
        for path in sorted(where.glob(pattern)) if where.is_dir() else ():
            if path.is_file():
                found[path.relative_to(where).as_posix()] = path
    return dict(sorted(found.items()))

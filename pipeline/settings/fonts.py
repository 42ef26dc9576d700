"""The fonts the theme names: install the ones that ship as Python packages, verify all of them.

Atkinson Hyperlegible comes from the `fontpkg-atkinson-hyperlegible` wheel; it is copied into a
fontconfig folder so WeasyPrint (through Pango) and LibreOffice find it by name. The Noto
families come from Debian packages (installed by the Makefile). `python -m pipeline.settings.fonts check`
fails when fontconfig would substitute another family for one the theme names.
"""

from __future__ import annotations

import os
import shutil
from functools import lru_cache
import subprocess
import sys
from pathlib import Path


def font_dir() -> Path:
    """Where our packaged fonts go: system-wide as root, per user otherwise."""
    if os.geteuid() == 0:
        return Path("/usr/local/share/fonts/plainpress")
    return Path.home() / ".local/share/fonts/plainpress"


def install() -> list[Path]:
    """Copy the packaged TTFs into `font_dir()` (only when changed) and refresh fontconfig."""
    import fontpkg_atkinson_hyperlegible as atkinson

    target = font_dir()
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in sorted((atkinson.ROOT / "files").glob("*.ttf")):
        dest = target / source.name
        if not dest.exists() or dest.read_bytes() != source.read_bytes():
            shutil.copyfile(source, dest)
            copied.append(dest)
    if copied:
        subprocess.run(["fc-cache", "-f", str(target)], check=True)
    return copied


def resolves(family: str) -> str:
    """The family fontconfig actually picks for `family`."""
    out = subprocess.run(["fc-match", "-f", "%{family}", family], capture_output=True,
                         text=True, check=True).stdout
    return out.split(",")[0].strip()


@lru_cache(maxsize=None)
def font_file(family: str) -> str | None:
    """The file fontconfig uses for the regular face of `family` (None if substituted)."""
    if resolves(family).lower() != family.lower():
        return None
    return subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True,
                          text=True, check=True).stdout or None


@lru_cache(maxsize=None)
def coverage(family: str) -> frozenset[int]:
    """Code points the family's regular face has glyphs for (read from its cmap)."""
    from fontTools.ttLib import TTCollection, TTFont

    path = font_file(family)
    if path is None:
        return frozenset()
    if path.lower().endswith((".ttc", ".otc")):
        fonts = TTCollection(path, lazy=True).fonts[:1]
    else:
        fonts = [TTFont(path, lazy=True)]
    cmap = fonts[0].getBestCmap() or {}
    return frozenset(cmap)


def identity(families: list[str]) -> str:
    """Which font files the families resolve to, as `path size mtime` lines (every face).

    Why: the outputs embed these files and the glyph gate reads their cmaps; when a system
    package upgrades a font, the fingerprint changes and the artifacts are rebuilt."""
    lines = []
    for family in families:
        try:
            listed = subprocess.run(["fc-list", family, "file"], capture_output=True, text=True,
                                    timeout=30).stdout
        except (OSError, subprocess.TimeoutExpired):
            listed = ""
        for path in sorted(line.rstrip(": ").strip() for line in listed.splitlines() if line):
            try:
                stat = os.stat(path)
                lines.append(f"{family}\t{path}\t{stat.st_size}\t{stat.st_mtime_ns}")
            except OSError:
                lines.append(f"{family}\t{path}\tmissing")
        if not listed:
            lines.append(f"{family}\tnot installed")
    return "\n".join(lines)


def missing(families: list[str]) -> list[str]:
    """Families that fontconfig would replace with something else."""
    return [family for family in families if resolves(family).lower() != family.lower()]


def main(argv: list[str]) -> int:
    if argv[:1] == ["install"]:
        for path in install():
            print(f"installed {path}")
        argv = ["check"]
    if argv[:1] == ["check"]:
        import tomllib
        from pipeline.settings.styles import style_path
        # The theme of the site in the current folder, else the one shipped with Plainpress.
        theme = tomllib.loads(style_path(Path.cwd(), "theme.toml").read_text("utf-8"))
        lost = missing(list(theme["fonts"].values()))
        for family in lost:
            print(f"styles/theme.toml: error: font `{family}` is not installed "
                  f"(fontconfig picks `{resolves(family)}`)", file=sys.stderr)
        return 1 if lost else 0
    print("usage: python -m pipeline.settings.fonts install|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

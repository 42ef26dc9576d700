"""The fonts the theme names: install the ones that ship as Python packages, verify all of them.

Atkinson Hyperlegible comes from the `fontpkg-atkinson-hyperlegible` wheel; it is copied into a
fontconfig folder so WeasyPrint (through Pango) and LibreOffice find it by name. The Noto
families come from Debian packages (installed by the Makefile). `python -m pipeline.fonts check`
fails when fontconfig would substitute another family for one the theme names.
"""

from __future__ import annotations

import os
import shutil
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
        theme = tomllib.loads(Path("styles/theme.toml").read_text("utf-8"))
        lost = missing(list(theme["fonts"].values()))
        for family in lost:
            print(f"styles/theme.toml: error: font `{family}` is not installed "
                  f"(fontconfig picks `{resolves(family)}`)", file=sys.stderr)
        return 1 if lost else 0
    print("usage: python -m pipeline.fonts install|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

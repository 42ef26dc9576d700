"""Packaging beyond what pyproject.toml can say: the default styles and the shipped `ui`
catalogs go into the wheel as package data (`pipeline/defaults/styles`,
`pipeline/defaults/locales`), mapped from this repository's top-level `styles/` and `locales/`,
which stay where they are because this repository is also the sample site. Only the `ui`
catalogs ship: the sample site's document translations are not Plainpress's.

setuptools builds in `.build-wheel/`, not `build/`, which is the sample site's output folder;
that scratch folder is emptied first, so that a module deleted from `pipeline/` is never
shipped from an earlier build's copy.
"""

import shutil
from pathlib import Path

from setuptools import find_packages, setup

SHIPPED = {"styles": ["theme.toml", "css/*", "templates/*"],
           "locales": ["ui.pot", "*/LC_MESSAGES/ui.po"]}


def data_packages() -> dict[str, tuple[str, list[str]]]:
    """`pipeline.defaults.<folder>…` → (the folder, its files), one per folder that holds a
    shipped file, so that setuptools sees each as a package of data."""
    found: dict[str, tuple[str, list[str]]] = {}
    for top, patterns in SHIPPED.items():
        for pattern in patterns:
            for path in sorted(Path(top).glob(pattern)):
                name = ".".join(("pipeline", "defaults", *path.parent.parts))
                found.setdefault(name, (path.parent.as_posix(), []))[1].append(path.name)
    return found


BUILD = Path(__file__).resolve().parent / ".build-wheel"
shutil.rmtree(BUILD, ignore_errors=True)
DATA = data_packages()
setup(
    packages=[*find_packages(include=["pipeline", "pipeline.*"]), *DATA],
    package_dir={name: folder for name, (folder, _) in DATA.items()},
    package_data={**{name: files for name, (_, files) in DATA.items()},
                  "pipeline.gates": ["EpubCheckBatch.java"]},  # EPUBCheck, one JVM per worker
    options={"build": {"build_base": str(BUILD)}},
)

"""What `make` installs is what `requirements.lock` says, package for package.

Why: a fresh `make` once resolved a newer Babel than the one the catalogs were written with and
withheld two locales. The lock pins every package (direct and transitive, with hashes); this test
fails when the running environment has drifted from it (a package installed by hand, a lock not
re-installed after `make lock`). `make test-latest` runs the suite on purpose with newer versions,
so there the comparison is not made.
"""

from __future__ import annotations

import os
import re
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def locked() -> dict[str, tuple[str, bool]]:
    """name → (version, applies to this interpreter and platform)."""
    pins = {}
    for line in LOCK.read_text("utf-8").splitlines():
        match = PIN.match(line)
        if match:
            name, version, marker = match.groups()
            pins[canonicalize_name(name)] = (version, Marker(marker).evaluate() if marker else True)
    return pins


def test_every_pin_has_hashes():
    text = LOCK.read_text("utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 1)[1])
    pinned = [b for b in blocks if PIN.match(b.splitlines()[0])]
    assert len(pinned) == len(locked()) > 20
    assert all("--hash=sha256:" in block for block in pinned)


def test_installed_packages_are_the_locked_ones():
    if os.environ.get("PLAINPRESS_TEST_LATEST"):
        pytest.skip("make test-latest runs the suite on newer versions than the lock on purpose")
    pins = locked()
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    installed.pop("plainpress", None)
    drift = sorted(f"{name} {version} (lock: {pins[name][0] if name in pins else 'absent'})"
                   for name, version in installed.items()
                   if name not in pins or Version(pins[name][0]) != Version(version))
    missing = sorted(name for name, (version, applies) in pins.items()
                     if applies and name not in installed)
    assert not drift, f"installed but not as locked: {drift}; run `make` (or `make lock`)"
    assert not missing, f"locked but not installed: {missing}; run `make`"


def test_the_lock_covers_every_extra():
    """Runtime, test, bench and dev packages all come from the lock (nothing by hand)."""
    import tomllib
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted += extra
    names = {canonicalize_name(re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0]) for spec in wanted}
    assert names <= set(locked()), sorted(names - set(locked()))

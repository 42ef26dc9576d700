"""Rules for the test suite itself, so that a test cannot pass without checking.

A missing external tool is a failure that names `make test`, never a skip; `make test` installs
every tool the table in conftest.py names; no test imports anything through `importorskip`; the
few skips left are for what no `make` target can provide; the heavy tests carry the `slow`
marker, so that `pytest -m "not slow"` is a quick loop.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import conftest
from conftest import REPO, TOOL_PACKAGES, require_file, require_tool

TESTS = REPO / "tests"


def makefile_list(name: str) -> set[str]:
    """The words of a `NAME := …` variable of the Makefile (with its continuation lines)."""
    text = (REPO / "Makefile").read_text("utf-8").replace("\\\n", " ")
    match = re.search(rf"^{name}\s*:=(.*)$", text, re.M)
    assert match, f"Makefile has no {name}"
    return set(match.group(1).split("#")[0].split())


def test_make_test_installs_every_tool_the_tests_need():
    setup, extra = makefile_list("SYSTEM_PACKAGES"), makefile_list("TEST_SYSTEM_PACKAGES")
    missing = {tool: package for tool, package in TOOL_PACKAGES.items()
               if package not in setup | extra}
    assert not missing, f"tools whose package no make target installs: {missing}"
    text = (REPO / "Makefile").read_text("utf-8")
    prerequisites = re.search(r"^test:(.*)$", text, re.M).group(1).split()
    assert {"setup", "$(VENV)/.system-test", "$(AXE)"} <= set(prerequisites), prerequisites


def test_a_missing_tool_fails_the_test_and_names_make_test(monkeypatch):
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception) as failed:
        require_tool("soffice")
    assert str(failed.value) == ("soffice is not installed: run `make test`, which installs it "
                                 "(Debian package libreoffice-writer-nogui)")


def test_a_missing_fetched_file_fails_the_test_and_names_make_test(tmp_path):
    with pytest.raises(pytest.fail.Exception) as failed:
        require_file(tmp_path / "axe.min.js", "axe-core", "runs `npm ci --prefix tests/browser`")
    assert str(failed.value).startswith("axe-core is missing (")
    assert str(failed.value).endswith("run `make test`, which runs `npm ci --prefix tests/browser`")


def test_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "node_modules" not in p.parts
                  and p.name != Path(__file__).name)


test_files.__test__ = False  # a helper, not a test


# Each skip that is left, and why no `make` target can stand in for it.
ALLOWED_SKIPS = {
    # `make test-latest` runs the suite on newer versions than the lock on purpose.
    "test_lock.py": 1,
    # A read-only bind mount as root: a container without the right to mount cannot have one
    # (without root the file modes are used, and nothing is skipped).
    "test_catalogue.py": 1,
    # A 1 MB tmpfs to fill: mounting it needs root.
    "test_data_safety.py": 1,
}


def test_no_test_can_vanish_through_a_skip():
    importorskip = "importor" + "skip("
    skips = re.compile(r"pytest\.skip\(|mark\.skip(if)?\b|\bxfail\b")
    found_import, found_skips = [], {}
    for path in test_files():
        text = path.read_text("utf-8")
        if importorskip in text:
            found_import.append(path.relative_to(REPO).as_posix())
        count = len(skips.findall(text))
        if count:
            found_skips[path.name] = count
    assert not found_import, f"importorskip turns an import error into a skip: {found_import}"
    assert found_skips == ALLOWED_SKIPS, (
        "a skip hides a test; a missing tool is `require_tool` (tests/conftest.py)")


HEAVY = {"soffice": "starts LibreOffice", "Browser(": "starts Chromium",
         "signal.SIGKILL": "kills a build", "@given(": "fuzzes"}


def _is_slow(decorators: list[ast.expr]) -> bool:
    return any("mark.slow" in ast.unparse(d) for d in decorators)


def test_heavy_tests_are_marked_slow():
    """A test that starts LibreOffice or Chromium, kills a build or fuzzes is left out of
    `pytest -m "not slow"` (its module's `pytestmark`, or its own decorator)."""
    unmarked = []
    for path in test_files():
        lines = path.read_text("utf-8").split("\n")
        tree = ast.parse("\n".join(lines))
        text = lambda node: "\n".join(lines[node.lineno - 1:node.end_lineno])  # noqa: E731
        module_slow = any(isinstance(node, ast.Assign) and any(
            getattr(t, "id", "") == "pytestmark" for t in node.targets)
            and "mark.slow" in ast.unparse(node.value) for node in tree.body)
        helpers = {node.name: text(node) for node in tree.body
                   if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
        for node in tree.body:
            if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")):
                continue
            body = text(node)
            used = [helpers[n.id] for n in ast.walk(node) if isinstance(n, ast.Name)
                    and n.id in helpers] + [helpers.get(a.arg, "") for a in node.args.args]
            code = "\n".join([body, *("@" + ast.unparse(d) for d in node.decorator_list), *used])
            why = [what for marker, what in HEAVY.items() if marker in code]
            if why and not (module_slow or _is_slow(node.decorator_list)):
                unmarked.append(f"{path.relative_to(REPO)}::{node.name} ({', '.join(why)})")
    assert not unmarked, "heavy tests without @pytest.mark.slow:\n" + "\n".join(unmarked)

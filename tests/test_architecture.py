"""The shape of the house: the import layers hold, the README's module map is the tree, and
output kinds are named in one table only.

Why tests: a stage that imports a later one, or a cycle hidden in a function-level import, is
how a pipeline stops reading as a flow; the import-linter contract in pyproject.toml catches it
(it reads function-level imports too). The module map is what a newcomer reads first.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from pipeline import outputs

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "pipeline"


def test_the_import_contracts_are_kept():
    lint = Path(sys.executable).parent / "lint-imports"
    assert lint.is_file(), "import-linter is a test dependency: run `make test`"
    done = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_readme_module_map_is_the_tree():
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## How it is built", 1)[1].split("\n## ", 1)[0]
    mapped = set(re.findall(r"^\| `pipeline/([\w/.]+?)/?` \|", section, re.M))
    tree = {p.name for p in PACKAGE.iterdir()
            if (p.is_dir() and (p / "__init__.py").is_file())
            or (p.suffix == ".py" and p.name != "__init__.py")}
    assert mapped == tree, (f"in the tree, not in the README: {sorted(tree - mapped)}; "
                            f"in the README, not in the tree: {sorted(mapped - tree)}")


def test_output_kinds_are_named_in_the_output_table_only():
    """No module of the pipeline spells an output kind that has a dash or is only an output
    (`handout-large`): everything about an output comes from `pipeline.outputs`."""
    spelled = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "outputs.py" or "devtools" in path.parts:
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if re.search(r"[\"']handout-large[\"']", line):
                spelled.append(f"{path.relative_to(REPO)}:{number}")
    assert spelled == []


def test_every_row_names_a_renderer_and_gates_that_exist():
    import importlib

    from pipeline.gates import GATES
    for row in outputs.OUTPUTS:
        module, _, function = row.renderer.partition(":")
        assert callable(getattr(importlib.import_module(f"pipeline.render.{module}"), function))
        assert set(row.gates) <= set(GATES), row.kind
        for name in row.styles:
            assert (REPO / "styles" / name).is_file(), (row.kind, name)
    for module in GATES.values():
        assert callable(importlib.import_module(f"pipeline.gates.{module}").check)

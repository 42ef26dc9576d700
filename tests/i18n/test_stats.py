"""`plainpress i18n stats`: the table, and an exit status of its own below `--min-percent`.

A locale still waiting for its translators is not a failed gate (exit 1) nor bad input (exit
2): a CI job that runs `i18n stats --min-percent 90` must be able to tell the three apart.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO, translate_all

from pipeline.cli import main
from pipeline.errors import EXIT_BAD_INPUT, EXIT_BELOW_TARGET, EXIT_GATE_FAILED, EXIT_OK


def stats(project, capsys, *args) -> tuple[int, str, str]:
    code = main(["-C", str(project.root), "i18n", "stats", *args])
    out, err = capsys.readouterr()
    return code, out, err


def table_rows(out: str) -> dict[tuple[str, str], list[str]]:
    rows = {}
    for line in out.splitlines()[2:]:
        locale, domain, *numbers = line.split()
        rows[locale, domain] = numbers
    return rows


def test_below_the_minimum_has_its_own_exit_status(es_project, capsys):
    code, out, err = stats(es_project, capsys)
    assert code == EXIT_BELOW_TARGET == 3
    assert EXIT_BELOW_TARGET not in (EXIT_OK, EXIT_GATE_FAILED, EXIT_BAD_INPUT)
    rows = table_rows(out)
    assert set(rows) == {("es", "sample"), ("es", "shared"), ("es", "ui")}
    assert rows["es", "sample"][0] == "0" and rows["es", "sample"][-1] == "0.0"
    assert "es/sample: 0.0% translated, below 100%" in err.splitlines()


def test_a_complete_locale_or_a_lower_minimum_exits_0(es_project, capsys):
    assert stats(es_project, capsys, "--min-percent", "0")[0] == EXIT_OK
    translate_all(es_project, "es")
    code, out, err = stats(es_project, capsys)
    assert (code, err) == (EXIT_OK, "")
    assert all(numbers[-1] == "100.0" for numbers in table_rows(out).values())


def test_the_exit_status_reaches_the_shell(es_project):
    """Through the real entry point, as a CI script sees it."""
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "-C", str(es_project.root),
                           "i18n", "stats", "--min-percent", "50"], capture_output=True,
                          text=True, cwd=REPO)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "below 50%" in done.stderr and "Traceback" not in done.stderr


def test_help_and_epilog_name_the_status(capsys):
    from pipeline.cli import make_parser

    parser = make_parser()
    assert "3 i18n stats: a locale below --min-percent" in " ".join(parser.format_help().split())
    i18n = next(a for a in parser._subparsers._group_actions[0].choices.values()
                if a.prog.endswith(" i18n"))
    stats_parser = i18n._subparsers._group_actions[0].choices["stats"]
    assert "exit 3 when a locale is below this" in " ".join(stats_parser.format_help().split())

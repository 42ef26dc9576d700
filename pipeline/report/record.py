"""Results → `build/report.json` (the machine-readable record of a build).

Schema (version 1):
  {"version": 1, "plainpress": str (the version that built it, `pipeline.__version__`),
   "project": str (folder name), "organisation": str, "selection": {...},
   "run": {"artifacts", "built", "reused", "withheld"} (what this run did),
   "artifacts": [{"path", "document", "locale", "output", "published", "size", "pages",
                  "sha256", "page_size" (the edition's, null for HTML), "withheld_because"}],
   "checks": [{"check", "document", "locale", "output", "severity", "passed", "message",
               "location", "hint", "metrics"}],
   "skipped": [{"document", "locale", "output", "path", "reason"}],
   "removed": [path of an artifact withdrawn because its document or locale is gone],
   "translation": {locale: {"translated", "fuzzy", "untranslated", "obsolete", "percent"}},
   "summary": {"published", "withheld", "errors", "warnings"}}
`artifacts`, `checks`, `skipped` and `summary` describe the whole build folder: a partial build
(`--doc`, `--locale`, `--format`) updates the rows it built and keeps every other artifact's last
recorded state. No timestamps: the same inputs give the same report.
"""

from __future__ import annotations

import json

from pipeline import __version__


def to_json(project: str, selection: dict, outcomes: list, checks: list,
            skipped: list | None = None, removed: list | None = None,
            translation: dict | None = None, *, organisation: str = "",
            run: dict | None = None) -> bytes:
    """Serialise the outcomes and check results of every artifact `build/` knows of; `run`
    says what this run itself did."""
    artifacts = [outcome.record() for outcome in outcomes]
    failed = [c for c in checks if not c.passed]
    data = {
        "version": 1,
        "plainpress": __version__,  # which Plainpress built it: a site's record across upgrades
        "project": project,
        "organisation": organisation,
        "selection": selection,
        "run": run or {},
        "artifacts": artifacts,
        "checks": [check.record() for check in checks],
        "skipped": skipped or [],
        "removed": removed or [],
        "translation": translation or {},
        "summary": {
            "published": sum(1 for a in artifacts if a["published"]),
            "withheld": sum(1 for a in artifacts if not a["published"]),
            "errors": sum(1 for c in failed if c.severity == "error"),
            "warnings": sum(1 for c in failed if c.severity == "warning"),
        },
    }
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()

"""Gates: each reads a rendered artifact (and the model) and yields `CheckResult`s.

The registry is a plain literal: which gates run on which output. `run.gate` dispatches.
"""

from __future__ import annotations

GATES_BY_OUTPUT: dict[str, tuple[str, ...]] = {
    "html": ("required-text", "text-fidelity"),
    "pdf": ("required-text", "text-fidelity", "pdf-ua", "reading-level"),
    "docx": ("required-text", "text-fidelity", "docx-a11y", "reading-level"),
    "handout": ("required-text", "text-fidelity", "pdf-ua", "page-budget", "min-text-size",
                "reading-level", "jargon"),
    "handout-large": ("required-text", "text-fidelity", "pdf-ua", "page-budget",
                      "min-text-size", "reading-level"),
}

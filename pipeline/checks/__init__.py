"""Gates: each reads a rendered artifact (and the model) and yields `CheckResult`s.

The registry is a plain literal: which gates run on which output.
"""

from __future__ import annotations

GATES_BY_OUTPUT: dict[str, tuple[str, ...]] = {
    "html": ("required-text",),
    "pdf": ("required-text", "pdf-ua"),
}

"""Renderers: (localized Document, RenderContext, labels, output row) → bytes.

Each output row of `pipeline.outputs` names its renderer (`module:function` in this package);
every renderer has that one signature, writes no file and reads no clock. `Renderers` keeps
what is costly to make (compiled templates, WeasyPrint's font set-up) for one process and hands
each job to its row's renderer.
"""

from __future__ import annotations

import importlib

from pipeline.model import Document
from pipeline.outputs import Output
from pipeline.settings.labels import Labels

SCREEN = "auto"
"""The `@page` size of outputs that are not paged (the HTML page): the reader's own paper."""


class Renderers:
    """One process's rendering state: a RenderContext per page size, one PDF renderer."""

    def __init__(self, config, theme):
        self.config, self.theme = config, theme
        self.contexts: dict = {}
        self.pdf = None

    def context(self, page_size: str | None):
        """The RenderContext for a page-size edition (None: a page without paper size)."""
        from pipeline.render.context import RenderContext
        from pipeline.render.pdf import PdfRenderer

        size = page_size or SCREEN
        if size not in self.contexts:
            ctx = RenderContext(self.config, self.theme, size)
            # WeasyPrint's set-up depends on the project, not the paper: editions share it.
            self.pdf = self.pdf or PdfRenderer(ctx)
            ctx.pdf = self.pdf
            self.contexts[size] = ctx
        return self.contexts[size]

    def render(self, doc: Document, row: Output, labels: Labels, page_size: str | None) -> bytes:
        return render(doc, self.context(page_size), labels, row)


def render(doc: Document, ctx, labels: Labels, row: Output) -> bytes:
    """The bytes of `row`'s output of `doc`, by the renderer its row names."""
    module, _, function = row.renderer.partition(":")
    return getattr(importlib.import_module(f"pipeline.render.{module}"), function)(
        doc, ctx, labels, row)

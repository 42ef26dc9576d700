"""Renderers: (localized Document, RenderContext) → bytes. No file writes, no clock."""

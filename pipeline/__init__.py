"""Plainpress: one canonical source per topic to accessible PDF, DOCX, HTML and handouts.

The data flows source → model → localized model → renderers → artifacts → checks → report.
Importing this package does no work: renderers import their heavy libraries when first used.
"""

__version__ = "0.1.0"

"""Translation: extract messages from the model, merge catalogs, translate the model, check it.

Catalogs are gettext PO files, one domain per document plus `shared` (the snippets) and `ui`
(labels the templates print). Babel does the catalog work; GNU `msgcat` lays the files out
exactly as the translators' own tools do.
"""

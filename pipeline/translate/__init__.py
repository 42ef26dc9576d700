"""Translation: extract messages from the model, merge catalogs, translate the model, check it.

Catalogs are gettext PO files, one domain per document plus `shared` (the snippets) and `ui`
(labels the templates print). Babel reads catalogs and writes templates; GNU `msgmerge`
merges templates into PO files and `msgcat` lays files out, exactly as the translators' own
tools do.
"""

"""Escaping for the XML documents of an EPUB (XHTML, package, navigation, SMIL).

Every string from a source or a catalog passes through `text` or `attr`: markup characters
become entities, and characters XML 1.0 cannot hold at all are dropped (the reader and the
translation QA refuse them already; this keeps a file well-formed whatever reaches it).
"""

from __future__ import annotations

import re

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"


def text(value: str) -> str:
    return (_NOT_XML.sub("", value).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def attr(value: str) -> str:
    return text(value).replace('"', "&quot;")


def xhtml_page(lang: str, dir_: str, title: str, body: str, stylesheet: str = "style.css"
               ) -> str:
    """An XHTML content document (the HTML syntax's rules, in XML)."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="{XHTML_NS}" xmlns:epub="{OPS_NS}" lang="{attr(lang)}" '
            f'xml:lang="{attr(lang)}" dir="{dir_}">\n<head>\n<meta charset="utf-8"/>\n'
            f'<title>{text(title)}</title>\n'
            f'<link rel="stylesheet" type="text/css" href="{stylesheet}"/>\n</head>\n'
            f'{body}\n</html>\n')

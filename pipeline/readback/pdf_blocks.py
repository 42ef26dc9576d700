"""The text of a tagged PDF, block by block, read through its structure tree.

Reading-level and fidelity gates need the text a reader actually gets, with block boundaries
(a heading is not the first words of the next paragraph). pypdf extracts the text of each
marked-content sequence (MCID) per page; the structure tree, walked from its root, says which
sequences make up each paragraph, heading, list item, table cell and caption, in reading order.
Artifacts (running footers, page numbers) are never part of the tree, so they never show up.
"""

from __future__ import annotations

import io
from collections import defaultdict
from functools import lru_cache
from dataclasses import dataclass

BLOCK_TYPES = {"P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "TH", "TD", "Caption", "LBody"}


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One block of the rendered document."""

    kind: str
    """Structure type: P, H1…H6, LBody (a list item's text), TH, TD, Caption."""
    text: str
    page: int
    """1-based page where the block starts."""


def mcid_texts(data: bytes) -> dict[tuple[int, int], str]:
    """(page index, MCID) → the text painted inside that marked-content sequence."""
    return extract(data)[1]


@lru_cache(maxsize=4)
def extract(data: bytes) -> tuple[str, dict[tuple[int, int], str]]:
    """One pass of pypdf over the pages: the whole text layer, and the text of each MCID.
    Cached on the bytes, so the gates of one artifact share a single extraction."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    found: dict[tuple[int, int], str] = defaultdict(str)
    pages: list[str] = []
    for index, page in enumerate(reader.pages):
        stack: list[int | None] = []

        def before(operator, args, cm, tm, stack=stack):
            if operator == b"BDC":
                props = args[1] if len(args) > 1 else None
                stack.append(props.get("/MCID") if hasattr(props, "get") else None)
            elif operator == b"BMC":
                stack.append(None)
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(chunk, cm, tm, font, size, stack=stack, index=index):
            current = next((m for m in reversed(stack) if m is not None), None)
            if current is not None and chunk:
                found[(index, int(current))] += chunk

        pages.append(page.extract_text(visitor_operand_before=before, visitor_text=text) or "")
    return "\n".join(pages), dict(found)


@lru_cache(maxsize=4)
def blocks(data: bytes) -> tuple[TextBlock, ...]:
    """Every text block reachable from the structure root, in reading order."""
    import pikepdf

    texts = mcid_texts(data)
    out: list[TextBlock] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return tuple(out)

        def content(node, page, skip_lists: bool) -> tuple[str, int | None]:
            """Text under `node` and its first page (nested lists left out when asked)."""
            if isinstance(node, int):
                return texts.get((page, node), ""), page
            if isinstance(node, pikepdf.Array):
                parts, first = [], None
                for kid in node:
                    text, at = content(kid, page, skip_lists)
                    parts.append(text)
                    first = first if first is not None else (at if text else None)
                return "".join(parts), first
            if isinstance(node, pikepdf.Dictionary):
                if "/Pg" in node and node.Pg.objgen in pages:
                    page = pages[node.Pg.objgen]
                if node.get("/Type") == "/MCR":
                    return texts.get((page, int(node.MCID)), ""), page
                if skip_lists and node.get("/S") == "/L":
                    return "", None
                if "/K" in node:
                    return content(node.K, page, skip_lists)
            return "", None

        def walk(node, page):
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid, page)
                return
            if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
                return
            if "/Pg" in node and node.Pg.objgen in pages:
                page = pages[node.Pg.objgen]
            kind = str(node.S)[1:]
            if kind in BLOCK_TYPES:
                text, first = content(node.get("/K", pikepdf.Array()), page, kind == "LBody")
                if text.strip():
                    out.append(TextBlock(kind, " ".join(text.split()), (first or page) + 1))
                if kind == "LBody":  # nested lists are blocks of their own
                    walk_lists(node.get("/K", pikepdf.Array()), page)
                return
            if "/K" in node:
                walk(node.K, page)

        def walk_lists(node, page):
            kids = node if isinstance(node, pikepdf.Array) else [node]
            for kid in kids:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == "/L":
                    walk(kid, page)
                elif isinstance(kid, pikepdf.Dictionary) and "/K" in kid:
                    walk_lists(kid.K, page)

        walk(root.get("/K", pikepdf.Array()), 0)
    return tuple(out)


@lru_cache(maxsize=4)
def page_count(data: bytes) -> int:
    """Pages of a PDF (cached on the bytes: the page-budget gate and the report both ask)."""
    import pikepdf

    from pipeline.readback.text import ArtifactUnreadable
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except pikepdf.PdfError as exc:
        raise ArtifactUnreadable(f"the PDF cannot be read: {exc}") from exc

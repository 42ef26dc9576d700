"""One walk over the model, used by every stage that visits blocks or inlines.

Why: the reader, the gates, the translation units and the build's fingerprint each need "every
block in reading order" or "this tree with some blocks replaced". Written by hand six times,
the copies drifted (one forgot block quotes, another list items), and the fingerprint guessed
the images with a regex that missed reference-style ones. Here the shape of the tree is known
in one place, as pandoc-types' `Walk` does it for pandoc:

- `blocks(tree)` yields every block and list item, a container before what it holds (reading
  order); `into` says which containers to enter, for the walks that stop at lists or quotes;
- `query(tree, fn)` collects what `fn` returns for each of them, in that order;
- `inlines(tree)` yields every inline, an emphasis or link before its children;
- `walk(tree, fn)` returns a new tree (frozen dataclasses, `dataclasses.replace`): `fn` sees
  each node before its children and returns its replacement, or None to keep it and go on into
  its children. Unlike pandoc's bottom-up walk, a replacement takes charge of its own subtree,
  so a step that depends on where a block sits (a paragraph directly in a list item is a "list
  item" unit) is written at the parent, and `fn` still runs once per node, in reading order.

A tree is a `Document` (body, handout, contact, disclaimer: every block it holds), a `Snippet`,
one block or list item, or a sequence of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TypeVar, Union, overload

from pipeline.model import (Block, BlockQuote, BulletList, Cell, Code, Document, Emph, Figure,
                            Heading, Inline, KeyPoints, LineBreak, Link, ListItem, OrderedList,
                            Paragraph, Snippet, Strong, Table, Text)

Node = Union[Block, ListItem]
"""What `blocks` yields: a block, or one item of a list."""
Tree = Union[Document, Snippet, Node, Iterable[Node]]
T = TypeVar("T")

LISTS = (BulletList, OrderedList)
CONTAINERS = (ListItem, BlockQuote, KeyPoints)
"""Nodes that hold blocks (`.blocks`); a list holds items (`.items`)."""
NODES = (Heading, Paragraph, *LISTS, Table, Figure, *CONTAINERS)
INLINES = (Text, Code, Emph, Strong, Link, LineBreak)
NESTING = (Emph, Strong, Link)
"""Inlines that hold inlines (`.children`)."""


def children(node: Node) -> tuple[Node, ...]:
    """The nodes directly inside `node`: a list's items, a container's blocks; () for a leaf."""
    if isinstance(node, LISTS):
        return node.items
    if isinstance(node, CONTAINERS):
        return node.blocks
    return ()


def _roots(tree: Tree) -> Iterable[Node]:
    if isinstance(tree, Document):
        return tree.body + tree.handout + tree.contact.blocks + tree.disclaimer.blocks
    if isinstance(tree, Snippet):
        return tree.blocks
    return (tree,) if isinstance(tree, NODES) else tree


def blocks(tree: Tree, into: Callable[[Node], bool] | None = None) -> Iterator[Node]:
    """Every block and list item of `tree` in reading order, each container before what it
    holds. A node for which `into` is false is yielded but not entered."""
    for node in _roots(tree):
        yield node
        if into is None or into(node):
            yield from blocks(children(node), into)


def query(tree: Tree, fn: Callable[[Node], Iterable[T] | None],
          into: Callable[[Node], bool] | None = None) -> list[T]:
    """What `fn` returns for every node of `blocks(tree, into)` (None for nothing), joined in
    reading order: pandoc's `query` with lists for the monoid."""
    return [found for node in blocks(tree, into) for found in (fn(node) or ())]


def inlines(tree: Tree | Cell | Inline | Iterable[Inline]) -> Iterator[Inline]:
    """Every inline of `tree` in reading order, an emphasis or link before its children: the
    inlines of headings, paragraphs and table cells (header first), or of the inlines given."""
    items = (tree,) if isinstance(tree, (*INLINES, Cell, Document, Snippet)) else _roots(tree)
    for item in items:
        if isinstance(item, INLINES):
            yield item
            if isinstance(item, NESTING):
                yield from inlines(item.children)
        elif isinstance(item, Cell):
            yield from inlines(item.inlines)
        else:
            for node in blocks(item):
                if isinstance(node, (Heading, Paragraph)):
                    yield from inlines(node.inlines)
                elif isinstance(node, Table):
                    for cell in node.header + tuple(c for row in node.rows for c in row):
                        yield from inlines(cell.inlines)


N = TypeVar("N", Document, Snippet)


@overload
def walk(tree: N, fn: Callable[[Node], Node | None]) -> N: ...
@overload
def walk(tree: Node, fn: Callable[[Node], Node | None]) -> Node: ...
@overload
def walk(tree: Iterable[Node], fn: Callable[[Node], Node | None]) -> tuple[Node, ...]: ...


def walk(tree, fn):
    """`tree` with each node replaced by `fn(node)`; where `fn` returns None the node is kept
    and its children are walked. A Document's meta is left as it is."""
    if isinstance(tree, Document):
        return replace(tree, body=walk(tree.body, fn), handout=walk(tree.handout, fn),
                       contact=walk(tree.contact, fn), disclaimer=walk(tree.disclaimer, fn))
    if isinstance(tree, Snippet):
        return replace(tree, blocks=walk(tree.blocks, fn))
    if isinstance(tree, NODES):
        new = fn(tree)
        if new is not None:
            return new
        if isinstance(tree, LISTS):
            return replace(tree, items=walk(tree.items, fn))
        if isinstance(tree, CONTAINERS):
            return replace(tree, blocks=walk(tree.blocks, fn))
        return tree
    return tuple(walk(node, fn) for node in tree)

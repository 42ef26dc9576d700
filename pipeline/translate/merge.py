"""Merging a template into a PO file with GNU `msgmerge --previous`.

The reference tool, the one Poedit, Weblate and Lokalize follow: translations kept, changed
messages marked fuzzy with their previous msgid (`#|`) for any message length, previous msgids
of still-fuzzy entries kept on the next run, removed messages kept as obsolete (`#~`), and the
file laid out exactly as `msgcat` lays it out. The template is handed over as bytes (it is
written only once every catalog of the run merged), in a temporary file whose name never shows
in an error: every message of gettext names the project's own files.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import PlainpressError, SourceError
from pipeline.model import Loc
from pipeline.translate import catalogs


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise PlainpressError(f"GNU gettext's `{name}` is not installed",
                              hint="run `make` (it installs the gettext package) or "
                                   "`apt-get install gettext`")
    return found


def merge(root: Path, definitions: Path | bytes, template: bytes, template_name: str,
          shown: str | None = None) -> bytes:
    """The PO file `definitions` (a file, or the bytes of a new one) merged with `template`.

    `template_name` is how the template is named in errors (`locales/<domain>.pot`); `shown`
    names a new PO file given as bytes."""
    with tempfile.TemporaryDirectory(prefix="plainpress-merge-") as folder:
        pot = Path(folder) / "template.pot"
        pot.write_bytes(template)
        names = {str(pot): template_name}
        if isinstance(definitions, bytes):
            po = Path(folder) / "new.po"
            po.write_bytes(definitions)
            names[str(po)] = shown or "the new PO file"
            po_arg = str(po)
        else:
            po_arg = catalogs.shown(root, definitions)
        proc = subprocess.run([_tool("msgmerge"), "--quiet", "--previous", "--output-file=-",
                               po_arg, str(pot)], capture_output=True, cwd=root)
    if proc.returncode != 0:
        raise _error(proc.stderr.decode("utf-8", "replace"), names, po_arg)
    return proc.stdout


def _error(stderr: str, names: dict[str, str], po_arg: str) -> PlainpressError:
    """gettext's complaint, with temporary names replaced by the files they stand for."""
    for temporary, name in names.items():
        stderr = stderr.replace(temporary, name)
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    lines = [line.removeprefix("msgmerge: ") for line in lines]
    where = names.get(po_arg, po_arg)
    first = lines[0] if lines else "msgmerge failed"
    # gettext writes `file:line: message` (or `file:line:column: message`).
    head, _, rest = first.partition(": ")
    parts = head.split(":")
    if len(parts) >= 2 and parts[1].isdigit():
        where, first = parts[0], rest
        loc = Loc(where, int(parts[1]))
    else:
        loc = Loc(where)
    detail = "; ".join([first, *lines[1:4]])
    return SourceError(loc, f"GNU gettext cannot merge this catalog: {detail}",
                       hint="open the file in Poedit or run `msgfmt -c` on it to see the "
                            "problem, fix it, then run `make locales` again")

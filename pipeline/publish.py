"""Writing into `build/`: atomic replace, withdrawal, and one build at a time.

A reader of `build/` only ever sees a complete earlier file or a complete new one: bytes go to
a temporary file in the same folder, are flushed to disk, then renamed over the old name.
`mkstemp` makes that file 0600; it gets the mode any new file would get under the umask (0644
under the usual 022) before the rename, so a web server or a shared drive can read `build/`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import tempfile
from pathlib import Path


def current_umask() -> int:
    """The process umask, read without changing it where Linux tells it (/proc), else by the
    set-and-restore `os.umask` offers."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one rename; the file's mode follows the umask."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~current_umask())
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def remove_leftovers(out_dir: Path) -> list[Path]:
    """Delete temporary files a killed build left behind (call while holding the lock)."""
    removed = []
    for tmp in out_dir.rglob(".*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed


WITHHELD_DIR = ".plainpress-withheld"
"""Where the last rendered bytes of a withheld artifact are kept (same relative path), so that
`plainpress serve` can show the author what failed. Never the published path: nothing there
looks published, and a web server that serves `build/` should skip dot-folders."""


def keep_withheld(out_dir: Path, filename: str, data: bytes) -> None:
    """Keep the rendered bytes of an artifact that a gate withheld."""
    write_atomic(out_dir / WITHHELD_DIR / filename, data)


def drop_withheld(out_dir: Path, filename: str) -> None:
    """Forget the withheld copy (the artifact was published, not rendered, or is gone)."""
    withdraw(out_dir / WITHHELD_DIR / filename)


def withdraw(path: Path) -> bool:
    """Remove a previously published artifact; True if there was one."""
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False


@contextlib.contextmanager
def build_lock(out_dir: Path):
    """Hold `out_dir/.lock` for the whole build; a second build waits for the first."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / ".lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build of {out_dir} to finish …", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

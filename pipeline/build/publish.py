"""Writing into `build/`: atomic replace, all-or-nothing groups, withdrawal, one build at a time.

A reader of `build/` only ever sees a complete earlier file or a complete new one: bytes go to
a temporary file in the same folder, are flushed to disk, then renamed over the old name.
`mkstemp` makes that file 0600; it gets the mode any new file would get under the umask (0644
under the usual 022) before the rename, so a web server or a shared drive can read `build/`. The
artifacts of one document in one locale are published together (`publish_group`): every file is
staged first, and only when all of them are on disk are they renamed into place, so a full disk
leaves the earlier set as it was rather than half old, half new.

Before a file that the state file does not know yet is renamed into place, its name is appended
to a journal (`.plainpress-journal`, flushed to disk). A build killed before it wrote its state
file therefore still leaves a record of everything it published, and the next build removes
those unrecorded files (see `build.py`), rebuilding the ones still wanted.

The lock (`build/.lock`) is held with `flock` by the build process only: forked workers drop
their inherited copy at once, so the lock ends with the process that took it, whatever kills it.
The lock file holds the holder's pid while it is held and is emptied on release; a pid found
there when the lock is free means a build was killed, and the next one says so.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import sys
import tempfile
from pathlib import Path

from pipeline.errors import EXIT_GATE_FAILED, PlainpressError
from pipeline.files import current_umask
from pipeline.model import Loc


JOURNAL = ".plainpress-journal"
_HELD: set[int] = set()
"""File descriptors of locks this process holds (dropped in forked children)."""


class OutputError(PlainpressError):
    """A file could not be written or removed (a full disk, a read-only folder): exit 1."""

    exit_code = EXIT_GATE_FAILED

    def __init__(self, path: Path, exc: OSError, doing: str = "write"):
        self.path = Path(path)
        reason = exc.strerror or str(exc)
        super().__init__(f"cannot {doing} this file: {reason}", Loc(str(self.path)),
                         _hint(exc.errno), code="output")

    def relative_to(self, root: Path) -> "OutputError":
        """The same error with the path shown relative to the project."""
        with contextlib.suppress(ValueError):
            shown = self.path.absolute().relative_to(root.absolute()).as_posix()
            self.loc = Loc(shown)
        return self


def _hint(code: int | None) -> str:
    if code in (errno.ENOSPC, errno.EDQUOT):
        return ("free space on the disk that holds the output folder (or build into another "
                "one with --out) and build again; files already in it were left as they were")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ("make the output folder writable (e.g. `chmod -R u+w build`) or build into "
                "another folder with --out")
    return "check the output folder and the disk, then build again"


def _stage(path: Path, data: bytes) -> str:
    """Write `data` to a flushed temporary file next to `path`; returns its name."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~current_umask())
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(path, exc) from exc
        raise
    return tmp


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one rename; the file's mode follows the umask."""
    tmp = _stage(path, data)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(path, exc) from exc


def publish_group(out_dir: Path, files: dict[str, bytes], known: set[str]) -> dict[str, int]:
    """Publish several artifacts all or nothing: stage every file, journal the names `known`
    does not hold, then rename them all. Returns each file's mtime (ns) as published."""
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            staged.append((_stage(out_dir / name, data), out_dir / name))
        new = [name for name in files if name not in known]
        if new:
            journal(out_dir, new)
        mtimes = {}
        for (tmp, path), name in zip(staged, files):
            mtimes[name] = os.stat(tmp).st_mtime_ns  # a rename keeps the inode and its mtime
        for tmp, path in staged:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise OutputError(path, exc) from exc
        staged = []
        return mtimes
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def journal(out_dir: Path, names: list[str]) -> None:
    """Append `names` to the journal of published files, on disk before returning."""
    path = out_dir / JOURNAL
    try:
        with open(path, "ab") as handle:
            handle.write(b"".join(json.dumps(name).encode() + b"\n" for name in names))
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise OutputError(path, exc) from exc


def read_journal(out_dir: Path) -> list[str]:
    """Names a build journaled (a torn last line from a kill is ignored)."""
    try:
        lines = (out_dir / JOURNAL).read_bytes().splitlines()
    except OSError:
        return []
    names = []
    for line in lines:
        with contextlib.suppress(ValueError):
            name = json.loads(line)
            if isinstance(name, str):
                names.append(name)
    return names


def clear_journal(out_dir: Path) -> None:
    """Forget the journal once the state file records everything in it."""
    try:
        (out_dir / JOURNAL).unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise OutputError(out_dir / JOURNAL, exc, "remove") from exc


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
    except OSError as exc:
        raise OutputError(path, exc, "remove") from exc


def _drop_inherited_locks() -> None:
    """In a forked child: let go of the parent's lock (point the descriptor at /dev/null, so
    the Python file object that owns it can still close it harmlessly)."""
    if not _HELD:
        return
    null = os.open(os.devnull, os.O_RDONLY)
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.dup2(null, fd)
    os.close(null)
    _HELD.clear()


os.register_at_fork(after_in_child=_drop_inherited_locks)


@contextlib.contextmanager
def build_lock(out_dir: Path):
    """Hold `out_dir/.lock` for the whole build; a second build waits for the first."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle = open(out_dir / ".lock", "a+b")
    except OSError as exc:
        raise OutputError(out_dir / ".lock" if out_dir.is_dir() else out_dir, exc) from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(handle)
            print(f"waiting for another build{f' (pid {holder})' if holder else ''} of "
                  f"{out_dir} to finish …", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        _HELD.add(handle.fileno())
        try:
            stale = _holder(handle)
            if stale and stale != os.getpid():
                print(f"note: the build with pid {stale} ended without releasing {out_dir}; "
                      "cleaning up after it", file=sys.stderr)
            with contextlib.suppress(OSError):
                handle.truncate(0)
                handle.write(f"{os.getpid()}\n".encode())
                handle.flush()
            yield
        finally:
            with contextlib.suppress(OSError):
                handle.truncate(0)
                handle.flush()
            _HELD.discard(handle.fileno())
            fcntl.flock(handle, fcntl.LOCK_UN)


def _holder(handle) -> int | None:
    """The pid written in the lock file, if any."""
    with contextlib.suppress(OSError, ValueError):
        handle.seek(0)
        return int(handle.read(32).decode("ascii").strip() or 0) or None
    return None

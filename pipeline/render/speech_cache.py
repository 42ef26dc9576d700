"""A content-addressed cache of spoken editions, shared by the worker processes of a build
and by later builds of the same user.

Why: the article EPUB and the standalone `<id>.opus` of a document carry the same audio, but
they are separate jobs that may run in different workers, and encoding is most of the cost
of the spoken edition. The key is a hash of everything the audio depends on (the texts, the
voice, the tags, the versions of espeak-ng and opusenc, and plainpress's own code), so an entry
can only ever be the bytes a fresh synthesis would make. One worker synthesizes while the other waits on a lock
and then reads the result. The folder is the user's own (`plainpress-speech-<uid>` in the
temporary directory, mode 0700, refused when anyone else could write to it); entries are
written to a temporary name and renamed, and the least recently made ones beyond
`KEEP` are removed. `PLAINPRESS_SPEECH_CACHE=0` turns it off (the determinism tests do).
"""

from __future__ import annotations

import fcntl
import json
import os
import stat
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path

KEEP = 48


def folder() -> Path | None:
    """The cache folder, or None when caching is off or the folder is not safely ours."""
    if os.environ.get("PLAINPRESS_SPEECH_CACHE", "1") in ("0", "", "no", "false"):
        return None
    path = Path(tempfile.gettempdir()) / f"plainpress-speech-{os.getuid()}"
    try:
        path.mkdir(mode=0o700, exist_ok=True)
        info = path.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return path


@contextmanager
def entry(key: str):
    """Hold the lock of one entry; yields (load, store) callables, or None without a cache."""
    base = folder()
    if base is None:
        yield None
        return
    with open(base / f"{key}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield (lambda: load(base, key)), (lambda audio, meta: store(base, key, audio, meta))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def load(base: Path, key: str) -> tuple[bytes, dict] | None:
    try:
        return (base / f"{key}.opus").read_bytes(), json.loads(
            (base / f"{key}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None


def store(base: Path, key: str, audio: bytes, meta: dict) -> None:
    for suffix, data in ((".opus", audio), (".json", json.dumps(meta).encode())):
        handle, tmp = tempfile.mkstemp(dir=base, prefix=f".{key}", suffix=suffix)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, base / f"{key}{suffix}")
    entries = sorted(base.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        for suffix in (".json", ".opus", ".lock"):
            with suppress(OSError):
                old.with_suffix(suffix).unlink()

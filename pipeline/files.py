"""Facts about the files we write, shared by every stage that writes (the build, `i18n update`).

Why here, at the bottom: both the build's publication and the translators' catalog merge must
give new files the mode the umask asks for (`tempfile.mkstemp` makes them 0600), and neither
stage may import the other.
"""

from __future__ import annotations

import os


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

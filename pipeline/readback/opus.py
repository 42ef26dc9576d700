"""Read an Ogg Opus file back: its length and its comments (tags and chapter marks).

Why here and not through a library: the gates need two numbers and a list of strings, all in
the first two packets and the last page of the stream (OpusHead's pre-skip, OpusTags, the last
granule position); the format is a few lines to read. The clock values SMIL and the Ogg chapter
comments use are read and written here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.readback.text import ArtifactUnreadable

CLOCK = re.compile(r"^(?:(?:(\d+):)?(\d{1,2}):)?(\d+(?:\.\d+)?)(h|min|s|ms)?$")


@dataclass
class Opus:
    """What the gates need from an Ogg Opus file."""

    duration: float
    tags: list[tuple[str, str]] = field(default_factory=list)

    def tag(self, key: str) -> str | None:
        return next((v for k, v in self.tags if k.upper() == key), None)

    def chapters(self) -> list[tuple[float, str]]:
        """(start, name) of the `CHAPTERnnn` / `CHAPTERnnnNAME` comments, by number."""
        times, names = {}, {}
        for key, value in self.tags:
            match = re.fullmatch(r"CHAPTER(\d+)(NAME)?", key.upper())
            if match:
                (names if match.group(2) else times)[int(match.group(1))] = value
        return [(seconds(times[n]), names.get(n, "")) for n in sorted(times)]


def seconds(value: str) -> float:
    """A SMIL clock value (`0:01:02.5`, `62.5s`, `1.2min`) or `HH:MM:SS.sss` in seconds."""
    match = CLOCK.match(value.strip())
    if not match:
        raise ValueError(f"not a clock value: {value!r}")
    hours, minutes, secs, unit = match.groups()
    if hours or minutes:
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(secs)
    return float(secs) * {"h": 3600, "min": 60, "ms": 0.001}.get(unit, 1)


def read_opus(data: bytes) -> Opus:
    """Duration and comments of an Ogg Opus stream (one logical stream)."""
    pos, packets, current, last = 0, [], b"", None
    while pos < len(data):
        if data[pos:pos + 4] != b"OggS" or pos + 27 > len(data):
            raise ArtifactUnreadable(f"not an Ogg stream (at byte {pos})")
        granule = int.from_bytes(data[pos + 6:pos + 14], "little", signed=True)
        count = data[pos + 26]
        lacing = data[pos + 27:pos + 27 + count]
        body = pos + 27 + count
        for size in lacing:
            if len(packets) < 2:
                current += data[body:body + size]
                if size < 255:
                    packets.append(current)
                    current = b""
            body += size
        if granule != -1:
            last = granule
        pos = body
    if len(packets) < 2 or not packets[0].startswith(b"OpusHead") or \
            not packets[1].startswith(b"OpusTags") or last is None:
        raise ArtifactUnreadable("not an Ogg Opus file (no OpusHead and OpusTags)")
    pre_skip = int.from_bytes(packets[0][10:12], "little")
    tags, body = [], packets[1]
    vendor = int.from_bytes(body[8:12], "little")
    count, at = int.from_bytes(body[12 + vendor:16 + vendor], "little"), 16 + vendor
    for _ in range(count):
        size, at = int.from_bytes(body[at:at + 4], "little"), at + 4
        key, _, value = body[at:at + size].decode("utf-8", "replace").partition("=")
        tags.append((key, value))
        at += size
    return Opus(max(0.0, (last - pre_skip) / 48000), tags)


def clock(value: float) -> str:
    """`h:mm:ss.fff`, the clock value SMIL and the package metadata use."""
    millis = round(value * 1000)
    return f"{millis // 3600000}:{millis // 60000 % 60:02d}:{millis // 1000 % 60:02d}." \
           f"{millis % 1000:03d}"


def chapter_time(value: float) -> str:
    """`HH:MM:SS.sss`, as the Ogg chapter comments write it."""
    return "0" + clock(value) if value < 36000 else clock(value)

"""asciicast v2 files (``.cast``, playable with asciinema): write one, read one back.

A cast is a JSON header line (``{"version": 2, "width": ..., "height": ...,
"timestamp": ..., "title": ...}``) and then one JSON line per output event,
``[seconds, "o", text]``, the seconds since the start never decreasing. The text
is what a terminal is sent: here each frame of a replay is the whole screen,
cursor home and clear first (``ui.screen_export.update_text``).

``frame_times`` spaces the frames of a sampled recall at the recall's speed.
Every file is written atomically; a name not ending in ``.cast``, a folder or a
missing folder is refused with a message.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from tui_hopfield.model.files import write_atomically
from tui_hopfield.model.replay_export import ExportError, _checked

VERSION = 2
"""The asciicast format's version."""
MAX_FRAMES = 60
"""Frames in a cast at most, by default: a long recall is sampled down to these (a frame
is the whole screen: 30-200 KB of text)."""
FPS = 15
"""Frames a second for an instant recall (speed 0), which has no pace of its own."""
HOLD_SECONDS = 1.5
"""The last frame is shown this long after the one before it, at least."""


def frame_times(positions: Sequence[int], speed: float, fps: float = FPS) -> list[float]:
    """The time of each frame at ``positions`` of a recall played at ``speed`` positions a
    second (0: instant, ``fps`` frames a second); the last held ``HOLD_SECONDS`` at least."""
    if speed > 0:
        first = positions[0] if positions else 0
        times = [(position - first) / speed for position in positions]
    else:
        times = [k / fps for k in range(len(positions))]
    if len(times) >= 2:
        times[-1] = max(times[-1], times[-2] + HOLD_SECONDS)
    return times


def header(width: int, height: int, title: str = "", timestamp: float | None = None) -> dict:
    """The header line's fields: a ``width`` x ``height`` terminal, when and what."""
    fields: dict = {"version": VERSION, "width": int(width), "height": int(height)}
    fields["timestamp"] = int(time.time() if timestamp is None else timestamp)
    if title:
        fields["title"] = title
    fields["env"] = {"TERM": "xterm-256color"}
    return fields


def cast_lines(
    width: int, height: int, events: Iterable[tuple[float, str]], title: str = ""
) -> Iterable[str]:
    """The lines of a cast: the header, then an ``[t, "o", text]`` line per event."""
    yield json.dumps(header(width, height, title))
    last = 0.0
    for seconds, text in events:
        if seconds < last:
            raise ExportError(f"a cast's times never go back: {seconds:g} after {last:g}")
        last = seconds
        yield json.dumps([round(seconds, 6), "o", text])


def checked_path(path: str | Path) -> Path:
    """``path`` expanded, if it can name a cast (ends in ``.cast``, not a folder)."""
    return _checked(path, (".cast",), "An asciicast")


def write_cast(
    path: str | Path,
    width: int,
    height: int,
    events: Iterable[tuple[float, str]],
    title: str = "",
) -> Path:
    """Write an asciicast v2 file of ``events`` (seconds, text) at ``path`` atomically."""
    path = checked_path(path)
    lines = list(cast_lines(width, height, events, title))

    def write(stream: BinaryIO) -> None:
        stream.write(("\n".join(lines) + "\n").encode("utf-8"))

    return write_atomically(path, write, ExportError)


def read_cast(path: str | Path) -> tuple[dict, list[tuple[float, str, str]]]:
    """The header and the events of an asciicast v2 file; ``ExportError`` if it is not one."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as problem:
        raise ExportError(f"cannot read {path}: {problem}") from None
    try:
        head = json.loads(lines[0]) if lines else None
        if not isinstance(head, dict) or head.get("version") != VERSION:
            raise ExportError(f"{path} has no asciicast v{VERSION} header line")
        for field in ("width", "height"):
            if not isinstance(head.get(field), int) or head[field] < 1:
                raise ExportError(f"{path}'s header has no {field}")
        events = []
        last = 0.0
        for number, line in enumerate(lines[1:], 2):
            if not line.strip():
                continue
            event = json.loads(line)
            if not (
                isinstance(event, list)
                and len(event) == 3
                and isinstance(event[0], (int, float))
                and isinstance(event[1], str)
                and isinstance(event[2], str)
            ):
                raise ExportError(f"line {number} of {path} is not an event [time, code, data]")
            if event[0] < last:
                raise ExportError(f"line {number} of {path} goes back in time")
            last = event[0]
            events.append((float(event[0]), event[1], event[2]))
    except json.JSONDecodeError as problem:
        raise ExportError(f"{path} is not JSON lines: {problem}") from None
    return head, events

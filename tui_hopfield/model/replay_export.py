"""A recorded recall as an animated GIF, and its path as data (CSV or JSON).

The GIF shows the grid as square cells (north and south in the colours given,
the app's red and blue by default), one frame per sampled position: a long
recall is sampled evenly down to ``max_frames`` frames, the first being the
start and the last the end, which is held a moment longer. Under the grid a
caption line says the position, the energy and, on the last frame, the state.

The path is one row per flip: its number, the spin, its new value, the energy
after it and the overlap with every memory, kept up to date in O(P) a flip.
Every file is written atomically (``files.write_atomically``); a name with the
wrong ending, a folder or a missing folder is refused with a message.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.files import write_atomically
from tui_hopfield.model.paths import expand
from tui_hopfield.model.recording import Recording, apply_forward, decode

NORTH = (0xD7, 0x26, 0x1E)
"""North's colour by default: the app's red (``$magnet-north``)."""
SOUTH = (0x2D, 0x6B, 0xD9)
"""South's colour by default: the app's blue (``$magnet-south``)."""
CAPTION_BACKGROUND = (0x1E, 0x1E, 0x1E)
"""Behind the caption line."""
CAPTION_TEXT = (0xF0, 0xF0, 0xF0)
"""The caption's letters."""

MAX_FRAMES = 120
"""Frames in a GIF at most, by default: a long recall is sampled down to these."""
FPS = 15
"""Frames per second by default."""
HOLD_SECONDS = 1.5
"""How long the last frame stays before the GIF loops."""
TARGET_PIXELS = 512
"""The default cell size makes the grid about this wide or tall."""
MAX_CELL = 64
"""The largest cell, in pixels."""
MAX_PIXELS = 4096
"""The widest or tallest picture a GIF may be."""


class ExportError(ModelError):
    """A recording could not be exported: a bad path, a bad setting, a failed write."""


def default_cell(rows: int, cols: int) -> int:
    """The cell size that makes the grid about ``TARGET_PIXELS`` on its longer side."""
    return max(1, min(MAX_CELL, TARGET_PIXELS // max(rows, cols)))


def sampled_positions(length: int, max_frames: int) -> list[int]:
    """At most ``max_frames`` positions from 0 to ``length``, evenly spread, both ends kept."""
    if max_frames < 2:
        raise ExportError(f"a GIF needs at least 2 frames, not {max_frames}")
    if length + 1 <= max_frames:
        return list(range(length + 1))
    return sorted({round(k * length / (max_frames - 1)) for k in range(max_frames)})


def _checked(path: str | Path, suffixes: tuple[str, ...], what: str) -> Path:
    path = expand(path)
    if path.suffix.lower() not in suffixes:
        raise ExportError(f"{what} file's name ends in {' or '.join(suffixes)}: not {path.name}")
    if path.is_dir():
        raise ExportError(f"{path} is a folder, not a file")
    return path


def caption(recording: Recording, position: int) -> str:
    """``flip 120/500  E -81.2``, and the state on the last position."""
    text = f"{recording.unit} {position}/{len(recording)}  E {recording.energy_at(position):.1f}"
    if position == len(recording) and recording.state:
        text += f"  {recording.state}"
    return text


def frames(
    recording: Recording,
    cell: int | None = None,
    max_frames: int = MAX_FRAMES,
    north: tuple[int, int, int] = NORTH,
    south: tuple[int, int, int] = SOUTH,
) -> Iterator[Image.Image]:
    """The GIF's frames, as palette images: the grid at each sampled position, captioned."""
    rows, cols = recording.rows, recording.cols
    cell = default_cell(rows, cols) if cell is None else int(cell)
    if not 1 <= cell <= MAX_CELL:
        raise ExportError(f"a cell is 1 to {MAX_CELL} pixels, not {cell}")
    if max(rows, cols) * cell > MAX_PIXELS:
        raise ExportError(f"{rows}x{cols} cells of {cell} pixels is over {MAX_PIXELS} pixels")
    width, height = cols * cell, rows * cell
    size = max(8, min(16, width // 24))
    font = ImageFont.load_default(size=size)
    band = size + 6
    palette = [*south, *north, *CAPTION_BACKGROUND, *CAPTION_TEXT]
    state = recording.start.copy()
    done = 0
    for position in sampled_positions(len(recording), max_frames):
        flips = recording.flips_at(position)
        apply_forward(state, recording.codes[done:flips])
        done = flips
        picture = np.repeat(np.repeat((state > 0).reshape(rows, cols), cell, 0), cell, 1)
        frame = np.full((height + band, width), 2, dtype=np.uint8)
        frame[:height] = picture
        image = Image.fromarray(frame, "P")
        image.putpalette(palette)
        ImageDraw.Draw(image).text((3, height + 3), caption(recording, position), 3, font=font)
        yield image


def write_gif(
    recording: Recording,
    path: str | Path,
    *,
    cell: int | None = None,
    fps: float = FPS,
    max_frames: int = MAX_FRAMES,
    north: tuple[int, int, int] = NORTH,
    south: tuple[int, int, int] = SOUTH,
) -> Path:
    """Write ``recording`` as an animated GIF at ``path`` atomically; return the path."""
    path = _checked(path, (".gif",), "A GIF")
    if not 0.5 <= fps <= 50:
        raise ExportError(f"the frame rate is 0.5 to 50 frames a second, not {fps:g}")
    images = list(frames(recording, cell, max_frames, north, south))
    step = max(20, round(1000 / fps))
    durations = [step] * len(images)
    durations[-1] = max(step, round(HOLD_SECONDS * 1000))

    def write(stream: BinaryIO) -> None:
        buffer = io.BytesIO()
        images[0].save(
            buffer,
            format="GIF",
            save_all=True,
            append_images=images[1:],
            duration=durations,
            loop=0,
            disposal=1,
        )
        stream.write(buffer.getvalue())

    return write_atomically(path, write, ExportError)


COLUMNS = ("flip", "spin", "value", "energy")
"""The path's columns before the overlaps (one per memory)."""


def path_rows(recording: Recording) -> Iterator[tuple[int, int, int, float, np.ndarray]]:
    """One row a flip: its number (from 1), the spin, its new value, the energy after it
    (after its step, for synchronous steps) and the overlaps with every memory then.

    The overlaps start from one product and move by O(P) a flip.
    """
    patterns = recording.patterns
    columns = np.ascontiguousarray(patterns.T.astype(np.float64))
    dots = patterns.astype(np.float64) @ recording.start.astype(np.float64)
    n = recording.n
    flip = 0
    for position in range(1, len(recording) + 1):
        energy = recording.energy_at(position)
        indices, values = decode(recording.changes(position))
        for index, value in zip(indices.tolist(), values.tolist(), strict=True):
            dots += (2.0 * value) * columns[index]
            flip += 1
            yield flip, index, value, energy, dots / n


def write_csv(recording: Recording, path: str | Path) -> Path:
    """Write the path as CSV: a header (the memories by name), then one row a flip."""
    path = _checked(path, (".csv",), "A CSV")

    def write(stream: BinaryIO) -> None:
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        out = csv.writer(text)
        out.writerow([*COLUMNS, *(f"overlap {name}" for name in recording.names)])
        out.writerow([0, "", "", repr(recording.energy_at(0)), *_start_overlaps(recording)])
        for flip, index, value, energy, overlaps in path_rows(recording):
            out.writerow([flip, index, value, repr(energy), *map(repr, overlaps.tolist())])
        text.flush()
        text.detach()

    return write_atomically(path, write, ExportError)


def _start_overlaps(recording: Recording) -> list[str]:
    start = recording.start.astype(np.float64)
    return [repr(value) for value in (recording.patterns @ start / recording.n).tolist()]


def path_document(recording: Recording) -> dict:
    """The path as one JSON-ready dictionary: the recall's settings, its start, every flip."""
    return {
        "format": "tui-hopfield recall",
        "version": 1,
        "rows": recording.rows,
        "cols": recording.cols,
        "rule": recording.rule,
        "mode": recording.mode,
        "unit": recording.unit,
        "state": recording.state,
        "truncated": recording.truncated,
        "memories": list(recording.names),
        "start": {
            "energy": recording.energy_at(0),
            "overlaps": [float(value) for value in _start_overlaps(recording)],
            "north": np.flatnonzero(recording.start > 0).tolist(),
        },
        "flips": [
            {
                "flip": flip,
                "spin": index,
                "value": value,
                "energy": energy,
                "overlaps": overlaps.tolist(),
            }
            for flip, index, value, energy, overlaps in path_rows(recording)
        ],
    }


def write_json(recording: Recording, path: str | Path) -> Path:
    """Write the path as JSON (``path_document``)."""
    path = _checked(path, (".json",), "A JSON")
    data = json.dumps(path_document(recording)).encode()
    return write_atomically(path, lambda stream: stream.write(data), ExportError)

"""A grid as the picture seen on screen: the magnets' colours, scaled up, as a PNG.

Each magnet becomes a square of ``scale`` x ``scale`` pixels (nearest
neighbour: no blur between magnets), north in the north colour and south in
the south colour; a continuous value between -1 and +1 (the modern rule's
state) is the colour that far between them. The colours are plain RGB tuples:
the app passes those its palette shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from tui_hopfield.model.files import write_atomically
from tui_hopfield.model.images import PictureError

RGB = tuple[int, int, int]
"""A colour as (red, green, blue), each 0 to 255."""

EXPORT_SIDE = 512
"""The pixels the longer side of an exported picture has at least."""


def export_scale(rows: int, cols: int, side: int = EXPORT_SIDE) -> int:
    """Pixels per magnet so that the longer side is at least ``side``: 16 for 32x32."""
    longest = max(int(rows), int(cols), 1)
    return max(1, -(-int(side) // longest))


def _colour(rgb: Sequence[int], what: str) -> np.ndarray:
    """``rgb`` as three float channels; raise ``ValueError`` unless three ints 0 to 255."""
    values = tuple(rgb)
    if len(values) != 3 or not all(
        isinstance(v, (int, np.integer)) and 0 <= v <= 255 for v in values
    ):
        raise ValueError(f"the {what} colour must be three integers from 0 to 255, not {rgb!r}")
    return np.array(values, dtype=np.float64)


def grid_picture(values: np.ndarray, north: RGB, south: RGB, scale: int) -> Image.Image:
    """An RGB image of a (rows, cols) grid, each magnet a ``scale`` px square.

    ``values`` are spins (+1 north, -1 south) or values in [-1, 1] (clipped;
    NaN is 0), drawn in the colour that far from ``south`` to ``north``.
    Raises ``ValueError`` for a grid that is not 2-D, a bad colour or scale.
    """
    grid = np.asarray(values, dtype=np.float64)
    if grid.ndim != 2 or grid.size == 0:
        raise ValueError(f"a picture needs a (rows, cols) grid, not shape {grid.shape}")
    if not isinstance(scale, (int, np.integer)) or scale < 1:
        raise ValueError(f"the scale must be a whole number of pixels, 1 or more, not {scale!r}")
    high, low = _colour(north, "north"), _colour(south, "south")
    share = (np.clip(np.nan_to_num(grid, nan=0.0), -1.0, 1.0) + 1.0) / 2.0
    colours = np.rint(low + (high - low) * share[..., None]).astype(np.uint8)
    pixels = np.repeat(np.repeat(colours, scale, axis=0), scale, axis=1)
    return Image.fromarray(np.ascontiguousarray(pixels), "RGB")


def export_picture(
    values: np.ndarray,
    path: str | Path,
    north: RGB,
    south: RGB,
    scale: int | None = None,
    *,
    make_folders: bool = False,
) -> Path:
    """Write ``grid_picture`` of ``values`` as a PNG at ``path``, atomically; return the path.

    ``scale`` defaults to ``export_scale`` (the longer side at least
    ``EXPORT_SIDE`` px). A missing folder is made only with ``make_folders``;
    a path that cannot be written raises ``PictureError`` and leaves whatever
    was there as it was.
    """
    grid = np.asarray(values)
    if scale is None:
        scale = export_scale(*grid.shape[:2]) if grid.ndim == 2 else 1
    image = grid_picture(grid, north, south, scale)
    return write_atomically(
        path,
        lambda stream: image.save(stream, format="PNG"),
        PictureError,
        make_folders=make_folders,
    )

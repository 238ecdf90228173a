"""A small picture of spins in half blocks, shrunk by averaging.

Each terminal cell shows two pixels stacked (``\u2580`` with a foreground and a
background colour), so a square grid of spins looks square. Shrinking averages
the spins under each pixel, which gives shades between the south and the
north colour; without colour, shades become the glyphs of ``SHADE_GLYPHS``.
"""

from __future__ import annotations

import math
import os
from functools import lru_cache

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

UPPER_HALF, LOWER_HALF, FULL_BLOCK = "\u2580", "\u2584", "\u2588"
SHADES = 16
"""Steps between the south and the north colour."""
SHADE_GLYPHS = " \u2591\u2592\u2593\u2588"
"""Without colour, the glyphs of a cell from all south to all north."""


@lru_cache(maxsize=64)
def area_weights(size_in: int, size_out: int) -> np.ndarray:
    """(size_out, size_in) weights: the share of each input cell in each output cell.

    Output cell ``o`` covers ``[o, o + 1) * size_in / size_out`` of the input;
    each row sums to 1, so a product with it is an area average.
    """
    edges = np.linspace(0.0, size_in, size_out + 1)
    cells = np.arange(size_in, dtype=np.float64)
    overlap = np.minimum(edges[1:, None], cells[None, :] + 1) - np.maximum(
        edges[:-1, None], cells[None, :]
    )
    weights = np.clip(overlap, 0.0, None)
    weights /= weights.sum(axis=1, keepdims=True)
    weights.flags.writeable = False
    return weights


def downsample(values: np.ndarray, height: int, width: int) -> np.ndarray:
    """Area-average a (rows, cols) array onto (height, width) pixels (growing repeats).

    Two ``einsum`` products, not ``@``: these are tiny, and a BLAS call from
    the event loop waits for any large one a worker thread has running (and,
    on a busy machine, for BLAS's own threads): 24 ms instead of 0.5 ms.
    """
    grid = np.asarray(values, dtype=np.float64)
    rows = np.einsum("ij,jk->ik", area_weights(grid.shape[0], height), grid)
    return np.einsum("ik,lk->il", rows, area_weights(grid.shape[1], width))


def fit(rows: int, cols: int, width: int, height: int) -> tuple[int, int, int]:
    """``(cells wide, cells tall, pixel rows)`` of a rows x cols picture in a width x height box.

    A pixel is one cell wide and half a cell tall. Grids smaller than the box
    grow by a whole factor (each spin a block of pixels); larger ones shrink.
    """
    scale = min(width / cols, 2 * height / rows)
    if scale >= 1:
        scale = math.floor(scale)
    pixel_cols = max(1, min(width, round(cols * scale)))
    pixel_rows = max(1, min(2 * height, round(rows * scale)))
    return pixel_cols, -(-pixel_rows // 2), pixel_rows


def picture_strips(
    values: np.ndarray,
    width: int,
    height: int,
    south: Color,
    north: Color,
    blank: Style,
    *,
    glyphs: bool = False,
) -> list[Strip]:
    """The lines of a picture fitted into ``width x height`` cells.

    ``south`` and ``north`` are the colours of -1 and +1; ``blank`` is the style
    of a half cell with nothing in it (when the picture has an odd number of
    pixel rows).
    """
    grid = np.asarray(values)
    pixel_cols, cells_tall, pixel_rows = fit(grid.shape[0], grid.shape[1], width, height)
    pixels = downsample(grid, pixel_rows, pixel_cols)
    if pixel_rows % 2:
        pixels = np.vstack([pixels, np.full((1, pixel_cols), np.nan)])
    if glyphs:
        return _glyph_strips(pixels, blank)
    levels = np.where(np.isnan(pixels), -1, np.rint((np.nan_to_num(pixels) + 1) / 2 * SHADES))
    levels = levels.astype(np.int16)
    colours = {level: south.blend(north, level / SHADES).rich_color for level in range(SHADES + 1)}
    colours[-1] = blank.bgcolor
    strips = []
    for line in range(cells_tall):
        top, bottom = levels[2 * line], levels[2 * line + 1]
        pairs = top * (SHADES + 2) + bottom
        segments = []
        start = 0
        for end in [*(np.flatnonzero(np.diff(pairs)) + 1).tolist(), pixel_cols]:
            upper, lower = int(top[start]), int(bottom[start])
            style = blank + Style(color=colours[upper], bgcolor=colours[lower])
            segments.append(Segment(UPPER_HALF * (end - start), style))
            start = end
        strips.append(Strip(segments, pixel_cols))
    return strips


def _glyph_strips(pixels: np.ndarray, blank: Style) -> list[Strip]:
    """Lines without colour: ink where north.

    A cell whose two pixels are each all north or all south is drawn in half
    blocks; a cell with shades (a shrunken picture) is drawn as one shade of
    ``░▒▓`` by the average of its two pixels.
    """
    halves = np.array([" ", LOWER_HALF, UPPER_HALF, FULL_BLOCK])
    shades = np.array(list(SHADE_GLYPHS))
    strips = []
    for line in range(pixels.shape[0] // 2):
        top, bottom = pixels[2 * line], pixels[2 * line + 1]
        missing = np.isnan(bottom)  # below the last pixel row: blank, not south
        bottom = np.where(missing, -1.0, bottom)
        pure = (np.abs(top) == 1) & (np.abs(bottom) == 1)
        mean = np.where(missing, top, (top + bottom) / 2)
        shade = shades[np.rint((mean + 1) / 2 * (len(SHADE_GLYPHS) - 1)).astype(int)]
        cells = np.where(pure, halves[(top > 0) * 2 + (bottom > 0)], shade)
        strips.append(Strip([Segment("".join(cells), blank)], cells.size))
    return strips


class Thumbnail(Widget):
    """A picture of spins (int8 +-1) or values in [-1, 1], fitted into a box of cells.

    North is drawn in the ``thumbnail--north`` colour, south in
    ``thumbnail--south``, and averages in between; with ``glyphs`` north is
    ink and south blank, and averages are shaded glyphs.
    """

    COMPONENT_CLASSES = {"thumbnail--north", "thumbnail--south"}
    """The colours (``color``) of north and of south."""

    DEFAULT_CSS = """
    Thumbnail {
        width: auto;
        height: auto;
    }
    Thumbnail > .thumbnail--north {
        color: $magnet-north;
    }
    Thumbnail > .thumbnail--south {
        color: $magnet-south;
    }
    """

    box: reactive[tuple[int, int]] = reactive((16, 8), layout=True)
    """The most cells (wide, tall) the picture may take; it keeps its shape inside."""
    glyphs: reactive[bool] = reactive(False)
    """Draw glyphs of ink instead of colours, for terminals without colour
    (the default when ``NO_COLOR`` is set)."""

    def __init__(
        self,
        values: np.ndarray | None = None,
        *,
        width: int = 16,
        height: int = 8,
        glyphs: bool | None = None,
        shape: tuple[int, int] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._values: np.ndarray | None = None
        self._strips: list[Strip] | None = None
        self._palette: tuple[Color, Color] | None = None
        self.shape = shape
        """The (rows, cols) to keep room for while there is no picture; None keeps none."""
        self.set_reactive(Thumbnail.box, (max(1, width), max(1, height)))
        no_color = bool(os.environ.get("NO_COLOR"))
        self.set_reactive(Thumbnail.glyphs, no_color if glyphs is None else glyphs)
        self.values = values

    @property
    def values(self) -> np.ndarray | None:
        """The (rows, cols) picture on show, or None for nothing.

        It is redrawn when another array is set: change a picture by setting a
        new array, not by writing into the one on show.
        """
        return self._values

    @values.setter
    def values(self, values: np.ndarray | None) -> None:
        if values is self._values:
            return
        old_shape = None if self._values is None else self._values.shape
        self._values = None if values is None else np.asarray(values)
        self._strips = None
        new_shape = None if self._values is None else self._values.shape
        self.refresh(layout=old_shape != new_shape)

    @property
    def picture_size(self) -> Size:
        """The cells the picture takes (the room kept for ``shape`` without one)."""
        if self._values is not None and self._values.size:
            shape = self._values.shape[:2]
        elif self.shape is not None:
            shape = self.shape
        else:
            return Size(0, 0)
        width, height, _ = fit(*shape, *self.box)
        return Size(width, height)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.picture_size.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.picture_size.height

    def watch_box(self) -> None:
        self._strips = None

    def watch_glyphs(self) -> None:
        self._strips = None
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._palette = None
        self._strips = None

    def _colours(self) -> tuple[Color, Color]:
        if self._palette is None:
            self._palette = (
                self.get_component_styles("thumbnail--south").color,
                self.get_component_styles("thumbnail--north").color,
            )
        return self._palette

    def render_line(self, y: int) -> Strip:
        if self._strips is None:
            self._strips = self._render_strips()
        width = self.size.width
        if y >= len(self._strips):
            return Strip.blank(width, self.rich_style)
        return self._strips[y].crop_extend(0, width, self.rich_style)

    def _render_strips(self) -> list[Strip]:
        if self._values is None or self._values.size == 0:
            return []
        south, north = self._colours()
        return picture_strips(
            self._values, *self.box, south, north, self.rich_style, glyphs=self.glyphs
        )

"""How spins become terminal cells: codes, shades, glyphs and runs of segments.

Each terminal cell holds two half-rows: the upper-half block shows the top one
in its foreground colour, the bottom one in its background. What a half-row
shows is a *code* (south, north, the cursor over either, blank, a pinned
south or north, or one of ``SHADES`` shades between south and north for
continuous values). A pinned magnet is drawn in a darker tone of its colour,
and where it has a cell of its own (zoom 2 and up) with a dot in its colour;
without colour it is a shade glyph (north ▓, south ░). A line is a
row of (top, bottom) code pairs; its runs of equal pairs are found with numpy,
and each run becomes one Segment looked up in a cache keyed by (pair, run
length), so that no Python work is done per cell. Without colour, each cell
gets a glyph from the shades of its two half-rows instead.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

UPPER_HALF = "\u2580"
LOWER_HALF = "\u2584"
FULL_BLOCK = "\u2588"

LINE_REFRESH_THRESHOLD = 64
"""Above this many spins in one refresh, whole lines are repainted instead of cells."""

SOUTH, NORTH, CURSOR_SOUTH, CURSOR_NORTH, BLANK, PINNED_SOUTH, PINNED_NORTH = range(7)
"""Codes of what a half-row of a cell shows."""
PIN_MARK = "•"
"""The dot drawn on a pinned magnet's own cells, in its unpinned colour."""
SHADES = 33
"""Shades between south and north for continuous values (odd, so 0 has its own)."""
SHADE = 7
"""Code of the first shade: shade ``k`` (value -1 + 2k / (SHADES - 1)) has code ``SHADE + k``."""
CODES = SHADE + SHADES
"""Number of codes; a (top, bottom) pair of codes is ``top * CODES + bottom``."""
RUN_LIMIT = 1 << 20
"""A run of a pair is keyed ``pair * RUN_LIMIT + length`` (no line is this wide)."""
SEGMENT_CACHE_LIMIT = 1 << 16
"""The segment cache is emptied when it holds more runs than this."""

SHADE_GLYPHS = " \u2591\u2592\u2593\u2588"
"""Glyphs for values from south (blank) to north (full block), by magnitude."""
GLYPH_LEVEL = np.array(
    [0, len(SHADE_GLYPHS) - 1, 0, len(SHADE_GLYPHS) - 1, 0, 1, len(SHADE_GLYPHS) - 2]
    + [(k * (len(SHADE_GLYPHS) - 1) * 2 + SHADES - 1) // (2 * (SHADES - 1)) for k in range(SHADES)],
    dtype=np.int16,
)
"""The glyph level (index into ``SHADE_GLYPHS``) of each code."""


def _glyph_table() -> np.ndarray:
    """The glyph of a cell by the glyph levels of its top and bottom half-rows.

    Two half-rows that are each south or north (spins) get half blocks, as
    before values existed; otherwise the cell gets the shade of their mean
    (a pinned magnet's own cell: the light shade south, the dark one north).
    """
    top_level = len(SHADE_GLYPHS) - 1
    table = np.empty((top_level + 1) ** 2, dtype=object)
    half_blocks = {(0, 0): " ", (0, top_level): LOWER_HALF, (top_level, 0): UPPER_HALF}
    half_blocks[(top_level, top_level)] = FULL_BLOCK
    for top in range(top_level + 1):
        for bottom in range(top_level + 1):
            glyph = half_blocks.get((top, bottom), SHADE_GLYPHS[(top + bottom + 1) // 2])
            table[top * (top_level + 1) + bottom] = glyph
    return table


GLYPHS = _glyph_table()


class Made(dict):
    """A dict that makes a missing value from its key (and keeps it)."""

    def __init__(self, make: Callable[[int], object]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: int) -> object:
        value = self[key] = self._make(key)
        return value


def shade_codes(values: np.ndarray) -> np.ndarray:
    """The shade codes (int16) of values in [-1, 1]: -1 is the first shade, +1 the last."""
    return (SHADE + np.rint((values + 1) * ((SHADES - 1) / 2))).astype(np.int16)


def shade_colour(code: int, south: RichColor | None, north: RichColor | None) -> RichColor | None:
    """The colour of shade ``code``, between the south and the north colours.

    Without both colours (no colour at all) a shade is whichever of them its side is.
    """
    if south is None or north is None:
        return north if code - SHADE > (SHADES - 1) / 2 else south
    t = (code - SHADE) / (SHADES - 1)
    a, b = south.get_truecolor(), north.get_truecolor()
    return RichColor.from_rgb(*(round(x + (y - x) * t) for x, y in zip(a, b, strict=True)))


def run_segment(key: int, styles: Made) -> Segment:
    """The segment of a run of cells: ``key`` is ``pair * RUN_LIMIT + length``.

    ``styles`` gives the style of a pair of codes.
    """
    pair, length = divmod(key, RUN_LIMIT)
    top, bottom = divmod(pair, CODES)
    if top == bottom and top in (PINNED_SOUTH, PINNED_NORTH):  # a pinned magnet's own cells
        free = NORTH if top == PINNED_NORTH else SOUTH
        return Segment(PIN_MARK * length, styles[free * CODES + top])
    if top == bottom:  # one colour: a blank on that background
        return Segment(" " * length, styles[BLANK * CODES + top])
    return Segment(UPPER_HALF * length, styles[pair])


def colour_strips(
    top: np.ndarray,
    bottom: np.ndarray,
    head: list[Segment],
    tail: list[Segment],
    width: int,
    segments: Made,
) -> list[Strip]:
    """One strip per row of ``top`` and ``bottom`` codes (lines, cells), in runs of segments.

    ``head`` and ``tail`` are the blank cells left and right of the drawing;
    ``width`` is the whole strip's; ``segments`` makes (and keeps) the segment
    of a run key (``run_segment``).
    """
    lines, cells = top.shape
    if cells == 0:
        return [Strip([*head, *tail], width) for _ in range(lines)]
    pairs = (top * CODES + bottom).ravel()
    change = np.empty(pairs.size, dtype=bool)
    change[0] = True
    np.not_equal(pairs[1:], pairs[:-1], out=change[1:])
    change[::cells] = True  # every line starts a run
    starts = np.flatnonzero(change)
    keys = pairs[starts].astype(np.int64) * RUN_LIMIT + np.diff(starts, append=pairs.size)
    if len(segments) > SEGMENT_CACHE_LIMIT:
        segments.clear()
    runs = list(map(segments.__getitem__, keys.tolist()))
    bounds = np.searchsorted(starts, np.arange(lines + 1) * cells).tolist()
    return [Strip([*head, *runs[bounds[k] : bounds[k + 1]], *tail], width) for k in range(lines)]


def pinned_codes(codes: np.ndarray, pinned: np.ndarray) -> np.ndarray:
    """``codes`` of spins (south 0, north 1, or shades) with the ``pinned`` ones marked.

    A pinned spin's code becomes ``PINNED_NORTH`` or ``PINNED_SOUTH`` by its
    side (a shade's by its sign); ``codes`` is changed in place and returned.
    """
    if not pinned.any():
        return codes
    marked = codes[pinned]
    north = (marked == NORTH) | (marked > SHADE + (SHADES - 1) // 2)
    codes[pinned] = np.where(north, PINNED_NORTH, PINNED_SOUTH)
    return codes


def cursor_cells(
    lines: np.ndarray, start: int, end: int, zoom: int, cursor: tuple[int, int] | None
) -> np.ndarray:
    """Which cells of these lines (window ``start:end``) the cursor (row, col) covers."""
    covered = np.zeros((lines.size, end - start), dtype=bool)
    if cursor is None:
        return covered
    row, col = cursor
    covers = ((2 * lines) // zoom == row) | ((2 * lines + 1) // zoom == row)
    first, last = max(col * zoom, start), min(col * zoom + zoom, end)
    if first < last:
        covered[covers, first - start : last - start] = True
    return covered


def glyph_segments(top: np.ndarray, bottom: np.ndarray, cursor: np.ndarray) -> list[Segment]:
    """A line without colour: each cell's glyph by its half-rows' shades (ink is north).

    The cells ``cursor`` marks are in reverse video.
    """
    levels = len(SHADE_GLYPHS)
    cells = GLYPHS[GLYPH_LEVEL[top] * levels + GLYPH_LEVEL[bottom]]
    segments = []
    plain, reverse = Style(), Style(reverse=True)
    start = 0
    for end in [*(np.flatnonzero(np.diff(cursor)) + 1).tolist(), cells.size]:
        if end > start:
            text = "".join(cells[start:end])
            segments.append(Segment(text, reverse if cursor[start] else plain))
        start = end
    return segments


def repaint_areas(
    indices: np.ndarray, cols: int, zoom: int, offset: tuple[int, int], width: int
) -> tuple[list[int], list[Region]]:
    """The lines of the drawing and the regions of the widget that show these spins.

    ``indices`` are flat spin indices (int64) on a grid of ``cols`` columns;
    ``offset`` is where the drawing's top left cell is in the widget (padding
    less scrolling) and ``width`` the widget's. A few spins give their own
    cells; more than ``LINE_REFRESH_THRESHOLD`` (an instant recall's frame)
    give the whole lines they touch, one region per run of lines, so that the
    compositor never gets thousands of tiny regions.
    """
    x, y = offset
    lines: list[int] = []
    regions: list[Region] = []
    if indices.size <= LINE_REFRESH_THRESHOLD:
        for index in indices.tolist():
            row, col = divmod(index, cols)
            first, last = (row * zoom) // 2, (row * zoom + zoom - 1) // 2
            lines.extend(range(first, last + 1))
            regions.append(Region(x + col * zoom, y + first, zoom, last - first + 1))
        return lines, regions
    rows = np.unique(indices // cols)
    touched = np.unique(np.concatenate([(rows * zoom + k) // 2 for k in range(zoom)]))
    breaks = np.flatnonzero(np.diff(touched) > 1) + 1
    for run in np.split(touched, breaks):
        regions.append(Region(0, y + int(run[0]), width, len(run)))
    return touched.tolist(), regions

"""The spin grid: every neuron a magnet, red north and blue south.

Drawn with Textual's Line API. Each terminal cell holds two half-rows (the
upper-half block shows the top one in its foreground colour, the bottom one
in its background), so a spin of zoom ``z`` is ``z`` columns wide and ``z``
half-rows tall and looks square. Zoom 1 is the half-block view (two spins
stacked in one cell); zoom 2, 4, 6... give each spin whole cells of its own.

Drawing is vectorised: a line is a row of codes (what each half-row shows),
its runs of equal (top, bottom) code pairs are found with numpy, and each run
becomes one Segment looked up in a cache keyed by (pair, run length), so no
Python work is done per cell. Lines are cached until a spin on them changes;
lines missing from the cache are built together in one numpy pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

import numpy as np
from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.filter import ANSIToTruecolor, LineFilter
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

UPPER_HALF = "\u2580"
LOWER_HALF = "\u2584"
FULL_BLOCK = "\u2588"

LINE_REFRESH_THRESHOLD = 64
"""Above this many spins in one refresh, whole lines are repainted instead of cells."""

SOUTH, NORTH, CURSOR_SOUTH, CURSOR_NORTH, BLANK = range(5)
"""Codes of what a half-row of a cell shows."""
SHADES = 33
"""Shades between south and north for continuous values (odd, so 0 has its own)."""
SHADE = 5
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
    [0, len(SHADE_GLYPHS) - 1, 0, len(SHADE_GLYPHS) - 1, 0]
    + [(k * (len(SHADE_GLYPHS) - 1) * 2 + SHADES - 1) // (2 * (SHADES - 1)) for k in range(SHADES)],
    dtype=np.int16,
)
"""The glyph level (index into ``SHADE_GLYPHS``) of each code."""


def _glyph_table() -> np.ndarray:
    """The glyph of a cell by the glyph levels of its top and bottom half-rows.

    Two half-rows that are each south or north (spins) get half blocks, as
    before values existed; otherwise the cell gets the shade of their mean.
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


def line_between(start: tuple[int, int], end: tuple[int, int]) -> list[tuple[int, int]]:
    """Every (row, col) on the straight line from ``start`` to ``end`` (Bresenham)."""
    (r0, c0), (r1, c1) = start, end
    dr, dc = abs(r1 - r0), abs(c1 - c0)
    sr, sc = (1 if r1 >= r0 else -1), (1 if c1 >= c0 else -1)
    points = []
    err = dc - dr
    r, c = r0, c0
    while True:
        points.append((r, c))
        if (r, c) == (r1, c1):
            return points
        e2 = 2 * err
        if e2 > -dr:
            err -= dr
            c += sc
        if e2 < dc:
            err += dc
            r += sr


class _Made(dict):
    """A dict that makes a missing value from its key (and keeps it)."""

    def __init__(self, make: Callable[[int], object]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: int) -> object:
        value = self[key] = self._make(key)
        return value


class _View(NamedTuple):
    """Where the drawing sits in the widget, worked out once per frame."""

    width: int
    scroll_x: int
    scroll_y: int
    pad_x: int
    pad_y: int
    height: int
    """Lines of the drawing (its content height)."""
    blank: Style
    """The style of the cells around the drawing."""


class SpinGrid(ScrollView, can_focus=True):
    """A grid of spins that can be drawn on with the mouse and the keyboard.

    It shows ``spins`` (a live (rows, cols) int8 view of the model) and never
    changes it: painting posts ``SpinGrid.Painted`` and the screen applies it.
    ``show_values`` shows continuous values in place of the spins.
    """

    class Painted(Message):
        """The user painted spins on the grid, with the mouse or the keyboard."""

        def __init__(self, indices: tuple[int, ...], value: int) -> None:
            super().__init__()
            self.indices = indices
            """Flat indices of the spins painted."""
            self.value = value
            """The value painted: +1 (north) or -1 (south)."""

    class ViewChanged(Message):
        """The spin grid's zoom, its fit in the window, or its brush changed."""

        def __init__(self, zoom: int, fits: bool, brush: int = 0) -> None:
            super().__init__()
            self.zoom = zoom
            """Columns (and half-rows) per spin; 1 is the half-block view."""
            self.fits = fits
            """Whether the whole grid is on screen without scrolling."""
            self.brush = brush
            """What moving the cursor paints: +1 north, -1 south, 0 nothing."""

        @property
        def description(self) -> str:
            """``half-block view``, ``zoom 4``, ``scroll to pan``, ``brush north``..."""
            parts = ["half-block view" if self.zoom == 1 else f"zoom {self.zoom}"]
            if not self.fits:
                parts.append("scroll to pan")
            if self.brush:
                parts.append(f"brush {'north' if self.brush > 0 else 'south'}")
            return ", ".join(parts)

    COMPONENT_CLASSES = {
        "spin-grid--north",
        "spin-grid--south",
        "spin-grid--cursor-north",
        "spin-grid--cursor-south",
    }
    """Colours (the ``color`` of each class) of north, south and the cursor over each."""

    BINDINGS = [
        Binding("up,k", "move(0, -1)", "Up", show=False),
        Binding("down,j", "move(0, 1)", "Down", show=False),
        Binding("left,h", "move(-1, 0)", "Left", show=False),
        Binding("right,l", "move(1, 0)", "Right", show=False),
        Binding("space", "toggle", "Toggle spin", show=False),
        Binding("n", "brush(1)", "Brush north", show=False),
        Binding("s", "brush(-1)", "Brush south", show=False),
    ]

    zoom: reactive[int] = reactive(1)
    """Columns (and half-rows) per spin: 1 is the half-block view."""
    cursor: reactive[tuple[int, int]] = reactive((0, 0))
    """The keyboard cursor as (row, col)."""
    brush: reactive[int] = reactive(0)
    """What moving the cursor paints: +1 north, -1 south, 0 nothing."""
    glyphs: reactive[bool] = reactive(False)
    """Draw spins as glyphs instead of colours (north \u2588, south blank), for no-colour
    terminals. The cursor is then shown in reverse video."""

    def __init__(
        self,
        spins: np.ndarray,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.spins = spins
        """The (rows, cols) spins on show; a live view of the model's state."""
        self.pixel_mouse = False
        """True once the terminal has reported a position finer than a cell."""
        self._values: np.ndarray | None = None
        self._shades: np.ndarray | None = None
        self._lines: dict[int, Strip] = {}
        self._lines_view: tuple | None = None
        self._frame: _View | None = None
        self._blank: Style | None = None
        self._truecolor: ANSIToTruecolor | None = None
        self._styles: _Made = _Made(self._make_style)
        self._segments: _Made = _Made(self._make_segment)
        self._stroke: tuple[int, list[tuple[int, int]]] | None = None
        self.set_reactive(SpinGrid.cursor, (spins.shape[0] // 2, spins.shape[1] // 2))

    # -- geometry -----------------------------------------------------------

    @property
    def rows(self) -> int:
        """Rows of spins."""
        return int(self.spins.shape[0])

    @property
    def cols(self) -> int:
        """Columns of spins."""
        return int(self.spins.shape[1])

    def best_zoom(self, size: Size) -> int:
        """The largest zoom (1, 2, 4, 6...) at which the grid fits in ``size``."""
        zoom = 2
        while self.cols * (zoom + 2) <= size.width and self.rows * (zoom + 2) <= 2 * size.height:
            zoom += 2
        if self.cols * zoom <= size.width and self.rows * zoom <= 2 * size.height:
            return zoom
        return 1

    @property
    def content_size(self) -> Size:
        """The size of the drawing in cells at the current zoom."""
        return Size(self.cols * self.zoom, -(-self.rows * self.zoom // 2))

    @property
    def _padding(self) -> tuple[int, int]:
        """Blank cells left and above the drawing, to centre it."""
        content = self.content_size
        return (
            max(0, (self.size.width - content.width) // 2),
            max(0, (self.size.height - content.height) // 2),
        )

    def on_resize(self, event: events.Resize) -> None:
        self.zoom = self.best_zoom(event.size)
        self.virtual_size = self.content_size
        self.refresh_all()
        self._describe()
        self.call_after_refresh(self._scroll_to_cursor)  # a large grid opens on its cursor

    def watch_glyphs(self) -> None:
        self.refresh_all()

    def watch_zoom(self) -> None:
        self.virtual_size = self.content_size
        self.refresh_all()

    @property
    def fits(self) -> bool:
        """Whether the whole grid is on screen without scrolling."""
        content = self.content_size
        return content.width <= self.size.width and content.height <= self.size.height

    # -- what is shown ------------------------------------------------------

    def set_spins(self, spins: np.ndarray) -> None:
        """Show another (rows, cols) array, for a network of another size."""
        self.spins = spins
        self._values = self._shades = None
        self.cursor = (min(self.cursor[0], self.rows - 1), min(self.cursor[1], self.cols - 1))
        self.zoom = self.best_zoom(self.size)
        self.virtual_size = self.content_size
        self.refresh_all()
        self._describe()

    @property
    def values(self) -> np.ndarray | None:
        """The continuous values on show as a (rows, cols) copy, or None when the spins are."""
        return None if self._values is None else self._values.copy()

    def show_values(self, values: np.ndarray | None) -> None:
        """Show continuous values in [-1, 1] instead of the spins; ``None`` shows the spins.

        ``values`` has one number per spin (any shape with rows x cols entries,
        row by row). Each spin is drawn in a colour between the south colour
        (-1) and the north colour (+1), in ``SHADES`` steps; values outside
        [-1, 1] are clipped and NaN is drawn as 0. With glyphs, a spin's glyph
        goes from blank (-1) through light, medium and dark shades to a full
        block (+1). The cursor takes the colour of the sign of its value.

        Only the cells whose shade changes are repainted, so calling this for
        every step of a continuous recall is cheap. Painting on the grid goes
        back to the spins. Raises ``ValueError`` for the wrong number of values.
        """
        if values is None and self._values is None:
            return
        before = self._codes_of_all()
        if values is None:
            self._values = self._shades = None
        else:
            array = np.asarray(values, dtype=np.float64)
            if array.size != self.rows * self.cols:
                raise ValueError(
                    f"show_values needs {self.rows * self.cols} values"
                    f" ({self.rows}x{self.cols}), not {array.size}"
                )
            array = np.clip(np.nan_to_num(array.reshape(self.rows, self.cols), nan=0.0), -1, 1)
            self._values = array
            self._shades = (SHADE + np.rint((array + 1) * ((SHADES - 1) / 2))).astype(np.int16)
        changed = np.flatnonzero(before != self._codes_of_all())
        if self.has_focus:  # the cursor takes the sign of its value, which may have changed
            changed = np.append(changed, self.cursor[0] * self.cols + self.cursor[1])
        if changed.size:
            self.refresh_spins(changed)

    def _codes_of_all(self) -> np.ndarray:
        """What every spin shows, without the cursor: (rows, cols) codes."""
        if self._shades is not None:
            return self._shades
        return (self.spins > 0).astype(np.int16)

    # -- refreshing ---------------------------------------------------------

    def refresh_all(self) -> None:
        """Forget every cached line and repaint the whole grid."""
        self._lines.clear()
        self.refresh()

    def refresh_spins(self, indices: Iterable[int]) -> None:
        """Repaint only the cells that show the spins at these flat indices.

        A few spins repaint their own cells; many (an instant recall's frame)
        repaint the lines they touch, one region per run of lines, so the
        compositor never gets thousands of tiny regions.
        """
        if isinstance(indices, np.ndarray):
            indices = indices.astype(np.int64, copy=False).reshape(-1)
        else:
            indices = np.fromiter(indices, dtype=np.int64)
        zoom = self.zoom
        pad_x, pad_y = self._padding
        scroll_x, scroll_y = self.scroll_offset
        lines = self._lines
        if indices.size <= LINE_REFRESH_THRESHOLD:
            for index in indices.tolist():
                row, col = divmod(index, self.cols)
                first, last = (row * zoom) // 2, (row * zoom + zoom - 1) // 2
                for line in range(first, last + 1):
                    lines.pop(line, None)
                self.refresh(
                    Region(
                        pad_x + col * zoom - scroll_x,
                        pad_y + first - scroll_y,
                        zoom,
                        last - first + 1,
                    )
                )
            return
        rows = np.unique(indices // self.cols)
        touched = np.unique(np.concatenate([(rows * zoom + k) // 2 for k in range(zoom)]))
        for line in touched.tolist():
            lines.pop(line, None)
        breaks = np.flatnonzero(np.diff(touched) > 1) + 1
        for run in np.split(touched, breaks):
            self.refresh(Region(0, pad_y + int(run[0]) - scroll_y, self.size.width, len(run)))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget_styles()

    def _forget_styles(self) -> None:
        self._styles.clear()
        self._segments.clear()
        self._lines.clear()

    # -- drawing ------------------------------------------------------------

    def get_line_filters(self) -> list[LineFilter]:
        """The app's line filters but the ANSI-to-truecolor one, which the grid applies
        itself, once per style (``_view``), instead of Textual to every segment of every
        line of every frame."""
        return [f for f in super().get_line_filters() if not isinstance(f, ANSIToTruecolor)]

    def _view(self) -> _View:
        """Where the drawing sits and its blank style; computed once per frame (and
        for each line when ``render_line`` is called outside a frame).

        A new blank style, theme or colour mode forgets every style and line.
        """
        if self._frame is not None:
            return self._frame
        scroll_x, scroll_y = self.scroll_offset
        pad_x, pad_y = self._padding
        truecolor = next(
            (f for f in self.app.get_line_filters() if isinstance(f, ANSIToTruecolor)), None
        )
        blank = self._truecolor_style(self.rich_style, truecolor)
        if blank != self._blank or truecolor is not self._truecolor:
            self._blank, self._truecolor = blank, truecolor
            self._forget_styles()
        height = -(-self.rows * self.zoom // 2)
        return _View(self.size.width, scroll_x, scroll_y, pad_x, pad_y, height, blank)

    def _truecolor_style(self, style: Style, truecolor: ANSIToTruecolor | None) -> Style:
        """``style`` as Textual's ANSI-to-truecolor filter would leave it."""
        if truecolor is None:
            return style
        return truecolor.truecolor_style(style, self.background_colors[1].rich_color)

    def _colour(self, code: int) -> RichColor | None:
        """The colour of a half-row code."""
        if code == BLANK:
            return None if self._blank is None else self._blank.bgcolor
        if code < BLANK:
            name = ("south", "north", "cursor-south", "cursor-north")[code]
            return self.get_component_rich_style(f"spin-grid--{name}").color
        south, north = self._colour(SOUTH), self._colour(NORTH)
        if south is None or north is None:
            return north if code - SHADE > (SHADES - 1) / 2 else south
        t = (code - SHADE) / (SHADES - 1)
        a, b = south.get_truecolor(), north.get_truecolor()
        return RichColor.from_rgb(*(round(x + (y - x) * t) for x, y in zip(a, b, strict=True)))

    def _make_style(self, pair: int) -> Style:
        """The style of a cell whose top and bottom half-rows show this pair of codes."""
        top, bottom = divmod(pair, CODES)
        style = Style(color=self._colour(top), bgcolor=self._colour(bottom))
        return self._truecolor_style(style, self._truecolor)

    def _make_segment(self, key: int) -> Segment:
        """The segment of a run of cells: ``key`` is ``pair * RUN_LIMIT + length``."""
        pair, length = divmod(key, RUN_LIMIT)
        top, bottom = divmod(pair, CODES)
        if top == bottom:  # one colour: a blank on that background
            return Segment(" " * length, self._styles[BLANK * CODES + top])
        return Segment(UPPER_HALF * length, self._styles[pair])

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame = self._view()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        view = self._view()
        line = y + view.scroll_y - view.pad_y
        if line < 0 or line >= view.height:
            return Strip.blank(view.width, view.blank)
        key = (view.width, view.scroll_x, view.pad_x, self.zoom, self.glyphs)
        if key != self._lines_view:
            self._lines.clear()
            self._lines_view = key
        strip = self._lines.get(line)
        if strip is None:
            # Build every visible line that is missing at once: after a full refresh
            # that is the whole screen in one numpy pass.
            first = max(0, view.scroll_y - view.pad_y)
            last = min(view.height, first + self.size.height)
            missing = [n for n in range(first, last) if n not in self._lines]
            if line not in missing:
                missing.append(line)
            self._build_lines(missing, view)
            strip = self._lines[line]
        return strip

    def _code_rows(self, rows: np.ndarray, cursor: bool) -> np.ndarray:
        """What each spin of these rows shows, (len(rows), cols); a row past the grid is blank."""
        codes = np.full((rows.size, self.cols), BLANK, dtype=np.int16)
        inside = rows < self.rows
        if self._shades is not None:
            codes[inside] = self._shades[rows[inside]]
        else:
            codes[inside] = self.spins[rows[inside]] > 0
        if cursor and self.has_focus:
            row, col = self.cursor
            hit = rows == row
            if hit.any():
                source = self.spins if self._values is None else self._values
                codes[hit, col] = CURSOR_NORTH if source[row, col] > 0 else CURSOR_SOUTH
        return codes

    def _build_lines(self, lines: list[int], view: _View) -> None:
        """Build these lines of the drawing (centred and scrolled) into the line cache."""
        zoom = self.zoom
        numbers = np.asarray(lines, dtype=np.int64)
        # The visible window of the drawing's columns, and blank cells left and right.
        start = max(0, view.scroll_x - view.pad_x)
        end = max(start, min(self.cols * zoom, view.scroll_x - view.pad_x + view.width))
        left = min(view.width, max(0, view.pad_x - view.scroll_x))
        right = view.width - left - (end - start)
        glyphs = self.glyphs
        top = self._code_rows((2 * numbers) // zoom, cursor=not glyphs)
        bottom = self._code_rows((2 * numbers + 1) // zoom, cursor=not glyphs)
        if zoom > 1:
            top, bottom = np.repeat(top, zoom, axis=1), np.repeat(bottom, zoom, axis=1)
        top, bottom = top[:, start:end], bottom[:, start:end]
        blank = view.blank
        head = [Segment(" " * left, blank)] if left > 0 else []
        tail = [Segment(" " * right, blank)] if right > 0 else []
        if glyphs:
            cursor = self._glyph_cursor(numbers, start, end)
            for line, top_row, bottom_row, cursor_row in zip(
                lines, top, bottom, cursor, strict=True
            ):
                body = self._glyph_segments(top_row, bottom_row, cursor_row)
                self._lines[line] = Strip([*head, *body, *tail], view.width)
            return
        width = end - start
        if width == 0:
            for line in lines:
                self._lines[line] = Strip([*head, *tail], view.width)
            return
        pairs = (top * CODES + bottom).ravel()
        change = np.empty(pairs.size, dtype=bool)
        change[0] = True
        np.not_equal(pairs[1:], pairs[:-1], out=change[1:])
        change[::width] = True  # every line starts a run
        starts = np.flatnonzero(change)
        keys = pairs[starts].astype(np.int64) * RUN_LIMIT + np.diff(starts, append=pairs.size)
        if len(self._segments) > SEGMENT_CACHE_LIMIT:
            self._segments.clear()
        segments = list(map(self._segments.__getitem__, keys.tolist()))
        bounds = np.searchsorted(starts, np.arange(len(lines) + 1) * width).tolist()
        for k, line in enumerate(lines):
            self._lines[line] = Strip(
                [*head, *segments[bounds[k] : bounds[k + 1]], *tail], view.width
            )

    def _glyph_cursor(self, lines: np.ndarray, start: int, end: int) -> np.ndarray:
        """Which cells of these lines (window ``start:end``) the cursor covers."""
        zoom = self.zoom
        cursor = np.zeros((lines.size, end - start), dtype=bool)
        if not self.has_focus:
            return cursor
        row, col = self.cursor
        covers = ((2 * lines) // zoom == row) | ((2 * lines + 1) // zoom == row)
        first, last = max(col * zoom, start), min(col * zoom + zoom, end)
        if first < last:
            cursor[covers, first - start : last - start] = True
        return cursor

    def _glyph_segments(
        self, top: np.ndarray, bottom: np.ndarray, cursor: np.ndarray
    ) -> list[Segment]:
        """A line without colour: each cell's glyph by its half-rows' shades (ink is north)."""
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

    # -- pointer ------------------------------------------------------------

    def spins_at(self, x: float, y: float) -> list[tuple[int, int]]:
        """The spins under a pointer position (widget cells, fractions allowed).

        Usually one. In the half-block view without sub-cell pointer positions
        both spins of the cell are returned; outside the grid none.
        """
        scroll_x, scroll_y = self.scroll_offset
        pad_x, pad_y = self._padding
        x, y = x + scroll_x - pad_x, y + scroll_y - pad_y
        if x < 0 or y < 0:
            return []
        col = int(x) // self.zoom
        half_rows = [int(y * 2)] if self.pixel_mouse else [int(y) * 2, int(y) * 2 + 1]
        rows = sorted({half // self.zoom for half in half_rows})
        return [(row, col) for row in rows if row < self.rows and col < self.cols]

    def _note_pointer(self, event: events.MouseEvent) -> None:
        if event.pointer_x % 1 or event.pointer_y % 1:
            self.pixel_mouse = True

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._note_pointer(event)
        spots = self.spins_at(event.pointer_x, event.pointer_y)
        if not spots:
            return
        event.stop()
        self.focus()
        if event.button == 3:
            value = -1
        else:
            row, col = spots[0]
            value = -int(self.spins[row, col])
        self._stroke = (value, spots)
        self.capture_mouse()
        self.cursor = spots[0]
        self._paint(spots, value)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._stroke is None:
            return
        self._note_pointer(event)
        value, previous = self._stroke
        spots = self.spins_at(event.pointer_x, event.pointer_y)
        if not spots:
            return
        event.stop()
        path: list[tuple[int, int]] = []
        extra = len(spots) - 1  # the half-block view without pixels paints two rows
        for row, col in line_between(previous[0], spots[0]):
            path.extend((row + k, col) for k in range(extra + 1) if row + k < self.rows)
        self._stroke = (value, spots)
        self.cursor = spots[0]
        self._paint(path, value)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._stroke is not None:
            self._stroke = None
            self.release_mouse()
            event.stop()

    def _paint(self, spots: Iterable[tuple[int, int]], value: int) -> None:
        indices = tuple(dict.fromkeys(row * self.cols + col for row, col in spots))
        if indices:
            self.show_values(None)  # the screen is about to edit the spins: show them
            self.post_message(self.Painted(indices, value))

    # -- keyboard -----------------------------------------------------------

    def watch_cursor(self, old: tuple[int, int], new: tuple[int, int]) -> None:
        self.refresh_spins([old[0] * self.cols + old[1], new[0] * self.cols + new[1]])
        if self.brush:
            self._paint([new], self.brush)
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        if self.fits:
            return
        row, col = self.cursor
        zoom = self.zoom
        region = Region(col * zoom, (row * zoom) // 2, zoom, max(1, zoom // 2))
        self.scroll_to_region(region, animate=False, immediate=True)

    def on_focus(self) -> None:
        self.refresh_spins([self.cursor[0] * self.cols + self.cursor[1]])

    def on_blur(self) -> None:
        self.refresh_spins([self.cursor[0] * self.cols + self.cursor[1]])

    def action_move(self, dx: int, dy: int) -> None:
        """Move the cursor by (dx, dy) spins, staying on the grid."""
        row, col = self.cursor
        self.cursor = (min(max(row + dy, 0), self.rows - 1), min(max(col + dx, 0), self.cols - 1))

    def action_toggle(self) -> None:
        """Turn over the spin under the cursor."""
        row, col = self.cursor
        self._paint([(row, col)], -int(self.spins[row, col]))

    def _describe(self) -> None:
        self.post_message(self.ViewChanged(self.zoom, self.fits, self.brush))

    def watch_brush(self) -> None:
        self._describe()

    def action_brush(self, value: int) -> None:
        """Paint ``value`` wherever the cursor goes; the same key again lifts the brush."""
        self.brush = 0 if self.brush == value else value
        if self.brush:
            self._paint([self.cursor], self.brush)

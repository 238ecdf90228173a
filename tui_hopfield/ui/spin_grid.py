"""The spin grid: every neuron a magnet, red north and blue south.

Drawn with Textual's Line API. Each terminal cell holds two half-rows (the
upper-half block shows the top one in its foreground colour, the bottom one
in its background), so a spin of zoom ``z`` is ``z`` columns wide and ``z``
half-rows tall and looks square. Zoom 1 is the half-block view (two spins
stacked in one cell); zoom 2, 4, 6... give each spin whole cells of its own.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui_hopfield.ui.messages import GridViewChanged, SpinsPainted

UPPER_HALF = "\u2580"
LOWER_HALF = "\u2584"
FULL_BLOCK = "\u2588"

LINE_REFRESH_THRESHOLD = 64
"""Above this many spins in one refresh, whole lines are repainted instead of cells."""

SOUTH, NORTH, CURSOR_SOUTH, CURSOR_NORTH, BLANK = range(5)
"""Codes of what a half-row of a cell shows."""


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


class SpinGrid(ScrollView, can_focus=True):
    """A grid of spins that can be drawn on with the mouse and the keyboard.

    It shows ``spins`` (a live (rows, cols) int8 view of the model) and never
    changes it: painting posts ``SpinsPainted`` and the screen applies it.
    """

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
        self._lines: dict[int, Strip] = {}
        self._styles: dict[tuple[int, int], Style] | None = None
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

    # -- drawing ------------------------------------------------------------

    def set_spins(self, spins: np.ndarray) -> None:
        """Show another (rows, cols) array, for a network of another size."""
        self.spins = spins
        self.cursor = (min(self.cursor[0], self.rows - 1), min(self.cursor[1], self.cols - 1))
        self.zoom = self.best_zoom(self.size)
        self.virtual_size = self.content_size
        self.refresh_all()
        self._describe()

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
        indices = list(indices)
        zoom = self.zoom
        pad_x, pad_y = self._padding
        scroll_x, scroll_y = self.scroll_offset
        if len(indices) <= LINE_REFRESH_THRESHOLD:
            for index in indices:
                row, col = divmod(int(index), self.cols)
                first, last = (row * zoom) // 2, (row * zoom + zoom - 1) // 2
                for line in range(first, last + 1):
                    self._lines.pop(line, None)
                self.refresh(
                    Region(
                        pad_x + col * zoom - scroll_x,
                        pad_y + first - scroll_y,
                        zoom,
                        last - first + 1,
                    )
                )
            return
        rows = np.unique(np.asarray(indices, dtype=np.int64) // self.cols)
        lines = np.unique(np.concatenate([(rows * zoom + k) // 2 for k in range(zoom)]))
        for line in lines.tolist():
            self._lines.pop(line, None)
        breaks = np.flatnonzero(np.diff(lines) > 1) + 1
        for run in np.split(lines, breaks):
            self.refresh(Region(0, pad_y + int(run[0]) - scroll_y, self.size.width, len(run)))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._lines.clear()

    def _cell_styles(self) -> dict[tuple[int, int], Style]:
        if self._styles is None:
            colors = {
                SOUTH: self.get_component_rich_style("spin-grid--south").color,
                NORTH: self.get_component_rich_style("spin-grid--north").color,
                CURSOR_SOUTH: self.get_component_rich_style("spin-grid--cursor-south").color,
                CURSOR_NORTH: self.get_component_rich_style("spin-grid--cursor-north").color,
            }
            blank = self.rich_style.bgcolor
            colors[BLANK] = blank
            self._styles = {
                (top, bottom): Style(color=colors[top], bgcolor=colors[bottom])
                for top in colors
                for bottom in colors
            }
        return self._styles

    def _codes(self, row: int) -> np.ndarray:
        """What each spin of ``row`` shows: north, south, or the cursor over one."""
        if row >= self.rows:
            return np.full(self.cols, BLANK, dtype=np.int8)
        codes = (self.spins[row] > 0).astype(np.int8)
        cursor_row, cursor_col = self.cursor
        if row == cursor_row and self.has_focus:
            codes[cursor_col] += CURSOR_SOUTH
        return codes

    def _content_line(self, line: int) -> Strip:
        """One line of the drawing, without centring or scrolling."""
        strip = self._lines.get(line)
        if strip is not None:
            return strip
        zoom = self.zoom
        top = np.repeat(self._codes((2 * line) // zoom), zoom)
        bottom = np.repeat(self._codes((2 * line + 1) // zoom), zoom)
        pairs = top.astype(np.int16) * 8 + bottom
        breaks = np.flatnonzero(np.diff(pairs)) + 1
        starts = np.concatenate(([0], breaks))
        ends = np.concatenate((breaks, [pairs.size]))
        if self.glyphs:
            return self._remember(line, self._glyph_line(top, bottom))
        styles = self._cell_styles()
        segments = []
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            upper, lower = int(top[start]), int(bottom[start])
            if upper == lower:
                segments.append(Segment(" " * (end - start), styles[(BLANK, upper)]))
            else:
                segments.append(Segment(UPPER_HALF * (end - start), styles[(upper, lower)]))
        return self._remember(line, Strip(segments, pairs.size))

    def _remember(self, line: int, strip: Strip) -> Strip:
        self._lines[line] = strip
        return strip

    def _glyph_line(self, top: np.ndarray, bottom: np.ndarray) -> Strip:
        """A line without colour: a half-row is ink where its spin is north."""
        north_top = (top % 2 == 1) & (top != BLANK)
        north_bottom = (bottom % 2 == 1) & (bottom != BLANK)
        cursor = (top >= CURSOR_SOUTH) & (top != BLANK) | (bottom >= CURSOR_SOUTH) & (
            bottom != BLANK
        )
        characters = np.array([" ", LOWER_HALF, UPPER_HALF, FULL_BLOCK])
        cells = characters[north_top * 2 + north_bottom]
        segments = []
        plain, reverse = Style(), Style(reverse=True)
        start = 0
        for end in [*(np.flatnonzero(np.diff(cursor)) + 1).tolist(), cells.size]:
            segments.append(Segment("".join(cells[start:end]), reverse if cursor[start] else plain))
            start = end
        return Strip(segments, cells.size)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        pad_x, pad_y = self._padding
        width = self.size.width
        blank = self.rich_style
        line = y + scroll_y - pad_y
        if line < 0 or line >= self.content_size.height:
            return Strip.blank(width, blank)
        strip = self._content_line(line)
        if pad_x:
            strip = Strip.join([Strip.blank(pad_x, blank), strip])
        return strip.crop_extend(scroll_x, scroll_x + width, blank)

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
            self.post_message(SpinsPainted(indices, value))

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
        self.post_message(GridViewChanged(self.zoom, self.fits, self.brush))

    def watch_brush(self) -> None:
        self._describe()

    def action_brush(self, value: int) -> None:
        """Paint ``value`` wherever the cursor goes; the same key again lifts the brush."""
        self.brush = 0 if self.brush == value else value
        if self.brush:
            self._paint([self.cursor], self.brush)

"""The spin grid: every neuron a magnet, red north and blue south.

Drawn with Textual's Line API. Each terminal cell holds two half-rows (the
upper-half block shows the top one in its foreground colour, the bottom one
in its background), so a spin of zoom ``z`` is ``z`` columns wide and ``z``
half-rows tall and looks square. Zoom 1 is the half-block view (two spins
stacked in one cell); zoom 2, 4, 6... give each spin whole cells of its own,
and odd zooms past 1 (3, 5...) let a big terminal be used.

Drawing is vectorised (``spin_cells``: codes, shades, glyphs and runs of
segments, with no Python work per cell). Lines are cached until a spin on
them changes; lines missing from the cache are built together in one numpy
pass. The pointer and the keyboard paint through ``spin_painting``: strokes
along straight lines, a cursor and a brush.
"""

from __future__ import annotations

from collections.abc import Iterable
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

from tui_hopfield.ui.screen_layout import zoom_for
from tui_hopfield.ui.spin_cells import (
    BLANK,
    CODES,
    CURSOR_NORTH,
    CURSOR_SOUTH,
    NORTH,
    PINNED_NORTH,
    PINNED_SOUTH,
    SOUTH,
    Made,
    colour_strips,
    cursor_cells,
    glyph_segments,
    pinned_codes,
    repaint_areas,
    run_segment,
    shade_codes,
    shade_colour,
)
from tui_hopfield.ui.spin_painting import SpinPainting


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


class SpinGrid(SpinPainting, ScrollView, can_focus=True):
    """A grid of spins that can be drawn on with the mouse and the keyboard.

    It shows ``spins`` (a live (rows, cols) int8 view of the model) and never
    changes it: painting posts ``SpinGrid.Painted`` and the screen applies it.
    ``show_values`` shows continuous values in place of the spins.
    """

    class Painted(Message):
        """The user painted spins on the grid, with the mouse or the keyboard."""

        def __init__(
            self, indices: tuple[int, ...], value: int, stroke: int = 0, toggle: bool = False
        ) -> None:
            super().__init__()
            self.indices = indices
            """Flat indices of the spins painted."""
            self.value = value
            """The value painted: +1 (north) or -1 (south)."""
            self.stroke = stroke
            """Which stroke it belongs to: the paints of one stroke are one step to undo."""
            self.toggle = toggle
            """Whether it is a toggle of one spin (space), not a stroke of the pointer or brush."""

    class Pinned(Message):
        """The user pinned (or unpinned) magnets: the ``a`` brush or a ctrl+mouse stroke."""

        def __init__(self, indices: tuple[int, ...], pinned: bool, stroke: int = 0) -> None:
            super().__init__()
            self.indices = indices
            """Flat indices of the magnets."""
            self.pinned = pinned
            """True to pin them, False to unpin them."""
            self.stroke = stroke
            """Which stroke it belongs to: one stroke is one step to undo."""

    class ViewChanged(Message):
        """The spin grid's zoom, its fit in the window, or its brush changed."""

        def __init__(self, zoom: int, fits: bool, brush: int = 0, pinning: int = 0) -> None:
            super().__init__()
            self.pinning = pinning
            """What moving the cursor pins: +1 pins, -1 unpins, 0 nothing."""
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
            if self.pinning:
                parts.append("pin brush" if self.pinning > 0 else "unpin brush")
            return ", ".join(parts)

    COMPONENT_CLASSES = {
        "spin-grid--north",
        "spin-grid--south",
        "spin-grid--cursor-north",
        "spin-grid--cursor-south",
        "spin-grid--pinned-north",
        "spin-grid--pinned-south",
    }
    """Colours (the ``color`` of each class) of north, south, the cursor over each, and a
    pinned north and south."""

    BINDINGS = [
        # The capitals are Caps Lock's: they do the same (ids: ui/actions.py's grid.*).
        Binding("up,k,K", "move(0, -1)", "Up", show=False, id="grid.up"),
        Binding("down,j,J", "move(0, 1)", "Down", show=False, id="grid.down"),
        Binding("left,h,H", "move(-1, 0)", "Left", show=False, id="grid.left"),
        Binding("right,l,L", "move(1, 0)", "Right", show=False, id="grid.right"),
        Binding("space", "toggle", "Toggle spin", show=False, id="grid.toggle"),
        Binding("n,N", "brush(1)", "Brush north", show=False, id="grid.brush-north"),
        Binding("s,S", "brush(-1)", "Brush south", show=False, id="grid.brush-south"),
        Binding("a,A", "pin_brush", "Pin brush", show=False, id="grid.pin"),
    ]

    zoom: reactive[int] = reactive(1)
    """Columns (and half-rows) per spin: 1 is the half-block view."""
    cursor: reactive[tuple[int, int]] = reactive((0, 0))
    """The keyboard cursor as (row, col)."""
    brush: reactive[int] = reactive(0)
    """What moving the cursor paints: +1 north, -1 south, 0 nothing."""
    pinning: reactive[int] = reactive(0)
    """What moving the cursor pins: +1 pins, -1 unpins, 0 nothing (the ``a`` brush)."""
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
        self.pins: np.ndarray | None = None
        """The (rows, cols) pinned spins (a live view of ``Network.pinned``), or None."""
        self.pixel_mouse = False
        """True once the terminal has reported a position finer than a cell."""
        self._values: np.ndarray | None = None
        self._shades: np.ndarray | None = None
        self._lines: dict[int, Strip] = {}
        self._lines_view: tuple | None = None
        self._frame: _View | None = None
        self._blank: Style | None = None
        self._truecolor: ANSIToTruecolor | None = None
        self._styles: Made = Made(self._make_style)
        self._segments: Made = Made(lambda key: run_segment(key, self._styles))
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
        """The largest zoom (1, 2, 3...) at which the grid fits in ``size``; 1 if none does.

        Odd zooms past 1 are allowed, so a big terminal is used (a 32x32 grid at
        zoom 3 in 200x60): there one cell line in three holds the bottom of one
        row and the top of the next, which a click without sub-cell positions
        paints both of, as in the half-block view.
        """
        return zoom_for(self.rows, self.cols, size.width, size.height)

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

    def _describe(self) -> None:
        """Tell the screen the zoom, the fit and the brush (``ViewChanged``)."""
        self.post_message(self.ViewChanged(self.zoom, self.fits, self.brush, self.pinning))

    # -- what is shown ------------------------------------------------------

    def set_pins(self, pins: np.ndarray | None) -> None:
        """Mark the pinned spins: a (rows, cols) bool view of the network's, or None."""
        self.pins = pins
        self.refresh_all()

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
            self._shades = shade_codes(array)
        changed = np.flatnonzero(before != self._codes_of_all())
        if self.has_focus:  # the cursor takes the sign of its value, which may have changed
            changed = np.append(changed, self.cursor[0] * self.cols + self.cursor[1])
        if changed.size:
            self.refresh_spins(changed)

    def _codes_of_all(self) -> np.ndarray:
        """What every spin shows, without the cursor: (rows, cols) codes."""
        codes = self._shades.copy() if self._shades is not None else (self.spins > 0)
        codes = codes.astype(np.int16)
        return codes if self.pins is None else pinned_codes(codes, self.pins)

    # -- refreshing ---------------------------------------------------------

    def refresh_all(self) -> None:
        """Forget every cached line and repaint the whole grid."""
        self._lines.clear()
        self.refresh()

    def refresh_spins(self, indices: Iterable[int]) -> None:
        """Repaint only the cells that show the spins at these flat indices.

        A few spins repaint their own cells, many the lines they touch
        (``spin_cells.repaint_areas``).
        """
        if isinstance(indices, np.ndarray):
            indices = indices.astype(np.int64, copy=False).reshape(-1)
        else:
            indices = np.fromiter(indices, dtype=np.int64)
        pad_x, pad_y = self._padding
        scroll_x, scroll_y = self.scroll_offset
        lines, regions = repaint_areas(
            indices, self.cols, self.zoom, (pad_x - scroll_x, pad_y - scroll_y), self.size.width
        )
        for line in lines:
            self._lines.pop(line, None)
        for region in regions:
            self.refresh(region)

    def refresh_some_spins(self, indices: np.ndarray, lines: int, start: int) -> np.ndarray:
        """``refresh_spins`` for the spins on ``lines`` of the lines on screen at most;
        return the indices left for later.

        The lines are taken in turn from screen line ``start`` (modulo the lines on
        screen), so that changes everywhere come through; spins off screen are
        refreshed at once (they cost nothing to draw).
        """
        indices = np.asarray(indices, dtype=np.int64).reshape(-1)
        height = self.size.height
        if not indices.size or height <= 0:
            return indices[:0]
        _, pad_y = self._padding
        rows = indices // self.cols
        on_screen = (rows * self.zoom) // 2 + pad_y - self.scroll_offset.y  # a spin's top line
        shown = (on_screen >= 0) & (on_screen < height)
        screen_lines = np.unique(on_screen[shown])
        if len(screen_lines) <= lines:
            self.refresh_spins(indices)
            return indices[:0]
        turn = (screen_lines - start) % height  # the order of the turn, from ``start``
        now = screen_lines[np.argsort(turn, kind="stable")[:lines]]
        taken = ~shown | np.isin(on_screen, now)
        self.refresh_spins(indices[taken])
        return indices[~taken]

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
        if code < BLANK or code in (PINNED_SOUTH, PINNED_NORTH):
            name = ("south", "north", "cursor-south", "cursor-north", "", "pinned-south")
            name += ("pinned-north",)
            return self.get_component_rich_style(f"spin-grid--{name[code]}").color
        return shade_colour(code, self._colour(SOUTH), self._colour(NORTH))

    def _make_style(self, pair: int) -> Style:
        """The style of a cell whose top and bottom half-rows show this pair of codes."""
        top, bottom = divmod(pair, CODES)
        style = Style(color=self._colour(top), bgcolor=self._colour(bottom))
        return self._truecolor_style(style, self._truecolor)

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
        if self.pins is not None:
            codes[inside] = pinned_codes(codes[inside], self.pins[rows[inside]])
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
            cursor = cursor_cells(
                numbers, start, end, zoom, self.cursor if self.has_focus else None
            )
            for line, top_row, bottom_row, cursor_row in zip(
                lines, top, bottom, cursor, strict=True
            ):
                body = glyph_segments(top_row, bottom_row, cursor_row)
                self._lines[line] = Strip([*head, *body, *tail], view.width)
            return
        strips = colour_strips(top, bottom, head, tail, view.width, self._segments)
        self._lines.update(zip(lines, strips, strict=True))

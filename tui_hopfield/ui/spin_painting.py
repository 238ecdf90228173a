"""How the pointer and the keyboard paint on a spin grid.

``SpinPainting`` is mixed into ``SpinGrid`` (before Textual's base classes, so
that its handlers come first, as the grid's own would): the mouse paints
strokes (the left button turns spins over to the opposite of the first one
under it, the right button paints south), the keyboard moves the cursor and
toggles a spin, and a brush paints wherever the cursor goes. Pins go the same
way: ``a`` pins (or unpins) the magnet under the cursor and every one the
cursor then passes, until ``a`` again; a stroke with ctrl held pins (left
button) or unpins (right button). Nothing here changes the spins or the pins:
painting posts ``SpinGrid.Painted``, pinning ``SpinGrid.Pinned``, and the
screen applies them.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual.geometry import Region

from tui_hopfield.ui.strokes import stroke_path


class SpinPainting:
    """The pointer and keyboard half of ``SpinGrid``; it uses the grid's spins, cursor,
    brush, zoom and geometry, and keeps the stroke under way in ``_stroke``."""

    _strokes = 0  # the number of the last stroke begun: a press, a brush, a toggle
    _brush_stroke = 0  # the brush's: what it paints as the cursor moves is one stroke
    _pin_stroke = 0  # the pin brush's
    _pinning_mouse: bool | None = None  # a ctrl stroke of the pointer: pins (True) or unpins

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
        if event.ctrl:  # a stroke of pins: left pins, right unpins
            self._pinning_mouse = event.button != 3
        if event.button == 3:
            value = -1
        else:
            row, col = spots[0]
            value = -int(self.spins[row, col])
        self._stroke = (value, spots)
        self._strokes += 1
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
        extra = len(spots) - 1  # the half-block view without pixels paints two rows
        path = stroke_path(previous[0], spots[0], extra, self.rows)
        self._stroke = (value, spots)
        self.cursor = spots[0]
        self._paint(path, value)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._stroke is not None:
            self._stroke = None
            self._pinning_mouse = None
            self.release_mouse()
            event.stop()

    def _paint(
        self,
        spots: Iterable[tuple[int, int]],
        value: int,
        toggle: bool = False,
        stroke: int | None = None,
    ) -> None:
        indices = tuple(dict.fromkeys(row * self.cols + col for row, col in spots))
        if indices and self._pinning_mouse is not None and self._stroke is not None:
            self.post_message(self.Pinned(indices, self._pinning_mouse, self._strokes))
        elif indices:
            self.show_values(None)  # the screen is about to edit the spins: show them
            stroke = self._strokes if stroke is None else stroke
            self.post_message(self.Painted(indices, value, stroke, toggle))

    # -- keyboard -----------------------------------------------------------

    def watch_cursor(self, old: tuple[int, int], new: tuple[int, int]) -> None:
        self.refresh_spins([old[0] * self.cols + old[1], new[0] * self.cols + new[1]])
        if self.brush:
            self._paint([new], self.brush, stroke=self._brush_stroke)
        if self.pinning:
            index = new[0] * self.cols + new[1]
            self.post_message(self.Pinned((index,), self.pinning > 0, self._pin_stroke))
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
        self._strokes += 1
        self._paint([(row, col)], -int(self.spins[row, col]), toggle=True)

    def watch_brush(self) -> None:
        self._describe()

    def watch_pinning(self) -> None:
        self._describe()

    def action_pin_brush(self) -> None:
        """Pin the magnet under the cursor (unpin a pinned one), and each one the cursor
        then passes, until the key again lifts the pin brush."""
        if self.pinning:
            self.pinning = 0
            return
        row, col = self.cursor
        index = row * self.cols + col
        pins = self.pins
        pin = pins is None or not bool(pins[row, col])
        self._strokes += 1
        self._pin_stroke = self._strokes
        self.pinning = 1 if pin else -1
        self.post_message(self.Pinned((index,), pin, self._pin_stroke))

    def action_brush(self, value: int) -> None:
        """Paint ``value`` wherever the cursor goes; the same key again lifts the brush."""
        self.brush = 0 if self.brush == value else value
        if self.brush:
            self._strokes += 1
            self._brush_stroke = self._strokes
            self._paint([self.cursor], self.brush)

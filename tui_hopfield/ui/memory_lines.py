"""The memory panel's drawn lines: each row's thumbnail and text, kept by what they show.

``MemoryLines`` turns a ``MemoryRow`` into the strip of one of its lines, in the
panel's component styles, and keeps the strips and the thumbnails by content:
the same memories in a new network (a session opened, a rule learned, an
overload swapped in) cost no new pictures, and a row drawn again for another
row's sake costs no new strips. ``Look`` is what all the lines of one drawing
share. The panel (``memory_list``) owns one and says when its styles change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from tui_hopfield.model.names import visible
from tui_hopfield.ui.memory_rows import MemoryRow
from tui_hopfield.ui.thumbnail import picture_strips

FULL, EIGHTHS = "\u2588", " \u258f\u258e\u258d\u258c\u258b\u258a\u2589"
ROW_LINES = 4
"""Lines each memory's thumbnail may take (a square grid gets 8 x 8 pixels)."""
TEXT_LINES = 3
"""Lines of a row's text: the name, the overlap bar, the strength and valley."""


@dataclass(frozen=True)
class Look:
    """What every line of one drawing of the panel shares: its width and styles."""

    width: int
    """The panel's width in cells."""
    base: Style
    """The panel's own style (its background)."""
    highlight: Style
    """What the highlighted row adds to ``base``."""
    scroll_y: int
    """The first line of the panel's whole height that is on show."""
    thumbnail: Size
    """The cells each memory's picture takes."""
    row_height: int
    """Lines per memory."""


def bar(fraction: float, width: int) -> str:
    """A horizontal bar ``width`` cells long filled to ``fraction`` (0..1), in eighths."""
    eighths = round(min(max(fraction, 0.0), 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    text = FULL * full + (EIGHTHS[part] if part else "")
    return text.ljust(width)


def overlap_text(value: float) -> str:
    """An overlap with its sign, two decimals: ``+0.50``, ``-1.00``; one that rounds
    to zero has no sign (`` 0.00``, never ``-0.00``), in the same width."""
    text = f"{value:+.2f}"
    return " 0.00" if text in ("+0.00", "-0.00") else text


def number(value: float) -> str:
    """A strength or a count as typed: ``1``, ``2.5``, ``0.333``."""
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def text_width(width: int, thumbnail: int) -> int:
    """The cells of a row's text in a panel ``width`` cells wide beside a ``thumbnail``."""
    return max(8, width - thumbnail - 1)


def shown_overlap(overlap: float, width: int) -> tuple[str, str]:
    """What a row's overlap line shows in ``width`` cells of text: its bar and its number.

    Both are quantised (the bar in eighths of a cell, the number to two decimals), so an
    overlap that moves a little during a recall draws the very same line.
    """
    return bar(abs(overlap), width - 6), overlap_text(overlap)


def shown_numbers(row: MemoryRow, line: int, width: int = 0) -> object:
    """What line ``line`` of ``row`` shows besides its picture (a key for the line cache),
    in ``width`` cells of text."""
    if line == 0:
        return row.name
    if line == 1:
        return shown_overlap(row.overlap, width)
    if line == 2:
        return (row.strength, None if np.isnan(row.valley) else row.valley)
    if line == 3:
        return row.links
    return None


class MemoryLines:
    """The strips of the memory panel's rows, drawn in ``panel``'s component styles and kept.

    Lines are kept by what they show, thumbnails by their pattern's identity and
    by its content; ``restyle`` (the panel's styles changed) drops the lines, and
    the thumbnails too once their colours are found to differ.
    """

    def __init__(self, panel: Widget) -> None:
        self.panel = panel
        """The widget whose component styles (``memory-list--*``) the lines are drawn in."""
        self._pictures: LRUCache[tuple[int, bool], tuple[np.ndarray, list[Strip], bytes]] = (
            LRUCache(256)
        )
        self._by_content: LRUCache[bytes, list[Strip]] = LRUCache(256)
        self._lines: LRUCache[tuple, Strip] = LRUCache(1024)
        self._palette: tuple[Color, Color] | None = None
        self._last_palette: tuple[Color, Color] | None = None

    def restyle(self) -> None:
        """The panel's styles changed: draw the lines again, the thumbnails if their colours did."""
        self._palette = None
        self._lines.clear()

    def hint_line(self, text: str, width: int, base: Style) -> Strip:
        """A line of the empty panel's hint."""
        hint = self.text_style("memory-list--hint", base)
        return Strip([Segment(text, hint)]).crop_extend(0, width, base)

    def row_line(
        self, row: MemoryRow, line: int, best: bool, base: Style, look: Look, glyphs: bool
    ) -> Strip:
        """Line ``line`` of ``row``: its thumbnail's line, a gap and its text, on ``base``."""
        width = look.width
        pictures, digest = self.picture(row.pattern, glyphs)
        # A line is kept by what it shows: a row that comes back (the same memory in a
        # new network, a redraw for another row's valley) costs no new strips.
        shown = shown_numbers(row, line, text_width(width, look.thumbnail.width))
        key = (line, digest, base, best, width, look.thumbnail, shown)
        cached = self._lines.get(key)
        if cached is not None:
            return cached
        thumbnail = look.thumbnail.width
        if line < len(pictures):
            left = pictures[line].apply_style(base).crop_extend(0, thumbnail, base)
        else:
            left = Strip.blank(thumbnail, base)
        text = self.text_line(row, best, line, text_width(width, thumbnail), base)
        strip = Strip.join([left, Strip.blank(1, base), text]).crop_extend(0, width, base)
        self._lines[key] = strip
        return strip

    def text_style(self, component: str, base: Style) -> Style:
        """The colour and weight of a component, on the row's own background."""
        full = self.panel.get_component_rich_style(component)
        return base + Style(color=full.color, bold=full.bold, italic=full.italic)

    def text_line(self, row: MemoryRow, best: bool, line: int, width: int, base: Style) -> Strip:
        """Line ``line`` of ``row``'s text: its name, its overlap bar, or its numbers."""
        width = max(8, width)
        name = self.text_style("memory-list--best" if best else "memory-list--name", base)
        if line == 0:
            # Names are cleaned when made; drawn visible again, as no Segment may hold a control.
            shown = visible(row.name)
            text = shown if len(shown) <= width else shown[: width - 1] + "\u2026"
            segments = [Segment(text, name)]
        elif line == 1:
            cells, shown = shown_overlap(row.overlap, width)
            colour = "memory-list--inverse" if shown.startswith("-") else "memory-list--bar"
            segments = [
                Segment(cells, self.text_style(colour, base)),
                Segment(f" {shown}", name),
            ]
        elif line == 2:
            valley = "\u2026" if np.isnan(row.valley) else f"{row.valley:.1f}"
            strength = number(row.strength)
            numbers = f"strength {strength} \u00b7 valley {valley}"
            if len(numbers) > width:  # a narrow panel: the words shorten, the numbers stay
                numbers = f"str {strength} \u00b7 valley {valley}"
            if len(numbers) > width:
                numbers = f"str {strength} \u00b7 {valley}"
            if len(numbers) > width and not np.isnan(row.valley):
                numbers = f"str {strength} \u00b7 {row.valley:.0f}"
            segments = [Segment(numbers, self.text_style("memory-list--numbers", base))]
        elif line == 3 and row.links:
            shown = visible(row.links)  # names came from the user: drawn visible, never markup
            text = shown if len(shown) <= width else shown[: width - 1] + "\u2026"
            segments = [Segment(text, self.text_style("memory-list--numbers", base))]
        else:
            segments = []
        return Strip(segments).crop_extend(0, width, base)

    def picture(self, pattern: np.ndarray, glyphs: bool) -> tuple[list[Strip], bytes]:
        """The lines of a memory's thumbnail, and a digest of the pattern.

        They are kept while the pattern object lives, and by content too, so the
        same memories in a new network (a session opened, a rule learned, an
        overload swapped in) cost no new pictures.
        """
        if self._palette is None:
            palette = (
                self.panel.get_component_styles("memory-list--south").color,
                self.panel.get_component_styles("memory-list--north").color,
            )
            if palette != self._last_palette:
                self._pictures.clear()
                self._by_content.clear()
                self._lines.clear()
            self._palette = self._last_palette = palette
        key = (id(pattern), glyphs)
        cached = self._pictures.get(key)
        if cached is not None and cached[0] is pattern:
            return cached[1], cached[2]
        digest = hashlib.blake2b(pattern.tobytes(), digest_size=16).digest()
        digest += bytes(f"{pattern.shape} {glyphs}", "ascii")
        strips = self._by_content.get(digest)
        if strips is None:
            south, north = self._palette
            strips = picture_strips(
                pattern, 4 * ROW_LINES, ROW_LINES, south, north, Style(), glyphs=glyphs
            )
            self._by_content[digest] = strips
        self._pictures[key] = (pattern, strips, digest)
        return strips, digest

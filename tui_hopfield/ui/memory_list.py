"""The memory panel: every memory's picture, name, strength, valley and overlap.

Each memory is a row: a small thumbnail of its pattern beside its name, a bar
of its overlap with the grid and its strength and valley depth. The panel
takes the keyboard (up, down, home, end move the highlight; enter opens the
memory's menu) and the mouse (a click highlights a row, a double click opens
its menu). The menu's answer comes back as a ``MemoryList.Action`` message.

The panel draws its lines itself (Textual's line API), and only the lines on
screen: an overloaded network of thousands of memories costs what its visible
rows cost, not one widget per memory. Those lines and the thumbnails are drawn
and kept by ``memory_lines``; the valley depths of rows on show are computed in
a worker by ``memory_valleys``.
"""

from __future__ import annotations

import os
import textwrap

from textual import events
from textual.binding import Binding
from textual.dom import NoScreen
from textual.errors import NoWidget
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from tui_hopfield.model.network import Network
from tui_hopfield.ui.memory_lines import (
    ROW_LINES,
    TEXT_LINES,
    Look,
    MemoryLines,
    bar,
    shown_overlap,
    text_width,
)
from tui_hopfield.ui.memory_menu import MemoryMenu, MenuChoice
from tui_hopfield.ui.memory_rows import MemoryRows, RowSummary
from tui_hopfield.ui.memory_valleys import ValleyWork
from tui_hopfield.ui.thumbnail import fit

__all__ = ["HINT", "TITLE_LINES", "MemoryList", "bar"]

TITLE_LINES = 2
"""Lines above the panel (its title and the gap before it) shown with the first row."""
HINT = "no memories yet: press a picture, or draw and press i"
"""What the panel says while there are no memories."""


class MemoryList(ScrollView, can_focus=True):
    """The memory panel: one row per memory, with a highlighted row and a menu.

    Set ``rows`` (or call ``show_network``) to show memories; the best match
    (largest |overlap|) is drawn in ``memory-list--best``, a negative overlap's
    bar in ``memory-list--inverse``, the highlighted row on
    ``memory-list--highlight``. Enter or a double click opens the highlighted
    memory's menu; its choice is posted as ``MemoryList.Action``. The panel is as
    tall as its rows unless its height is set, when it scrolls them itself.
    """

    class Action(Message):
        """The user chose something to do with one memory in the memory panel's menu.

        The screen applies it: ``reinforce`` calls ``network.reinforce(index, times)``,
        ``forget`` ``network.forget(index)``, ``rename`` ``network.rename(index, name)``
        and ``show`` puts the memory's picture on the grid.
        """

        def __init__(
            self,
            index: int,
            action: str,
            *,
            times: float = 1.0,
            name: str = "",
            memory: str = "",
            target: str = "",
            strength: float = 0.0,
        ) -> None:
            super().__init__()
            self.index = index
            """Position of the memory in the network's list."""
            self.action = action
            """``"reinforce"``, ``"forget"``, ``"rename"`` or ``"show"``."""
            self.times = times
            """How many times over to reinforce (positive, may be fractional)."""
            self.name = name
            """The new name, for ``rename``; empty otherwise."""
            self.memory = memory
            """The memory's name when the menu opened, to check that ``index`` still means it."""
            self.target = target
            """The memory to link to, for ``link``."""
            self.strength = strength
            """The link's strength, for ``link`` (0 removes it)."""

    COMPONENT_CLASSES = {
        "memory-list--name",
        "memory-list--bar",
        "memory-list--inverse",
        "memory-list--best",
        "memory-list--numbers",
        "memory-list--highlight",
        "memory-list--hint",
        "memory-list--north",
        "memory-list--south",
    }
    """Name, bar, bar of a negative overlap, the closest memory, strength and valley,
    the highlighted row's background, the empty panel's hint, and the thumbnails'
    colours of north and south."""

    BINDINGS = [
        # The capitals are Caps Lock's (ids: ui/actions.py's memories.*).
        Binding("up,k,K", "move(-1)", "Previous memory", show=False, id="memories.previous"),
        Binding("down,j,J", "move(1)", "Next memory", show=False, id="memories.next"),
        Binding("pageup", "page(-1)", "A page of memories up", show=False, id="memories.page-up"),
        Binding(
            "pagedown", "page(1)", "A page of memories down", show=False, id="memories.page-down"
        ),
        Binding("home", "jump(0)", "First memory", show=False, id="memories.first"),
        Binding("end", "jump(-1)", "Last memory", show=False, id="memories.last"),
        Binding("enter", "open_menu", "Memory menu", show=False, id="memories.menu"),
    ]

    DEFAULT_CSS = """
    MemoryList {
        width: 1fr;
        height: auto;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    MemoryList > .memory-list--highlight {
        background: $boost;
    }
    MemoryList:focus > .memory-list--highlight {
        background: $primary 35%;
    }
    MemoryList > .memory-list--name {
        color: $text-muted;
    }
    MemoryList > .memory-list--best {
        color: $text;
        text-style: bold;
    }
    MemoryList > .memory-list--bar {
        color: $magnet-north;
    }
    MemoryList > .memory-list--inverse {
        color: $magnet-south;
    }
    MemoryList > .memory-list--numbers {
        color: $text-muted;
    }
    MemoryList > .memory-list--hint {
        color: $text-muted;
        text-style: italic;
    }
    MemoryList > .memory-list--north {
        color: $magnet-north;
    }
    MemoryList > .memory-list--south {
        color: $magnet-south;
    }
    """

    # Not repainted whole on each change: watch_rows marks only the lines that changed.
    rows: reactive[MemoryRows] = reactive(MemoryRows, always_update=False, repaint=False)
    """Every memory, in the order they were stored."""
    highlighted: reactive[int | None] = reactive(None)
    """Index of the highlighted row, None when there are no memories."""
    glyphs: reactive[bool] = reactive(False)
    """Draw the thumbnails without colour (north as ink), like the grid's glyph view;
    on at start when ``NO_COLOR`` is set."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.summary = RowSummary()
        """Builds rows from a network for ``show_network``."""
        self.drawn = MemoryLines(self)
        """The rows' drawn lines and thumbnails, kept by content."""
        self._look: Look | None = None
        self.valley_work = ValleyWork(self, lambda: self.rows.valleys)
        """Computes the valleys the drawn rows want, in a worker."""
        self.set_reactive(MemoryList.glyphs, bool(os.environ.get("NO_COLOR")))

    def on_mount(self) -> None:
        self._resize()

    def show_network(self, network: Network) -> None:
        """Show ``network``'s memories and their overlaps with its state."""
        self.rows = self.summary.rows(network)

    @property
    def best(self) -> int | None:
        """Index of the memory with the largest |overlap|, None without memories."""
        return self.rows.best

    @property
    def thumbnail_size(self) -> Size:
        """The cells each memory's picture takes (none without memories)."""
        shape = self.rows.shape
        if shape is None:
            return Size(0, 0)
        width, height, _ = fit(shape[0], shape[1], 4 * ROW_LINES, ROW_LINES)
        return Size(width, height)

    @property
    def row_height(self) -> int:
        """Lines per memory: its picture or its text, whichever is taller."""
        return max(TEXT_LINES + bool(self.rows.links), self.thumbnail_size.height)

    def row_region(self, index: int) -> Region:
        """Where row ``index`` is in the panel's whole (scrollable) height."""
        return Region(0, index * self.row_height, self.size.width, self.row_height)

    def row_at(self, y: int) -> int | None:
        """The row under line ``y`` of the panel's whole height, or None."""
        index = y // self.row_height
        return index if self.rows and 0 <= index < len(self.rows) else None

    def watch_rows(self, old: MemoryRows, new: MemoryRows) -> None:
        self._resize()
        if not self.rows:
            self.highlighted = None
        elif self.highlighted is None:
            self.highlighted = 0
        elif self.highlighted >= len(self.rows):
            self.highlighted = len(self.rows) - 1
        if not self._refresh_moved(old, new):
            self.refresh()

    def _refresh_moved(self, old: MemoryRows, new: MemoryRows) -> bool:
        """Mark for drawing only the lines of rows on show whose overlap's bar, number or
        best-match mark changed from ``old`` to ``new``; whether that sufficed (False: the
        memories themselves changed, and the whole panel must be drawn).

        A recall gives new overlaps every frame, but they are drawn quantised: most rows
        show the very same lines, and only the few that moved are drawn again.
        """
        same = (
            old.names is new.names
            and old.pictures is new.pictures
            and old.valleys is new.valleys
            and old.links == new.links
            and len(old) == len(new)
        )
        if not same or not new:
            return False
        try:  # the lines on screen: the panel's own height, or less in a scrolling parent
            where = self.screen.find_widget(self)
        except (NoWidget, NoScreen):
            return False
        shown = where.region.intersection(where.clip)
        if not shown:
            return True  # nothing of the panel is on screen: it is drawn when it comes back
        row_height = self.row_height
        top = int(self.scroll_offset.y) + shown.y - where.region.y
        first = top // row_height
        last = min(len(new), (top + shown.height - 1) // row_height + 1)
        width = text_width(self.scrollable_content_region.width, self.thumbnail_size.width)
        best = {old.best, new.best} if old.best != new.best else set()
        for index in range(first, last):
            if index in best:  # the name's weight and the number's: two lines
                self.refresh_lines(index * row_height, 2)
            elif shown_overlap(old.overlaps[index], width) != shown_overlap(
                new.overlaps[index], width
            ):
                self.refresh_lines(index * row_height + 1)
        return True

    def watch_glyphs(self) -> None:
        self.refresh()

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not self.rows:
            return None
        return min(max(value, 0), len(self.rows) - 1)

    def watch_highlighted(self) -> None:
        self.refresh()

    def hint_lines(self, width: int) -> list[str]:
        """The empty panel's hint, wrapped to ``width`` cells."""
        return textwrap.wrap(HINT, max(8, width))

    def on_resize(self) -> None:
        self._resize()

    def _resize(self) -> None:
        if self.rows:
            height = len(self.rows) * self.row_height
        else:
            height = len(self.hint_lines(self.size.width or len(HINT)))
        if height != self.virtual_size.height:
            self.virtual_size = Size(0, height)
            self.refresh(layout=True)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # The thumbnails are dropped only if their colours changed (not on focus, say);
        # the lines, drawn in the components' styles, are drawn again.
        self.drawn.restyle()

    # -- drawing ------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles and sizes every line needs are looked up once per drawing, not per
        # line: a new network's panel is drawn in the frame that swaps it in.
        self._look = self._current_look()
        try:
            return super().render_lines(crop)
        finally:
            self._look = None

    def _current_look(self) -> Look:
        thumbnail = self.thumbnail_size
        return Look(
            # Without the scrollbar's column: ``size`` counts it.
            self.scrollable_content_region.width,
            self.rich_style,
            self.get_component_rich_style("memory-list--highlight"),
            int(self.scroll_offset.y),
            thumbnail,
            max(TEXT_LINES + bool(self.rows.links), thumbnail.height),  # a line for links
        )

    def render_line(self, y: int) -> Strip:
        look = self._look or self._current_look()
        width = look.width
        base = look.base
        y += look.scroll_y
        rows = self.rows
        if not rows:
            lines = self.hint_lines(width)
            if y >= len(lines):
                return Strip.blank(width, base)
            return self.drawn.hint_line(lines[y], width, base)
        index, line = divmod(y, look.row_height)
        if index >= len(rows):
            return Strip.blank(width, base)
        if index == self.highlighted:
            base = base + look.highlight
        row = rows[index]
        if rows.valleys is not None and rows.valleys.wanted:
            self.valley_work.ask()
        return self.drawn.row_line(row, line, index == rows.best, base, look, self.glyphs)

    # -- keys and the mouse ---------------------------------------------------

    def highlight(self, index: int) -> None:
        """Highlight row ``index`` (clamped) and scroll it into view, here and in ancestors."""
        if not self.rows:
            return
        self.highlighted = index
        self.call_after_refresh(self._reveal)

    def _reveal(self) -> None:
        """Scroll the highlighted row into view: in the panel, then in each ancestor."""
        if self.highlighted is None:
            return
        region = self.row_region(self.highlighted)
        self.scroll_to_region(region, animate=False, immediate=True, force=True)
        if self.highlighted == 0:  # the first row brings the title above the panel along
            region = region.grow(Spacing(TITLE_LINES, 0, 0, 0))
        # The row in the parent's coordinates, as Widget.scroll_to_widget does for widgets.
        region = region.translate(-self.scroll_offset).translate(self.virtual_region.offset)
        widget: Widget = self
        while isinstance(widget.parent, Widget) and region:
            container = widget.parent
            offset = container.scroll_to_region(region, animate=False, immediate=True)
            region = (
                region.translate(-offset)
                .translate(container.styles.margin.top_left)
                .translate(container.styles.border.spacing.top_left)
                .translate(container.virtual_region_with_margin.offset)
            ).intersection(container.virtual_region_with_margin.grow(container.styles.margin))
            widget = container

    def action_move(self, step: int) -> None:
        """Move the highlight ``step`` rows down (negative: up)."""
        if self.rows:
            self.highlight((self.highlighted or 0) + step)

    def action_page(self, pages: int) -> None:
        """Move the highlight by ``pages`` screenfuls of rows (negative: up)."""
        if not self.rows:
            return
        parent = self.parent if isinstance(self.parent, Widget) else None
        height = self.size.height if parent is None else parent.scrollable_content_region.height
        height = min(height, self.size.height) or self.size.height
        self.action_move(pages * max(1, height // self.row_height - 1))

    def action_jump(self, index: int) -> None:
        """Highlight row ``index`` (negative counts from the end)."""
        if self.rows:
            self.highlight(index % len(self.rows))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.row_at(offset.y + int(self.scroll_offset.y))
        if index is None:
            return
        self.highlight(index)
        if event.chain >= 2:
            self.action_open_menu()

    def action_open_menu(self) -> None:
        """Open the menu of the highlighted memory."""
        index = self.highlighted
        if index is None or index >= len(self.rows):
            return
        row = self.rows[index]
        others = [name for k, name in enumerate(self.rows.names) if k != index]

        def chosen(choice: MenuChoice | None) -> None:
            if choice is not None:
                self.post_message(
                    self.Action(
                        index,
                        choice.action,
                        times=choice.times,
                        name=choice.name,
                        memory=row.name,
                        target=choice.target,
                        strength=choice.strength,
                    )
                )

        links = dict(self.rows.outgoing.get(row.name, ()))
        menu = MemoryMenu(row, taken=others, targets=others, links=links)
        self.app.push_screen(menu, chosen)

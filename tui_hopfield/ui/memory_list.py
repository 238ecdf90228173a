"""The memory panel: every memory's picture, name, strength, valley and overlap.

Each memory is a row: a small thumbnail of its pattern beside its name, a bar
of its overlap with the grid and its strength and valley depth. The panel
takes the keyboard (up, down, home, end move the highlight; enter opens the
memory's menu) and the mouse (a click highlights a row, a double click opens
its menu). The menu's answer comes back as a ``MemoryAction`` message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label

from tui_hopfield.model.network import Network
from tui_hopfield.ui.memory_menu import MemoryMenu, MenuChoice
from tui_hopfield.ui.messages import MemoryAction
from tui_hopfield.ui.thumbnail import Thumbnail

FULL, EIGHTHS = "\u2588", " \u258f\u258e\u258d\u258c\u258b\u258a\u2589"
ROW_LINES = 4
"""Lines each memory's thumbnail may take (a square grid gets 8 x 8 pixels)."""


def bar(fraction: float, width: int) -> str:
    """A horizontal bar ``width`` cells long filled to ``fraction`` (0..1), in eighths."""
    eighths = round(min(max(fraction, 0.0), 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    text = FULL * full + (EIGHTHS[part] if part else "")
    return text.ljust(width)


def number(value: float) -> str:
    """A strength or a count as typed: ``1``, ``2.5``, ``0.333``."""
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


@dataclass(frozen=True, eq=False)
class MemoryRow:
    """What the panel shows of one memory.

    Two rows are equal when their numbers are and they hold the very same
    pattern array: thumbnails are cached by the pattern's identity, so a row
    that keeps its pattern object costs no new picture.
    """

    name: str
    """The memory's name."""
    strength: float
    """Its strength c in the learning rule."""
    valley: float
    """The energy of its own picture: how deep its valley is."""
    overlap: float
    """Its overlap with the grid, in [-1, 1] (-1: the grid is its inverse)."""
    pattern: np.ndarray
    """Its spins, int8 (rows, cols); never written into."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MemoryRow):
            return NotImplemented
        return self.pattern is other.pattern and (
            self.name,
            self.strength,
            self.valley,
            self.overlap,
        ) == (other.name, other.strength, other.valley, other.overlap)

    def __hash__(self) -> int:
        return hash((self.name, self.strength, self.valley, self.overlap, id(self.pattern)))


class RowSummary:
    """Builds ``MemoryRow`` tuples from a network, cheaply enough for every frame.

    The patterns and the valley depths (an O(N P) energy each) are taken again
    only when the memories change (the network's ``revision``); the overlaps
    are read on every call.
    """

    def __init__(self) -> None:
        self._key: tuple[int, int, int] | None = None
        self._fixed: list[tuple[str, float, float, np.ndarray]] = []

    def rows(self, network: Network) -> tuple[MemoryRow, ...]:
        """One row per memory of ``network``, in its order."""
        key = (id(network), network.revision, network.count)
        if key != self._key:
            self._key = key
            memories = [network.memory(index) for index in range(network.count)]
            valleys = network.valleys().tolist()
            self._fixed = [
                (memory.name, memory.strength, valley, memory.pattern)
                for memory, valley in zip(memories, valleys, strict=True)
            ]
            for *_, pattern in self._fixed:
                pattern.flags.writeable = False
        overlaps = network.overlaps().tolist()
        return tuple(
            MemoryRow(name, strength, valley, overlap, pattern)
            for (name, strength, valley, pattern), overlap in zip(
                self._fixed, overlaps, strict=True
            )
        )


class RowText(Widget):
    """The words and the bar beside a memory's thumbnail."""

    DEFAULT_CSS = """
    RowText {
        width: 1fr;
        height: auto;
        padding-left: 1;
    }
    """

    def __init__(self, panel: MemoryList) -> None:
        super().__init__()
        self.panel = panel
        """The panel whose component classes colour the text."""
        self.row: MemoryRow | None = None
        """The memory shown."""
        self.best = False
        """Whether the grid is closer to this memory than to any other."""

    def show(self, row: MemoryRow, best: bool) -> None:
        """Show ``row``; repaint only if something changed."""
        if row != self.row or best != self.best:
            self.row, self.best = row, best
            self.refresh()

    def render(self) -> Text:
        row = self.row
        if row is None:
            return Text()

        def style(component: str) -> Style:
            # The colour and weight of a component, on the row's own background.
            full = self.panel.get_component_rich_style(component)
            return Style(color=full.color, bold=full.bold, italic=full.italic)

        width = max(8, self.size.width)
        name_style = style("memory-list--best" if self.best else "memory-list--name")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(row.name, name_style)
        text.append("\n")
        bar_style = style("memory-list--inverse" if row.overlap < 0 else "memory-list--bar")
        text.append(bar(abs(row.overlap), width - 6), bar_style)
        text.append(f" {row.overlap:+.2f}", name_style)
        text.append("\n")
        text.append(
            f"strength {number(row.strength)} \u00b7 valley {row.valley:.1f}",
            style("memory-list--numbers"),
        )
        return text


class MemoryRowView(Widget):
    """One memory in the panel: its thumbnail and its text."""

    DEFAULT_CSS = """
    MemoryRowView {
        layout: horizontal;
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, panel: MemoryList, index: int) -> None:
        super().__init__()
        self.index = index
        """Position of the memory shown."""
        self.thumbnail = Thumbnail(width=4 * ROW_LINES, height=ROW_LINES)
        """The memory's picture."""
        self.text = RowText(panel)
        """Its name, overlap bar and numbers."""

    def compose(self) -> ComposeResult:
        yield self.thumbnail
        yield self.text

    def show(self, row: MemoryRow, best: bool, glyphs: bool) -> None:
        """Show ``row``; the thumbnail is drawn again only for a new pattern."""
        self.thumbnail.values = row.pattern
        self.thumbnail.glyphs = glyphs
        self.text.show(row, best)


class MemoryList(ScrollableContainer, can_focus=True):
    """The memory panel: one row per memory, with a highlighted row and a menu.

    Set ``rows`` (or call ``show_network``) to show memories; the best match
    (largest |overlap|) is drawn in ``memory-list--best``, a negative overlap's
    bar in ``memory-list--inverse``. Enter or a double click opens the
    highlighted memory's menu; its choice is posted as ``MemoryAction``.
    """

    COMPONENT_CLASSES = {
        "memory-list--name",
        "memory-list--bar",
        "memory-list--inverse",
        "memory-list--best",
        "memory-list--numbers",
    }
    """Name, bar, bar of a negative overlap, the closest memory, strength and valley."""

    BINDINGS = [
        Binding("up,k", "move(-1)", "Previous memory", show=False),
        Binding("down,j", "move(1)", "Next memory", show=False),
        Binding("home", "jump(0)", "First memory", show=False),
        Binding("end", "jump(-1)", "Last memory", show=False),
        Binding("enter", "open_menu", "Memory menu", show=False),
    ]

    DEFAULT_CSS = """
    MemoryList {
        height: auto;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    MemoryList > MemoryRowView.-highlight {
        background: $boost;
    }
    MemoryList:focus > MemoryRowView.-highlight {
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
        color: #d7261e;
    }
    MemoryList > .memory-list--inverse {
        color: #2d6bd9;
    }
    MemoryList > .memory-list--numbers {
        color: $text-muted;
    }
    MemoryList > #memory-hint {
        width: 1fr;
        color: $text-muted;
        text-style: italic;
    }
    """

    rows: reactive[tuple[MemoryRow, ...]] = reactive(())
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
        self._views: list[MemoryRowView] = []
        self._hint = Label(
            "no memories yet: press a picture, or draw and press i", id="memory-hint"
        )
        self.set_reactive(MemoryList.glyphs, bool(os.environ.get("NO_COLOR")))

    def compose(self) -> ComposeResult:
        yield self._hint

    def on_mount(self) -> None:
        self._reconcile()

    def show_network(self, network: Network) -> None:
        """Show ``network``'s memories and their overlaps with its state."""
        self.rows = self.summary.rows(network)

    @property
    def best(self) -> int | None:
        """Index of the memory with the largest |overlap|, None without memories."""
        if not self.rows:
            return None
        return max(range(len(self.rows)), key=lambda k: abs(self.rows[k].overlap))

    @property
    def views(self) -> list[MemoryRowView]:
        """The row widgets, in order (those being removed are no longer listed)."""
        return list(self._views)

    def watch_rows(self) -> None:
        self._reconcile()

    def watch_glyphs(self) -> None:
        self._reconcile()

    def _reconcile(self) -> None:
        """Make one view per row and show each row in it."""
        if not self.is_mounted:
            return
        rows = self.rows
        views = self._views
        if len(views) > len(rows):
            for view in views[len(rows) :]:
                view.remove()
            del views[len(rows) :]
        elif len(views) < len(rows):
            extra = [MemoryRowView(self, index) for index in range(len(views), len(rows))]
            self.mount_all(extra)
            views.extend(extra)
        self._hint.display = not rows
        best = self.best
        for index, (view, row) in enumerate(zip(views, rows, strict=True)):
            view.show(row, index == best, self.glyphs)
        if not rows:
            self.highlighted = None
        elif self.highlighted is None:
            self.highlighted = 0
        elif self.highlighted >= len(rows):
            self.highlighted = len(rows) - 1
        else:
            self._mark(self.highlighted)

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not self.rows:
            return None
        return min(max(value, 0), len(self.rows) - 1)

    def watch_highlighted(self, value: int | None) -> None:
        self._mark(value)

    def _mark(self, value: int | None) -> None:
        for index, view in enumerate(self._views):
            view.set_class(index == value, "-highlight")

    def highlight(self, index: int) -> None:
        """Highlight row ``index`` (clamped) and scroll it into view, here and in ancestors."""
        if not self.rows:
            return
        self.highlighted = index
        self.call_after_refresh(self._reveal)

    def _reveal(self) -> None:
        views = self._views
        if self.highlighted is not None and self.highlighted < len(views):
            views[self.highlighted].scroll_visible(animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        """Move the highlight ``step`` rows down (negative: up)."""
        if self.rows:
            self.highlight((self.highlighted or 0) + step)

    def action_jump(self, index: int) -> None:
        """Highlight row ``index`` (negative counts from the end)."""
        if self.rows:
            self.highlight(index % len(self.rows))

    def on_click(self, event: events.Click) -> None:
        widget = event.widget
        while widget is not None and not isinstance(widget, MemoryRowView):
            widget = widget.parent if isinstance(widget.parent, Widget) else None
        if widget is None:
            return
        self.highlight(widget.index)
        if event.chain >= 2:
            self.action_open_menu()

    def action_open_menu(self) -> None:
        """Open the menu of the highlighted memory."""
        index = self.highlighted
        if index is None or index >= len(self.rows):
            return
        row = self.rows[index]
        others = [other.name for k, other in enumerate(self.rows) if k != index]

        def chosen(choice: MenuChoice | None) -> None:
            if choice is not None:
                self.post_message(
                    MemoryAction(
                        index, choice.action, times=choice.times, name=choice.name, memory=row.name
                    )
                )

        self.app.push_screen(MemoryMenu(row, taken=others), chosen)

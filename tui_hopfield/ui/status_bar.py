"""The status bar: the workspace's snapshot, drawn on one line."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui_hopfield.model.changes import Snapshot
from tui_hopfield.model.names import visible
from tui_hopfield.model.network import CAPACITY

STATE_AT_LEAST = 12
"""The fewest characters of the named state a narrow status bar keeps."""


class StatusBar(Widget):
    """``memories 3 · energy -498.2 · recalled smile · load 0.003 / ~0.138 · hebbian async``.

    A load past the classic capacity is drawn in ``status-bar--warning``.
    """

    COMPONENT_CLASSES = {"status-bar--key", "status-bar--state", "status-bar--warning"}
    """Labels, the named state, and a load over capacity."""

    snapshot: reactive[Snapshot] = reactive(Snapshot)
    """What to show: the workspace's numbers, the named state and the job running."""

    def render(self) -> Text:
        width = self.size.width
        full = self._line(self.snapshot.state, capacity=True)
        if not width or full.cell_len <= width:
            return full
        # Too narrow: the capacity hint goes first, then the state's name is shortened
        # (the rule and the mode stay), and what still does not fit ends in an ellipsis.
        line = self._line(self.snapshot.state, capacity=False)
        excess = line.cell_len - width
        state = visible(self.snapshot.state)
        if excess > 0 and len(state) > STATE_AT_LEAST:
            keep = max(STATE_AT_LEAST, len(state) - excess - 1)
            line = self._line(state[:keep] + "\u2026", capacity=False)
        line.truncate(width, overflow="ellipsis")
        return line

    def _line(self, state: str, capacity: bool) -> Text:
        """The line, with ``state`` as the named state, and the classic capacity if asked."""
        key = self.get_component_rich_style("status-bar--key")
        shown = self.snapshot
        text = Text(no_wrap=True, overflow="ellipsis")
        if shown.job:
            text.append(f" {shown.job}", self.get_component_rich_style("status-bar--state"))
            text.append(" (escape cancels) \u00b7", key)
        text.append(" memories ", key)
        text.append(str(shown.memories))
        text.append(" \u00b7 energy ", key)
        text.append(f"{shown.energy:.1f}")
        text.append(" \u00b7 ", key)
        # The state may name a memory: drawn with its controls visible.
        text.append(visible(state), self.get_component_rich_style("status-bar--state"))
        text.append(" \u00b7 load ", key)
        # The classic capacity is Hebb's; the other rules store more (the workspace knows).
        over = shown.over_capacity
        text.append(
            f"{shown.load:.3f}",
            self.get_component_rich_style("status-bar--warning") if over else "",
        )
        if capacity and abs(shown.effective_load - shown.load) >= 0.0005:
            # Some memories are weaker (faded): the capacity is met by the load by strength.
            text.append(" by strength ", key)
            text.append(
                f"{shown.effective_load:.3f}",
                self.get_component_rich_style("status-bar--warning") if over else "",
            )
        if capacity:
            text.append(f" / ~{CAPACITY}", key)
        if over:
            text.append(" (over capacity)", self.get_component_rich_style("status-bar--warning"))
        text.append(" \u00b7 ", key)
        text.append(shown.rule)
        if not shown.rule.startswith("modern"):
            text.append(f" {shown.mode}", key)
        return text

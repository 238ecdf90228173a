"""The status bar: a reactive mirror of the numbers the model reports."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui_hopfield.model.names import visible
from tui_hopfield.model.network import CAPACITY


class StatusBar(Widget):
    """``memories 3 · energy -498.2 · recalled smile · load 0.003 / ~0.138 · hebbian async``.

    A load past the classic capacity is drawn in ``status-bar--warning``.
    """

    COMPONENT_CLASSES = {"status-bar--key", "status-bar--state", "status-bar--warning"}
    """Labels, the named state, and a load over capacity."""

    memories: reactive[int] = reactive(0)
    """How many memories are stored."""
    energy: reactive[float] = reactive(0.0)
    """The energy of the grid."""
    state: reactive[str] = reactive("empty")
    """The named state: empty, drawing, broken, recalling, recalled <name>..."""
    load: reactive[float] = reactive(0.0)
    """The load P / N."""
    rule: reactive[str] = reactive("hebbian")
    """The learning rule's label."""
    mode: reactive[str] = reactive("async")
    """The update mode: async or sync."""
    job: reactive[str] = reactive("")
    """The heavy work running in a worker and how far it is (empty: none)."""

    def render(self) -> Text:
        key = self.get_component_rich_style("status-bar--key")
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.job:
            text.append(f" {self.job}", self.get_component_rich_style("status-bar--state"))
            text.append(" (escape cancels) \u00b7", key)
        text.append(" memories ", key)
        text.append(str(self.memories))
        text.append(" \u00b7 energy ", key)
        text.append(f"{self.energy:.1f}")
        text.append(" \u00b7 ", key)
        # The state may name a memory: drawn with its controls visible.
        text.append(visible(self.state), self.get_component_rich_style("status-bar--state"))
        text.append(" \u00b7 load ", key)
        # The classic capacity is Hebb's; the other rules store more.
        over = self.load > CAPACITY and self.rule in ("hebbian", "dense n=2")
        text.append(
            f"{self.load:.3f}",
            self.get_component_rich_style("status-bar--warning") if over else "",
        )
        text.append(f" / ~{CAPACITY}", key)
        if over:
            text.append(" (over capacity)", self.get_component_rich_style("status-bar--warning"))
        text.append(" \u00b7 ", key)
        text.append(self.rule)
        if not self.rule.startswith("modern"):
            text.append(f" {self.mode}", key)
        return text

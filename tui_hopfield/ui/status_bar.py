"""The status bar: the workspace's snapshot, on one line, or two when one cannot hold it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

from tui_hopfield.model.changes import Snapshot
from tui_hopfield.model.names import visible
from tui_hopfield.model.network import CAPACITY

STATE_AT_LEAST = 12
"""The fewest characters of the named state a narrow status bar keeps."""
SEPARATOR = " \u00b7 "
"""Between two parts of the line."""


@dataclass(frozen=True)
class Wording:
    """How much of the status bar is spelled out: the narrower, the shorter."""

    capacity: bool = True
    """Whether the classic capacity follows the load (``/ ~0.138``)."""
    short_labels: bool = False
    """``mem`` and ``E`` for ``memories`` and ``energy``."""
    short_over: bool = False
    """``(over cap)`` for ``(over capacity)``."""


WORDINGS = (
    Wording(),
    Wording(capacity=False),
    Wording(capacity=False, short_over=True),
    Wording(capacity=False, short_over=True, short_labels=True),
)
"""From the fullest to the shortest; the bar takes the first that fits."""


class StatusBar(Widget):
    """``memories 3 · energy -498.2 · recalled smile · load 0.003 / ~0.138 · hebbian async``.

    A load past the classic capacity is drawn in ``status-bar--warning``. Too
    narrow for the whole line, the bar drops the capacity hint, then shortens its
    own words (``(over cap)``, ``mem``, ``E``); when even that does not fit it
    takes two lines, breaking between parts; a name too long for two lines is
    shortened (to ``STATE_AT_LEAST`` at least). The rule, the mode, the load and
    an overload are never cut.
    """

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
    }
    """

    COMPONENT_CLASSES = {"status-bar--key", "status-bar--state", "status-bar--warning"}
    """Labels, the named state, and a load over capacity."""

    snapshot: reactive[Snapshot] = reactive(Snapshot)
    """What to show: the workspace's numbers, the named state and the job running."""

    def watch_snapshot(self) -> None:
        self._fit_height()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_height()

    def _fit_height(self, width: int | None = None) -> None:
        """One line or two, as the snapshot needs at ``width`` (default: the bar's own);
        set only when it changes."""
        width = width or self.size.width
        if not width:
            return
        lines = self.lines(width).plain.count("\n") + 1
        if self.styles.height is None or self.styles.height.value != lines:
            self.styles.height = lines

    def render(self) -> Text:
        return self.lines(self.size.width)

    def lines(self, width: int) -> Text:
        """The bar's text for ``width`` cells: one line if any wording fits, else two."""
        if not width:
            return self._joined(self._parts(WORDINGS[0], visible(self.snapshot.state)))
        state = visible(self.snapshot.state)
        for wording in WORDINGS:
            line = self._joined(self._parts(wording, state))
            if line.cell_len <= width:
                return line
        for wording in WORDINGS:
            split = self._split(self._parts(wording, state), width)
            if split is not None:
                return split
        # A long name: shortened, on one line.
        for wording in WORDINGS:
            line = self._joined(self._parts(wording, self._shortened(state, wording, width)))
            if line.cell_len <= width:
                return line
        # Still too long (a very long job or name): the state is shortened on two lines,
        # and whatever a line cannot hold ends in an ellipsis.
        wording = WORDINGS[-1]
        parts = self._parts(wording, state[: STATE_AT_LEAST - 1] + "\u2026")
        first, second = self._halves(parts, width)
        for line in (first, second):
            line.truncate(width, overflow="ellipsis")
        return Text("\n").join([first, second])

    def _shortened(self, state: str, wording: Wording, width: int) -> str:
        """``state`` cut (with an ellipsis) by what the line with it overflows ``width``."""
        excess = self._joined(self._parts(wording, state)).cell_len - width
        if excess <= 0 or len(state) <= STATE_AT_LEAST:
            return state
        return state[: max(STATE_AT_LEAST, len(state) - excess - 1)] + "\u2026"

    def _split(self, parts: list[Text], width: int) -> Text | None:
        """The parts on two lines, broken where both fit; None if no break fits."""
        first, second = self._halves(parts, width)
        if first.cell_len <= width and second.cell_len <= width:
            return Text("\n").join([first, second])
        return None

    def _halves(self, parts: list[Text], width: int) -> tuple[Text, Text]:
        """The parts in two lines: as many on the first as fit, the load onwards at most."""
        # The load, the overload and the rule go together on the second line.
        last = len(parts) - 2
        cut = 1
        while cut < last and self._joined(parts[: cut + 1]).cell_len <= width:
            cut += 1
        return self._joined(parts[:cut]), self._joined(parts[cut:])

    def _joined(self, parts: list[Text]) -> Text:
        """The parts with separators between them, and a leading space."""
        key = self.get_component_rich_style("status-bar--key")
        text = Text(" ", no_wrap=True, overflow="ellipsis")
        for number, part in enumerate(parts):
            if number:
                text.append(SEPARATOR, key)
            text.append_text(part)
        return text

    def _parts(self, wording: Wording, state: str) -> list[Text]:
        """Job, memories, energy, state, load (and overload), rule and mode, as parts."""
        key = self.get_component_rich_style("status-bar--key")
        strong = self.get_component_rich_style("status-bar--state")
        warning = self.get_component_rich_style("status-bar--warning")
        shown = self.snapshot
        parts: list[Text] = []
        if shown.job:
            parts.append(Text.assemble((shown.job, strong), (" (escape cancels)", key)))
        memories, energy = ("mem ", "E ") if wording.short_labels else ("memories ", "energy ")
        parts.append(Text.assemble((memories, key), str(shown.memories)))
        parts.append(Text.assemble((energy, key), f"{shown.energy:.1f}"))
        # The state may name a memory: drawn with its controls visible.
        parts.append(Text(state, strong))
        # The classic capacity is Hebb's; the other rules store more (the workspace knows).
        over = shown.over_capacity
        load = Text.assemble(("load ", key), (f"{shown.load:.3f}", warning if over else ""))
        if wording.capacity:
            load.append(f" / ~{CAPACITY}", key)
        if over:
            load.append(" (over cap)" if wording.short_over else " (over capacity)", warning)
        parts.append(load)
        rule = Text(shown.rule)
        if not shown.rule.startswith("modern"):
            rule.append(f" {shown.mode}", key)
        parts.append(rule)
        return parts

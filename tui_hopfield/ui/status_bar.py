"""The status bar: the workspace's snapshot, on one line, or two when one cannot hold it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

from tui_hopfield.model.changes import Snapshot
from tui_hopfield.model.names import visible
from tui_hopfield.model.network import CAPACITY

STATE_AT_LEAST = 12
"""The fewest characters of the named state a narrow status bar keeps."""
NUMBER_ROOM = (3, 7)
"""The characters the memories' count and the energy are measured at, at least
(``-1234.5``), so that the bar keeps its words while the energy falls."""
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

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._texts: dict[tuple[Snapshot, int], Text] = {}
        self._plans: dict[tuple, tuple[Wording, str, int | None] | None] = {}

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

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._texts.clear()  # drawn in the old colours

    def lines(self, width: int) -> Text:
        """The bar's text for ``width`` cells: one line if any wording fits, else two.

        The wording and the break are chosen for numbers of a typical width
        (``probe``), so that the bar does not change its words with every digit
        the energy gains or loses during a recall. Both the text and that choice are
        kept: a recall's frame changes the energy alone, and the bar sizes itself and
        draws once for it, with the choice it made for the last frame.
        """
        key = (self.snapshot, width)
        text = self._texts.get(key)
        if text is None:
            if len(self._texts) >= 16:
                self._texts.clear()
            text = self._texts[key] = self._lines(width)
        return text.copy()

    def _lines(self, width: int) -> Text:
        state = visible(self.snapshot.state)
        if not width:
            return self._joined(self._parts(WORDINGS[0], state))
        # The choice depends on the numbers' widths only (``probe``), not on the energy.
        shown = self.snapshot
        key = (replace(shown, energy=0.0), len(f"{shown.energy:.1f}"), width)
        if key not in self._plans:
            if len(self._plans) >= 16:
                self._plans.clear()
            self._plans[key] = self._plan(state, width)
        plan = self._plans[key]
        if plan is not None:
            wording, name, cut = plan
            parts = self._parts(wording, name)
            return self._joined(parts) if cut is None else self._two(parts, cut)
        # Still too long (a very long job or name): the state is shortened on two lines,
        # and whatever a line cannot hold ends in an ellipsis.
        wording = WORDINGS[-1]
        parts = self._parts(wording, state[: STATE_AT_LEAST - 1] + "\u2026")
        first, second = self._halves(parts, width)
        for line in (first, second):
            line.truncate(width, overflow="ellipsis")
        return Text("\n").join([first, second])

    def _plan(self, state: str, width: int) -> tuple[Wording, str, int | None] | None:
        """The wording, the state as shown and where the line breaks (None: on one line)
        that fit ``width``, measured with ``probe`` numbers; None if none does."""
        for wording in WORDINGS:
            if self._joined(self._parts(wording, state, probe=True)).cell_len <= width:
                return wording, state, None
        for wording in WORDINGS:
            cut = self._cut(self._parts(wording, state, probe=True), width)
            if cut is not None:
                return wording, state, cut
        # A long name: shortened, on one line.
        for wording in WORDINGS:
            name = self._shortened(state, wording, width)
            if self._joined(self._parts(wording, name, probe=True)).cell_len <= width:
                return wording, name, None
        return None

    def _shortened(self, state: str, wording: Wording, width: int) -> str:
        """``state`` cut (with an ellipsis) by what the line with it overflows ``width``."""
        excess = self._joined(self._parts(wording, state, probe=True)).cell_len - width
        if excess <= 0 or len(state) <= STATE_AT_LEAST:
            return state
        return state[: max(STATE_AT_LEAST, len(state) - excess - 1)] + "\u2026"

    def _cut(self, parts: list[Text], width: int) -> int | None:
        """Where the parts break into two lines that both fit ``width``; None if nowhere."""
        cut = self._break(parts, width)
        first, second = self._joined(parts[:cut]), self._joined(parts[cut:])
        return cut if first.cell_len <= width and second.cell_len <= width else None

    def _two(self, parts: list[Text], cut: int) -> Text:
        """The parts on two lines, broken before part ``cut``."""
        return Text("\n").join([self._joined(parts[:cut]), self._joined(parts[cut:])])

    def _break(self, parts: list[Text], width: int) -> int:
        """Where to break the parts into two lines: as many on the first as fit, but the
        load, the overload and the rule always together on the second."""
        last = len(parts) - 2
        cut = 1
        while cut < last and self._joined(parts[: cut + 1]).cell_len <= width:
            cut += 1
        return cut

    def _halves(self, parts: list[Text], width: int) -> tuple[Text, Text]:
        """The parts in two lines, broken as ``_break`` says."""
        cut = self._break(parts, width)
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

    def _parts(self, wording: Wording, state: str, probe: bool = False) -> list[Text]:
        """Job, memories, energy, state, load (and overload), rule and mode, as parts.

        ``probe`` widens the numbers to ``NUMBER_ROOM`` (to measure, not to show).
        """
        key = self.get_component_rich_style("status-bar--key")
        strong = self.get_component_rich_style("status-bar--state")
        warning = self.get_component_rich_style("status-bar--warning")
        shown = self.snapshot
        parts: list[Text] = []
        if shown.job:
            parts.append(Text.assemble((shown.job, strong), (" (escape cancels)", key)))
        memories, energy = ("mem ", "E ") if wording.short_labels else ("memories ", "energy ")
        count, value = str(shown.memories), f"{shown.energy:.1f}"
        if probe:
            count, value = count.rjust(NUMBER_ROOM[0]), value.rjust(NUMBER_ROOM[1])
        parts.append(Text.assemble((memories, key), count))
        parts.append(Text.assemble((energy, key), value))
        # The state may name a memory: drawn with its controls visible.
        parts.append(Text(state, strong))
        if shown.pinned:  # magnets recall keeps (``a`` pins, ``ctrl+u`` unpins all)
            pinned = "pin " if wording.short_labels else "pinned "
            parts.append(Text.assemble((pinned, key), f"{shown.pinned:,}"))
        # The classic capacity is Hebb's; the other rules store more (the workspace knows).
        over = shown.over_capacity
        load = Text.assemble(("load ", key), (f"{shown.load:.3f}", warning if over else ""))
        # The load by strength: faded memories count less (``Snapshot.effective_load``).
        effective = shown.effective_load
        if wording.capacity and abs(effective - shown.load) >= 0.0005:
            load.append(" by strength ", key)
            load.append(f"{effective:.3f}", warning if over else "")
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

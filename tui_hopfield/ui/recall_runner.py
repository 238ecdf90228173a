"""Recall on screen: flips from the dynamics, paced by the speed, shown cell by cell."""

from __future__ import annotations

import asyncio
import gc
from time import monotonic

import numpy as np
from textual import work
from textual.widgets import Button

from tui_hopfield.model import Flip
from tui_hopfield.model.changes import SPEEDS, step_seconds
from tui_hopfield.model.dynamics import Asynchronous, Step
from tui_hopfield.model.workspace import Dynamics

FPS = 30
"""Frames per second at most while recalling."""
FRAME_BUDGET = 0.02
"""Seconds of model work per frame at most, so keys and the mouse stay live."""
TRACE_LENGTH = 2000
"""Energy samples (one per flip) kept for the sparkline of the current recall."""
TRACE_FPS = 10
"""Redraws of the energy sparkline per second at most while recalling (drawing its
samples costs a few milliseconds), each in the frame after the panels'; it shows the
last samples when the recall ends."""
PANEL_FPS = 10
"""Updates of the side panel and the status bar per second at most while recalling. They
get a frame of their own: the grid's changes of that turn wait for the next frame (at the
end of the recall the panels wait a frame instead), so no frame draws the grid and the
panels."""


GRID_LINES = 20
"""Lines of the grid on screen a frame of a recall redraws at most, the others' changes
waiting for the next frames (in turn): a line of a 256x256 grid costs 0.3 to 0.6 ms, so
a fast recall that changes all 54 lines of a 200x60 terminal made frames of 18 to 23
ms. The recall's end waits until every line shows its spins."""
FULL_COLLECTION_EVERY = 60.0
"""Seconds of recall between two full garbage collections at most. The collector's own
full collections came every few seconds of an instant recall at 256x256 and each took a
frame of 15 to 50 ms; during a recall it makes only the young generations' (under a
millisecond), and a full one this often keeps what a long recall leaves in cycles bounded."""
_POSTPONED = 2**30
"""The oldest generation's threshold while recalling: the collector never reaches it."""


class RecallRunner:
    """A mixin for the main screen: start, pace, stop and sum up a recall.

    The workspace holds the dynamics (``workspace.dynamics``); this runs them
    in an exclusive async worker and applies each frame's flips to the grid.
    Any edit of the workspace drops its dynamics, and the worker then stops.
    """

    _trace: list[float]
    _grid_turn: int = 0  # the screen line from which the next bounded frame's lines go

    @property
    def recalling(self) -> bool:
        """Whether a recall is running."""
        return self.workspace.recalling

    def _stop_recall(self) -> None:
        if self.recalling:
            self.workers.cancel_group(self, "recall")
            self.workspace.stop_recall()

    def action_recall(self) -> None:
        """Start recall, or stop the one running."""
        if self.recalling:
            self._stop_recall()
            self._apply(self.workspace.stopped())
            return
        change = self.workspace.start_recall()
        if self.workspace.dynamics is None or change.message is not None:
            self._apply(change, panel=False)  # no memories, or a new branch from a replay
        if self.workspace.dynamics is None:
            return
        self._recall(self.workspace.dynamics)

    @work(exclusive=True, group="recall")
    async def _recall(self, dynamics: Dynamics) -> None:
        """Apply flips as they come, paced by the speed, repainting only their cells.

        Asynchronous dynamics hand over their flips in bulk (``Workspace.recall_flips``):
        as many as the speed's credit allows, within the frame's budget.

        Synchronous and modern steps change many spins at once: each is shown
        for a moment (``step_seconds``) before the next.
        """
        workspace = self.workspace
        bulk = isinstance(dynamics, Asynchronous)  # flips in bulk; steps as events
        events = None if bulk else workspace.recall_events(dynamics)
        network = workspace.network
        modern = workspace.modern
        start_energy = workspace.energy()
        self._trace = [start_energy]
        # The title's size is fixed (one line, the panel's width): no layout of the screen,
        # which beside a 256x256 grid costs a frame of 80 ms.
        self.trace_title.update(f"energy {start_energy:.1f}", layout=False)
        self._show()
        recall_button = self.query_one("#recall", Button)
        recall_button.label = "r stop"
        flips = 0
        credit = 0.0
        last = monotonic()
        traced = last  # when the sparkline was last given the samples (the start shows them)
        sparkline = False  # it is due, in the next frame that is not the panels'
        shown = 0.0  # when the panels last showed the network
        behind = False  # the grid moved since the panels last showed it
        held: list[int] = []  # the grid's changes held back from a frame of the panels
        finished = False
        stepped = False
        thresholds = gc.get_threshold()
        gc.set_threshold(thresholds[0], thresholds[1], _POSTPONED)
        collected = monotonic()
        try:
            # The start's labels get a frame of their own; so does the grid's last change
            # (below): a recall that ends in its first turn never draws grid and panels at once.
            await asyncio.sleep(1 / FPS)
            while not finished and workspace.dynamics is dynamics:
                now = monotonic()
                if now - collected >= FULL_COLLECTION_EVERY:
                    collected = now
                    gc.collect()
                speed = SPEEDS[workspace.speed_index]
                credit = min(credit + speed * (now - last), 1 + speed / FPS * 2)
                last = now
                deadline = now + FRAME_BUDGET
                changed: list[int] = []
                while bulk and (speed == 0 or credit >= 1):
                    batch = workspace.recall_flips(
                        dynamics, None if speed == 0 else int(credit), deadline
                    )
                    changed.extend(batch.indices.tolist())
                    credit -= len(batch)
                    energy = self._trace[-1]
                    for delta in batch.delta_energies.tolist():
                        energy += delta
                        self._trace.append(energy)
                    if batch.done:
                        finished = True
                        break
                    if monotonic() > deadline:
                        break
                while not bulk and (speed == 0 or credit >= 1):
                    try:
                        event = next(events)
                    except StopIteration:
                        finished = True
                        break
                    if isinstance(event, Flip):
                        changed.append(event.index)
                        credit -= 1
                        self._trace.append(self._trace[-1] + event.delta_energy)
                    elif isinstance(event, Step):
                        changed.extend(event.changed.tolist())
                        self._trace.append(self._trace[-1] + event.delta_energy)
                        stepped = True
                        break
                    if monotonic() > deadline:
                        break
                flips += len(changed)
                held.extend(changed)
                hot = not modern and dynamics.temperature > 0
                behind = behind or bool(changed) or stepped or hot
                panels = behind and (finished or stepped or now - shown >= 1 / PANEL_FPS)
                if finished or stepped or not panels:  # else the grid waits a frame
                    # Half the lines in the sparkline's frame: its drawing is the other half.
                    lines = GRID_LINES // 2 if sparkline and not panels else GRID_LINES
                    held = self._show_grid(held, modern, bounded=not stepped, lines=lines)
                if panels and not finished:  # at the end, the panels wait a frame too
                    shown, behind = now, False
                    self._show_panels()
                    sparkline = sparkline or now - traced >= 1 / TRACE_FPS
                elif sparkline:  # the sparkline in the frame after the panels'
                    traced, sparkline = now, False
                    self.trace.data = list(self._trace)
                if finished:
                    while held and workspace.dynamics is dynamics:  # the grid's last lines
                        await asyncio.sleep(1 / FPS)
                        held = self._show_grid(held, modern, bounded=True)
                    await asyncio.sleep(1 / FPS)
                    finished = workspace.dynamics is dynamics  # else an edit came meanwhile
                else:
                    pause = step_seconds(speed) if stepped else 1 / FPS
                    stepped = False
                    await asyncio.sleep(max(0.0, pause - (monotonic() - now)))
        finally:
            try:
                if workspace.network is network:  # else an edit brought another (and showed it)
                    self._show_grid(held, modern)
                if behind:
                    self._show_panels()
                self.trace.data = self._trace[-TRACE_LENGTH:]
                recall_button.label = "r recall"
                if workspace.dynamics is dynamics:
                    workspace.stop_recall()
                if not finished:  # stopped by hand or by an edit
                    self.trace_title.update(
                        f"energy {start_energy:.0f} \u2192 {self._trace[-1]:.0f}:"
                        f" stopped after {flips} flip{'s' if flips != 1 else ''}",
                        layout=False,
                    )
            finally:
                gc.set_threshold(*thresholds)
        if not finished:
            return  # an edit dropped the dynamics: the edit named the state
        self._apply(workspace.finish_recall(dynamics))
        how = workspace.recall_summary(dynamics, flips)
        self.trace_title.update(
            f"energy {start_energy:.0f} \u2192 {workspace.energy():.0f}: {how}", layout=False
        )
        if self._job is None:  # else the memories are being copied: no learning from this use
            self._apply(workspace.learn_from_use())

    def _show_grid(
        self, changed: list[int], modern: bool, bounded: bool = False, lines: int = GRID_LINES
    ) -> list[int]:
        """The grid shows the network now: ``changed`` (flat indices) are the spins that
        changed since it last did (a modern network's values are all shown again). Returns
        the changes left for a later frame: none, unless ``bounded``, when the grid draws
        ``lines`` of its lines on screen at most, in turn."""
        if modern:
            self.grid.show_values(self.workspace.network.values)
        elif changed and bounded:
            start = self._grid_turn
            self._grid_turn = (start + lines) % max(1, self.grid.size.height)
            return self.grid.refresh_some_spins(np.array(changed), lines, start).tolist()
        elif changed:
            self.grid.refresh_spins(changed)
        return []

    def _show_panels(self) -> None:
        """The side panel, the lower view and the status bar show the network now."""
        self.workspace.recall_moved()
        self.memory_list.show_network(self.workspace.network)
        self._show_view()
        del self._trace[:-TRACE_LENGTH]
        self._show()
        # The label says the energy now, as the status bar does (one line: no layout).
        self.trace_title.update(f"energy {self.snapshot.energy:.1f}", layout=False)

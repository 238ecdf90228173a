"""The memory panel's valley depths, computed in a worker thread when drawn rows want them.

A large network's valleys are not computed up front: ``Valleys`` (in
``memory_rows``) notes which the drawn rows want, and ``ValleyWork`` hands them,
after the drawing, to a low-priority thread worker that computes them a batch
at a time and delivers each batch to the panel, which draws them again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial

import numpy as np
from textual.widget import Widget
from textual.worker import get_current_worker

from tui_hopfield.model.rules import Landscape
from tui_hopfield.ui.jobs import lower_priority
from tui_hopfield.ui.memory_rows import VALLEY_BATCH, Valleys


class ValleyWork:
    """Computes the valleys ``panel``'s drawn rows want, in a thread worker of ``panel``.

    ``current`` gives the valleys of the rows the panel shows now (None without
    them): a batch for valleys no longer shown is not computed.
    """

    def __init__(self, panel: Widget, current: Callable[[], Valleys | None]) -> None:
        self.panel = panel
        """The widget that runs the worker and is drawn again when valleys land."""
        self.current = current
        """The valleys of the rows on show, or None."""
        self._asked = False

    def ask(self) -> None:
        """Some drawn row wants its valley: look, once the drawing is done, which do."""
        if not self._asked:
            self._asked = True
            self.panel.call_later(self._ask_for_valleys)

    def _ask_for_valleys(self) -> None:
        """Hand the valleys the drawn rows want to a worker, with what it needs to compute them."""
        self._asked = False
        valleys = self.current()
        if valleys is None or not valleys.current:
            return
        indices = valleys.take()
        if not indices:
            return
        network = valleys.network
        landscape = network.landscape  # learned already: the screen showed its energy
        if landscape is None:
            return
        patterns = network.patterns[indices]  # a copy: the network's buffers may change
        self.panel.run_worker(
            partial(self._compute_valleys, valleys, landscape, indices, patterns),
            name="_compute_valleys",
            group="valleys",
            description=f"_compute_valleys({len(indices)} valleys)",
            thread=True,
            exit_on_error=False,
        )

    def _compute_valleys(
        self, valleys: Valleys, landscape: Landscape, indices: list[int], patterns: np.ndarray
    ) -> None:
        """The energies of ``patterns``, a batch at a time, delivered to the panel."""
        worker = get_current_worker()
        lower_priority()
        for start in range(0, len(indices), VALLEY_BATCH):
            if worker.is_cancelled or not valleys.current or valleys is not self.current():
                found = np.full(len(indices) - start, np.nan)
                with contextlib.suppress(RuntimeError):  # the app may have closed
                    self.panel.app.call_from_thread(valleys.fill, indices[start:], found)
                return
            part = slice(start, start + VALLEY_BATCH)
            try:
                found = landscape.energies(patterns[part])
            except Exception:  # the landscape changed under it: the memories did too
                found = np.full(len(indices[part]), np.nan)
            with contextlib.suppress(RuntimeError):
                self.panel.app.call_from_thread(self._valleys_found, valleys, indices[part], found)

    def _valleys_found(self, valleys: Valleys, indices: list[int], found: np.ndarray) -> None:
        if valleys.fill(indices, found) and valleys is self.current():
            self.panel.refresh()

"""The overload: random memories up to a load, built in a worker on a copy."""

from __future__ import annotations

import math

import numpy as np
from textual import work
from textual.worker import get_current_worker

from tui_hopfield.model import Network, Verdict
from tui_hopfield.model.overload import most_memories, plan
from tui_hopfield.model.overload import overloaded as build_overloaded
from tui_hopfield.ui.jobs import lower_priority
from tui_hopfield.ui.prompts import NumberPrompt

OVERLOAD_LOAD = 0.3
"""The load the overload action offers first: far past the classic 0.138."""
OVERLOAD_NOTICE = 2**24
"""Spins to draw past which the overload says it is working (about a tenth of a second)."""


class OverloadActions:
    """A mixin for the main screen: ``o`` asks for a load and imprints random memories."""

    _overload_token = 0

    def action_overload(self) -> None:
        """Imprint random patterns up to a chosen load, to watch recall break past ~0.138 N."""

        if self._refused("Overloading"):
            return
        workspace = self.workspace

        def overload(load: float | None) -> None:
            if load is None or self._refused("Overloading"):
                return
            added, refusal = plan(workspace.network, load, workspace.state)
            if refusal is not None and refusal.severity == "error":
                self._apply(refusal, panel=False)
                return
            self._stop_recall()
            if refusal is not None:
                self._apply(refusal, panel=False)
                return
            network = workspace.network
            if added * network.n >= OVERLOAD_NOTICE:
                self.notify(
                    f"Imprinting {added:,} random memories\u2026", title="Overload", timeout=3
                )
                self._apply(workspace.announce("overloading\u2026"), panel=False)
            self._overload_token += 1
            seed = int(workspace.rng.integers(2**63))
            start = (network.revision, network.state.copy())
            self._random_memories(network, start, added, seed, self._overload_token)

        n = workspace.network.n
        most = most_memories(workspace.network) / n
        limit = f" This grid holds a load of {most:.3f} at most." if most < 1 else ""
        self.app.push_screen(
            NumberPrompt(
                "Overload: imprint random patterns up to a load P / N",
                f"Hebb's rule recalls up to about 0.138 N ({round(0.138 * n)}"
                f" memories here); dense and modern networks hold far more.{limit}",
                min(OVERLOAD_LOAD, math.floor(most * 1000) / 1000),
                0.0,
                1.0,
            ),
            overload,
        )

    @work(thread=True, group="overload", exit_on_error=False)
    def _random_memories(
        self,
        network: Network,
        start: tuple[int, np.ndarray],
        added: int,
        seed: int,
        token: int,
    ) -> None:
        """Build the overloaded network away from the event loop, then show it.

        The work (drawing the patterns, imprinting them, learning the landscape
        and its caches) happens on a copy, so the screen stays live; the copy
        replaces the network only if its memories are still those of ``start``
        (their revision, and the state then).
        """
        revision, state = start
        worker = get_current_worker()
        lower_priority()
        try:
            built = build_overloaded(network, state, added, seed, lambda: worker.is_cancelled)
        except Exception as error:  # out of memory, most likely: say so, change nothing
            if network.revision == revision and not worker.is_cancelled:
                self.app.call_from_thread(self._overload_failed, error, token)
            return  # else copied while the memories changed: dropped anyway
        if built is not None and not worker.is_cancelled:
            copy, verdict = built
            self.app.call_from_thread(self._overloaded, network, start, copy, token, verdict)

    def _overload_failed(self, error: Exception, token: int) -> None:
        """The overload could not be built: say why; the network is as it was."""
        if token == self._overload_token:
            self.notify(
                f"The random memories could not be imprinted: {error or type(error).__name__}",
                title="Overload",
                severity="error",
            )
            self.workspace.name_state("drawing")
            self._show()

    def _overloaded(
        self,
        network: Network,
        start: tuple[int, np.ndarray],
        overloaded: Network,
        token: int,
        verdict: Verdict | None = None,
    ) -> None:
        """Show the overloaded network, unless the grid moved on while it was built.

        ``verdict`` names its state, found in the worker.
        """
        if token != self._overload_token:
            return  # another overload came first: it will land
        workspace = self.workspace
        if network is not workspace.network:
            self.notify(
                "Another session was opened while the random memories were drawn: none were added.",
                title="Overload",
                severity="warning",
            )
            return
        revision, state = start
        if network.revision != revision:
            self.notify(
                "The memories changed while the random ones were drawn: none were added.",
                title="Overload",
                severity="warning",
            )
            workspace.name_state("drawing")
            self._show()
            return
        if not np.array_equal(network.state, state):
            overloaded.set_state(network.state)  # the grid was drawn on meanwhile
            verdict = None
        added = overloaded.count - network.count
        self.replace_network(overloaded, verdict, grew_from=network)
        self.notify(
            f"Added {added:,} random memories: load {overloaded.load:.3f}"
            f" (classic capacity ~0.138). Break a picture and recall.",
            timeout=5,
        )

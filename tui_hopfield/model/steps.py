"""Whole-grid steps as generators of events: every spin at once.

``Synchronous`` is the classic ``s = sign(W s)`` update for the binary rules (at
T > 0 each spin turns over with Glauber's probability, all at once); ``Retrieval``
is the modern network's update of a continuous state, ``s = xi^T softmax(beta xi s)``
(Ramsauer et al. 2020). Each step is a ``dynamics.Step``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from tui_hopfield.model.batch import two_cycle
from tui_hopfield.model.dynamics import TIE, Step
from tui_hopfield.model.network import ModelError, Network


class Synchronous:
    """Synchronous updates: every spin takes its better sign at once, step after step.

    This is the blog post's ``s = sign(W s)`` loop, for every rule: at T = 0 a
    spin turns over when that alone would lower the energy. The energy may
    rise, and instead of a fixed point the state can land in a 2-cycle, two
    states that turn into each other; ``cycle`` is then True and the run ends.
    At T > 0 each spin turns over with Glauber's probability, all at once.
    """

    def __init__(
        self,
        network: Network,
        rng: np.random.Generator,
        temperature: float = 0.0,
        max_steps: int = 100,
    ) -> None:
        self.network = network
        """The network whose state is updated in place."""
        self.rng = rng
        """The source of Glauber's coin flips."""
        self.temperature = temperature
        """The temperature T >= 0 used for the next step."""
        self.max_steps = max_steps
        """The run ends after this many steps at the latest."""
        self.steps = 0
        """Steps taken so far."""
        self.converged = False
        """True once a step at T = 0 changed nothing."""
        self.cycle = False
        """True once the state came back to where it was two steps before."""

    def events(self) -> Iterator[Step]:
        """Yield a ``Step`` per synchronous update, until a fixed point or a 2-cycle."""
        network = self.network
        last: np.ndarray | None = None  # the spins the step before turned over
        while self.steps < self.max_steps:
            changed = np.flatnonzero(sync_flips(network, self.rng, self.temperature))
            cold = self.temperature == 0.0
            if not len(changed) and cold:
                self.converged = True
                return
            previous = network.state.copy()
            energy = network.energy()
            spins = previous.copy()
            spins[changed] *= -1
            network.set_state(spins)
            self.steps += 1
            yield Step(self.steps, changed, network.energy() - energy)
            if cold and two_cycle(changed, last):
                self.cycle = True
                return
            last = changed


def sync_flips(network: Network, rng: np.random.Generator, temperature: float) -> np.ndarray:
    """Which spins a synchronous step turns over: a boolean mask (N), never a pinned one."""
    landscape = network.landscape
    if landscape is None:
        return np.zeros(network.n, dtype=bool)
    delta = landscape.flip_energies(network.state[None, :])[0]
    if temperature == 0.0:
        return (delta < -TIE * max(1.0, float(np.abs(delta).max()))) & ~network.pinned
    with np.errstate(over="ignore"):
        chance = 1.0 / (1.0 + np.exp(np.minimum(delta / temperature, 700.0)))
    return (rng.random(network.n) < chance) & ~network.pinned


class Retrieval:
    """The modern network's update ``x <- xi^T softmax(beta xi x / N + log c)``.

    It starts from the spins and moves a continuous state (``network.values``),
    usually settling in one step; it stops when no value moves more than
    ``tolerance`` (the last step is then not counted) or after ``max_steps``.
    """

    def __init__(self, network: Network, max_steps: int = 20, tolerance: float = 1e-4) -> None:
        from tui_hopfield.model.rules import Softmax

        landscape = network.landscape
        if not isinstance(landscape, Softmax) or not network.rule.continuous:
            raise ModelError("retrieval is the modern network's update: choose the modern rule")
        self.network = network
        """The network whose state is updated."""
        self.max_steps = max_steps
        """The most steps taken."""
        self.tolerance = tolerance
        """A step that moves no value more than this means the state has settled."""
        self.steps = 0
        """Steps that moved the state."""
        self.converged = False
        """True once a step moved nothing."""
        self._landscape = landscape

    def energy(self) -> float:
        """Ramsauer's energy of the current continuous state."""
        values = self.network.values
        if values is None:
            values = self.network.state.astype(np.float32)
        return float(self._landscape.continuous_energies(values[None, :])[0])

    def events(self) -> Iterator[Step]:
        """Yield a ``Step`` per update that moved the state."""
        network = self.network
        while self.steps < self.max_steps:
            values = network.values
            if values is None:
                values = network.state.astype(np.float32)
            energy = self.energy()
            new = self._landscape.retrieve(values[None, :])[0].astype(np.float32)
            pinned = network.pinned
            if pinned.any():  # a pinned spin keeps its value: +1 or -1, exactly
                new[pinned] = network.state[pinned]
            if float(np.abs(new - values).max()) <= self.tolerance:
                self.converged = True
                if network.values is None:
                    network.set_values(new)
                return
            before = network.state.copy()
            network.set_values(new)
            self.steps += 1
            yield Step(self.steps, np.flatnonzero(before != network.state), self.energy() - energy)

"""Update schedules as generators of events.

Asynchronous dynamics visit the spins one at a time, in a fresh random order
each sweep. At temperature T = 0 a spin flips only when ``s_i h_i < 0`` (a
zero field keeps it), and each flip lowers the energy by exactly ``2 |h_i|``;
the run has converged when a whole sweep flips nothing. At T > 0 the spin is
redrawn by Glauber's rule ``P(s_i = +1) = 1 / (1 + exp(-2 h_i / T))`` and the
run goes on until its consumer stops.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from tui_hopfield.model.network import ModelError, Network

MAX_TEMPERATURE = 2.0
"""The hottest temperature offered: one memory melts at T = 1."""


@dataclass(frozen=True)
class Flip:
    """One spin changed sign."""

    index: int
    """The flat index of the spin."""
    spin: int
    """Its new value, +1 or -1."""
    delta_energy: float
    """The change in energy the flip caused (negative at T = 0)."""


@dataclass(frozen=True)
class SweepDone:
    """Every spin was visited once."""

    sweep: int
    """The number of sweeps completed so far, from 1."""
    flips: int
    """How many spins flipped in this sweep."""


@dataclass(frozen=True)
class Progress:
    """Many spins were visited without a flip; lets a consumer keep to its frame budget."""

    visited: int
    """Spins visited so far in this sweep."""


PROGRESS_EVERY = 1024
"""Spins visited between two ``Progress`` events."""

Event = Flip | SweepDone | Progress


class Asynchronous:
    """Asynchronous updates of a network, one spin at a time.

    ``temperature`` may be changed between events (the app's slider does);
    the next spin visited uses the new value.
    """

    def __init__(
        self, network: Network, rng: np.random.Generator, temperature: float = 0.0
    ) -> None:
        self.network = network
        """The network whose state is updated in place."""
        self.rng = rng
        """The source of the visiting order and of Glauber's coin flips."""
        self.temperature = temperature
        """The temperature T >= 0 used for the next spin."""
        self.sweeps = 0
        """Sweeps completed so far."""
        self.converged = False
        """True once a whole sweep at T = 0 flipped nothing."""

    @property
    def temperature(self) -> float:
        """The temperature T >= 0 used for the next spin."""
        return self._temperature

    @temperature.setter
    def temperature(self, value: float) -> None:
        if not (value >= 0 and math.isfinite(value)):
            raise ModelError(f"the temperature must be a number >= 0, not {value}")
        self._temperature = float(value)

    def events(self) -> Iterator[Event]:
        """Yield a ``Flip`` per changed spin and a ``SweepDone`` per sweep.

        A ``Progress`` comes every ``PROGRESS_EVERY`` spins visited, so that a
        long stretch without flips (the last sweep of a large grid) never keeps
        the consumer waiting. At T = 0 it returns after the first sweep that
        flips nothing.
        """
        network = self.network
        while True:
            flips = 0
            hot_sweep = False
            for visited, index in enumerate(self.rng.permutation(network.n).tolist(), 1):
                if visited % PROGRESS_EVERY == 0:
                    yield Progress(visited)
                h = network.field(index)
                s = int(network.state[index])
                if self._temperature == 0.0:
                    flip = s * h < 0
                else:
                    hot_sweep = True
                    flip = self.rng.random() < glauber_flip_probability(s, h, self._temperature)
                if flip:
                    delta = network.flip(index, h)
                    flips += 1
                    yield Flip(index, -s, delta)
            self.sweeps += 1
            yield SweepDone(self.sweeps, flips)
            if flips == 0 and not hot_sweep and self._temperature == 0.0:
                self.converged = True
                return


def glauber_flip_probability(spin: int, field: float, temperature: float) -> float:
    """The chance that Glauber's rule turns ``spin`` over in ``field`` at ``temperature``.

    The new value is +1 with probability ``1 / (1 + exp(-2 h / T))``; the spin
    flips when the new value differs from the old one.
    """
    x = -2.0 * spin * field / temperature
    # P(new = -spin) = 1 / (1 + exp(2 s h / T)), written to never overflow.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def settle(network: Network, rng: np.random.Generator, max_sweeps: int = 1000) -> int:
    """Run zero-temperature asynchronous updates to a fixed point; return the flips made."""
    flips = 0
    dynamics = Asynchronous(network, rng)
    for event in dynamics.events():
        if isinstance(event, Flip):
            flips += 1
        elif isinstance(event, SweepDone) and event.sweep >= max_sweeps:
            break
    return flips

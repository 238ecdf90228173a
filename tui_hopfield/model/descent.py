"""Headless descents to a fixed point at T = 0, for the lab and the experiments.

``descend`` visits, each round, only the spins that might lower the energy by
turning over (a valid asynchronous trajectory, in blocks); ``settle`` visits every
spin in sweeps as the app's recall does (``dynamics.Asynchronous``).
"""

from __future__ import annotations

import numpy as np

from tui_hopfield.model.batch import NEAR
from tui_hopfield.model.dynamics import TIE, Asynchronous, Flip, SweepDone
from tui_hopfield.model.network import Network
from tui_hopfield.model.rules import Landscape, Linear

CANDIDATE = 1e-5
"""How close to zero (relative) a float32 dE may be and still be checked exactly in ``descend``."""


def descend(network: Network, rng: np.random.Generator, max_rounds: int = 1000) -> int:
    """Zero-temperature asynchronous descent to a fixed point, in blocks; return the flips.

    Each round finds every spin that might lower the energy by turning over,
    then visits only those, in a random order, checking each one's dE again
    (O(P)) just before turning it over. Every flip lowers the energy, so this
    is a valid asynchronous trajectory, not an approximation; spins that become
    unstable during a round wait for the next.

    The first round computes every dE at once (one product with all N P
    pattern entries). On a linear landscape a later round after few flips
    needs less (``_Candidates``): no dE has moved by more than the drift of the
    overlaps' coefficients since that product, so only the spins then within
    the drift of turning, and those turned since, are computed again.
    """
    flips = 0
    candidates_of: _Candidates | None = None
    for _ in range(max_rounds):
        landscape = network.landscape
        if landscape is None:
            return flips
        if candidates_of is None or candidates_of.landscape is not landscape:
            candidates_of = _Candidates(landscape)
        candidates, scale = candidates_of.find(network)
        flipped = []
        state = network.state
        for index in rng.permutation(candidates).tolist():
            change = network.flip_energy(index)
            if change < -TIE * scale:
                # The field from the dE just computed (``Network.field``'s own formula):
                # the same number, without a second O(P) dot per flip.
                network.flip(index, int(state[index]) * change / 2)
                flipped.append(index)
        flips += len(flipped)
        if not flipped:
            return flips
        candidates_of.turned(np.array(flipped))
    return flips


class _Candidates:
    """The spins one round of ``descend`` visits: all whose dE might be below a tie.

    A full round takes dE of every spin from one float32 product (generously:
    float32 is good to ~1e-6; each candidate is checked in float64 before it
    turns). On a ``Linear`` landscape, ``dE_i = K + f_i + s_i (xi^T a)_i`` and
    every ``|xi| = 1``, so since the last full product no spin that has not
    turned has moved by more than ``|K - K0| + ||a - a0||_1`` (the drift):
    while that product's dE of a spin stays above the threshold by more than
    the drift, it is not a candidate, and only the others are computed again,
    from their rows of xi^T. The threshold's scale is the last full product's.
    """

    def __init__(self, landscape: Landscape) -> None:
        self.landscape = landscape
        self.linear = isinstance(landscape, Linear) and landscape.span is not None
        self.delta: np.ndarray | None = None
        """dE at the last full product (float32, N); -inf for the spins turned since."""
        self.a: np.ndarray | None = None
        self.k = 0.0
        self.scale = 1.0
        self.count = 0
        """Spins turned since the last full product."""
        self.most = NEAR * landscape.n
        # Both products round by far less than this (P float32 terms, a rounded too).
        self.slack = (
            2.0 * (landscape.count + 8) * 2.0**-23 * float(getattr(landscape, "span", None) or 0.0)
        )

    def find(self, network: Network) -> tuple[np.ndarray, float]:
        """(The spins to visit this round, sorted; the tie's scale)."""
        landscape, free = self.landscape, ~network.pinned
        if self.linear:
            a, k = landscape.coefficients_of(network.dots)
            if self.delta is not None and self.count <= self.most:
                drift = abs(k - self.k) + float(np.abs(a - self.a).sum())
                threshold = CANDIDATE * self.scale
                near = (self.delta < threshold + drift + self.slack).nonzero()[0]
                if len(near) <= self.most:
                    delta = landscape.flip_energies_from(network.state, a, k, near)
                    return near[(delta < threshold) & free[near]], self.scale
            delta = landscape.flip_energies_from(network.state, a, k)
            self.delta, self.a, self.k, self.count = delta, a, k, 0
        else:
            delta = landscape.flip_energies(
                network.state[None, :], network.dots[None, :], exact=False
            )[0]
        self.scale = max(1.0, float(np.abs(delta).max()))
        return np.flatnonzero((delta < CANDIDATE * self.scale) & free), self.scale

    def turned(self, flips: np.ndarray) -> None:
        """The spins ``flips`` turned over in the round just done."""
        if self.delta is not None:
            self.count += len(flips)
            self.delta[flips] = -np.inf


def settle(network: Network, rng: np.random.Generator, max_sweeps: int = 1000) -> int:
    """Run zero-temperature asynchronous sweeps to a fixed point; return the flips made.

    ``descend`` reaches a fixed point faster; this visits every spin as the app does.
    """
    flips = 0
    dynamics = Asynchronous(network, rng)
    for event in dynamics.events():
        if isinstance(event, Flip):
            flips += 1
        elif isinstance(event, SweepDone) and event.sweep >= max_sweeps:
            break
    return flips

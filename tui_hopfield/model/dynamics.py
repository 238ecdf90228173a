"""Update schedules as generators of events.

Every schedule asks the network for ``dE_i``, the change in energy if spin i
alone turned over (``2 s_i h_i``), so it works for every learning rule.

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

from tui_hopfield.model.batch import NEAR, two_cycle
from tui_hopfield.model.network import ModelError, Network
from tui_hopfield.model.rules import Landscape, Linear

MAX_TEMPERATURE = 50.0
"""The hottest temperature a session may hold. A memory of strength c melts near
T = c under the quadratic rules (0.58 c for dense n = 3, never for dense exp), so
the slider's own end follows the strongest memory (``melting.temperature_limit``)."""


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


@dataclass(frozen=True)
class Step:
    """A synchronous step (every spin at once) or a modern retrieval step was taken."""

    step: int
    """Steps taken so far, from 1."""
    changed: np.ndarray
    """Flat indices of the spins whose sign changed in this step."""
    delta_energy: float
    """The change in energy over the step (it may rise in synchronous mode)."""


Event = Flip | SweepDone | Progress | Step

CANDIDATE = 1e-5
"""How close to zero (relative) a float32 dE may be and still be checked exactly in ``descend``."""

TIE = 1e-9
"""A whole-grid dE this small, relative to the largest, counts as zero (a tie keeps the spin)."""


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
        self.push: np.ndarray | None = None
        """A field added to each spin's (float, N), or None: the links' (``links.Chain``)."""

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
            # No edit (and so no pin) comes while a recall runs: the pins of the sweep,
            # as bytes, are the cheapest to look up one spin at a time.
            pinned = network.pinned.tobytes() if network.pinned.any() else None
            for visited, index in enumerate(self.rng.permutation(network.n).tolist(), 1):
                if visited % PROGRESS_EVERY == 0:
                    yield Progress(visited)
                if pinned is not None and pinned[index]:
                    continue
                h = network.field(index)
                push = self.push
                total = h if push is None else h + float(push[index])
                s = int(network.state[index])
                if self._temperature == 0.0:
                    flip = s * total < 0
                else:
                    hot_sweep = True
                    flip = self.rng.random() < glauber_flip_probability(s, total, self._temperature)
                if flip:
                    delta = network.flip(index, h)  # the symmetric part's energy
                    flips += 1
                    yield Flip(index, -s, delta)
            self.sweeps += 1
            yield SweepDone(self.sweeps, flips)
            if flips == 0 and not hot_sweep and self._temperature == 0.0:
                if self._settled():
                    continue
                self.converged = True
                return

    def _settled(self) -> bool:
        """A sweep at T = 0 flipped nothing: return True to go on (``links.Chain`` hops)."""
        return False


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
        for index in rng.permutation(candidates).tolist():
            if network.flip_energy(index) < -TIE * scale:
                network.flip(index)
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

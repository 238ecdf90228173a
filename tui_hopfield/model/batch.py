"""Recall of many states at once, for experiments and benchmarks.

Synchronous steps are matrix products over the whole batch: ``dE`` for every
spin of every state, then every spin that would lower the energy turns over.
The fixed points are those of asynchronous dynamics (a state is a fixed point
of one exactly when it is of the other), which is what capacity measures; the
paths to them differ, and a synchronous run may end in a 2-cycle, which is
reported. The modern network's update is synchronous by nature.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.rules import Landscape, Linear, Softmax

TIE = 1e-6
"""A batch dE this small, relative to the state's largest, is a tie (float32 rounding)."""

NEAR = 1 / 16
"""One cue: up to this share of spins near a flip, only their dE is recomputed."""


def two_cycle(flips: np.ndarray, last: np.ndarray | None) -> np.ndarray:
    """Whether a synchronous step came back to the state of two steps before: a 2-cycle.

    A step that turns over ``flips`` undoes the step before exactly when that
    one turned over the same spins, ``last`` (None before any step). Both are
    sorted indices of one state's spins, or boolean masks (B, N) of a batch's
    (a verdict per row).
    """
    if last is None or last.shape != flips.shape:
        return np.zeros(flips.shape[:-1], dtype=bool)
    return np.all(flips == last, axis=-1)


@dataclass(frozen=True)
class BatchRecall:
    """Where each state of a batch ended."""

    states: np.ndarray
    """int8 (B, N): the final spins."""
    steps: np.ndarray
    """int (B,): steps that changed something."""
    converged: np.ndarray
    """bool (B,): the state reached a fixed point."""
    cycled: np.ndarray
    """bool (B,): the state ended in a 2-cycle."""
    values: np.ndarray | None = None
    """float32 (B, N): the modern network's continuous states, else None."""


def recall(
    landscape: Landscape,
    cues: np.ndarray,
    *,
    continuous: bool = False,
    max_steps: int = 50,
    pinned: np.ndarray | None = None,
) -> BatchRecall:
    """Recall from each cue (B, N) of +-1 at T = 0, synchronously.

    ``continuous`` runs the modern network's update instead (the landscape
    must then be the modern rule's ``Softmax``). ``pinned``, N booleans shared
    by every cue, marks spins that keep the cue's value throughout.
    """
    cues = np.asarray(cues)
    if cues.ndim == 1:
        cues = cues[None, :]
    if cues.shape[1] != landscape.n:
        raise ModelError(f"cues need {landscape.n} spins each, not {cues.shape[1]}")
    if pinned is not None:
        pinned = np.asarray(pinned, dtype=bool).reshape(-1)
        if pinned.size != landscape.n:
            raise ModelError(f"the pins are {landscape.n} booleans, not {pinned.size}")
        if not pinned.any():
            pinned = None
    if continuous:
        if not isinstance(landscape, Softmax):
            raise ModelError("continuous recall needs the modern network")
        return _retrieve(landscape, cues, max_steps, pinned)
    states = cues.astype(np.int8, copy=True)
    if states.shape[0] == 1:
        return _recall_one(landscape, states[0], max_steps, pinned)
    count = states.shape[0]
    steps = np.zeros(count, dtype=int)
    converged = np.zeros(count, dtype=bool)
    cycled = np.zeros(count, dtype=bool)
    last = np.zeros(states.shape, dtype=bool)  # the spins each state turned last, for 2-cycles
    dots = landscape.dots(states)  # exact raw overlaps, kept up to date below
    active = np.arange(count)
    for _ in range(max_steps):
        if not len(active):
            break
        delta = landscape.flip_energies(states[active], dots[active], exact=False)
        scale = np.maximum(1.0, np.abs(delta).max(axis=1, keepdims=True))
        flips = delta < -TIE * scale
        if pinned is not None:
            flips &= ~pinned
        moving = flips.any(axis=1)
        converged[active[~moving]] = True
        active, flips = active[moving], flips[moving]
        previous = states[active]
        _update_dots(landscape, dots, active, previous, flips)
        states[active] = np.where(flips, -previous, previous)
        steps[active] += 1
        back = two_cycle(flips, last[active])
        cycled[active[back]] = True
        last[active] = flips
        active = active[~back]
    return BatchRecall(states, steps, converged, cycled)


def _recall_one(
    landscape: Landscape, state: np.ndarray, max_steps: int, pinned: np.ndarray | None = None
) -> BatchRecall:
    """``recall`` for one cue, with flat arrays: the same steps, less bookkeeping."""
    dots = landscape.dots_of(state)
    columns = landscape.columns
    recount = SINGLE_INCREMENTAL * landscape.n
    linear = isinstance(landscape, Linear) and not landscape.precise
    turns = _LinearTurns(landscape, state) if linear else None
    steps, converged, cycled = 0, False, False
    last: np.ndarray | None = None
    for _ in range(max_steps):
        if turns is not None:
            flips = turns.next(dots)
        else:
            delta = landscape.flip_energies_of(state, dots)
            flips = np.flatnonzero(delta < -TIE * max(1.0, float(np.abs(delta).max())))
        if pinned is not None:
            flips = flips[~pinned[flips]]
        if not len(flips):  # a fixed point: nothing would lower the energy
            converged = True
            break
        old = state[flips]
        state[flips] = -old
        steps += 1
        if turns is not None:
            turns.turned(flips)
        if len(flips) > recount:
            dots = landscape.dots_of(state)
        else:
            dots -= 2.0 * (old.astype(np.float32) @ columns[flips].astype(np.float32))
        if two_cycle(flips, last):
            cycled = True
            break
        last = flips
    return BatchRecall(state[None, :], np.array([steps]), np.array([converged]), np.array([cycled]))


class _LinearTurns:
    """Which spins of one state turn over at each synchronous step, on a ``Linear`` landscape.

    A full step is one product with all N P pattern entries. After a step that
    turned few spins over, less will do: no spin's dE has moved by more than
    ``drift = |K - K0| + ||a - a0||_1`` since the last full product (every
    ``|xi| = 1``), so a spin whose dE then was higher above the tie than that
    cannot turn now. Only the others, and the spins turned since, are
    recomputed, from their rows of xi^T. The flips are those of the full
    product, whose float32 rounding the margin also covers. The tie's scale in
    such a step is the largest ``|dE|`` at the last full product, within the
    drift of the present one.
    """

    def __init__(self, landscape: Linear, state: np.ndarray) -> None:
        self.landscape = landscape
        self.state = state
        self.delta: np.ndarray | None = None
        """dE at the last full product (float32, N); -inf for the spins turned since."""
        self.a, self.k = np.zeros(landscape.count, dtype=np.float32), 0.0
        """The coefficients at the last full product."""
        self.scale = 1.0
        """The tie's scale: max(1, largest |dE|) at the last full product."""
        self.count = 0
        """How many spins turned over since the last full product (with repeats)."""
        self.most = NEAR * landscape.n if landscape.span is not None else -1.0
        # Both products round by far less than this (P float32 terms, a rounded too).
        self.slack = 2.0 * (landscape.count + 8) * 2.0**-23 * (landscape.span or 0.0)

    def next(self, dots: np.ndarray) -> np.ndarray:
        """The spins that would lower the energy by turning over, sorted."""
        landscape = self.landscape
        a, k = landscape.coefficients_of(dots)
        if self.delta is not None and self.count <= self.most:
            tie = -TIE * self.scale
            drift = abs(k - self.k) + float(np.abs(a - self.a).sum())
            near = (self.delta < tie + drift + self.slack).nonzero()[0]
            if len(near) <= self.most:
                return near[landscape.flip_energies_from(self.state, a, k, near) < tie]
        delta = landscape.flip_energies_from(self.state, a, k)
        self.scale = max(1.0, float(delta.max()), -float(delta.min()))
        self.delta, self.a, self.k, self.count = delta, a, k, 0
        return (delta < np.float32(-TIE * self.scale)).nonzero()[0]

    def turned(self, flips: np.ndarray) -> None:
        """The spins ``flips`` turned over."""
        self.count += len(flips)
        self.delta[flips] = -np.inf


SINGLE_INCREMENTAL = 0.1
"""For one cue, above this fraction of spins flipped the overlaps are recounted (popcount)."""

INCREMENTAL = 0.005
"""Below this fraction of spins flipped, overlaps are updated from the flipped spins only."""


def _update_dots(
    landscape: Landscape,
    dots: np.ndarray,
    rows: np.ndarray,
    previous: np.ndarray,
    flips: np.ndarray,
) -> None:
    """``dots[rows]`` for the states ``previous`` after turning over ``flips``, in place.

    Few flips (the usual case after the first step) cost O(P) each: a flip of
    spin i changes the overlaps by ``-2 s_i xi[:, i]``. Many flips: recompute.
    """
    if np.count_nonzero(flips) > INCREMENTAL * flips.size:
        dots[rows] = landscape.dots(np.where(flips, -previous, previous))
        return
    which, spins = np.nonzero(flips)
    if not len(which):
        return
    change = landscape.columns[spins].astype(np.float64)
    change *= previous[which, spins][:, None]
    starts = np.flatnonzero(np.r_[True, which[1:] != which[:-1]])
    dots[rows[which[starts]]] -= 2.0 * np.add.reduceat(change, starts, axis=0)


def _retrieve(
    landscape: Softmax, cues: np.ndarray, max_steps: int, pinned: np.ndarray | None = None
) -> BatchRecall:
    values = cues.astype(np.float32)
    count = values.shape[0]
    steps = np.zeros(count, dtype=int)
    converged = np.zeros(count, dtype=bool)
    active = np.arange(count)
    for _ in range(max_steps):
        if not len(active):
            break
        new = landscape.retrieve(values[active]).astype(np.float32)
        if pinned is not None:
            new[:, pinned] = cues[active][:, pinned]
        moved = np.abs(new - values[active]).max(axis=1) > 1e-4
        converged[active[~moved]] = True
        values[active] = new
        steps[active[moved]] += 1
        active = active[moved]
    states = np.where(values >= 0, 1, -1).astype(np.int8)
    return BatchRecall(states, steps, converged, np.zeros(count, dtype=bool), values)

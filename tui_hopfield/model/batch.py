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
from tui_hopfield.model.rules import Hebbian, Landscape, Linear, PseudoInverse, Softmax, Storkey

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


ASYNC_TIE = 1e-9
"""Asynchronous batch recall: a dE above ``-ASYNC_TIE`` (times the largest strength) keeps
the spin, so an exact tie (dE = 0) never turns it."""

ASYNC_BLOCK = 128
"""Spins of a sweep's order whose dE are computed together (one product per block) under
the dense rules; the result does not depend on it (the quadratic rules are compiled)."""


def recall_async(
    landscape: Landscape,
    cues: np.ndarray,
    rng: np.random.Generator,
    *,
    max_sweeps: int = 50,
    given: Couplings | None = None,
) -> BatchRecall:
    """Recall from each cue (B, N) of +-1 by exact asynchronous dynamics at T = 0.

    Each sweep visits every spin once in a fresh random order
    (``rng.permutation(N)``, one per sweep, shared by the cues still moving);
    a visited spin turns over when that lowers the energy (``dE < -tie``),
    given every turn before it in the order. A sweep that turns nothing is a
    fixed point (``converged``); after ``max_sweeps`` sweeps that all turned
    something the run is cut off. ``steps`` counts the sweeps that turned a
    spin. There are no 2-cycles: the energy falls at every turn.

    The quadratic rules (Hebb, Storkey, the pseudo-inverse) keep each cue's
    local fields ``h = W s`` and visit the spins one by one in compiled code
    (``compiled.sweep_fields``): a visit is one compare, a turn one pass over
    a row of W (``given``: the landscape's ``couplings``, when the caller
    recalls on it more than once). The others are vectorized over the cues:
    the dE of a block of ``ASYNC_BLOCK`` spins of the order comes from one
    product for every cue;
    each cue then turns the first spin of the block that should turn, the
    block's other dE of that cue are recomputed from the overlaps, and so on
    until no cue has a spin left to turn in the block. Either way the result
    is that of visiting the spins one by one, cue by cue (``tests``).
    """
    cues = np.asarray(cues)
    if cues.ndim == 1:
        cues = cues[None, :]
    if cues.shape[1] != landscape.n:
        raise ModelError(f"cues need {landscape.n} spins each, not {cues.shape[1]}")
    states = cues.astype(np.int8, copy=True)
    count, n = states.shape
    if isinstance(landscape, Hebbian | PseudoInverse | Storkey):
        from tui_hopfield.model.compiled import sweep_fields

        given = couplings(landscape) if given is None else given
        fields = _local_fields(landscape, states, given)

        def sweep(active: np.ndarray, order: np.ndarray) -> np.ndarray:
            return sweep_fields(states, fields, given.weights, active, order, given.tie)
    else:
        tie = ASYNC_TIE * max(1.0, float(np.max(landscape.strengths, initial=1.0)))
        kernel = _AsyncKernel(landscape, states, tie)

        def sweep(active: np.ndarray, order: np.ndarray) -> np.ndarray:
            moved = np.zeros(len(active), dtype=bool)
            for start in range(0, n, ASYNC_BLOCK):
                moved |= kernel.block(active, order[start : start + ASYNC_BLOCK])
            return moved

    steps = np.zeros(count, dtype=int)
    converged = np.zeros(count, dtype=bool)
    active = np.arange(count)
    for _ in range(max_sweeps):
        if not len(active):
            break
        moved = sweep(active, rng.permutation(n))
        steps[active[moved]] += 1
        converged[active[~moved]] = True
        active = active[moved]
    return BatchRecall(states, steps, converged, np.zeros(count, dtype=bool))


@dataclass(frozen=True)
class Couplings:
    """A quadratic rule's W for asynchronous batch recall (``couplings``), built once for
    any number of ``recall_async`` calls on the same landscape."""

    weights: np.ndarray
    """W (N, N), zero diagonal: int16 (Hebb's ``xi^T xi``, equal strengths) or float64."""
    tie: float
    """A turn needs ``2 s h < -tie``."""


def couplings(landscape: Hebbian | PseudoInverse | Storkey) -> Couplings:
    """W of a quadratic rule, zero diagonal, and the tie its sums need.

    Hebb's rule with equal strengths c is exact in integers: ``W = N/c`` times
    Hebb's, ``xi^T xi`` (int16: ``|W_ij| <= P``), the fields in int32, and a
    spin turns when ``s h < 0`` (the smallest turn, ``dE = -2 c / N``, is far
    past the tie). Otherwise W is float64: Hebb's ``xi^T diag(c) xi / N``, the
    pseudo-inverse's ``basis^T B basis`` with its rounding bound as the tie,
    Storkey's own weights. N^2 numbers: 128 MiB of float64 at the sweeps'
    largest N, 4096.
    """
    count, n = landscape.count, landscape.n
    strengths = landscape.strengths
    tie = ASYNC_TIE * max(1.0, float(np.max(strengths, initial=1.0)))
    if isinstance(landscape, Hebbian):
        xi = landscape.patterns.astype(np.float32)
        equal = count and np.all(strengths == strengths[0]) and strengths[0] > 0
        # Sums of +-1 in float32 are exact below 2^24.
        if equal and count < 2**15 and count * n < 2**24:
            weights = xi.T @ xi
            np.fill_diagonal(weights, 0.0)
            return Couplings(weights.astype(np.int16), 0.0)
        xi = xi.astype(np.float64)
        weights = xi.T @ (xi * (strengths / n)[:, None])
    elif isinstance(landscape, PseudoInverse):
        basis = landscape.basis
        weights = basis.T @ (basis if landscape.inner is None else landscape.inner @ basis)
        tie = max(tie, landscape.tie)  # a |dE| within its rounding bound is zero
    else:
        weights = landscape.weights.astype(np.float64)
    np.fill_diagonal(weights, 0.0)
    return Couplings(weights, tie)


def _local_fields(
    landscape: Hebbian | PseudoInverse | Storkey, states: np.ndarray, given: Couplings
) -> np.ndarray:
    """The fields ``h = W s`` of ``states`` (B, N) in W's terms: int32 or float64."""
    if given.weights.dtype == np.int16:  # Hebb in integers: xi^T (xi s) - P s, exact
        xi = landscape.patterns.astype(np.float32)
        spins = states.astype(np.float32)
        return ((spins @ xi.T) @ xi - landscape.count * spins).astype(np.int32)
    return states.astype(np.float64) @ given.weights


class _AsyncKernel:
    """Asynchronous batch recall of the rules whose dE follows from the overlaps.

    It keeps the exact raw overlaps ``dots`` (B, P) and recomputes the block's
    dE of a cue from them after each of its turns (dense x^n, dense exp).
    """

    def __init__(self, landscape: Landscape, states: np.ndarray, tie: float) -> None:
        self.landscape = landscape
        self.states = states
        self.tie = tie
        self.dots = landscape.dots(states)

    def block(self, rows: np.ndarray, index: np.ndarray) -> np.ndarray:
        """Visit the spins ``index`` in order for the cues ``rows``; which of them turned one."""
        # The block's patterns, gathered once for all its turns (P x L doubles).
        xi = self.landscape.patterns[:, index].astype(np.float64)
        delta = self.deltas(rows, index, xi)
        width = len(index)
        columns = np.arange(width)
        start = np.zeros(len(rows), dtype=int)
        moved = np.zeros(len(rows), dtype=bool)
        while True:
            turn = (delta < -self.tie) & (columns >= start[:, None])
            which = np.flatnonzero(turn.any(axis=1))
            if not len(which):
                break
            first = turn[which].argmax(axis=1)
            spins = index[first]
            cues = rows[which]
            old = self.states[cues, spins].copy()
            self.states[cues, spins] = -old
            moved[which] = True
            start[which] = first + 1
            column = self.landscape.columns[spins].astype(np.float64)
            self.dots[cues] -= 2.0 * old[:, None] * column
            delta[which] = self.deltas(cues, index, xi)
        return moved

    def deltas(self, rows: np.ndarray, index: np.ndarray, xi: np.ndarray) -> np.ndarray:
        """dE of the spins ``index`` (their patterns ``xi``, P x L) of the cues ``rows``."""
        landscape = self.landscape
        dots = self.dots[rows]
        spins = self.states[np.ix_(rows, index)]
        if isinstance(landscape, Softmax):
            x = spins * (landscape.weights(dots) @ xi)
            return -landscape.scale * np.log(landscape._cosh - landscape._sinh * x)
        a, k = landscape.coefficients(dots)
        delta = k[:, None] + spins * (a @ xi)
        if landscape.fixed is not None:
            delta += landscape.fixed[index]
        return delta

"""Batch recall for the basin maps and the rule race: exact asynchronous, or synchronous.

``recall_cues`` is the one entry point both experiments use, so the dynamics
behind them can be swapped in one place.

- ``async`` (the default): exact asynchronous dynamics at T = 0, as the app
  runs them (``dynamics.Asynchronous``): each sweep visits every spin once in
  a fresh random order, a spin turns over when that lowers the energy
  (``dE_i < 0``, ties keep it), and a run ends at the first sweep that turns
  nothing over: a fixed point. Visiting a spin whose ``dE`` is not negative
  changes nothing, so the batch jumps straight to the next spin of each
  state's order that would turn: one vectorized step per flip, not per visit.
  After a flip of spin j, a quadratic landscape's ``dE`` moves by
  ``-4 W_ij s_i s_j`` (O(N) per state, with W read off the landscape's own
  ``flip_energies``, ``couplings``, in float64: after N flips the rounding is
  some 1e-13 of the largest dE, far below the tie, ``TIE``); the others (dense
  x^n for n > 2, dense exp) recompute ``dE`` exactly from the overlaps.
- ``sync``: the model's batch recall (``batch.recall``): every spin at once;
  a run may end in a 2-cycle.

The modern network has no asynchronous update: it always takes its own
synchronous retrieval steps (``batch.recall(continuous=True)``), whatever the mode.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tui_hopfield.model.batch import recall
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.rules import Landscape, Rule, Storkey

MODES = ("async", "sync")
"""The update modes a batch recall takes."""
TIE = 1e-9
"""A dE this small, relative to the state's largest, is a tie (as ``dynamics.TIE``)."""
BATCH = 1024
"""Cues recalled together at most."""


@dataclass(frozen=True)
class Recalled:
    """Where each cue of a batch ended."""

    states: np.ndarray
    """int8 (B, N): the final spins."""
    steps: np.ndarray
    """int (B,): sweeps (async, the last one that turned nothing over included) or steps."""
    fixed: np.ndarray
    """bool (B,): the run ended at a fixed point."""
    cycled: np.ndarray
    """bool (B,): the run ended in a 2-cycle (sync only)."""

    @property
    def cut(self) -> np.ndarray:
        """bool (B,): the run reached the step cap first."""
        return ~self.fixed & ~self.cycled


def dynamics_label(rule: Rule, mode: str) -> str:
    """What the recall does, in words, for the output: ``asynchronous (exact), T = 0``."""
    if rule.continuous:
        return "the modern network's synchronous retrieval (it has no asynchronous update)"
    if mode == "async":
        return "asynchronous (exact, random order each sweep), T = 0"
    return "synchronous (every spin at once), T = 0"


def recall_cues(
    landscape: Landscape,
    rule: Rule,
    cues: np.ndarray,
    mode: str,
    rng: np.random.Generator,
    max_steps: int = 50,
) -> Recalled:
    """Recall from each cue (B, N) of +-1 in ``mode``; ``rng`` draws the asynchronous orders."""
    if mode not in MODES:
        raise ModelError(f"the update mode is async or sync, not {mode!r}")
    parts = []
    couplings_ = None
    if mode == "async" and not rule.continuous and landscape.quadratic:
        couplings_ = couplings(landscape)
    for start in range(0, len(cues), BATCH):
        part = cues[start : start + BATCH]
        if rule.continuous or mode == "sync":
            done = recall(landscape, part, continuous=rule.continuous, max_steps=max_steps)
            parts.append(Recalled(done.states, done.steps, done.converged, done.cycled))
        else:
            parts.append(recall_async(landscape, part, rng, max_steps, couplings_))
    if not parts:
        empty = np.zeros(0, dtype=int)
        return Recalled(np.zeros((0, landscape.n), np.int8), empty, empty > 0, empty > 0)
    return Recalled(
        np.concatenate([p.states for p in parts]),
        np.concatenate([p.steps for p in parts]),
        np.concatenate([p.fixed for p in parts]),
        np.concatenate([p.cycled for p in parts]),
    )


@dataclass(frozen=True)
class Couplings:
    """A quadratic landscape as ``dE_i(s) = own_i + 2 s_i (W s)_i``, in float64."""

    weights: np.ndarray
    """W (N, N), symmetric, zero diagonal."""
    own: np.ndarray
    """The part of each spin's dE that does not depend on the state (N,)."""

    def flip_energies(self, states: np.ndarray) -> np.ndarray:
        """dE of every spin of every state (B, N), float64."""
        spins = states.astype(np.float64)
        return self.own + 2.0 * spins * (spins @ self.weights)


def couplings(landscape: Landscape) -> Couplings:
    """W and the single-spin terms of a quadratic landscape, read off its own dE.

    For ``E = -s^T W s / 2`` plus terms of single spins, turning spin j over
    changes ``dE_i`` by ``-4 W_ij s_i s_j``. So from the all-north state u and
    the N states ``u`` with one spin turned, ``W_ij = (dE_i(u) - dE_i(u^j)) / 4``:
    the rule's own numbers, whatever its formula (the pseudo-inverse's diagonal
    correction, too, lands in ``own``). Storkey's W is read directly (no own part).
    """
    if not landscape.quadratic:
        raise ModelError("only a quadratic landscape has couplings")
    n = landscape.n
    if isinstance(landscape, Storkey):
        weights = landscape.weights.astype(np.float64)
        np.fill_diagonal(weights, 0.0)
        return Couplings(weights, np.zeros(n))
    states = np.ones((n + 1, n), dtype=np.int8)
    states[np.arange(1, n + 1), np.arange(n)] = -1
    delta = landscape.flip_energies(states, exact=True)
    weights = (delta[0][None, :] - delta[1:]) / 4.0
    weights = (weights + weights.T) / 2.0  # symmetric to rounding; exactly so now
    np.fill_diagonal(weights, 0.0)
    own = delta[0] - 2.0 * weights.sum(axis=1)  # dE(u) = own + 2 (W u)
    return Couplings(weights, own)


def recall_async(
    landscape: Landscape,
    cues: np.ndarray,
    rng: np.random.Generator,
    max_sweeps: int = 50,
    weights: Couplings | None = None,
) -> Recalled:
    """Exact asynchronous recall at T = 0 of every cue (B, N); see the module's docstring.

    ``weights``: the landscape's ``couplings`` when it is quadratic (computed
    here when None); its dE is then computed from them, in float64. A run ends
    at a fixed point or after ``max_sweeps`` sweeps.
    """
    states = np.array(cues, dtype=np.int8, copy=True)
    count, n = states.shape
    quadratic = landscape.quadratic
    if quadratic and weights is None:
        weights = couplings(landscape)
    steps = np.zeros(count, dtype=int)
    fixed = np.zeros(count, dtype=bool)
    # The active rows' working copies; finished rows leave them.
    rows = np.arange(count)
    spins = states.copy()
    dots = None if quadratic else landscape.dots(spins)
    if weights is not None:
        delta = weights.flip_energies(spins)
    else:
        delta = landscape.flip_energies(spins, dots, exact=True)
    # rank[b, i]: when spin i comes in row b's order this sweep; a spin is ahead
    # of the row's position when its rank is at least the position.
    rank = _ranks(rng, count, n)
    limit = _ties(delta)
    position = np.zeros((count, 1), dtype=rank.dtype)
    moved = np.zeros(count, dtype=bool)
    sweeps = np.zeros(count, dtype=int)
    while len(rows):
        lower = delta < limit
        ahead = np.where(lower & (rank >= position), rank, n)
        first = ahead.min(axis=1)
        turning = first < n
        # The rows whose sweep ends here.
        ending = ~turning
        finished = np.zeros(len(rows), dtype=bool)
        if ending.any():
            sweeps[ending] += 1
            none_left = ~lower.any(axis=1)
            # A sweep that turned nothing over: a fixed point. One that did, with
            # nothing left to turn: the next sweep will turn nothing (counted).
            at_rest = ending & (~moved | none_left)
            sweeps[at_rest & moved] += 1
            fixed[rows[at_rest]] = True
            finished = at_rest | (ending & (sweeps >= max_sweeps))
            again = np.flatnonzero(ending & ~finished)
            if len(again):
                rank[again] = _ranks(rng, len(again), n)
                position[again] = 0
                moved[again] = False
                limit[again] = _ties(delta[again])
        flipping = np.flatnonzero(turning)
        if len(flipping):
            every = len(flipping) == len(rows)
            which = slice(None) if every else flipping
            spin = np.argmax(ahead[which] == first[which, None], axis=1)
            old = spins[flipping, spin].astype(np.float64)
            spins[flipping, spin] = -spins[flipping, spin]
            position[which, 0] = first[which] + 1
            moved[which] = True
            turned = delta[flipping, spin]
            if weights is not None:
                change = weights.weights[spin]
                change *= spins[which]  # W_ji s_i (s_j's own entry is 0)
                change *= (4.0 * old)[:, None]
                delta[which] -= change
                delta[flipping, spin] = -turned
            else:
                dots[which] -= 2.0 * old[:, None] * landscape.columns[spin]
                delta[which] = landscape.flip_energies(spins[which], dots[which], exact=True)
        if finished.any():
            states[rows[finished]] = spins[finished]
            steps[rows[finished]] = sweeps[finished]
            keep = ~finished
            rows, spins, delta, rank, limit = (
                rows[keep],
                spins[keep],
                delta[keep],
                rank[keep],
                limit[keep],
            )
            position, moved, sweeps = position[keep], moved[keep], sweeps[keep]
            if dots is not None:
                dots = dots[keep]
    return Recalled(states, steps, fixed, np.zeros(count, dtype=bool))


def _ranks(rng: np.random.Generator, count: int, n: int) -> np.ndarray:
    """For ``count`` independent random orders of the N spins: each spin's place in its order."""
    order = np.argsort(rng.random((count, n)), axis=1)
    rank = np.empty((count, n), dtype=np.int32)
    np.put_along_axis(rank, order, np.arange(n, dtype=np.int32)[None, :], axis=1)
    return rank


def _ties(delta: np.ndarray) -> np.ndarray:
    """Per row, the dE below which a spin turns over: ``-TIE`` times the row's largest |dE|."""
    return -TIE * np.maximum(1.0, np.abs(delta).max(axis=1, keepdims=True))

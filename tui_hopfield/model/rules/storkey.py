"""Storkey's rule (1997): incremental and local, with a dense N x N float32 W.

Its W is refused above ``STORKEY_MAX_BYTES``.
"""

from __future__ import annotations

import math

import numpy as np

from tui_hopfield.model.errors import Check, ModelError, Report, checkpoint
from tui_hopfield.model.rules.kernels import CHUNK_BYTES
from tui_hopfield.model.rules.landscape import Landscape

STORKEY_MAX_BYTES = 256 * 2**20
"""The memory budget of Storkey's dense float32 weights: grids up to 8192 spins."""


def check_size(n: int) -> None:
    """Refuse a grid of ``n`` spins whose dense W would pass ``STORKEY_MAX_BYTES``."""
    if 4 * n * n > STORKEY_MAX_BYTES:
        largest = math.isqrt(STORKEY_MAX_BYTES // 4)
        raise ModelError(
            f"Storkey's rule needs a dense {n} x {n} weight matrix"
            f" ({4 * n * n / 2**20:,.0f} MiB); its budget is"
            f" {STORKEY_MAX_BYTES // 2**20} MiB, so grids up to {largest} spins"
            f" (e.g. {math.isqrt(largest)}x{math.isqrt(largest)})"
        )


class Storkey(Landscape):
    """Storkey's rule: a dense float32 W, learned one pattern at a time.

    ``W += (c xi xi^T - xi h^T - h xi^T + 2 W) / N`` with ``h = W xi``, then the
    diagonal is zeroed: the local field ``h_ij = sum_{k != i, j} w_ik xi_k`` of
    Storkey (1997), written with whole vectors. A strength c multiplies the
    Hebbian term ``xi xi^T`` only: the valley deepens, the cross-talk correction
    stays what the other memories make it. The live state keeps its field
    ``h = W s``; a flip updates it in O(N).
    """

    quadratic = True

    def __init__(
        self,
        patterns: np.ndarray,
        strengths: np.ndarray,
        columns: np.ndarray | None = None,
        start: Storkey | None = None,
        report: Report | None = None,
        cancelled: Check | None = None,
    ) -> None:
        super().__init__(patterns, strengths, columns)
        n = self.n
        check_size(n)
        learned = 0
        weights = np.zeros((n, n), dtype=np.float32)
        if start is not None and start.can_extend(patterns, strengths):
            weights, learned = start.weights, start.count
        self.weights = weights
        """W, float32 (N, N), symmetric with a zero diagonal."""
        todo = max(1, self.count - learned)
        for mu in range(learned, self.count):
            checkpoint((mu - learned) / todo, report, cancelled)
            self._learn(patterns[mu].astype(np.float32), float(strengths[mu]))
        checkpoint(1.0, report, None)
        # What was learned, kept apart from the network's buffers (which change in place).
        self._learned = (patterns.copy(), strengths.copy())
        self._field = np.zeros(n)

    def can_extend(self, patterns: np.ndarray, strengths: np.ndarray) -> bool:
        """Whether ``patterns`` are this landscape's with more appended, strengths unchanged."""
        learned_patterns, learned_strengths = self._learned
        count = len(learned_strengths)
        return (
            patterns.shape[0] >= count
            and np.array_equal(patterns[:count], learned_patterns)
            and np.array_equal(strengths[:count], learned_strengths)
        )

    def _learn(self, xi: np.ndarray, strength: float) -> None:
        w, n = self.weights, self.n
        h = w @ xi
        block = max(1, CHUNK_BYTES // (4 * n))
        for start in range(0, n, block):
            rows = slice(start, min(start + block, n))
            update = np.multiply.outer(strength * xi[rows], xi)
            update -= np.multiply.outer(xi[rows], h)
            update -= np.multiply.outer(h[rows], xi)
            update += 2.0 * w[rows]
            update /= n
            w[rows] += update
        np.fill_diagonal(w, 0.0)

    def reset(self, state: np.ndarray, dots: np.ndarray) -> None:
        self._field = (self.weights @ state.astype(np.float32)).astype(np.float64)

    def flipped(self, index: int, old: int, state: np.ndarray, dots: np.ndarray) -> None:
        # W is symmetric: row i is column i, and rows are contiguous.
        self._field -= (2.0 * old) * self.weights[index]

    def flip_energy(self, index: int, state: np.ndarray) -> float:
        return 2.0 * int(state[index]) * float(self._field[index])

    def flip_energies_near(
        self, index: np.ndarray, state: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray | float]:
        # The same products as flip_energy's, element by element: exact.
        return 2.0 * state[index] * self._field[index], 0.0

    def energy(self, state: np.ndarray, dots: np.ndarray) -> float:
        return float(-0.5 * (state.astype(np.float64) @ self._field))

    def flip_energies(
        self, states: np.ndarray, dots: np.ndarray | None = None, exact: bool = True
    ) -> np.ndarray:
        states = np.atleast_2d(states)
        return 2.0 * states * (states.astype(np.float32) @ self.weights)

    def energies(self, states: np.ndarray) -> np.ndarray:
        states = np.atleast_2d(states).astype(np.float32)
        fields = states @ self.weights
        return -0.5 * np.einsum("bi,bi->b", states.astype(np.float64), fields)

"""The quadratic rules that are linear in the patterns: Hebb's and the pseudo-inverse.

- Hebbian (Hopfield 1982): ``W = sum_mu c_mu xi_mu xi_mu^T / N``, never built.
- Pseudo-inverse (Personnaz et al. 1985; Kanter & Sompolinsky 1987): W is the
  projection onto the span of the patterns, ``xi^T G^+ xi`` with the P x P
  Gram matrix ``G = xi xi^T``; never built either.
"""

from __future__ import annotations

import numpy as np

from tui_hopfield.model.rules.kernels import chunks
from tui_hopfield.model.rules.landscape import Linear


class Hebbian(Linear):
    """Hebb's rule: ``h = xi^T (c * d) / N - (sum c / N) s``; W is never built."""

    quadratic = True

    def __init__(
        self, patterns: np.ndarray, strengths: np.ndarray, columns: np.ndarray | None = None
    ) -> None:
        super().__init__(patterns, strengths, columns)
        self._scale = 2.0 * strengths / self.n
        self._k = -2.0 * float(strengths.sum()) / self.n
        self.span = abs(self._k) + self.n * float(self._scale.sum())  # |d| <= N

    def coefficients_of(self, dots: np.ndarray) -> tuple[np.ndarray, float]:
        return np.multiply(dots, self._scale, dtype=np.float32), self._k

    def reset(self, state: np.ndarray, dots: np.ndarray) -> None:
        self._a = dots * self._scale
        self._a32 = self._norm = None
        # A flip moves every d by 2, so every a_mu by 2 |scale_mu|: a bound for any state.
        total = float(np.abs(self._scale).sum())
        self._drift = 2.0 * total * (1.0 + 1e-9) + 1e-12 * self.n * total

    def flipped(self, index: int, old: int, state: np.ndarray, dots: np.ndarray) -> None:
        # a = 2 c d / N, written in place: a flip costs one pass over P numbers.
        np.multiply(dots, self._scale, out=self._a)
        self._a32 = self._norm = None

    def coefficients(self, dots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a = dots * (2.0 * self.strengths / self.n)
        k = np.full(dots.shape[0], -2.0 * self.strengths.sum() / self.n)
        return a, k

    def energy(self, state: np.ndarray, dots: np.ndarray) -> float:
        return float(self.energies_of_dots(dots[None, :])[0])

    def energies(self, states: np.ndarray) -> np.ndarray:
        return self.energies_of_dots(self.dots(states))

    def energies_of_dots(self, dots: np.ndarray) -> np.ndarray:
        """E = -sum c d^2 / (2N) + sum c / 2 for raw overlaps (B, P)."""
        c = self.strengths
        return -(dots**2 @ c) / (2 * self.n) + c.sum() / 2


class PseudoInverse(Linear):
    """The projection rule: ``W = xi^T M xi`` with ``M = C^1/2 G^+ C^1/2``, zero diagonal.

    With equal strengths W projects onto the span of the patterns, so every
    stored pattern is a fixed point while P < N. Dependent patterns (a
    duplicate, a picture and its inverse) make G singular: the pseudo-inverse
    keeps the independent directions and ``note`` says so.
    """

    quadratic = True

    def __init__(
        self, patterns: np.ndarray, strengths: np.ndarray, columns: np.ndarray | None = None
    ) -> None:
        super().__init__(patterns, strengths, columns)
        gram = self._gram()
        values, vectors = np.linalg.eigh(gram)
        tolerance = max(values.max(initial=0.0), 1.0) * len(values) * 1e-10
        kept = values > tolerance
        rank = int(kept.sum())
        inverse = (vectors[:, kept] / values[kept]) @ vectors[:, kept].T
        root = np.sqrt(strengths)
        self.matrix = root[:, None] * inverse * root[None, :]
        """M (P, P): the weights are ``xi^T M xi`` off the diagonal."""
        self.rank = rank
        """How many independent patterns there are."""
        if rank < self.count:
            dependent = self.count - rank
            verb = "depends" if dependent == 1 else "depend"
            self.note = (
                f"{dependent} of {self.count} pictures {verb} on the others"
                f" (a copy or an inverse): the projection keeps {rank}"
                f" direction{'' if rank == 1 else 's'}"
            )
        self.diagonal = self._diagonal()
        """W_ii before it is zeroed, float (N,)."""
        self.fixed = -2.0 * self.diagonal
        # |K| = 0, and ||a||_1 = ||2 d M||_1 <= 2 N sum |M| since |d| <= N.
        spread = float(np.abs(self.fixed).max(initial=0.0))
        self.span = spread + 2.0 * self.n * float(np.abs(self.matrix).sum())

    def _gram(self) -> np.ndarray:
        gram = np.zeros((self.count, self.count))
        for part in chunks(self.n, 8 * max(1, self.count)):
            block = self.patterns[:, part].astype(np.float32)
            gram += block @ block.T.copy()  # a copy: never syrk on one operand
        return gram

    def _diagonal(self) -> np.ndarray:
        diagonal = np.empty(self.n)
        matrix = self.matrix.astype(np.float32)
        for part in chunks(self.n, 8 * max(1, self.count)):
            columns = self._columns[part].astype(np.float32)
            diagonal[part] = np.einsum("ip,ip->i", columns @ matrix, columns)
        return diagonal

    def coefficients(self, dots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return 2.0 * dots @ self.matrix, np.zeros(dots.shape[0])

    def energy(self, state: np.ndarray, dots: np.ndarray) -> float:
        return float(self.energies_of_dots(dots[None, :])[0])

    def energies(self, states: np.ndarray) -> np.ndarray:
        return self.energies_of_dots(self.dots(states))

    def energies_of_dots(self, dots: np.ndarray) -> np.ndarray:
        """E = -(d^T M d - trace W) / 2."""
        return -(np.einsum("bp,pq,bq->b", dots, self.matrix, dots) - self.diagonal.sum()) / 2

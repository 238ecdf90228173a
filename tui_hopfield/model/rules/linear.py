"""The quadratic rules that are linear in the patterns: Hebb's and the pseudo-inverse.

- Hebbian (Hopfield 1982): ``W = sum_mu c_mu xi_mu xi_mu^T / N``, never built.
- Pseudo-inverse (Personnaz et al. 1985; Kanter & Sompolinsky 1987): W is the
  projection onto the span of the patterns, ``xi^T G^+ xi`` with the P x P
  Gram matrix ``G = xi xi^T``; never built either.
"""

from __future__ import annotations

import math

import numpy as np

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

    def visit_terms(self) -> tuple[np.ndarray, np.ndarray, float, bool]:
        """What a compiled visit of the live state reads: ``(a, scale, K, exact)``.

        ``a = d scale`` is the live one, to be updated in place with the overlaps
        (``compiled_visits.visit_hebbian``, then ``turned``); ``exact`` says whether
        every dE is an exact float64 sum (``exact_sums``).
        """
        if self._exact is None:
            self._exact = exact_sums(self._scale, self._k, self.n)
        return self._a, self._scale, self._k, self._exact

    _exact: bool | None = None

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


def exact_sums(scale: np.ndarray, k: float, n: int) -> bool:
    """Whether Hebb's dE ``K + s_i sum_mu xi_mu,i d_mu scale_mu`` is exact in float64, always.

    It is when every ``a_mu = d_mu scale_mu`` (``|d_mu| <= n``, a whole number) is an
    exact product, every a and K are whole multiples of one power of two q, and the
    largest sum ``n sum |scale| + |K|`` is under ``2^53 q``: then every partial sum in
    any order is a float, and every way of adding gives the same number (strength 1
    on a grid of 2^k spins, for one).
    """
    scale = np.asarray(scale, dtype=np.float64)
    values = np.append(scale[scale != 0], [k] if k != 0 else [])
    if not len(values):
        return True
    if not np.all(np.isfinite(values)):
        return False
    fraction, exponent = np.frexp(np.abs(values))  # |v| = fraction 2^exponent, 0.5 <= f < 1
    whole = (fraction * 2.0**53).astype(np.int64)  # |v| = whole 2^(exponent - 53)
    low = whole & -whole  # its lowest set bit: |v| = odd low 2^(exponent - 53)
    odd = whole // low
    q = math.ldexp(1.0, int((np.log2(low.astype(np.float64)) + exponent).min()) - 53)
    scales = np.count_nonzero(scale)
    if np.any(odd[:scales] * float(max(1, n)) >= 2.0**53):  # d scale would round
        return False
    return n * float(np.abs(scale).sum()) + abs(k) < 2.0**53 * q


class PseudoInverse(Linear):
    """The projection rule: ``W = xi^T M xi`` with ``M = C^1/2 G^+ C^1/2``, zero diagonal.

    With equal strengths W projects onto the span of the patterns, so every
    stored pattern is a fixed point while P < N; at P = N (independent
    patterns) the projection is the identity, W = 0 and every state is fixed.
    Dependent patterns (a duplicate, a picture and its inverse) make G
    singular: the pseudo-inverse keeps the independent directions and
    ``note`` says so.

    The rank comes from the singular values of xi itself (numpy's tolerance,
    ``sigma_max max(P, N) eps``), not from the eigenvalues of G, whose
    rounding (``lambda_max eps``) would pass for a direction near P = N. The
    fields are computed in float64 from the orthonormal basis ``basis`` of the
    span (``h = basis^T B basis s``, well conditioned), never through ``M``
    (whose entries grow like ``1 / sigma_min^2``), and a dE within the
    rounding bound ``tie`` of zero is zero.
    """

    quadratic = True
    precise = True

    def __init__(
        self, patterns: np.ndarray, strengths: np.ndarray, columns: np.ndarray | None = None
    ) -> None:
        super().__init__(patterns, strengths, columns)
        left, sigma, right = np.linalg.svd(patterns.astype(np.float64), full_matrices=False)
        top = float(sigma.max(initial=0.0))
        kept = sigma > top * max(patterns.shape) * np.finfo(np.float64).eps
        rank = int(kept.sum())
        left, sigma, right = left[:, kept], sigma[kept], right[kept]
        root = np.sqrt(strengths)
        scaled = root[:, None] * (left / sigma)  # C^1/2 U S^-1 (P, r)
        self.matrix = scaled @ scaled.T
        """M (P, P): the weights are ``xi^T M xi`` off the diagonal."""
        self.rank = rank
        """How many independent patterns there are."""
        self.basis = right
        """An orthonormal basis of the patterns' span, float64 (r, N)."""
        # W = basis^T B basis with B = S U^T C^1/2 ... C^1/2 U S: the identity for equal strengths.
        inner = sigma[:, None] * (left.T @ scaled)  # S U^T C^1/2 U S^-1 (r, r)
        equal = bool(np.all(strengths == strengths[0])) if len(strengths) else True
        self.inner = None if equal and np.allclose(strengths, 1.0) else inner @ inner.T
        """B (r, r), or None for the identity (every strength 1)."""
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
        weight = 1.0 if self.inner is None else float(np.abs(self.inner).sum(axis=1).max())
        self.tie = 64.0 * (self.n + rank + 1) * np.finfo(np.float64).eps * weight * self.n
        """|dE| at most this is zero: a bound on the float64 rounding of ``2 s_i h_i``."""
        # |K| = 0, and ||a||_1 = ||2 d M||_1 <= 2 N sum |M| since |d| <= N.
        spread = float(np.abs(self.fixed).max(initial=0.0))
        self.span = spread + 2.0 * self.n * float(np.abs(self.matrix).sum())
        self._t = np.zeros(rank)

    def _diagonal(self) -> np.ndarray:
        if self.inner is None:
            return np.einsum("ri,ri->i", self.basis, self.basis)
        return np.einsum("ri,ri->i", self.basis, self.inner @ self.basis)

    def _snap(self, delta: np.ndarray) -> np.ndarray:
        delta[np.abs(delta) <= self.tie] = 0.0
        return delta

    def _fields(self, states: np.ndarray) -> np.ndarray:
        """``W s`` with the zero diagonal for states (B, N), float64, from the basis."""
        spins = np.atleast_2d(states).astype(np.float64)
        t = spins @ self.basis.T
        if self.inner is not None:
            t = t @ self.inner
        return t @ self.basis - self.diagonal * spins

    # -- one live state: t = basis s, kept up to date --------------------------

    def reset(self, state: np.ndarray, dots: np.ndarray) -> None:
        self._t = self.basis @ state.astype(np.float64)

    def flipped(self, index: int, old: int, state: np.ndarray, dots: np.ndarray) -> None:
        self._t -= (2.0 * old) * self.basis[:, index]

    def flip_energy(self, index: int, state: np.ndarray) -> float:
        column = self.basis[:, index]
        pulled = self._t if self.inner is None else self.inner @ self._t
        s = int(state[index])
        delta = 2.0 * s * float(column @ pulled) - 2.0 * float(self.diagonal[index])
        return 0.0 if abs(delta) <= self.tie else delta

    def flip_energies_near(
        self, index: np.ndarray, state: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray | float]:
        # The block's dE in float64 from the basis, as flip_energy computes each one; the
        # two differ by the snap to zero (at most ``tie``) and rounding far below it.
        pulled = self._t if self.inner is None else self.inner @ self._t
        approx = 2.0 * state[index] * (pulled @ self.basis[:, index])
        approx -= 2.0 * self.diagonal[index]
        return approx, 2.0 * self.tie

    def flip_drift(self) -> float:
        return math.inf  # after a flip the block is computed again

    # -- batches: float64 from the basis, whatever ``exact`` says -------------

    def flip_energies(
        self, states: np.ndarray, dots: np.ndarray | None = None, exact: bool = True
    ) -> np.ndarray:
        states = np.atleast_2d(states)
        return self._snap(2.0 * states * self._fields(states))

    def flip_energies_of(self, state: np.ndarray, dots: np.ndarray) -> np.ndarray:
        return self.flip_energies(state[None, :])[0]

    def flip_energies_at(self, state: np.ndarray, dots: np.ndarray, index: slice) -> np.ndarray:
        return self.flip_energies(state[None, :])[0][index]

    def coefficients(self, dots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return 2.0 * dots @ self.matrix, np.zeros(dots.shape[0])

    def energy(self, state: np.ndarray, dots: np.ndarray) -> float:
        return float(self.energies(state[None, :])[0])

    def energies(self, states: np.ndarray) -> np.ndarray:
        """E = -s^T W s / 2, from the basis."""
        spins = np.atleast_2d(states).astype(np.float64)
        return -0.5 * np.einsum("bi,bi->b", spins, self._fields(spins))

    def energies_of_dots(self, dots: np.ndarray) -> np.ndarray:
        """E = -(d^T M d - trace W) / 2 (through M: ill-conditioned near P = N)."""
        return -(np.einsum("bp,pq,bq->b", dots, self.matrix, dots) - self.diagonal.sum()) / 2

"""The protocol every learning rule's energy landscape follows, and the linear family's base.

A ``Landscape`` answers, for one live state (incrementally, from the raw
overlaps ``d = xi s``) and for batches of states: the energy ``E(s)`` and
``dE_i``, the change in energy if spin ``i`` alone turned over. ``Linear`` is
the landscapes whose ``dE`` is linear in ``xi^T a`` for coefficients ``a`` of
the overlaps (Hebb, the pseudo-inverse, dense ``x^n``).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod

import numpy as np

from tui_hopfield.model.rules.kernels import column_blocks, pack_spins, packed_overlaps

FLOAT_CACHE_BYTES = 256 * 2**20
"""Largest float32 copy of the patterns a landscape keeps for fast batch products."""

POPCOUNT_STATES = 16
"""Past ``FLOAT_CACHE_BYTES``, batches up to this many states get their overlaps by popcount."""


class Landscape(ABC):
    """The energy over spin states that a rule made from stored patterns.

    A landscape holds a *cache* for one live state (the network's), kept up to
    date by ``reset`` and ``flipped``; ``flip_energy`` and ``energy`` read it.
    The batch methods take any states and touch no cache.
    """

    quadratic = False
    """Whether the energy is ``-s^T W s / 2`` for a symmetric W with zero diagonal."""
    precise = False
    """Whether batch recall must take ``flip_energies`` as they are (float64, ties already
    zero) instead of float32 shortcuts: the pseudo-inverse, ill-conditioned near P = N."""
    note: str | None = None
    """Something the user should be told about what was learned, or None."""

    def __init__(
        self, patterns: np.ndarray, strengths: np.ndarray, columns: np.ndarray | None = None
    ) -> None:
        self.patterns = patterns
        """xi, int8 (P, N)."""
        self.strengths = strengths
        """c, float (P,)."""
        self.n = patterns.shape[1]
        """Number of spins N."""
        # xi^T (N, P): each spin's P entries contiguous, for the O(P) one-spin dots.
        self._columns = np.ascontiguousarray(patterns.T) if columns is None else columns
        self._floats: np.ndarray | None = None
        self._packed: np.ndarray | None = None
        self._ones: np.ndarray | None = None

    @property
    def count(self) -> int:
        """Number of patterns P."""
        return self.patterns.shape[0]

    def adopt(self, previous: Landscape | None) -> None:
        """Take over ``previous``'s packed and float32 copies of the patterns it shares.

        ``previous`` was learned from the first of this landscape's patterns;
        only the patterns added since are packed or converted again.
        """
        if previous is None or previous.n != self.n or previous.count > self.count:
            return
        new = self.patterns[previous.count :]
        if previous._packed is not None:
            packed = previous._packed
            self._packed = np.concatenate([packed, pack_spins(new)]) if len(new) else packed
        if previous._floats is not None and 4 * self.patterns.size <= FLOAT_CACHE_BYTES:
            floats = previous._floats
            if len(new):
                floats = np.concatenate([floats, new.astype(np.float32)])
            self._floats = floats

    # -- one live state -----------------------------------------------------

    @abstractmethod
    def reset(self, state: np.ndarray, dots: np.ndarray) -> None:
        """Take ``state`` (int8, N) with its raw overlaps ``dots = xi s`` as the live state."""

    @abstractmethod
    def flipped(self, index: int, old: int, state: np.ndarray, dots: np.ndarray) -> None:
        """Spin ``index`` went from ``old`` to ``-old``; ``state`` and ``dots`` are updated."""

    @abstractmethod
    def flip_energy(self, index: int, state: np.ndarray) -> float:
        """The change in energy if spin ``index`` of the live state turned over."""

    @abstractmethod
    def energy(self, state: np.ndarray, dots: np.ndarray) -> float:
        """The energy of the live state."""

    def flip_energies_near(
        self, index: np.ndarray, state: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray | float]:
        """dE of the live state at the spins ``index`` (k,), fast, with a bound on the error.

        Returns ``(approx, bound)``: every ``flip_energy(i, state)`` lies within
        ``bound`` (a number, or one per spin) of ``approx``. The dynamics visit
        a block of spins with one product and check exactly only those that
        the bound cannot rule out (``dynamics.Asynchronous``). This default is
        exact, one spin at a time.
        """
        return np.array([self.flip_energy(int(i), state) for i in index], dtype=np.float64), 0.0

    def flip_drift(self) -> float:
        """A bound on how far the last flip moved any other spin's dE (inf when unknown).

        Called after ``flipped``: a block's ``flip_energies_near`` stays valid for
        the spins not yet visited, its bound widened by the drift of each flip.
        """
        return math.inf

    def visit_terms(self) -> tuple[np.ndarray, np.ndarray, float, bool] | None:
        """What a compiled visit of the live state reads, or None: Hebb's (``Hebbian``)."""
        return None

    # -- batches ------------------------------------------------------------

    @abstractmethod
    def flip_energies(
        self, states: np.ndarray, dots: np.ndarray | None = None, exact: bool = True
    ) -> np.ndarray:
        """dE for every spin of every state: states (B, N) -> float (B, N).

        ``dots`` may hand over the states' raw overlaps (B, P) when the caller
        keeps them; ``exact=False`` allows float32 products (about 1e-6 relative).
        """

    @abstractmethod
    def energies(self, states: np.ndarray) -> np.ndarray:
        """The energy of each state: (B, N) -> float (B,)."""

    def flip_energies_of(self, state: np.ndarray, dots: np.ndarray) -> np.ndarray:
        """``flip_energies`` of one state (N,) with its overlaps (P,), in float32: (N,)."""
        return self.flip_energies(state[None, :], dots[None, :], exact=False)[0]

    def flip_energies_at(self, state: np.ndarray, dots: np.ndarray, index: slice) -> np.ndarray:
        """dE of one state at the spins ``index`` only, exact to rounding (float64)."""
        return self.flip_energies(state[None, :], dots[None, :])[0][index]

    @property
    def columns(self) -> np.ndarray:
        """xi^T, int8 (N, P): the P entries of each spin, contiguous."""
        return self._columns

    def floats(self) -> np.ndarray | None:
        """xi as float32 (P, N), kept after the first call when it fits ``FLOAT_CACHE_BYTES``."""
        if self._floats is None and 4 * self.patterns.size <= FLOAT_CACHE_BYTES:
            self._floats = self.patterns.astype(np.float32)
        return self._floats

    def packed(self) -> np.ndarray:
        """The patterns as bits (north = 1), padded to whole uint64 words: (P, W)."""
        if self._packed is None:
            self._packed = pack_spins(self.patterns)
        return self._packed

    def dots_of(self, state: np.ndarray) -> np.ndarray:
        """Raw overlaps ``xi s`` of one state (N,): float64 (P,), exact, by counting bits.

        ``xi_mu . s = N - 2 * (number of spins where they differ)``, and the
        differences are the set bits of the XOR of the packed patterns: N P / 64
        word operations instead of N P multiplications (``kernels.packed_overlaps``).
        """
        packed = self.packed()
        if self._ones is None:
            self._ones = np.ones(packed.shape[1], dtype=np.float32)
        return packed_overlaps(packed, state, self.n, self._ones)

    def dots(self, states: np.ndarray) -> np.ndarray:
        """Raw overlaps ``xi s`` for a batch: (B, N) -> float64 (B, P), exact for +-1 states."""
        states = np.atleast_2d(states)
        floats = self.floats()
        if floats is not None:
            # float32 sums of at most 2**24 values of +-1 are exact integers.
            return (states.astype(np.float32) @ floats.T).astype(np.float64)
        if states.shape[0] <= POPCOUNT_STATES:
            # Without the float32 copy, a few states are cheaper counted in bits than
            # multiplied by int8 columns converted chunk by chunk.
            return np.stack([self.dots_of(state) for state in states])
        out = np.zeros((states.shape[0], self.count), dtype=np.float32)
        for part, block in column_blocks(self._columns, np.float32):
            # float32 sums of at most 2**24 values of +-1 are exact integers.
            out += states[:, part].astype(np.float32) @ block
        return out.astype(np.float64)

    def project(self, weights: np.ndarray, exact: bool = True) -> np.ndarray:
        """``weights @ xi`` for weights (B, P), in chunks: (B, N).

        ``exact`` computes in float64, so that fields are exact to rounding;
        otherwise float32, which is twice as fast and accurate to about 1e-6
        relative (batch recall treats changes that small as ties).
        """
        weights = np.atleast_2d(weights)
        floats = None if exact else self.floats()
        if floats is not None:
            if weights.shape[0] == 1:  # a vector times a matrix: gemv, not gemm
                return (weights[0].astype(np.float32) @ floats)[None, :]
            return weights.astype(np.float32) @ floats
        dtype = np.float64 if exact else np.float32
        weights = weights.astype(dtype)
        out = np.empty((weights.shape[0], self.n), dtype=dtype)
        if weights.shape[0] == 1:
            # One vector: compiled, the int8 patterns read once at the memory's speed with
            # no converted copy, summed in the patterns' order (``compiled``: numba, imported
            # here only). Converting blocks for BLAS's gemv took 3 to 4 times as long.
            from tui_hopfield.model.compiled import patterns_times

            patterns_times(self.patterns, weights[0], out[0])
            return out
        # A block of spins' rows of xi^T at a time, converted into one reused buffer
        # that stays in the cache: no temporary grows with N P, and the int8 store is
        # read once, in order (a strided slice of xi converted whole was 8x slower).
        for part, block in column_blocks(self._columns, dtype):
            out[:, part] = weights @ block.T
        return out


class Linear(Landscape):
    """A landscape whose dE is ``K + f_i + s_i (xi^T a)_i`` for coefficients of the overlaps.

    ``a`` (P,) and ``K`` depend on the state's overlaps only, ``f_i`` (``fixed``)
    on the spin only. Since every ``|xi_mu,i| = 1``, a change of the overlaps
    moves no spin's dE by more than the change in ``K`` plus ``||a - a'||_1``,
    so one cue's batch recall can recompute only the spins close to turning
    over (``batch._LinearTurns``).
    """

    fixed: np.ndarray | None = None
    """``f``, float (N,): the part of dE_i that depends on the spin alone, or None (zero)."""
    span: float | None = None
    """A bound on ``|K| + max |f| + ||a||_1`` over all states, which scales the float32
    rounding of dE; None when unknown."""
    _fixed32: np.ndarray | None = None

    def reset(self, state: np.ndarray, dots: np.ndarray) -> None:
        self._a, self._k = self.coefficients(dots[None, :])
        self._a, self._k = self._a[0], self._k[0]
        self._a32 = self._norm = None
        self._drift = math.inf

    def flipped(self, index: int, old: int, state: np.ndarray, dots: np.ndarray) -> None:
        a, k = self._a, self._k
        self.reset(state, dots)
        # Every other spin's dE = K + f_i + s_i (xi^T a)_i moved by at most this.
        moved = float(np.abs(self._a - a).sum()) + abs(float(self._k - k))
        self._drift = moved * (1.0 + 1e-9) + 1e-12 * float(np.abs(self._a).sum())

    def flip_energy(self, index: int, state: np.ndarray) -> float:
        offset = self._k if self.fixed is None else self._k + self.fixed[index]
        return float(offset + int(state[index]) * (self._columns[index] @ self._a))

    def flip_energies_near(
        self, index: np.ndarray, state: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray | float]:
        # One float32 product of the block's rows of xi^T (k, P) with a. A float32 dot
        # of P terms x a with |x| = 1 is off by at most about P u ||a||_1 (u = 2^-24),
        # whatever the order of its sums; flip_energy's float64 dot is off by far less.
        # Twice that, and the offsets' float64 rounding, bound the distance.
        a32, norm = self._a32_and_norm()
        block = np.empty((len(index), self.count), dtype=np.float32)
        np.copyto(block, self._columns[index], casting="unsafe")
        approx = (block @ a32).astype(np.float64)
        approx *= state[index]
        offset = self._offset(index, self._k)
        approx += offset
        spread = abs(self._k) + (0.0 if self.fixed is None else self._fixed_max())
        bound = (self.count + 4) * 2.0**-23 * norm + 1e-12 * spread
        return approx, bound

    def flip_drift(self) -> float:
        return self._drift

    def turned(self) -> None:
        """Spins were turned over in place with ``a`` kept up to date (``visit_terms``)."""
        self._a32 = self._norm = None

    _drift = math.inf
    _a32: np.ndarray | None = None
    _norm: float | None = None
    _fixed_abs_max: float | None = None

    def _a32_and_norm(self) -> tuple[np.ndarray, float]:
        """a as float32 and ``||a||_1``, kept until the next flip."""
        if self._a32 is None or self._norm is None:
            self._a32 = self._a.astype(np.float32)
            self._norm = float(np.abs(self._a).sum())
        return self._a32, self._norm

    def _fixed_max(self) -> float:
        if self._fixed_abs_max is None:
            self._fixed_abs_max = float(np.abs(self.fixed).max(initial=0.0))
        return self._fixed_abs_max

    def flip_energies(
        self, states: np.ndarray, dots: np.ndarray | None = None, exact: bool = True
    ) -> np.ndarray:
        states = np.atleast_2d(states)
        a, k = self.coefficients(self.dots(states) if dots is None else np.atleast_2d(dots))
        return self._offset(slice(None), k[:, None]) + states * self.project(a, exact)

    def _offset(self, index: int | slice, k: np.ndarray | float) -> np.ndarray | float:
        return k if self.fixed is None else k + self.fixed[index]

    def flip_energies_of(self, state: np.ndarray, dots: np.ndarray) -> np.ndarray:
        return self.flip_energies_from(state, *self.coefficients_of(dots))

    def flip_energies_at(self, state: np.ndarray, dots: np.ndarray, index: slice) -> np.ndarray:
        a, k = self.coefficients(dots[None, :])
        fields = self._columns[index].astype(np.float64) @ a[0]
        return self._offset(index, k[0]) + state[index] * fields

    def coefficients_of(self, dots: np.ndarray) -> tuple[np.ndarray, float]:
        """``coefficients`` of one state's overlaps (P,): (a float32 (P,), K)."""
        a, k = self.coefficients(dots[None, :])
        return a[0].astype(np.float32), float(k[0])

    def flip_energies_from(
        self, state: np.ndarray, a: np.ndarray, k: float, index: np.ndarray | None = None
    ) -> np.ndarray:
        """dE of one state (N,) from its coefficients (``coefficients_of``), float32.

        For every spin by default: one gemv and two passes over N float32
        numbers, the hot path of batch recall. With ``index``, for those spins
        only, from their rows of xi^T.
        """
        if index is not None:
            delta = self._columns[index].astype(np.float32) @ a
            delta *= state[index]
            np.add(delta, self._offset(index, k), out=delta, casting="unsafe")
            return delta
        floats = self.floats()
        delta = self.project(a[None, :], exact=False)[0] if floats is None else a @ floats
        np.multiply(delta, state, out=delta)
        if self.fixed is None:
            np.add(delta, k, out=delta, casting="unsafe")
        else:
            if self._fixed32 is None:
                self._fixed32 = self.fixed.astype(np.float32)
            delta += self._fixed32
            np.add(delta, k, out=delta, casting="unsafe")
        return delta

    @abstractmethod
    def coefficients(self, dots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(a (B, P), K (B,)) for raw overlaps (B, P)."""

"""Learning rules and the energy landscapes they make.

A ``Rule`` names how stored patterns become an energy over spin states; its
``learn`` turns the patterns ``xi`` (P x N, +-1) and their strengths ``c``
into a ``Landscape``. Every landscape answers two questions, both for one
spin of a live state (incrementally, from the raw overlaps ``d = xi s``) and
for a batch of states at once (matrix products, for synchronous sweeps and
experiments):

- the energy ``E(s)``;
- ``dE_i``, the change in energy if spin ``i`` alone turned over.

Dynamics need nothing else: at T = 0 a spin flips when ``dE_i < 0``; Glauber's
rule flips it with probability ``1 / (1 + exp(dE_i / T))``. For the quadratic
rules ``dE_i = 2 s_i h_i`` with the local field ``h = W s`` (zero diagonal);
for the others the *effective field* ``h_i = s_i dE_i / 2`` plays that part.

The rules:

- Hebbian (Hopfield 1982): ``W = sum_mu c_mu xi_mu xi_mu^T / N``, never built.
- Storkey (1997): incremental and local; its W is dense N x N (float32), so it
  is refused above ``STORKEY_MAX_BYTES``.
- Pseudo-inverse (Personnaz et al. 1985; Kanter & Sompolinsky 1987): W is the
  projection onto the span of the patterns, ``xi^T G^+ xi`` with the P x P
  Gram matrix ``G = xi xi^T``; never built either.
- Dense associative memory (Krotov & Hopfield 2016): ``E = -(N/n) sum_mu c_mu m_mu^n``
  with the overlap ``m = d / N``; n = 2 is the classic network. The exponential
  form (Demircigil et al. 2017) uses ``E = -log sum_mu c_mu exp(d_mu)``, the
  logarithm of their ``-sum exp``: the same descent, numbers that fit a float.
- Modern Hopfield (Ramsauer et al. 2020): the continuous update
  ``x <- xi^T softmax(beta m + log c)``; its energy
  ``-(N/beta) log sum_mu c_mu exp(beta m_mu) + x.x / 2``.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from tui_hopfield.model.errors import Check, ModelError, Report, checkpoint

RULE_NAMES = ("hebbian", "storkey", "pseudo-inverse", "dense", "modern")
"""The learning rules, by the names the command line and sessions use."""

MIN_DEGREE, MAX_DEGREE = 2, 10
"""The polynomial degrees a dense memory may have."""

MIN_BETA, MAX_BETA = 1.0, 200.0
"""The inverse temperatures the modern network accepts (on overlaps in [-1, 1])."""

STORKEY_MAX_BYTES = 256 * 2**20
"""The memory budget of Storkey's dense float32 weights: grids up to 8192 spins."""

CHUNK_BYTES = 64 * 2**20
"""Largest temporary, in bytes, that a whole-grid product may make."""

FLOAT_CACHE_BYTES = 256 * 2**20
"""Largest float32 copy of the patterns a landscape keeps for fast batch products."""

POPCOUNT_STATES = 16
"""Past ``FLOAT_CACHE_BYTES``, batches up to this many states get their overlaps by popcount."""


@dataclass(frozen=True)
class Rule:
    """A learning rule and its settings; ``learn`` makes its landscape."""

    name: str = "hebbian"
    """One of ``RULE_NAMES``."""
    degree: int | None = 3
    """Dense memory only: the power n of ``F(m) = m^n``, or None for the exponential."""
    beta: float = 40.0
    """Modern network only: the inverse temperature on overlaps in [-1, 1]."""

    def __post_init__(self) -> None:
        if self.name not in RULE_NAMES:
            raise ModelError(
                f"unknown learning rule {self.name!r}; the rules are {', '.join(RULE_NAMES)}"
            )
        if self.degree is not None and not (
            isinstance(self.degree, int) and MIN_DEGREE <= self.degree <= MAX_DEGREE
        ):
            raise ModelError(
                f"a dense memory's degree is a whole number from {MIN_DEGREE} to {MAX_DEGREE}"
                f" or exp, not {self.degree}"
            )
        if not (math.isfinite(self.beta) and MIN_BETA <= self.beta <= MAX_BETA):
            raise ModelError(f"beta lies between {MIN_BETA:g} and {MAX_BETA:g}, not {self.beta}")

    @property
    def continuous(self) -> bool:
        """Whether recall moves a continuous state (the modern network)."""
        return self.name == "modern"

    @property
    def label(self) -> str:
        """A short name for the screen: ``hebbian``, ``dense n=3``, ``modern beta=40``."""
        if self.name == "dense":
            return "dense exp" if self.degree is None else f"dense n={self.degree}"
        if self.name == "modern":
            return f"modern \u03b2={self.beta:g}"
        return self.name

    @property
    def help(self) -> str:
        """One line on what the rule does and whom it is due to."""
        return RULE_HELP[self.name]

    def settings(self) -> dict[str, float | int | str]:
        """The rule's settings, for a session file."""
        if self.name == "dense":
            return {"degree": "exp" if self.degree is None else self.degree}
        if self.name == "modern":
            return {"beta": self.beta}
        return {}

    @classmethod
    def from_settings(cls, name: str, settings: dict[str, object]) -> Rule:
        """The rule ``name`` with the settings a session file holds (checked)."""
        degree = settings.get("degree", 3)
        beta = settings.get("beta", 40.0)
        if degree == "exp":
            degree = None
        if degree is not None and (isinstance(degree, bool) or not isinstance(degree, int)):
            raise ModelError(f"a dense memory's degree is a whole number or exp, not {degree!r}")
        if isinstance(beta, bool) or not isinstance(beta, int | float):
            raise ModelError(f"beta is a number, not {beta!r}")
        return cls(name, degree, float(beta))

    def learn(
        self,
        patterns: np.ndarray,
        strengths: np.ndarray,
        columns: np.ndarray | None = None,
        previous: Landscape | None = None,
        report: Report | None = None,
        cancelled: Check | None = None,
    ) -> Landscape:
        """The landscape of ``patterns`` (int8, P x N) stored with ``strengths`` (P,).

        ``columns`` may hand over ``patterns.T`` already laid out (N, P);
        ``previous`` is the landscape learned before from the first of these
        patterns (a network passes it only when patterns were added since, or
        strengths changed): Storkey's rule extends it instead of starting again
        when only patterns were added, and every rule keeps its packed and
        float32 copies of those patterns.

        ``report`` is told the fraction done and ``cancelled`` is asked between
        steps of rules that learn in many steps (Storkey's, one pattern at a
        time); a True answer raises ``Cancelled``.
        """
        patterns = np.asarray(patterns, dtype=np.int8)
        landscape = self._learn(patterns, strengths, columns, previous, report, cancelled)
        landscape.adopt(previous)
        return landscape

    def _learn(
        self,
        patterns: np.ndarray,
        strengths: np.ndarray,
        columns: np.ndarray | None,
        previous: Landscape | None,
        report: Report | None = None,
        cancelled: Check | None = None,
    ) -> Landscape:
        strengths = np.asarray(strengths, dtype=np.float64)
        if self.name == "hebbian":
            return Hebbian(patterns, strengths, columns)
        if self.name == "storkey":
            start = previous if isinstance(previous, Storkey) else None
            return Storkey(patterns, strengths, columns, start, report, cancelled)
        if self.name == "pseudo-inverse":
            return PseudoInverse(patterns, strengths, columns)
        if self.name == "dense":
            if self.degree is None:
                return Softmax(patterns, strengths, columns, beta=1.0, scale=1.0)
            return Polynomial(patterns, strengths, columns, self.degree)
        n = patterns.shape[1]
        return Softmax(
            patterns, strengths, columns, beta=self.beta / n, scale=n / self.beta, offset=n / 2
        )

    def check_size(self, n: int) -> None:
        """Refuse a grid of ``n`` spins the rule cannot hold (Storkey's dense W)."""
        if self.name == "storkey" and 4 * n * n > STORKEY_MAX_BYTES:
            largest = math.isqrt(STORKEY_MAX_BYTES // 4)
            raise ModelError(
                f"Storkey's rule needs a dense {n} x {n} weight matrix"
                f" ({4 * n * n / 2**20:,.0f} MiB); its budget is"
                f" {STORKEY_MAX_BYTES // 2**20} MiB, so grids up to {largest} spins"
                f" (e.g. {math.isqrt(largest)}x{math.isqrt(largest)})"
            )


RULE_HELP = {
    "hebbian": "Hebb (Hopfield 1982): W = sum of c xi xi^T / N; recall fails past ~0.138 N.",
    "storkey": "Storkey (1997): local and incremental, subtracts cross-talk; stores more.",
    "pseudo-inverse": "Projection (Personnaz 1985): every stored picture is a fixed point, P < N.",
    "dense": "Dense memory (Krotov & Hopfield 2016): E = -sum F(overlap), F = x^n or exp.",
    "modern": "Modern Hopfield (Ramsauer 2020): x <- xi^T softmax(beta xi x / N), one step.",
}
"""One line of help per rule."""


def parse_degree(text: str) -> int | None:
    """``--degree``: a whole number from 2 to 10, or ``exp`` (returned as None)."""
    if text.strip().lower() == "exp":
        return None
    try:
        value = int(text)
    except ValueError:
        raise ModelError(f"{text!r} is not a degree: give 2..10 or exp") from None
    if not MIN_DEGREE <= value <= MAX_DEGREE:
        raise ModelError(f"a degree is from {MIN_DEGREE} to {MAX_DEGREE} or exp, not {value}")
    return value


# -- landscapes ---------------------------------------------------------------


class Landscape(ABC):
    """The energy over spin states that a rule made from stored patterns.

    A landscape holds a *cache* for one live state (the network's), kept up to
    date by ``reset`` and ``flipped``; ``flip_energy`` and ``energy`` read it.
    The batch methods take any states and touch no cache.
    """

    quadratic = False
    """Whether the energy is ``-s^T W s / 2`` for a symmetric W with zero diagonal."""
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
        word operations instead of N P multiplications.
        """
        packed = self.packed()
        bits = np.packbits(state > 0)
        if len(bits) % 8:
            bits = np.pad(bits, (0, -len(bits) % 8))
        # XOR as bytes (numpy broadcasts them faster), count as words.
        words = np.bitwise_count((packed.view(np.uint8) ^ bits).view(np.uint64))
        if self._ones is None:
            self._ones = np.ones(packed.shape[1], dtype=np.float32)
        # Summing short rows of small counts is faster as a float32 product (exact: < 2**24),
        # and so is doubling them; the difference from N is taken in float64.
        return np.float64(self.n) - 2.0 * (words.astype(np.float32) @ self._ones)

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
        out = np.zeros((states.shape[0], self.count))
        for part in chunks(self.n, 4 * max(1, self.count + states.shape[0])):
            # float32 sums of at most 2**24 values of +-1 are exact integers.
            out += states[:, part].astype(np.float32) @ self._columns[part].astype(np.float32)
        return out

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
        itemsize = np.dtype(dtype).itemsize
        out = np.empty((weights.shape[0], self.n), dtype=dtype)
        for part in chunks(self.n, itemsize * max(1, self.count + weights.shape[0])):
            out[:, part] = weights @ self.patterns[:, part].astype(dtype)
        return out


def pack_spins(spins: np.ndarray) -> np.ndarray:
    """Rows of +-1 spins (B, N) as bits (north = 1) in uint64 words (B, ceil(N / 64))."""
    count, n = spins.shape
    words = -(-n // 64)
    packed = np.zeros((count, 8 * words), dtype=np.uint8)
    # A few rows at a time: no (B, N) boolean temporary for many big patterns.
    for start in range(0, count, max(1, CHUNK_BYTES // max(1, n))):
        rows = slice(start, min(start + max(1, CHUNK_BYTES // max(1, n)), count))
        bits = np.packbits(spins[rows] > 0, axis=1)
        packed[rows, : bits.shape[1]] = bits
    return packed.view(np.uint64)


def chunks(n: int, bytes_per_spin: int) -> Iterator[slice]:
    """Slices of ``n`` spins small enough that temporaries stay under ``CHUNK_BYTES``."""
    width = max(256, CHUNK_BYTES // max(1, bytes_per_spin))
    for start in range(0, n, width):
        yield slice(start, min(start + width, n))


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

    def flipped(self, index: int, old: int, state: np.ndarray, dots: np.ndarray) -> None:
        self.reset(state, dots)

    def flip_energy(self, index: int, state: np.ndarray) -> float:
        column = self._columns[index]
        return float(self._offset(index, self._k) + int(state[index]) * (column @ self._a))

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

    def flipped(self, index: int, old: int, state: np.ndarray, dots: np.ndarray) -> None:
        # a = 2 c d / N, written in place: a flip costs one pass over P numbers.
        np.multiply(dots, self._scale, out=self._a)

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
            self.note = (
                f"{self.count - rank} of {self.count} pictures depend on the others"
                f" (a copy or an inverse): the projection keeps {rank} directions"
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


class Polynomial(Linear):
    """Dense associative memory: ``E = -(N/n) sum_mu c_mu m_mu^n``, ``m = d / N``.

    Turning spin i over changes every overlap by ``t = -2 s_i xi_mu,i / N``, and
    ``(m + t)^n - m^n`` splits into the even powers of t (the same for every
    spin) and the odd ones (a sign times a number per memory), so dE is linear
    in ``xi^T a`` and a whole sweep is one matrix product.
    """

    def __init__(
        self, patterns: np.ndarray, strengths: np.ndarray, columns: np.ndarray | None, degree: int
    ) -> None:
        super().__init__(patterns, strengths, columns)
        self.degree = degree
        """The power n."""
        # |m| <= 1, so the terms of a and K add up to at most (N/n) c ((1 + 2/N)^n - 1).
        growth = math.expm1(degree * math.log1p(2.0 / self.n))
        self.span = self.n / degree * float(strengths.sum()) * growth * (1.0 + 1e-12)

    def coefficients(self, dots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n, degree = self.n, self.degree
        m = dots / n
        step = -2.0 / n
        odd = np.zeros_like(m)
        even = np.zeros_like(m)
        for k in range(1, degree + 1):
            term = math.comb(degree, k) * step**k * m ** (degree - k)
            if k % 2:
                odd += term
            else:
                even += term
        scale = -n / degree
        return scale * odd * self.strengths, scale * (even @ self.strengths)

    def energy(self, state: np.ndarray, dots: np.ndarray) -> float:
        return float(self.energies_of_dots(dots[None, :])[0])

    def energies(self, states: np.ndarray) -> np.ndarray:
        return self.energies_of_dots(self.dots(states))

    def energies_of_dots(self, dots: np.ndarray) -> np.ndarray:
        """E = -(N/n) sum c m^n."""
        return -(self.n / self.degree) * ((dots / self.n) ** self.degree @ self.strengths)


class Softmax(Landscape):
    """``E = -scale log sum_mu c_mu exp(beta d_mu)``: dense exp, and the modern network.

    Turning spin i over multiplies each ``exp(beta d_mu)`` by ``exp(-2 beta t)``
    with ``t = s_i xi_mu,i = +-1``, which is ``cosh(2 beta) - sinh(2 beta) t``;
    so ``dE_i = -scale log(cosh 2beta - sinh 2beta s_i (xi^T p)_i)`` with ``p``
    the softmax of the overlaps. The shift by the largest overlap keeps every
    exponential finite.
    """

    def __init__(
        self,
        patterns: np.ndarray,
        strengths: np.ndarray,
        columns: np.ndarray | None,
        beta: float,
        scale: float,
        offset: float = 0.0,
    ) -> None:
        super().__init__(patterns, strengths, columns)
        self.offset = offset
        """Added to every energy: N/2 for the modern network, whose energy holds ``x.x / 2``."""
        self.beta = beta
        """The inverse temperature on raw overlaps d."""
        self.scale = scale
        """The factor in front of the log-sum-exp."""
        self._cosh = math.cosh(2 * beta)
        self._sinh = math.sinh(2 * beta)
        self._log_c = np.log(strengths)

    def weights(self, dots: np.ndarray) -> np.ndarray:
        """softmax(beta d + log c) over memories: (B, P) -> (B, P)."""
        z = self.beta * dots + self._log_c
        z -= z.max(axis=-1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=-1, keepdims=True)

    def reset(self, state: np.ndarray, dots: np.ndarray) -> None:
        self._p = self.weights(dots[None, :])[0]

    def flipped(self, index: int, old: int, state: np.ndarray, dots: np.ndarray) -> None:
        self.reset(state, dots)

    def flip_energy(self, index: int, state: np.ndarray) -> float:
        x = int(state[index]) * float(self._columns[index] @ self._p)
        return -self.scale * math.log(self._cosh - self._sinh * x)

    def flip_energies(
        self, states: np.ndarray, dots: np.ndarray | None = None, exact: bool = True
    ) -> np.ndarray:
        states = np.atleast_2d(states)
        dots = self.dots(states) if dots is None else np.atleast_2d(dots)
        x = states * self.project(self.weights(dots), exact)
        return -self.scale * np.log(self._cosh - self._sinh * x)

    def energy(self, state: np.ndarray, dots: np.ndarray) -> float:
        return float(self.energies_of_dots(dots[None, :])[0])

    def energies(self, states: np.ndarray) -> np.ndarray:
        return self.energies_of_dots(self.dots(states))

    def energies_of_dots(self, dots: np.ndarray) -> np.ndarray:
        """-scale log sum c exp(beta d), computed without overflow."""
        z = self.beta * dots + self._log_c
        top = z.max(axis=-1)
        lse = top + np.log(np.exp(z - top[:, None]).sum(axis=-1))
        return self.offset - self.scale * lse

    # -- the modern network's continuous update ------------------------------

    def retrieve(self, values: np.ndarray) -> np.ndarray:
        """One modern update of continuous states (B, N): ``xi^T softmax(beta xi x + log c)``."""
        values = np.atleast_2d(values).astype(np.float32)
        floats = self.floats()
        if floats is not None:
            dots = values @ floats.T
        else:
            dots = np.zeros((values.shape[0], self.count), dtype=np.float32)
            for part in chunks(self.n, 4 * max(1, self.count + values.shape[0])):
                dots += values[:, part] @ self._columns[part].astype(np.float32)
        return self.project(self.weights(dots.astype(np.float64)), exact=False)

    def continuous_energies(self, values: np.ndarray) -> np.ndarray:
        """Ramsauer's energy of continuous states: ``-scale lse + x.x / 2``."""
        values = np.atleast_2d(values).astype(np.float64)
        dots = values @ self._columns.astype(np.float64)
        squares = np.einsum("bi,bi->b", values, values)
        return self.energies_of_dots(dots) - self.offset + 0.5 * squares


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
        Rule("storkey").check_size(n)
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

"""The anatomy of a spurious state: the odd mixture of three memories it is closest to.

Amit, Gutfreund and Sompolinsky (1985) found that a Hebbian network, besides
its memories and their inverses, has valleys at the *mixture states*
``sign(+-xi_a +-xi_b +-xi_c)`` (and at odd mixtures of more), and, past
capacity, at spin-glass states that resemble no mixture at all.

``anatomy`` names a state by its best odd mixture of three. The candidates are
the ``CANDIDATES`` memories of largest ``|m_mu|`` (the overlaps the network
keeps, so choosing them is O(P)); every sign choice of every triple of them
follows from their overlaps and their triple products with the state
(``best_mixture``), O(N k^3 / 64) with k = min(P, ``CANDIDATES``), never an N x N
matrix. Among up to ``CANDIDATES`` memories the search is exhaustive.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from tui_hopfield.model.network import Network
from tui_hopfield.model.rules.kernels import pack_spins

CANDIDATES = 8
"""The memories of largest |overlap| whose triples are searched (56 triples at most)."""
MIXTURE_OVERLAP = 0.9
"""A state whose best mixture has at least this overlap with it is named that mixture;
below, it is a spin-glass state."""

MINUS = "\u2212"
"""The minus sign of a formula."""

SIGNS = np.array(list(itertools.product((1, -1), repeat=3)), dtype=np.int64)
"""The eight sign choices (s_a, s_b, s_c), one a row."""


@dataclass(frozen=True)
class Mixture:
    """An odd mixture ``sign(s_a xi_a + s_b xi_b + s_c xi_c)`` and its overlap with a state."""

    names: tuple[str, str, str]
    """The three memories' names."""
    indices: tuple[int, int, int]
    """The three memories' indices."""
    signs: tuple[int, int, int]
    """Each memory's sign in the mixture, +1 or -1."""
    overlap: float
    """The overlap of the mixture with the state, in [-1, 1]."""

    @property
    def formula(self) -> str:
        """``smile + house \u2212 cat``: the first term's sign only when it is minus."""
        parts = []
        for number, (name, sign) in enumerate(zip(self.names, self.signs, strict=True)):
            if number == 0:
                parts.append(name if sign > 0 else f"{MINUS}{name}")
            else:
                parts.append(f"{'+' if sign > 0 else MINUS} {name}")
        return " ".join(parts)

    def spins(self, patterns: np.ndarray) -> np.ndarray:
        """The mixture's spins, int8 (N,), from the network's patterns (P, N)."""
        total = sum(
            sign * patterns[index].astype(np.int64)
            for index, sign in zip(self.indices, self.signs, strict=True)
        )
        return np.sign(total).astype(np.int8)


@dataclass(frozen=True)
class Anatomy:
    """What a state is made of: its best odd mixture of three, and whether it is one."""

    best: Mixture | None
    """The best odd mixture of three found (None with fewer than three memories)."""
    threshold: float = MIXTURE_OVERLAP
    """The overlap from which the state is named its mixture."""

    @property
    def is_mixture(self) -> bool:
        """Whether the state is (close to) its best mixture."""
        return self.best is not None and self.best.overlap >= self.threshold

    @property
    def label(self) -> str:
        """``smile + house \u2212 cat, overlap 0.94`` or ``a spin-glass state (no mixture
        within 0.90)``."""
        if self.is_mixture:
            return f"{self.best.formula}, overlap {self.best.overlap:.2f}"
        return f"a spin-glass state (no mixture within {self.threshold:.2f})"

    @property
    def detail(self) -> str:
        """A sentence for the message line, naming the best mixture either way."""
        if self.best is None:
            return "Spurious: fewer than three memories, so no mixture of three to name."
        formula, overlap = self.best.formula, f"{self.best.overlap:.2f}"
        if self.is_mixture:
            return f"Spurious: the mixture state sign({formula}), overlap {overlap}."
        return (
            f"Spurious: a spin-glass state; the nearest odd mixture, sign({formula}),"
            f" has overlap {overlap}, under {self.threshold:.2f}."
        )


def best_mixture(network: Network, candidates: int = CANDIDATES) -> Mixture | None:
    """The odd mixture of three memories with the largest overlap with the state.

    The triples are those of the ``candidates`` memories of largest ``|m|``;
    None with fewer than three memories. For spins of +-1,
    ``sign(x + y + z) = (x + y + z - x y z) / 2``, so a mixture's overlap is
    ``(s_a d_a + s_b d_b + s_c d_c - s_a s_b s_c D_abc) / 2N`` from the raw
    overlaps ``d`` and the triple products ``D_abc = sum_i xi_a xi_b xi_c s_i``,
    counted on packed bits: C(k, 2) k N / 64 word operations.
    """
    count = network.count
    if count < 3:
        return None
    overlaps = network.overlaps()
    chosen = np.sort(np.argsort(-np.abs(overlaps), kind="stable")[: min(candidates, count)])
    n = network.n
    # Bits (north = 1), 64 a word; a product of +-1 spins is -1 where the XOR of
    # their bits is 1 (the padding bits are 0 in every row, so they add nothing).
    packed = pack_spins(np.vstack([network.patterns[chosen], network.state[None, :]]))
    weighted = packed[:-1] ^ packed[-1]  # xi_c s, as bits
    dots = n - 2 * np.bitwise_count(weighted).sum(axis=1, dtype=np.int64)  # d_c, exact
    k = len(chosen)
    pairs = list(itertools.combinations(range(k), 2))
    first, second = (np.array(side) for side in zip(*pairs, strict=True))
    mixed = (packed[first] ^ packed[second])[:, None, :] ^ weighted[None, :, :]
    triple = n - 2 * np.bitwise_count(mixed).sum(axis=2, dtype=np.int64)  # D_abc by (ab, c)
    where = {pair: number for number, pair in enumerate(pairs)}
    best: Mixture | None = None
    best_dot = -np.inf
    for a, b, c in itertools.combinations(range(k), 3):
        product = triple[where[(a, b)], c]
        # Twice each sign choice's mixture . state.
        doubled = SIGNS @ dots[[a, b, c]] - SIGNS.prod(axis=1) * product
        choice = int(np.argmax(doubled))
        if doubled[choice] > best_dot:
            best_dot = float(doubled[choice])
            indices = (int(chosen[a]), int(chosen[b]), int(chosen[c]))
            names = tuple(network.names[index] for index in indices)
            signs = tuple(int(x) for x in SIGNS[choice])
            best = Mixture(names, indices, signs, best_dot / (2 * n))
    return best


def anatomy(network: Network, candidates: int = CANDIDATES) -> Anatomy:
    """The anatomy of the network's state: its best odd mixture of three (``best_mixture``)."""
    return Anatomy(best_mixture(network, candidates))

"""What the side panel's views show: overlaps over time, attention, and why a magnet flips.

Every quantity here costs O(P) or O(N P) (one row of W, one product of the
patterns with the state), never an N x N matrix, and is computed from the
landscape the network uses (``model.rules``), so the views say what the code does:

- ``OverlapTrace``: the overlap m_mu with every memory, sampled once a frame
  against the recall's positions (flips, or steps), at most ``MAX_SAMPLES`` kept;
- ``attention``: the modern network's weights ``softmax(beta xi x / N + log c)``,
  the very weights its next update ``x <- xi^T p`` uses, and the regime they are in;
- ``field_split``: the field on one magnet split into each memory's pull;
- ``connections``: row i of the weights W (Hebb, pseudo-inverse, Storkey).
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np

from tui_hopfield.model.recording import decode
from tui_hopfield.model.rules import Hebbian, Polynomial, PseudoInverse, Softmax, Storkey
from tui_hopfield.model.rules.kernels import chunks, pack_spins

MAX_SAMPLES = 256
"""Samples an ``OverlapTrace`` keeps; past it every other one goes and the spacing doubles."""
CATCH_UP_WORK = 262_144
"""Flips x memories a frame may replay from the recording to fill in the positions between
frames (``OverlapTrace.catch_up``); past it only the frame's own overlaps are sampled."""

SINGLE_WEIGHT = 0.9
"""Attention is on a single memory when its weight is at least this."""
GLOBAL_ENTROPY = 0.9
"""Attention is a global average when the weights' entropy is at least this fraction of
log P (the uniform blend's), and no memory has ``SINGLE_WEIGHT``."""
HEAVY_WORK = 16_000_000
"""N x P past which a view's O(N P) product runs in a thread, not in the frame."""
MIXTURE_MASS = 0.9
"""A metastable mixture is named by the fewest memories whose weights reach this."""


class OverlapTrace:
    """Each memory's overlap with the grid against the recall's position, sampled per frame.

    ``add`` costs O(P); at most ``MAX_SAMPLES`` samples are kept: when full,
    every other one is dropped and new ones are taken half as often.
    """

    def __init__(self, overlaps: np.ndarray, names: tuple[str, ...] = ()) -> None:
        self.names = tuple(names)
        """The memories' names when the recall started."""
        self.positions: list[int] = [0]
        """Positions (flips or steps) of the samples, increasing."""
        self.samples: list[np.ndarray] = [np.asarray(overlaps, dtype=np.float64).copy()]
        """The overlaps (P,) at each position."""
        self._stride = 1

    def add(self, position: int, overlaps: np.ndarray) -> None:
        """Record the overlaps at ``position`` (a later one replaces a sample too close)."""
        sample = np.asarray(overlaps, dtype=np.float64).copy()
        if position <= self.positions[-1]:
            self.samples[-1] = sample
            return
        if len(self.positions) > 1 and position - self.positions[-2] < self._stride:
            self.positions[-1], self.samples[-1] = position, sample
            return
        self.positions.append(position)
        self.samples.append(sample)
        if len(self.positions) > MAX_SAMPLES:
            keep = [*range(0, len(self.positions) - 1, 2), len(self.positions) - 1]
            self.positions = [self.positions[k] for k in keep]
            self.samples = [self.samples[k] for k in keep]
            self._stride *= 2

    def catch_up(self, recording, columns: np.ndarray, n: int) -> bool:
        """Sample the positions a frame went past, replayed from ``recording``'s flips.

        ``columns`` is xi^T (N, P). Each flip changes the overlaps by
        ``2 s_new xi[:, i] / N``; a cumulative sum of them gives the overlaps at
        up to ``MAX_SAMPLES / 2`` positions between the last sample and the
        recording's end, in O(flips x P) (at most ``CATCH_UP_WORK``). Returns
        whether it did (False: too much work, or nothing new).
        """
        start, end = self.positions[-1], len(recording)
        first, last = recording.flips_at(start), recording.flips_at(end)
        count = last - first
        if end <= start or count * columns.shape[1] > CATCH_UP_WORK:
            return False
        indices, values = decode(recording.codes[first:last])
        steps = np.cumsum(2.0 * values[:, None] * columns[indices], axis=0)
        base = self.samples[-1] * n
        wanted = np.unique(np.linspace(start, end, MAX_SAMPLES // 2 + 1).round().astype(int))
        for position in wanted[wanted > start]:
            done = recording.flips_at(int(position)) - first
            self.add(int(position), (base + steps[done - 1]) / n if done else base / n)
        return True

    @property
    def last(self) -> np.ndarray:
        """The latest overlaps (P,)."""
        return self.samples[-1]

    def columns(self, width: int) -> tuple[np.ndarray, np.ndarray]:
        """For ``width`` columns spread evenly over positions 0..last: the sample each shows.

        Returns (the sample's position per column, its overlaps (width, P)):
        each column shows the latest sample at or before its position.
        """
        width = max(1, width)
        end = self.positions[-1]
        targets = np.linspace(0, end, width) if width > 1 else np.array([end])
        picks = np.searchsorted(np.asarray(self.positions), targets, side="right") - 1
        picks = np.clip(picks, 0, len(self.positions) - 1)
        positions = np.asarray([self.positions[k] for k in picks])
        return positions, np.stack([self.samples[k] for k in picks])


def top_indices(values: np.ndarray, count: int) -> np.ndarray:
    """Indices of the ``count`` largest ``values``, largest first, in O(P)."""
    count = min(count, len(values))
    if count <= 0:
        return np.zeros(0, dtype=int)
    part = np.argpartition(-values, count - 1)[:count]
    return part[np.argsort(-values[part], kind="stable")]


def query_dots(landscape: Softmax, query: np.ndarray) -> np.ndarray:
    """The raw overlaps ``xi x`` (P,) of a continuous or spin query (N,), O(N P).

    In float32, as the modern update computes them (``Softmax.retrieve``).
    """
    query = np.asarray(query, dtype=np.float32).reshape(-1)
    floats = landscape.floats()
    if floats is not None:
        return (floats @ query).astype(np.float64)
    dots = np.zeros(landscape.count, dtype=np.float32)
    for part in chunks(landscape.n, 4 * max(1, landscape.count)):
        dots += landscape.patterns[:, part].astype(np.float32) @ query[part]
    return dots.astype(np.float64)


@dataclass(frozen=True)
class Attention:
    """The modern network's attention over the memories for one query."""

    weights: np.ndarray
    """p = softmax(beta xi x / N + log c), float (P,), sums to 1."""
    regime: str
    """``single memory``, ``metastable mixture`` or ``global average``."""
    entropy: float
    """The weights' entropy over log P (0: one memory, 1: the uniform blend); 0 for P = 1."""
    mixture: np.ndarray
    """The fewest memories whose weights reach ``MIXTURE_MASS``, largest first."""


def attention(
    landscape: Softmax, query: np.ndarray | None, dots: np.ndarray | None = None
) -> Attention:
    """The weights the modern update ``x <- xi^T p`` takes for the query ``x``, and the regime.

    The regime, by the thresholds above: a single memory when the largest
    weight is at least ``SINGLE_WEIGHT``; a global average when the entropy is
    at least ``GLOBAL_ENTROPY`` of log P; a metastable mixture otherwise
    (Ramsauer et al. 2020's three kinds of fixed point). ``dots`` may hand over
    the query's raw overlaps ``xi x`` (the network keeps them for spins: O(P)).
    """
    dots = query_dots(landscape, query) if dots is None else np.asarray(dots, dtype=np.float64)
    weights = landscape.weights(dots[None, :])[0]
    count = len(weights)
    positive = weights[weights > 0]
    entropy = float(-(positive * np.log(positive)).sum())
    entropy = entropy / math.log(count) if count > 1 else 0.0
    order = np.argsort(-weights, kind="stable")
    reach = int(np.searchsorted(np.cumsum(weights[order]), MIXTURE_MASS)) + 1
    mixture = order[: min(reach, count)]
    if weights[order[0]] >= SINGLE_WEIGHT:
        regime = "single memory"
    elif entropy >= GLOBAL_ENTROPY:
        regime = "global average"
    else:
        regime = "metastable mixture"
    return Attention(weights, regime, entropy, mixture)


@dataclass(frozen=True)
class FieldSplit:
    """The field on one magnet, split into each memory's pull."""

    kind: str
    """``field`` (h_i, a flip at T = 0 when s_i h_i < 0), ``vote`` (the modern and dense exp
    rules: v_i = sum p_mu xi_mu,i) or ``whole`` (Storkey: h_i, no split)."""
    pulls: np.ndarray
    """Each memory's pull, float (P,) (empty for ``whole``)."""
    rest: float
    """What belongs to no memory: the self-coupling term the zero diagonal takes away."""
    total: float
    """The sum: pulls plus rest."""
    field: float
    """h_i as the network computes it (``Network.field``): s_i dE_i / 2."""
    spin: int
    """s_i, the magnet's spin now."""
    threshold: float = 0.0
    """The vote's threshold: dense exp flips when s_i v_i < tanh(beta) (0 for fields)."""


def field_split(landscape, state: np.ndarray, dots: np.ndarray, index: int) -> FieldSplit:
    """Magnet ``index``'s field as each memory's pull, in O(P) (O(N) for Storkey).

    - Hebb: ``h_i = sum_mu c_mu xi_mu,i m_mu - (sum c / N) s_i``: each pull is
      ``c_mu xi_mu,i m_mu``, the last term the diagonal W_ii taken away.
    - Pseudo-inverse: ``h_i = sum_mu xi_mu,i (M d)_mu - W_ii s_i``.
    - Dense x^n: the effective field ``h_i = s_i dE_i / 2`` with dE_i the sum of
      each memory's ``-(N/n) c_mu ((m_mu - 2 s_i xi_mu,i / N)^n - m_mu^n)``;
      its pull is ``s_i`` times that over 2.
    - Modern and dense exp: dE_i is a log of a sum, no sum of pulls; their own
      local quantity is the vote ``v_i = sum_mu p_mu xi_mu,i`` (the modern
      update sets x_i to it; dense exp flips when ``s_i v_i < tanh(beta)``).
    - Storkey: h_i = (W s)_i, learned with cross-talk corrections: no split.
    """
    s = int(state[index])
    field = s * landscape.flip_energy(index, state) / 2
    n = landscape.n
    column = landscape.columns[index].astype(np.float64)
    c = landscape.strengths
    if isinstance(landscape, Hebbian):
        pulls = c * column * dots / n
        rest = -float(c.sum()) / n * s
    elif isinstance(landscape, PseudoInverse):
        pulls = column * (landscape.matrix @ dots)
        rest = -float(landscape.diagonal[index]) * s
    elif isinstance(landscape, Polynomial):
        m = dots / n
        degree = landscape.degree
        changes = -(n / degree) * c * ((m - 2.0 * s * column / n) ** degree - m**degree)
        pulls = s * changes / 2
        rest = 0.0
    elif isinstance(landscape, Softmax):
        p = landscape.weights(dots[None, :])[0]
        pulls = p * column
        threshold = math.tanh(landscape.beta) if landscape.offset == 0 else 0.0
        total = float(pulls.sum())
        return FieldSplit("vote", pulls, 0.0, total, field, s, threshold)
    else:
        return FieldSplit("whole", np.zeros(0), 0.0, field, field, s)
    return FieldSplit("field", pulls, rest, float(pulls.sum()) + rest, field, s)


_PACKED_COLUMNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def packed_columns(landscape) -> np.ndarray:
    """Each spin's P pattern bits (north = 1) in uint64 words, (N, ceil(P / 64)), kept per
    landscape (its patterns never change: a new set of memories is a new landscape)."""
    packed = _PACKED_COLUMNS.get(landscape)
    if packed is None:
        packed = pack_spins(landscape.columns)
        _PACKED_COLUMNS[landscape] = packed
    return packed


def connections(landscape, index: int) -> np.ndarray | None:
    """Row ``index`` of W (N,), with W_ii = 0, in O(N P); None for rules without a W.

    Hebb: ``W_ij = sum_mu c_mu xi_mu,i xi_mu,j / N``; pseudo-inverse:
    ``W_ij = xi_i^T M xi_j``; Storkey: its learned row. Dense and modern
    memories have no pairwise weights (their energy is not quadratic).
    """
    if isinstance(landscape, Storkey):
        row = landscape.weights[index].astype(np.float64)
    elif isinstance(landscape, Hebbian):
        strengths = landscape.strengths
        if landscape.count >= 64 and np.all(strengths == strengths[0]):
            # Equal strengths: W_ij = c (P - 2 #{mu: xi_mu,i != xi_mu,j}) / N, counted in
            # bits of the columns (N P / 64 words a row, after one packing).
            packed = packed_columns(landscape)
            differ = np.bitwise_count(packed ^ packed[index]).sum(axis=1, dtype=np.int64)
            row = float(strengths[0]) * (landscape.count - 2.0 * differ) / landscape.n
        else:
            coefficients = strengths * landscape.columns[index] / landscape.n
            row = landscape.project(coefficients[None, :], exact=False)[0]
    elif isinstance(landscape, PseudoInverse):
        coefficients = landscape.matrix @ landscape.columns[index].astype(np.float64)
        row = landscape.project(coefficients[None, :], exact=False)[0]
    else:
        return None
    row = np.array(row, dtype=np.float64)
    row[index] = 0.0
    return row

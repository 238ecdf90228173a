"""The memory: stored patterns, their strengths, the spin state and its fields.

The Hebbian weights are ``W = sum_mu c_mu xi_mu xi_mu^T / N`` with a zero
diagonal, but ``W`` is never built. Everything is computed from the stored
patterns ``xi`` (P x N, int8) and the raw overlaps ``d = xi s`` (P,), which
are kept up to date one flip at a time:

- field      ``h = xi^T (c * d) / N - (sum c / N) s``       (O(N P), one spin O(P))
- energy     ``E = -1/2 s^T W s = -sum_mu c_mu d_mu^2 / (2N) + sum c / 2``
- flip of i  ``d -= 2 s_i xi[:, i]``                         (O(P))
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

CHUNK_BYTES = 64 * 2**20
"""Largest temporary, in bytes, that a whole-grid product may make."""

CAPACITY = 0.138
"""Amit, Gutfreund & Sompolinsky (1985): past about 0.138 N patterns, recall fails."""


class ModelError(ValueError):
    """Raised for a request the model refuses; the message says why."""


@dataclass(frozen=True)
class Memory:
    """A read-only view of one stored memory."""

    index: int
    """Position in the network's list of memories."""
    name: str
    """The name shown to the user (a picture's name, or "drawing 2")."""
    strength: float
    """The memory's weight c in the learning rule."""
    pattern: np.ndarray
    """The stored spins, int8 of shape (rows, cols)."""


class Network:
    """A Hopfield network of ``rows x cols`` spins with Hebbian memories.

    The state ``s`` is an int8 vector of +1 (north) and -1 (south). The
    network never holds the N x N weight matrix: fields and energy come from
    the stored patterns and their overlaps with the state.
    """

    def __init__(self, rows: int, cols: int) -> None:
        if rows < 1 or cols < 1:
            raise ModelError(f"a grid needs at least one row and column, not {rows}x{cols}")
        self.rows = rows
        """Number of rows of the grid."""
        self.cols = cols
        """Number of columns of the grid."""
        self.n = rows * cols
        """Number of spins N."""
        self.state = -np.ones(self.n, dtype=np.int8)
        """The spins, flat, int8 in {-1, +1}; the same array for the network's life.

        Read it freely (views of it stay live); change it only through the methods.
        """
        self.revision = 0
        """Counts changes to the memories (imprint, forget); the state does not count."""
        self._names: list[str] = []
        # Patterns are kept twice, as rows (xi) and as columns (xi^T, so that the P
        # entries of one spin are contiguous), in buffers that double when full:
        # imprinting P patterns one by one costs O(N P) in all, not O(N P^2). An
        # imprint writes its row only; the columns are filled in when a field is
        # next needed, many patterns at a time.
        self._row_store = np.empty((0, self.n), dtype=np.int8)
        self._column_store = np.empty((self.n, 0), dtype=np.int8)
        self._columns_filled = 0
        self._total_strength = 0.0
        self._strengths = np.empty(0, dtype=np.float64)
        self._dots = np.empty(0, dtype=np.float64)  # d = xi s
        self._weighted = np.empty(0, dtype=np.float64)  # c * d / N

    # -- memories -----------------------------------------------------------

    @property
    def count(self) -> int:
        """Number of stored memories P."""
        return len(self._names)

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the stored memories, in order."""
        return tuple(self._names)

    @property
    def patterns(self) -> np.ndarray:
        """The stored patterns, int8 (P, N), read-only."""
        view = self._patterns.view()
        view.flags.writeable = False
        return view

    @property
    def strengths(self) -> np.ndarray:
        """The strength c of each memory, float (P,), read-only."""
        view = self._strengths.view()
        view.flags.writeable = False
        return view

    @property
    def load(self) -> float:
        """The load P / N (classic capacity is about 0.138)."""
        return self.count / self.n

    def memory(self, index: int) -> Memory:
        """The memory at ``index``."""
        return Memory(
            index,
            self._names[index],
            float(self._strengths[index]),
            self._patterns[index].reshape(self.rows, self.cols).copy(),
        )

    def imprint(self, pattern: np.ndarray, name: str, strength: float = 1.0) -> int:
        """Store ``pattern`` (any shape with N entries of +-1) and return its index.

        Hebbian learning adds ``c xi xi^T / N`` to the weights; the other
        memories are untouched.
        """
        xi = self._check_spins(pattern)
        if not np.isfinite(strength) or strength <= 0:
            raise ModelError(f"a memory's strength must be a positive number, not {strength}")
        count = self.count
        if count == self._row_store.shape[0]:
            self._grow(max(4, 2 * count))
        self._row_store[count] = xi
        self._names.append(name)
        self._strengths = np.append(self._strengths, float(strength))
        self._total_strength = float(self._strengths.sum())
        self._dots = np.append(self._dots, float(xi.astype(np.int64) @ self.state))
        self._reweigh()
        self.revision += 1
        return self.count - 1

    def forget(self, index: int) -> None:
        """Remove the memory at ``index``."""
        count = self.count
        self._row_store[index : count - 1] = self._row_store[index + 1 : count]
        self._columns_filled = min(self._columns_filled, index)
        del self._names[index]
        self._strengths = np.delete(self._strengths, index)
        self._total_strength = float(self._strengths.sum())
        self._dots = np.delete(self._dots, index)
        self._reweigh()
        self.revision += 1

    def forget_all(self) -> None:
        """Remove every memory."""
        for index in reversed(range(self.count)):
            self.forget(index)

    def unique_name(self, stem: str) -> str:
        """``stem``, or ``stem 2``, ``stem 3``... whichever is not taken yet."""
        if stem not in self._names:
            return stem
        number = 2
        while f"{stem} {number}" in self._names:
            number += 1
        return f"{stem} {number}"

    # -- the state ----------------------------------------------------------

    def set_state(self, spins: np.ndarray) -> None:
        """Replace the whole state (any shape with N entries of +-1)."""
        self.state[:] = self._check_spins(spins)
        self._dots = self._dots_of(self.state)
        self._reweigh()

    def set_spin(self, index: int, value: int) -> bool:
        """Set one spin to ``value`` (+1 or -1); return whether it changed."""
        if value not in (1, -1):
            raise ModelError(f"a spin is +1 or -1, not {value}")
        if self.state[index] == value:
            return False
        self.flip(index)
        return True

    def flip(self, index: int, field: float | None = None) -> float:
        """Flip spin ``index`` and return the change in energy (``2 s_i h_i``).

        ``field`` is h_i when the caller has just computed it (it saves an O(P) dot).
        """
        old = int(self.state[index])
        delta = 2.0 * old * (self.field(index) if field is None else field)
        self.state[index] = -old
        if self.count:
            column = self._columns[index]
            self._dots -= 2.0 * old * column
            self._reweigh()
        return delta

    # -- fields, energy, overlaps ------------------------------------------

    def field(self, index: int) -> float:
        """The local field h_i on one spin, in O(P)."""
        if not self.count:
            return 0.0
        total = float(self._columns[index] @ self._weighted)
        return total - self._total_strength / self.n * int(self.state[index])

    def fields(self) -> np.ndarray:
        """All local fields h, float (N,), in O(N P)."""
        if not self.count:
            return np.zeros(self.n)
        h = np.empty(self.n)
        for part in self._column_chunks(8):
            h[part] = self._weighted @ self._patterns[:, part].astype(np.float64)
        return h - self._total_strength / self.n * self.state

    def energy(self) -> float:
        """The energy ``E = -1/2 s^T W s`` of the current state."""
        return self.energy_of_dots(self._dots)

    def energy_of(self, spins: np.ndarray) -> float:
        """The energy of any state, without changing the network."""
        return self.energy_of_dots(self._dots_of(self._check_spins(spins)))

    def energy_of_dots(self, dots: np.ndarray) -> float:
        """The energy of a state given its raw overlaps ``xi s``."""
        if not self.count:
            return 0.0
        c = self._strengths
        return float(-(c @ (np.asarray(dots, dtype=np.float64) ** 2)) / (2 * self.n) + c.sum() / 2)

    def overlaps(self) -> np.ndarray:
        """The overlap m_mu = xi_mu . s / N with every memory, in [-1, 1]."""
        return self._dots / self.n

    def unstable(self) -> np.ndarray:
        """Indices of the spins a zero-temperature update would flip (s_i h_i < 0)."""
        return np.flatnonzero(self.state * self.fields() < 0)

    def grid(self) -> np.ndarray:
        """The state as a (rows, cols) view."""
        return self.state.reshape(self.rows, self.cols)

    # -- helpers ------------------------------------------------------------

    @property
    def _patterns(self) -> np.ndarray:
        """xi, int8 (P, N)."""
        return self._row_store[: self.count]

    @property
    def _columns(self) -> np.ndarray:
        """xi^T, int8 (N, P); each spin's row of P entries is contiguous."""
        count = self.count
        if self._columns_filled < count:
            start = self._columns_filled
            self._column_store[:, start:count] = self._row_store[start:count].T
            self._columns_filled = count
        return self._column_store[:, :count]

    def _column_chunks(self, itemsize: int) -> Iterator[slice]:
        """Slices of the N spins small enough that a (P, chunk) temporary stays modest."""
        width = max(256, CHUNK_BYTES // max(1, itemsize * self.count))
        for start in range(0, self.n, width):
            yield slice(start, min(start + width, self.n))

    def _dots_of(self, spins: np.ndarray) -> np.ndarray:
        """The raw overlaps ``xi s`` (P,), exact, without an N x P float temporary."""
        dots = np.zeros(self.count)
        values = spins.astype(np.float32)
        for part in self._column_chunks(4):
            # float32 sums of at most 2**24 values of +-1 are exact integers.
            dots += self._patterns[:, part].astype(np.float32) @ values[part]
        return dots

    def _grow(self, capacity: int) -> None:
        count = self.count
        rows = np.empty((capacity, self.n), dtype=np.int8)
        rows[:count] = self._patterns
        columns = np.empty((self.n, capacity), dtype=np.int8)
        filled = self._columns_filled
        columns[:, :filled] = self._column_store[:, :filled]
        self._row_store, self._column_store = rows, columns

    def _reweigh(self) -> None:
        if self._weighted.shape != self._dots.shape:
            self._weighted = np.empty_like(self._dots)
        np.multiply(self._strengths, self._dots, out=self._weighted)
        self._weighted /= self.n

    def _check_spins(self, spins: np.ndarray) -> np.ndarray:
        array = np.asarray(spins)
        if array.size != self.n:
            raise ModelError(
                f"a pattern for this {self.rows}x{self.cols} grid needs {self.n} spins,"
                f" not {array.size}"
            )
        flat = array.reshape(self.n)
        if not np.all((flat == 1) | (flat == -1)):
            raise ModelError("a pattern's spins must all be +1 or -1")
        return flat.astype(np.int8)

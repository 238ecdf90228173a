"""The stored patterns of a network, kept twice: as rows (xi) and as columns (xi^T).

The columns make the P entries of one spin contiguous, which is what a flip
and a one-spin field read. Both live in buffers that double when full, so
imprinting P patterns one by one costs O(N P) in all, not O(N P^2). An
imprint writes its row only; the columns are filled in when they are next
read, by a compiled transpose (``compiled.transpose_into``: 8x8 byte blocks
in words, so the column buffer's width is kept a multiple of 8).

``copy_in_blocks`` copies a large array a block at a time, so that a copy
made in a worker thread never holds the interpreter's lock for long.
"""

from __future__ import annotations

import numpy as np

from tui_hopfield.model.rules.kernels import batches

COPY_BLOCK_BYTES = 8 * 2**20
"""Bytes copied at a time by ``copy_in_blocks``."""


def copy_in_blocks(array: np.ndarray) -> np.ndarray:
    """A copy of ``array`` made a block of rows at a time.

    The same as ``array.copy()``, but a gigabyte is not one long call: numpy
    holds the interpreter's lock while it copies, and a copy made in a worker
    thread would stop the event loop's thread for the whole of it.
    """
    out = np.empty_like(array)
    if array.ndim == 0 or not len(array):
        out[...] = array
        return out
    row_bytes = max(1, array[0].nbytes)
    for part in batches(len(array), max(1, COPY_BLOCK_BYTES // row_bytes)):
        out[part] = array[part]
    return out


class PatternStore:
    """``count`` patterns of ``n`` spins (int8 +-1) as rows and, filled in lazily, columns.

    It checks nothing: the network checks every pattern before it comes in.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        """Spins per pattern."""
        self.count = 0
        """Patterns stored."""
        self._rows = np.empty((0, n), dtype=np.int8)
        self._columns = np.empty((n, 0), dtype=np.int8)
        self._filled = 0  # columns filled in so far

    def copy(self) -> PatternStore:
        """An independent copy, with no room to spare, made a block at a time."""
        count, filled = self.count, self._filled
        other = PatternStore(self.n)
        other.count = count
        other._rows = copy_in_blocks(self._rows[:count])
        other._columns = np.empty((self.n, _words(count)), dtype=np.int8)
        for part in batches(self.n, max(1, COPY_BLOCK_BYTES // max(1, count))):
            other._columns[part, :filled] = self._columns[part, :filled]
        other._filled = filled
        return other

    @property
    def rows(self) -> np.ndarray:
        """xi, int8 (P, N)."""
        return self._rows[: self.count]

    @property
    def columns(self) -> np.ndarray:
        """xi^T, int8 (N, P); each spin's row of P entries is contiguous."""
        count = self.count
        if self._filled < count:
            # Compiled (numba, imported here only): numpy's int8 transposes, blocked in
            # any way, cost about 3 ns an entry, 0.6 to 1.6 s at 256x256 with 3,277.
            from tui_hopfield.model.compiled import transpose_into

            transpose_into(self._rows, self._columns, self._filled, count)
            self._filled = count
        return self._columns[:, :count]

    def reserve(self, count: int) -> None:
        """Make room for ``count`` patterns in all: adding up to them copies nothing."""
        if count > self._rows.shape[0]:
            self._grow(count)

    def append(self, pattern: np.ndarray) -> None:
        """Store one pattern (N,) after the others; a full buffer doubles."""
        count = self.count
        if count == self._rows.shape[0]:
            self._grow(max(4, 2 * count))
        self._rows[count] = pattern
        self.count = count + 1

    def extend(self, patterns: np.ndarray) -> np.ndarray:
        """Store the rows of ``patterns`` (K, N) after the others; return them as stored."""
        count, added = self.count, len(patterns)
        if count + added > self._rows.shape[0]:
            # Some room to spare: the next imprint should not copy all of them again.
            self._grow(max(4, 2 * count, count + added + (count + added) // 8))
        self._rows[count : count + added] = patterns
        self.count = count + added
        return self._rows[count : count + added]

    def remove(self, index: int) -> None:
        """Take out the pattern at ``index``; those after it move up one."""
        count = self.count
        self._rows[index : count - 1] = self._rows[index + 1 : count]
        self._filled = min(self._filled, index)
        self.count = count - 1

    def insert(self, index: int, pattern: np.ndarray) -> None:
        """Put one pattern (N,) at ``index``; those from it on move down one."""
        count = self.count
        if count == self._rows.shape[0]:
            self._grow(max(4, 2 * count))
        self._rows[index + 1 : count + 1] = self._rows[index:count]
        self._rows[index] = pattern
        self._filled = min(self._filled, index)
        self.count = count + 1

    def truncate(self, count: int) -> None:
        """Keep the first ``count`` patterns only."""
        self.count = min(self.count, count)
        self._filled = min(self._filled, self.count)

    def index_of(self, pattern: np.ndarray) -> int | None:
        """The index of a stored pattern equal to ``pattern`` (N,), or None.

        Only the patterns that agree on the first spins are compared whole, so
        thousands of random patterns cost a glance each.
        """
        head = min(self.n, 64)
        rows = self.rows
        for index in np.flatnonzero((rows[:, :head] == pattern[:head]).all(axis=1)):
            if np.array_equal(rows[index], pattern):
                return int(index)
        return None

    def _grow(self, capacity: int) -> None:
        count, filled = self.count, self._filled
        capacity = _words(capacity)
        rows = np.empty((capacity, self.n), dtype=np.int8)
        rows[:count] = self._rows[:count]
        columns = np.empty((self.n, capacity), dtype=np.int8)
        columns[:, :filled] = self._columns[:, :filled]
        self._rows, self._columns = rows, columns


def _words(count: int) -> int:
    """``count`` rounded up to a multiple of 8: the column buffer's rows are whole words."""
    return -(-count // 8) * 8

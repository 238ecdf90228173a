"""The stored patterns of a network, kept twice: as rows (xi) and as columns (xi^T).

The columns make the P entries of one spin contiguous, which is what a flip
and a one-spin field read. Both live in buffers that double when full, so
imprinting P patterns one by one costs O(N P) in all, not O(N P^2). An
imprint writes its row only; the columns are filled in when they are next
read, by a compiled transpose (``compiled.transpose_into``: 8x8 byte blocks
in words, so the column buffer's width is kept a multiple of 8).

``copy_in_blocks`` copies a large array a block at a time, so that a copy
made in a worker thread never holds the interpreter's lock for long.

Large buffers are mapped by the store itself (``fresh_bytes``) and the part
about to be written is faulted in with one call (``prefault``), not a fault a
page. At 256x256 with 3,277 patterns an imprint writes 430 MB it has never
touched; on a virtual machine whose host backs memory as the guest first touches
it (and takes freed memory back), touching fresh memory in numpy's huge pages cost
1.2 to 2.6 ms a MB, and faulting small pages in one call 0.55 to 1.0. So the rows,
which products stream in order, are kept in small pages (recall 0 to 2 % slower
than in huge ones); the columns, read a spin's row at a time in any order (a
visit of the dynamics), stay in huge pages, whose reach spares a TLB miss a visit
(``descend`` was about 8 % slower with them in small pages).
"""

from __future__ import annotations

import contextlib
import mmap
import os
import sys
import threading

import numpy as np

from tui_hopfield.model.rules.kernels import batches

COPY_BLOCK_BYTES = 8 * 2**20
"""Bytes copied at a time by ``copy_in_blocks``."""


FRESH_BYTES = 16 * 2**20
"""Buffers from this size on are mapped by ``fresh_bytes`` (smaller ones by numpy)."""

PREFAULT_BLOCK_BYTES = 8 * 2**20
"""Bytes ``prefault`` faults in a call (each holds the interpreter's lock)."""

MADV_POPULATE_WRITE = 23
"""Linux's advice (5.14 on) to fault pages in for writing now (``mmap`` does not name it)."""

_MAPPING = sys.platform.startswith("linux") and hasattr(mmap, "MAP_PRIVATE")


def fresh_bytes(shape: tuple[int, ...], huge: bool = False) -> np.ndarray:
    """An uninitialized int8 array of ``shape`` (like ``np.empty``), for a large buffer.

    From ``FRESH_BYTES`` on (on Linux), a private anonymous mapping of its own,
    unmapped when the array is freed, in small pages unless ``huge``
    (``MADV_NOHUGEPAGE`` or ``MADV_HUGEPAGE``). Otherwise, and whenever the
    mapping fails, ``np.empty``.
    """
    nbytes = int(np.prod(shape, dtype=np.int64))
    if not _MAPPING or nbytes < max(1, FRESH_BYTES):
        return np.empty(shape, dtype=np.int8)
    try:
        buffer = mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    except (OSError, ValueError):
        return np.empty(shape, dtype=np.int8)
    with contextlib.suppress(OSError, AttributeError):  # no huge pages: small ones anyway
        buffer.madvise(mmap.MADV_HUGEPAGE if huge else mmap.MADV_NOHUGEPAGE)
    return np.frombuffer(buffer, dtype=np.int8).reshape(shape)


def prefault(array: np.ndarray, start: int, stop: int) -> None:
    """Fault in the pages of bytes ``start:stop`` of ``array`` (a ``fresh_bytes`` buffer).

    One call a block (``PREFAULT_BLOCK_BYTES``) instead of a fault per page
    (``MADV_POPULATE_WRITE``); the contents do not change (fresh pages are
    zeros). Does nothing for a buffer numpy allocated, or where the kernel does
    not know the advice.
    """
    buffer = array.base
    while isinstance(buffer, (np.ndarray, memoryview)):  # frombuffer: a view of the mapping
        buffer = buffer.obj if isinstance(buffer, memoryview) else buffer.base
    if not isinstance(buffer, mmap.mmap) or stop <= start:
        return
    offset = array.ctypes.data - np.frombuffer(buffer, dtype=np.int8).ctypes.data
    first = offset + start - (offset + start) % mmap.PAGESIZE
    end = min(offset + stop, len(buffer))
    # A block at a time: the call holds the interpreter's lock, and a worker's
    # prefault must not stop the event loop's thread for all of it.
    block = max(mmap.PAGESIZE, PREFAULT_BLOCK_BYTES // mmap.PAGESIZE * mmap.PAGESIZE)
    with contextlib.suppress(OSError, ValueError):  # an older kernel: faults as written
        for at in range(first, end, block):
            buffer.madvise(MADV_POPULATE_WRITE, at, min(block, end - at))


SPLIT_BYTES = 32 * 2**20
"""Entries transposed at a time from which two threads share the work (``transpose``)."""


def transpose(rows: np.ndarray, columns: np.ndarray, first: int, last: int) -> None:
    """``columns[:, first:last] = rows[first:last].T``, compiled, in two threads if large.

    Past ``SPLIT_BYTES`` (with two cores), the patterns from a multiple of 64
    on go to a second thread (the kernel holds no lock): the halves write
    disjoint 8-byte words, so the result is the one thread's, byte for byte.
    At 256x256 with 3,277 patterns: 0.09 s instead of 0.17 with a core free.
    """
    # Compiled (numba, imported here only): numpy's int8 transposes, blocked in any way,
    # cost about 3 ns an entry, 0.6 to 1.6 s at 256x256 with 3,277.
    from tui_hopfield.model.compiled import transpose_into

    middle = (first + last) // 2 // 64 * 64
    if (last - first) * rows.shape[1] < SPLIT_BYTES or middle <= first or _cores() < 2:
        transpose_into(rows, columns, first, last)
        return
    errors: list[BaseException] = []

    def second_half() -> None:
        try:
            transpose_into(rows, columns, middle, last)
        except BaseException as error:  # re-raised in the caller's thread
            errors.append(error)

    worker = threading.Thread(target=second_half, name="transpose", daemon=True)
    worker.start()
    try:
        transpose_into(rows, columns, first, middle)
    finally:
        worker.join()
    if errors:
        raise errors[0]


def _cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


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
        self._reserved = 0  # patterns ``reserve`` made room for
        self._untouched = False  # whether the column buffer is fresh (never written)

    def copy(self) -> PatternStore:
        """An independent copy, with no room to spare, made a block at a time."""
        count, filled = self.count, self._filled
        other = PatternStore(self.n)
        other.count = count
        other._rows = fresh_bytes((count, self.n))
        prefault(other._rows, 0, other._rows.nbytes)
        for part in batches(count, max(1, COPY_BLOCK_BYTES // max(1, self.n))):
            other._rows[part] = self._rows[part]
        other._columns = fresh_bytes((self.n, _words(count)), huge=True)
        if filled:
            prefault(other._columns, 0, other._columns.nbytes)
            for part in batches(self.n, max(1, COPY_BLOCK_BYTES // max(1, count))):
                other._columns[part, :filled] = self._columns[part, :filled]
        other._filled, other._untouched = filled, not filled
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
            if self._columns.shape[1] < count:
                self._grow_columns(count)
            if self._untouched:  # every page of it is about to be written
                prefault(self._columns, 0, self._columns.nbytes)
                self._untouched = False
            transpose(self._rows, self._columns, self._filled, count)
            self._filled = count
        return self._columns[:, :count]

    def reserve(self, count: int) -> None:
        """Make room for ``count`` patterns in all: adding up to them copies nothing."""
        self._reserved = max(self._reserved, count)
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
        row = self._rows.shape[1]
        prefault(self._rows, count * row, (count + added) * row)
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
        """Room for ``capacity`` rows; the column buffer grows when the columns are read."""
        count = self.count
        rows = fresh_bytes((_words(capacity), self.n))
        prefault(rows, 0, rows[:count].nbytes)
        rows[:count] = self._rows[:count]
        self._rows = rows

    def _grow_columns(self, count: int) -> None:
        """Room for ``count`` columns at least, the filled ones kept.

        Laid out from none filled, the buffer is as wide as the columns (or as
        ``reserve`` asked): the spare rows an extend leaves cost nothing until
        written, but a spare part of every column row would be written too (its
        pages are). Grown with columns filled, it takes the rows' room, which
        doubles as they are added one by one.
        """
        filled = self._filled
        width = max(count, self._reserved) if not filled else self._rows.shape[0]
        columns = fresh_bytes((self.n, _words(width)), huge=True)
        if filled:
            prefault(columns, 0, columns.nbytes)
            columns[:, :filled] = self._columns[:, :filled]
        self._columns, self._untouched = columns, not filled


def _words(count: int) -> int:
    """``count`` rounded up to a multiple of 8: the column buffer's rows are whole words."""
    return -(-count // 8) * 8

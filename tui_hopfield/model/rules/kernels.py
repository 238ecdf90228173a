"""Kernels every landscape shares: chunked products and bit-packed overlaps.

Whole-grid products go a slice of spins at a time (``chunks``), so that no
temporary grows past ``CHUNK_BYTES``; overlaps of one state with many
patterns are counted in bits (``pack_spins``, ``packed_overlaps``).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from tui_hopfield.model.blas import one_blas_thread

CHUNK_BYTES = 64 * 2**20
"""Largest temporary, in bytes, that a whole-grid product may make."""

BLOCK_BYTES = 2 * 2**20
"""Size of the reused buffer a product converts int8 patterns into: about a core's cache."""


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


def column_blocks(
    columns: np.ndarray, dtype: type[np.floating]
) -> Iterator[tuple[slice, np.ndarray]]:
    """Blocks of the int8 rows of ``columns`` (N, P), each converted to ``dtype``.

    Every block is written into the same buffer of about ``BLOCK_BYTES``, which stays
    in the cache while the product that uses it runs, so that a product with every
    pattern reads the int8 store once, in order, and makes no temporary that grows
    with N P. A block is only valid until the next one is made.
    """
    n, count = columns.shape
    rows = max(1, BLOCK_BYTES // max(1, np.dtype(dtype).itemsize * count))
    buffer = np.empty((min(rows, n), count), dtype=dtype)
    # The products on the blocks are small: one BLAS thread each (``blas``).
    with one_blas_thread():
        for start in range(0, n, rows):
            stop = min(start + rows, n)
            block = buffer[: stop - start]
            np.copyto(block, columns[start:stop], casting="unsafe")
            yield slice(start, stop), block


def batches(count: int, size: int = 256) -> Iterator[slice]:
    """Slices of ``count`` rows, ``size`` at a time."""
    for start in range(0, count, size):
        yield slice(start, min(start + size, count))


def packed_overlaps(packed: np.ndarray, state: np.ndarray, n: int, ones: np.ndarray) -> np.ndarray:
    """Raw overlaps ``xi s`` of one state (N,) with packed patterns (P, W): float64 (P,), exact.

    ``xi_mu . s = N - 2 * (number of spins where they differ)``, and the
    differences are the set bits of the XOR of the packed patterns: N P / 64
    word operations instead of N P multiplications. ``ones`` is a float32
    vector of W ones, kept by the caller.
    """
    bits = np.packbits(state > 0)
    if len(bits) % 8:
        bits = np.pad(bits, (0, -len(bits) % 8))
    differ = np.empty(packed.shape[0], dtype=np.float32)
    # A block of patterns at a time, so the temporaries stay within BLOCK_BYTES
    # instead of growing with P N / 8.
    for rows in batches(packed.shape[0], max(1, BLOCK_BYTES // max(1, 8 * packed.shape[1]))):
        # XOR as bytes (numpy broadcasts them faster), count as words.
        words = np.bitwise_count((packed[rows].view(np.uint8) ^ bits).view(np.uint64))
        # Summing short rows of small counts is faster as a float32 product (exact: < 2**24).
        differ[rows] = words.astype(np.float32) @ ones
    # Doubling is exact in float32 too; the difference from N is taken in float64.
    return np.float64(n) - 2.0 * differ

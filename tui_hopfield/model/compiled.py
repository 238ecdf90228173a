"""Compiled loops (numba) for work that numpy cannot vectorize: asynchronous sweeps.

An asynchronous sweep is sequential by definition: each visited spin sees every
turn before it. In numpy each visit costs a call; compiled, a visit of a cue
whose local fields are kept is one multiply and one compare, and a turn one
pass over a row of W. This module is imported only where a sweep runs (never
at start-up: numba takes about 0.3 s to import) and each loop is compiled once
and cached on disk (``cache=True``).
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def sweep_fields(  # pragma: no cover - compiled; run by every async batch test
    states: np.ndarray,
    fields: np.ndarray,
    weights: np.ndarray,
    rows: np.ndarray,
    order: np.ndarray,
    threshold: float,
) -> np.ndarray:
    """One asynchronous sweep of the cues ``rows``, in ``order``; which of them turned a spin.

    ``states`` int8 (B, N) and ``fields`` (B, N), ``h = W s``, are updated in
    place; ``weights`` (N, N) is symmetric with a zero diagonal (float64, or
    integers with int32 fields: then every sum is exact). A visited spin turns
    over when ``2 s_i h_i < -threshold``; its turn moves every field by
    ``-2 s_old W_i``.
    """
    n = states.shape[1]
    moved = np.zeros(rows.shape[0], dtype=np.bool_)
    for r in range(rows.shape[0]):
        row = rows[r]
        s = states[row]
        h = fields[row]
        for k in range(order.shape[0]):
            i = order[k]
            if 2.0 * s[i] * h[i] < -threshold:
                change = -2 * s[i]
                s[i] = -s[i]
                w = weights[i]
                for j in range(n):
                    h[j] += change * w[j]
                moved[r] = True
    return moved


PRODUCT_TILE = 16384
"""Spins ``patterns_times`` sums at a time: their sums stay in the core's L2 cache."""


@numba.njit(cache=True, nogil=True)
def patterns_times(  # pragma: no cover - compiled; run by every whole-grid product
    patterns: np.ndarray, a: np.ndarray, out: np.ndarray
) -> None:
    """``out = a @ patterns`` for int8 +-1 patterns (P, N), read once and never converted.

    ``out[i]`` is the sum of ``a[mu] * patterns[mu, i]`` in the order of the
    patterns, each partial sum rounded to ``out``'s dtype (float32 or float64):
    the same numbers as adding the rows one by one in numpy, whatever the tile.
    A tile of spins at a time keeps its sums in the cache while every pattern's
    slice of it streams past, four patterns a pass; no buffer grows with N P.
    """
    count, n = patterns.shape
    for start in range(0, n, PRODUCT_TILE):
        stop = min(start + PRODUCT_TILE, n)
        width = stop - start
        acc = out[start:stop]
        acc[:] = 0
        mu = 0
        while mu + 4 <= count:
            a0, a1, a2, a3 = a[mu], a[mu + 1], a[mu + 2], a[mu + 3]
            r0, r1 = patterns[mu, start:stop], patterns[mu + 1, start:stop]
            r2, r3 = patterns[mu + 2, start:stop], patterns[mu + 3, start:stop]
            for j in range(width):
                acc[j] = (((acc[j] + a0 * r0[j]) + a1 * r1[j]) + a2 * r2[j]) + a3 * r3[j]
            mu += 4
        while mu < count:
            a0, r0 = a[mu], patterns[mu, start:stop]
            for j in range(width):
                acc[j] = acc[j] + a0 * r0[j]
            mu += 1


@numba.njit(cache=True, nogil=True, inline="always")
def _transpose8(w0, w1, w2, w3, w4, w5, w6, w7):  # type: ignore[no-untyped-def]  # pragma: no cover
    """The 8x8 byte matrix whose rows are the words ``w0..w7`` (little-endian), transposed.

    Three rounds of swapping blocks across the diagonal: 4x4, 2x2, then 1x1 bytes.
    """
    m1 = np.uint64(0x00000000FFFFFFFF)
    m2 = np.uint64(0x0000FFFF0000FFFF)
    m3 = np.uint64(0x00FF00FF00FF00FF)
    s32, s16, s8 = np.uint64(32), np.uint64(16), np.uint64(8)
    w0, w4 = (w0 & m1) | (w4 << s32), (w0 >> s32) | (w4 & ~m1)
    w1, w5 = (w1 & m1) | (w5 << s32), (w1 >> s32) | (w5 & ~m1)
    w2, w6 = (w2 & m1) | (w6 << s32), (w2 >> s32) | (w6 & ~m1)
    w3, w7 = (w3 & m1) | (w7 << s32), (w3 >> s32) | (w7 & ~m1)
    w0, w2 = (w0 & m2) | ((w2 & m2) << s16), ((w0 >> s16) & m2) | (w2 & ~m2)
    w1, w3 = (w1 & m2) | ((w3 & m2) << s16), ((w1 >> s16) & m2) | (w3 & ~m2)
    w4, w6 = (w4 & m2) | ((w6 & m2) << s16), ((w4 >> s16) & m2) | (w6 & ~m2)
    w5, w7 = (w5 & m2) | ((w7 & m2) << s16), ((w5 >> s16) & m2) | (w7 & ~m2)
    w0, w1 = (w0 & m3) | ((w1 & m3) << s8), ((w0 >> s8) & m3) | (w1 & ~m3)
    w2, w3 = (w2 & m3) | ((w3 & m3) << s8), ((w2 >> s8) & m3) | (w3 & ~m3)
    w4, w5 = (w4 & m3) | ((w5 & m3) << s8), ((w4 >> s8) & m3) | (w5 & ~m3)
    w6, w7 = (w6 & m3) | ((w7 & m3) << s8), ((w6 >> s8) & m3) | (w7 & ~m3)
    return w0, w1, w2, w3, w4, w5, w6, w7


TRANSPOSE_WORDS = 64
"""Words of 8 spins per tile of ``transpose_into``: 64 patterns x 512 spins, 32 KiB."""


@numba.njit(cache=True, nogil=True)
def transpose_into(  # pragma: no cover - compiled; run by every column store test
    rows: np.ndarray, columns: np.ndarray, first: int, last: int
) -> None:
    """``columns[:, first:last] = rows[first:last].T`` for int8 rows (C, N), columns (N, C').

    Where both arrays' rows are whole 8-byte words (N and C' multiples of 8),
    the patterns from the first multiple of 8 go eight at a time as 8x8 byte
    blocks in uint64 words (``_transpose8``), a tile of 64 patterns by 512
    spins at a time, so that every cache line read or written is used whole;
    the patterns before and after those (and everything otherwise) byte by byte.
    """
    n = rows.shape[1]
    words = n % 8 == 0 and columns.shape[1] % 8 == 0
    body = min(last, -(-first // 8) * 8) if words else last
    end = max(body, last // 8 * 8) if words else last
    for i in range(first, body):
        r = rows[i]
        for j in range(n):
            columns[j, i] = r[j]
    for i in range(end, last):
        r = rows[i]
        for j in range(n):
            columns[j, i] = r[j]
    if end == body:
        return
    source = rows.reshape(-1).view(np.uint64).reshape(rows.shape[0], n // 8)
    target = columns.reshape(-1).view(np.uint64).reshape(n, columns.shape[1] // 8)
    for b0 in range(body // 8, end // 8, 8):
        b1 = min(b0 + 8, end // 8)
        for j0 in range(0, n // 8, TRANSPOSE_WORDS):
            j1 = min(j0 + TRANSPOSE_WORDS, n // 8)
            for b in range(b0, b1):
                i = 8 * b
                for w in range(j0, j1):
                    t0, t1, t2, t3, t4, t5, t6, t7 = _transpose8(
                        source[i, w],
                        source[i + 1, w],
                        source[i + 2, w],
                        source[i + 3, w],
                        source[i + 4, w],
                        source[i + 5, w],
                        source[i + 6, w],
                        source[i + 7, w],
                    )
                    j = 8 * w
                    target[j, b], target[j + 1, b], target[j + 2, b] = t0, t1, t2
                    target[j + 3, b], target[j + 4, b], target[j + 5, b] = t3, t4, t5
                    target[j + 6, b], target[j + 7, b] = t6, t7


@numba.njit(cache=True, nogil=True)
def patterns_dot(  # pragma: no cover - compiled; run by every imprint test
    patterns: np.ndarray, state: np.ndarray, out: np.ndarray
) -> None:
    """``out = patterns @ state`` for int8 patterns (K, N) and state (N,), exact (int64 out).

    Integer sums (int32 per pattern: |xi s| <= N < 2**31), so their order does
    not matter and they vectorize; each pattern is read once, nothing converted.
    """
    for k in range(patterns.shape[0]):
        row = patterns[k]
        total = np.int32(0)
        for j in range(row.shape[0]):
            total += np.int32(row[j]) * np.int32(state[j])
        out[k] = total


@numba.njit(cache=True, nogil=True)
def all_spins(patterns: np.ndarray) -> bool:  # pragma: no cover - compiled; every imprint
    """Whether every entry of the int8 array (K, N) is +1 or -1: one pass, no temporary."""
    for k in range(patterns.shape[0]):
        row = patterns[k]
        wrong = False
        for j in range(row.shape[0]):
            wrong |= (row[j] != 1) & (row[j] != -1)
        if wrong:
            return False
    return True

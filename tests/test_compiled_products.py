"""The compiled whole-grid kernels against plain numpy, on sizes that fit no block.

``compiled.patterns_times`` (a @ xi), ``compiled.transpose_into`` (the column
store), ``compiled.patterns_dot`` (xi s in integers) and ``compiled.all_spins``
(the imprint's check), each compared with an independent numpy computation; the
sizes are odd, or multiples of 8 with odd ranges of patterns, so that every
branch of each kernel runs.
"""

from __future__ import annotations

import numpy as np
import pytest

from tui_hopfield.model import Network
from tui_hopfield.model.compiled import (
    PRODUCT_TILE,
    all_spins,
    patterns_dot,
    patterns_times,
    transpose_into,
)
from tui_hopfield.model.pattern_store import PatternStore

SIZES = [(1, 1), (3, 5), (7, 13), (9, 37), (33, 64), (130, 72), (6, PRODUCT_TILE + 9)]


def spins(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    return np.where(rng.random(shape) < 0.5, 1, -1).astype(np.int8)


def numpy_sequential(patterns: np.ndarray, a: np.ndarray) -> np.ndarray:
    """a @ xi adding one pattern's row at a time, rounded to a's dtype at every step."""
    out = np.zeros(patterns.shape[1], dtype=a.dtype)
    for mu in range(patterns.shape[0]):
        out = out + a[mu] * patterns[mu].astype(a.dtype)
    return out


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("count", "n"), SIZES)
def test_the_product_is_the_patterns_added_one_by_one(count, n, dtype):
    rng = np.random.default_rng(count * 1000 + n)
    patterns = spins(rng, (count, n))
    a = rng.standard_normal(count).astype(dtype)
    out = np.full(n, np.nan, dtype=dtype)
    patterns_times(patterns, a, out)
    # The same order of sums: the same numbers, bit for bit.
    np.testing.assert_array_equal(out, numpy_sequential(patterns, a))
    np.testing.assert_allclose(out, a.astype(np.float64) @ patterns, rtol=1e-4, atol=1e-4)


def test_the_product_of_no_patterns_is_zero():
    out = np.full(5, np.nan, dtype=np.float32)
    patterns_times(np.empty((0, 5), dtype=np.int8), np.empty(0, dtype=np.float32), out)
    np.testing.assert_array_equal(out, np.zeros(5, dtype=np.float32))


@pytest.mark.parametrize(
    ("rows", "n", "width", "first", "last"),
    [
        (20, 16, 24, 3, 19),  # words, with a ragged start and end
        (20, 15, 24, 3, 19),  # N not a multiple of 8: bytes only
        (64, 64, 64, 0, 64),  # words only
        (80, 72, 88, 0, 80),  # several tiles of patterns
        (37, 40, 40, 8, 37),
        (9, 8, 16, 1, 2),  # fewer than 8 patterns
        (100, 24, 103, 5, 77),  # a width that is not whole words: bytes only
        (3, 1100, 8, 0, 3),  # spins past one tile of words, patterns under 8
        (70, 1100, 72, 2, 69),
    ],
)
def test_the_transpose_writes_exactly_the_strip_asked_for(rows, n, width, first, last):
    rng = np.random.default_rng(rows + n + width)
    source = rng.integers(-128, 128, (rows, n)).astype(np.int8)
    target = np.zeros((n, width), dtype=np.int8)
    transpose_into(source, target, first, last)
    expected = np.zeros((n, width), dtype=np.int8)
    expected[:, first:last] = source[first:last].T
    np.testing.assert_array_equal(target, expected)


@pytest.mark.parametrize(("count", "n"), SIZES)
def test_the_dots_are_the_integer_products(count, n):
    rng = np.random.default_rng(n)
    patterns, state = spins(rng, (count, n)), spins(rng, (1, n))[0]
    out = np.empty(count, dtype=np.int64)
    patterns_dot(patterns, state, out)
    np.testing.assert_array_equal(out, patterns.astype(np.int64) @ state.astype(np.int64))


@pytest.mark.parametrize("n", [35, 64, 81])
def test_the_store_columns_stay_the_transpose_through_every_edit(n):
    rng = np.random.default_rng(n)
    store = PatternStore(n)
    kept: list[np.ndarray] = []

    def check() -> None:
        expected = np.array(kept, dtype=np.int8).reshape(-1, n)
        np.testing.assert_array_equal(store.columns, expected.T)

    for count in (1, 5, 9, 2):  # appends and extends of odd lengths, read in between
        for pattern in spins(rng, (count, n)):
            store.append(pattern)
            kept.append(pattern)
        check()
        extra = spins(rng, (count + 6, n))
        store.extend(extra)
        kept.extend(extra)
        check()
    store.remove(3)
    del kept[3]
    check()
    pattern = spins(rng, (1, n))[0]
    store.insert(7, pattern)
    kept.insert(7, pattern)
    check()
    copy = store.copy()
    extra = spins(rng, (11, n))
    copy.extend(extra)
    np.testing.assert_array_equal(copy.columns, np.concatenate([np.array(kept), extra]).T)
    check()


def test_many_imprints_give_the_overlaps_of_the_state():
    rng = np.random.default_rng(4)
    network = Network(5, 7)
    state = spins(rng, (1, 35))[0]
    network.set_state(state)
    patterns = spins(rng, (13, 35))
    network.imprint_many(patterns, [f"m{k}" for k in range(13)])
    np.testing.assert_array_equal(network.dots, patterns.astype(np.int64) @ state)


@pytest.mark.parametrize(("count", "n"), SIZES)
def test_the_spins_check_finds_any_entry_that_is_not_a_spin(count, n):
    rng = np.random.default_rng(count + 7 * n)
    patterns = spins(rng, (count, n))
    assert all_spins(patterns) and all_spins(patterns[:, ::2]) and all_spins(patterns[:0])
    for value in (0, 2, -2, 127, -128):
        where = (rng.integers(count), rng.integers(n))
        wrong = patterns.copy()
        wrong[where] = value
        assert not all_spins(wrong)
        assert all_spins(wrong) == bool(np.all((wrong == 1) | (wrong == -1)))

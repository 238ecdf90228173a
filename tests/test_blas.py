"""The products made of many small calls run with one BLAS thread, and restore it after."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from tui_hopfield.model import blas
from tui_hopfield.model.rules.kernels import column_blocks

threadpoolctl = pytest.importorskip("threadpoolctl")


def current() -> list[int]:
    return [
        info["num_threads"]
        for info in threadpoolctl.threadpool_info()
        if info["user_api"] == "blas"
    ]


@pytest.fixture
def two_threads():
    """BLAS on two threads for the test (where the machine's BLAS allows it)."""
    with threadpoolctl.threadpool_limits(2, user_api="blas"):
        if not current() or max(current()) < 2:
            pytest.skip("this BLAS runs on one thread only")
        yield


def test_blocks_are_made_with_one_blas_thread_and_restore_it(two_threads):
    columns = np.ones((4096, 600), dtype=np.int8)
    seen = []
    for _, block in column_blocks(columns, np.float32):
        seen.append(current())
        assert block.dtype == np.float32
    assert len(seen) > 1 and all(threads == [1] * len(threads) for threads in seen)
    assert max(current()) == 2


def test_overlapping_users_restore_only_when_the_last_leaves(two_threads):
    entered, release = threading.Event(), threading.Event()

    def other() -> None:
        with blas.one_blas_thread():
            entered.set()
            release.wait(timeout=60)

    thread = threading.Thread(target=other)
    with blas.one_blas_thread():
        thread.start()
        assert entered.wait(timeout=60)
    assert max(current()) == 1  # the other thread is still inside
    release.set()
    thread.join(timeout=60)
    assert max(current()) == 2


def test_blocked_products_equal_the_dense_product():
    rng = np.random.default_rng(2)
    columns = np.where(rng.random((3000, 70)) < 0.5, 1, -1).astype(np.int8)
    weights = rng.standard_normal(70)
    out = np.empty(3000)
    for part, block in column_blocks(columns, np.float64):
        out[part] = block @ weights
    np.testing.assert_allclose(out, columns.astype(np.float64) @ weights, rtol=1e-12)

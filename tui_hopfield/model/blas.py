"""One BLAS thread for the products that are many small calls.

A product with every pattern at N = 65536 goes through a cache-sized block
of the column store at a time (``kernels.column_blocks``): hundreds of small
matrix-vector products. OpenBLAS splits each across its threads, and when
another process holds a core those threads wait for each other at every
call: on this project's 2-core machine with the cores busy, a synchronous
recall at 256x256 with 3,277 memories took 19-25 s of wall time with two
BLAS threads and 0.5-0.8 s with one (``benchmarks/large.py``). One thread
reads the int8 store about as fast as memory allows, so these products run
with one; large single products (learning) keep BLAS's own setting.

``threadpoolctl`` (BSD) is imported on first use only, off the start-up path.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_users = 0
_saved: list[tuple[Any, int]] = []
_libraries: list[Any] | None = None


def _blas_libraries() -> list[Any]:
    """The BLAS libraries loaded in this process, as threadpoolctl's controllers."""
    global _libraries
    if _libraries is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - a declared dependency
            _libraries = []
        else:
            _libraries = list(ThreadpoolController().select(user_api="blas").lib_controllers)
    return _libraries


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block inside with BLAS on one thread; threads restore when the last one leaves.

    Any number of threads may be inside at once: the first to enter sets one
    thread, the last to leave restores what each library had.
    """
    global _users
    with _lock:
        if _users == 0:
            for library in _blas_libraries():
                threads = library.num_threads
                if threads != 1:
                    _saved.append((library, threads))
                    _set(library, 1)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                for library, threads in _saved:
                    _set(library, threads)
                _saved.clear()


def _set(library: Any, threads: int) -> None:
    """Set a library's threads from whichever thread this runs on.

    threadpoolctl lets only the first Python thread that set OpenBLAS's
    process-wide pool change it again and silently ignores the others; here
    the calls are serialised by ``_lock``, so any thread may take control.
    """
    clear = getattr(library, "clear_controlling_thread", None)
    if clear is not None:
        clear(force=True)
    library.set_num_threads(threads)


def blas_threads() -> dict[str, int]:
    """Each loaded BLAS library's thread count now, by its name (for benchmarks and notes)."""
    return {library.internal_api: library.num_threads for library in _blas_libraries()}

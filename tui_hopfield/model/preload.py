"""Loading the compiled kernels ahead of need, off the caller's thread.

``model.compiled`` imports numba (about 0.4 s) and reads each kernel from numba's
cache on its first call: 0.7 to 1 s in all on a busy two-core machine. The first
imprint or whole-grid product would pay it where it happens, on the app's event
loop; ``start`` pays it in a daemon thread instead, once the app is on screen.
Importing this module imports neither numba nor the compiled kernels.
"""

from __future__ import annotations

import threading

import numpy as np

_started = threading.Event()


def load_compiled() -> None:
    """Import ``model.compiled`` and ``model.compiled_visits`` and call each kernel once.

    The arrays have the dtypes and layouts the engine passes (C-contiguous int8
    patterns, float32 and float64 sums), so that numba loads those very versions.
    """
    from tui_hopfield.model import compiled

    patterns = np.ones((9, 64), dtype=np.int8)
    for dtype in (np.float32, np.float64):
        compiled.patterns_times(patterns, np.ones(9, dtype=dtype), np.empty(64, dtype=dtype))
    compiled.patterns_dot(patterns, patterns[0], np.empty(9, dtype=np.int64))
    compiled.all_spins(patterns)
    compiled.transpose_into(patterns, np.empty((64, 16), dtype=np.int8), 0, 9)
    # The recall's visits (``compiled_visits``) and the lab's sweeps (``batch``), through
    # the very code that runs them, on a tiny network of two memories.
    from tui_hopfield.model.batch import recall_async
    from tui_hopfield.model.dynamics import Asynchronous
    from tui_hopfield.model.network import Network

    rng = np.random.default_rng(0)
    network = Network(8, 8)
    for k in range(2):
        network.imprint(np.where(rng.random(64) < 0.5, -1, 1).astype(np.int8), f"p{k}")
    network.set_state(-network.patterns[0])
    Asynchronous(network, rng).run()
    recall_async(network.landscape, network.patterns, rng, max_sweeps=2)


def start() -> None:
    """Run ``load_compiled`` in a daemon thread, once a process (later calls do nothing)."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=load_compiled, name="load-compiled", daemon=True).start()

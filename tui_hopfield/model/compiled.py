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

"""The compiled visits of the animated path: Hebb's rule, one spin at a time (numba).

``Asynchronous`` visits the spins of one live state in a random order; on Hebb's
rule a visit is ``dE_i = K + s_i (xi^T a)_i`` with ``a = c d 2 / N`` (one pass over
the spin's P pattern entries) and a turn moves the overlaps ``d`` and ``a`` (one
more). ``visit_hebbian`` does both in compiled code, in the order given, and makes
exactly the decisions of the one-spin path (``Linear.flip_energy``, numpy's dot):

- when every sum is exact (``exact``: the strengths make every ``a`` and K whole
  multiples of one power of two, small enough, as strength 1 on a grid of 2^k spins
  does), its dE is numpy's to the last bit, whatever the order of the sums: it decides
  every visit and returns the energy changes of its turns;
- otherwise it decides a visit only when a bound on the rounding of both sums shows
  which way numpy's numbers go, and hands every other visit back (``CHECK``): the
  caller checks it with numpy's numbers. Its turns are made (the overlaps are whole
  numbers, and ``a`` one product each, the same in any code), and the ``a`` before
  each is kept in ``history``: the caller computes the energy change from it in numpy.

At T > 0 the Glauber coins are drawn by the caller, one per unpinned visit, in
order; a visit whose coin lies too near its edge for the bound is handed back too.
This module is imported only when a recall runs (numba takes about 0.3 s to import).
"""

from __future__ import annotations

import math

import numba
import numpy as np

END = 0
"""``visit_hebbian`` visited every spin up to ``end``."""
LIMIT = 1
"""It made the flips it was allowed."""
CHECK = 2
"""The visit at the returned position is the caller's to make (exactly, in numpy)."""
COIN_EDGE = 1e-6
"""A coin this close to 0 or 1 is the caller's to compare (``glauber_flip_probability``)."""


@numba.njit(cache=True, nogil=True)
def visit_hebbian(  # pragma: no cover - compiled; run by every Hebbian recall test
    order: np.ndarray,
    position: int,
    end: int,
    state: np.ndarray,
    dots: np.ndarray,
    a: np.ndarray,
    columns: np.ndarray,
    scale: np.ndarray,
    k: float,
    exact: bool,
    push: np.ndarray,
    pins: np.ndarray,
    coins: np.ndarray,
    used: int,
    temperature: float,
    limit: int,
    out_index: np.ndarray,
    out_spin: np.ndarray,
    out_delta: np.ndarray,
    history: np.ndarray,
) -> tuple[int, int, int, int]:
    """Visit ``order[position:end]`` on Hebb's rule; return (position, flips, coins used, why).

    ``state`` int8 (N,), ``dots`` (P,) and ``a = dots * scale`` (P,) float64 are the
    live state's and are updated in place at each turn, as ``Network.flip`` and
    ``Hebbian.flipped`` update them; ``columns`` is xi^T, int8 (N, P). ``push`` (N,)
    or empty is added to each field; ``pins`` bool (N,) or empty marks spins never
    visited (no coin). ``coins[used:]`` are the next visits' coins (T > 0). At most
    ``limit`` flips are made; each one's index, new spin and energy change is written
    to ``out_*`` and, unless ``exact``, ``a`` before it to its row of ``history``
    (``limit`` rows at least). ``why`` is ``END``, ``LIMIT`` or ``CHECK``.
    """
    p = a.shape[0]
    hot = temperature > 0.0
    has_push = push.shape[0] > 0
    has_pins = pins.shape[0] > 0
    # A bound on |this dE - numpy's dE|: each sum is off by at most (P - 1) u sum |a|.
    bound = norm = growth = 0.0
    if not exact:
        norm = abs(k)
        for m in range(p):
            norm += abs(a[m])
            growth += 2.0 * abs(scale[m])
        bound = (2.0 * p + 8.0) * 2.0**-53 * norm
    made = 0
    while position < end:
        i = order[position]
        if has_pins and pins[i]:
            position += 1
            continue
        s = state[i]
        column = columns[i]
        # Four sums side by side: any order is numpy's when exact, and within the bound.
        acc0 = 0.0
        acc1 = 0.0
        acc2 = 0.0
        acc3 = 0.0
        m = 0
        while m + 4 <= p:
            acc0 += column[m] * a[m]
            acc1 += column[m + 1] * a[m + 1]
            acc2 += column[m + 2] * a[m + 2]
            acc3 += column[m + 3] * a[m + 3]
            m += 4
        while m < p:
            acc0 += column[m] * a[m]
            m += 1
        # The one-spin path's numbers, in its order: dE, h = s dE / 2, then the push.
        delta_energy = k + s * ((acc0 + acc1) + (acc2 + acc3))
        h = s * delta_energy / 2
        total = h + push[i] if has_push else h
        x = s * total  # < 0: the spin turns at T = 0
        margin = 0.0
        if not exact:
            margin = bound / 2 + 1e-12 * abs(total) + 1e-300
        if hot:
            coin = coins[used]
            if not COIN_EDGE <= coin <= 1.0 - COIN_EDGE:
                return position, made, used, CHECK
            # coin < 1 / (1 + exp(2 x / T))  <=>  x < (T / 2) log(1 / coin - 1); away from
            # 0 and 1 both sides' rounding moves x by far less than 1e-9 (1 + T).
            edge = (temperature / 2) * math.log(1.0 / coin - 1.0)
            slack = margin + 1e-9 * (abs(edge) + abs(total) + 1.0 + temperature)
            if x > edge + slack:
                used += 1
                position += 1
                continue
            if not x < edge - slack:
                return position, made, used, CHECK
            used += 1
        elif exact:
            if not x < 0:
                position += 1
                continue
        else:
            if x > margin:
                position += 1
                continue
            if not x < -margin:
                return position, made, used, CHECK
        # The turn, as Network.flip (d -= 2 s xi_i) and Hebbian.flipped (a = d scale).
        if not exact:
            for m in range(p):
                history[made, m] = a[m]
        change = 2.0 * s
        state[i] = -s
        for m in range(p):
            dots[m] -= column[m] * change
            a[m] = dots[m] * scale[m]
        if not exact:  # each |a_mu| grew by 2 |scale_mu| at most (and its rounding)
            norm = (norm + growth) * (1.0 + 2.0**-50)
            bound = (2.0 * p + 8.0) * 2.0**-53 * norm
        out_index[made] = i
        out_spin[made] = -s
        out_delta[made] = 2.0 * s * h  # numpy's when exact; the caller's otherwise
        made += 1
        position += 1
        if made >= limit:
            return position, made, used, LIMIT
    return position, made, used, END

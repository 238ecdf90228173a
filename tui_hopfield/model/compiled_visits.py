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

With every strength equal and every sum exact, the sums are whole numbers times one
scale: ``sum_mu xi_mu,i d_mu``. The overlaps that fit 16 bits (all but the pattern
or two the state is near) are kept as int16 ``units`` and the others listed in
``wide``, so a visit reads its column of 8-bit entries against 16-bit numbers, which
the compiler turns into ``pmaddwd`` (16 products an instruction), and asks the memory
for the next visits' columns while it adds (``prefetch``): 1.4 to 1.9 us a visit at
N = 65536 with 9,833 memories, where the float64 sums took 6.7.

At T > 0 the Glauber coins are drawn by the caller, one per unpinned visit, in
order; a visit whose coin lies too near its edge for the bound is handed back too.
This module is imported only when a recall runs (numba takes about 0.3 s to import).
"""

from __future__ import annotations

import math

import numba
import numpy as np
from llvmlite import ir
from numba.core import cgutils, types
from numba.extending import intrinsic

END = 0
"""``visit_hebbian`` visited every spin up to ``end``."""
LIMIT = 1
"""It made the flips it was allowed."""
CHECK = 2
"""The visit at the returned position is the caller's to make (exactly, in numpy)."""
COIN_EDGE = 1e-6
"""A coin this close to 0 or 1 is the caller's to compare (``glauber_flip_probability``)."""
NARROW = 32767
"""The largest overlap kept in ``units`` (int16); larger ones are ``wide``."""
PIECE = 1024
"""Entries summed in int32 at a time (``PIECE * NARROW`` < 2^31); one prefetch a line."""
AHEAD = 2
"""How many visits ahead a column is fetched."""
LINE = 64
"""Bytes of a cache line."""


@intrinsic
def prefetch(typingctx, array, offset):  # pragma: no cover - compiled
    """Ask the memory for the cache line of ``array[offset]`` (LLVM's prefetch, for reading)."""
    signature = types.void(array, offset)

    def codegen(context, builder, sig, args):
        data = context.make_array(sig.args[0])(context, builder, args[0]).data
        byte = ir.IntType(8).as_pointer()
        pointer = builder.bitcast(builder.gep(data, [args[1]]), byte)
        kind = ir.FunctionType(ir.VoidType(), [byte] + [ir.IntType(32)] * 3)
        function = cgutils.get_or_insert_function(builder.module, kind, "llvm.prefetch.p0i8")
        # read (0), keep in every cache level (3), data (1)
        builder.call(function, [pointer] + [ir.Constant(ir.IntType(32), v) for v in (0, 3, 1)])
        return context.get_dummy_value()

    return signature, codegen


@numba.njit(cache=True, nogil=True, inline="always")
def _narrow_sum(column: np.ndarray, units: np.ndarray) -> int:  # pragma: no cover - compiled
    """``column @ units`` for at most ``PIECE`` int8 and int16 entries, in int32 (pmaddwd)."""
    total = np.int32(0)
    for m in range(units.shape[0]):
        total = np.int32(total + np.int32(column[m]) * np.int32(units[m]))
    return total


@numba.njit(cache=True, nogil=True)
def narrow_units(  # pragma: no cover - compiled
    dots: np.ndarray, units: np.ndarray, wide: np.ndarray, limit: int
) -> int:
    """Fill ``units`` with the overlaps within ``limit`` (0 elsewhere), ``wide`` with the rest's
    indices; return how many are wide."""
    count = 0
    for m in range(dots.shape[0]):
        d = dots[m]
        if -limit <= d <= limit:
            units[m] = np.int16(d)
        else:
            units[m] = 0
            wide[count] = m
            count += 1
    return count


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
    units: np.ndarray,
    wide: np.ndarray,
    wide_count: np.ndarray,
    reach: int,
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

    ``units`` (int16, P) non-empty says every strength is equal and every sum exact:
    the sums are then ``scale[0] (units + wide overlaps) @ column``, with ``units`` and
    the first ``wide_count[0]`` indices of ``wide`` as ``narrow_units`` makes them for
    ``reach``; they are kept up to date at each turn.
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
    narrow = units.shape[0] > 0
    unit = scale[0] if p else 0.0
    made = 0
    while position < end:
        i = order[position]
        if has_pins and pins[i]:
            position += 1
            continue
        s = state[i]
        column = columns[i]
        if narrow:  # whole numbers: exact in any order, and numpy's sum times the scale
            coming = columns[order[min(position + AHEAD, end - 1)]]
            whole = 0
            for start in range(0, p, PIECE):
                stop = min(start + PIECE, p)
                for byte in range(start, stop, LINE):
                    prefetch(coming, byte)
                whole += _narrow_sum(column[start:stop], units[start:stop])
            for w in range(wide_count[0]):
                whole += column[wide[w]] * np.int64(dots[wide[w]])
            field = whole * unit
        else:  # four sums side by side: any order is numpy's when exact, else bounded
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
            field = (acc0 + acc1) + (acc2 + acc3)
        # The one-spin path's numbers, in its order: dE, h = s dE / 2, then the push.
        delta_energy = k + s * field
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
        if narrow:  # and the units; an overlap across the limit makes ``wide`` anew
            crossed = 0
            for m in range(p):
                before = dots[m]
                d = before - column[m] * change
                dots[m] = d
                a[m] = d * scale[m]
                inside = -reach <= d <= reach
                units[m] = np.int16(d) if inside else np.int16(0)
                crossed += inside != (-reach <= before <= reach)
            if crossed:
                wide_count[0] = narrow_units(dots, units, wide, reach)
        else:
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

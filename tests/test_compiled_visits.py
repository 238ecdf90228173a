"""Hebb's visits in compiled code (``compiled_visits.visit_hebbian``) against one spin at a time.

``Asynchronous.run`` hands Hebb's rule to the compiled loop: it must make the flips of
the per-spin definition (``test_flips.reference_events``), bit for bit in their energy
changes, with the same sweeps, end state, overlaps and draws from the generator, on
small odd grids (where the sums round: the loop decides only what a bound proves, and
numpy computes the energy changes) and on grids of 2^k spins with strengths that make
every sum exact, at T = 0 and T > 0, with pins and a push.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_flips import reference_run
from tui_hopfield.model import compiled_visits, dynamics
from tui_hopfield.model.dynamics import Asynchronous
from tui_hopfield.model.network import Network
from tui_hopfield.model.patterns import random_spins
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.rules.linear import exact_sums

SIZES = ((5, 7), (3, 9), (7, 7), (1, 9), (4, 8), (8, 8), (2, 16))
"""Odd sizes (the sums round) and sizes of 2^k spins (exact with dyadic strengths)."""
STRENGTHS = ("one", "dyadic", "random")
FLOAT_SUMS = (dynamics._NO_UNITS, dynamics._NO_WIDE, np.zeros(1, np.int64), 0)
"""``visit_hebbian``'s last arguments for its float64 sums (no int16 units)."""


class Counted:
    """``visit_hebbian`` counting its calls, the flips it made and the visits it handed back."""

    def __init__(self, kernel) -> None:
        self.kernel = kernel
        self.calls = self.flips = self.checks = 0

    def __call__(self, *args):
        result = self.kernel(*args)
        self.calls += 1
        self.flips += result[1]
        self.checks += result[3] == compiled_visits.CHECK
        return result


def hebbian(rows, cols, count, strengths, seed, pins, push):
    """A learned Hebbian network, its push (or None)."""
    rng = np.random.default_rng(seed)
    network = Network(rows, cols, Rule("hebbian"))
    for k in range(count):
        if strengths == "one":
            strength = 1.0
        elif strengths == "dyadic":
            strength = float(rng.choice([0.25, 0.5, 1.0, 2.0, 3.0]))
        else:
            strength = float(rng.uniform(0.2, 3.0))
        network.imprint(random_spins(network.n, rng), f"p{k}", strength)
    network.set_state(random_spins(network.n, rng))
    if pins:
        network.pin(np.flatnonzero(rng.random(network.n) < 0.3))
    network.prepare()
    return network, (rng.normal(0.0, 0.5, network.n) if push else None)


def run_ours(network, seed, temperature, push, sweeps, budgets):
    """``Asynchronous.run`` in batches of the given budgets, up to ``sweeps`` sweeps."""
    rng = np.random.default_rng(seed)
    ours = Asynchronous(network, rng, temperature)
    ours.push = push
    flips, ends, turn = [], [], 0
    while ours.sweeps < sweeps:
        max_flips, max_visits = budgets[turn % len(budgets)]
        turn += 1
        batch = ours.run(max_flips, max_visits)
        flips.extend(
            zip(
                batch.indices.tolist(),
                batch.spins.tolist(),
                batch.delta_energies.tolist(),
                strict=True,
            )
        )
        if batch.sweep is not None:
            ends.append((batch.sweep.sweep, batch.sweep.flips, len(flips)))
        if batch.done:
            break
    return flips, ends, rng


def same_as_one_spin_at_a_time(network, seed, temperature, push, budgets, sweeps=4):
    """Run both on copies; assert every flip, sweep, overlap and draw the same."""
    reference = network.copy()
    want_flips, want_ends, want_rng = reference_run(reference, seed, temperature, push, sweeps)
    flips, ends, rng = run_ours(network, seed, temperature, push, sweeps, budgets)
    assert flips == want_flips
    assert ends == want_ends
    assert np.array_equal(network.state, reference.state)
    assert np.array_equal(network.dots, reference.dots)
    # The landscape's live coefficients are the ones numpy makes from the overlaps.
    a, scale, _, _ = network.landscape.visit_terms()
    assert np.array_equal(a, network.dots * scale)
    assert rng.bit_generator.state == want_rng.bit_generator.state
    return len(flips)


@pytest.mark.parametrize("rows, cols", SIZES)
@pytest.mark.parametrize("strengths", STRENGTHS)
@pytest.mark.parametrize("temperature", [0.0, 0.3, 2.0])
def test_the_compiled_visits_make_the_one_spin_flips(
    monkeypatch, rows, cols, strengths, temperature
):
    counted = Counted(compiled_visits.visit_hebbian)
    monkeypatch.setattr(compiled_visits, "visit_hebbian", counted)
    made = 0
    for seed, count, pins, push in ((1, 3, False, False), (2, 4, True, True), (3, 6, True, False)):
        network, field = hebbian(rows, cols, count, strengths, seed, pins, push)
        exact = network.landscape.visit_terms()[3]
        budgets = [(None, None)] if seed == 1 else [(3, 5), (1, 40), (7, 2)]
        made += same_as_one_spin_at_a_time(network, seed, temperature, field, budgets)
    assert made > 0 and counted.calls > 0
    powers = math.log2(rows * cols).is_integer() and strengths != "random"
    assert exact == powers
    assert counted.flips > 0  # the loop turned spins over itself (exact sums or not)


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(SIZES),
    st.integers(1, 8),
    st.sampled_from(STRENGTHS),
    st.integers(0, 2**32 - 1),
    st.sampled_from([0.0, 0.0, 0.05, 1.0]),
    st.booleans(),
    st.booleans(),
    st.lists(st.tuples(st.integers(1, 9), st.integers(1, 40)), min_size=1, max_size=4),
)
def test_any_hebbian_recall_in_any_batches_is_the_one_spin_recall(
    size, count, strengths, seed, temperature, pins, push, budgets
):
    network, field = hebbian(*size, count, strengths, seed, pins, push)
    same_as_one_spin_at_a_time(network, seed, temperature, field, budgets)


class Narrow:
    """``visit_hebbian`` recording, at each call, how many overlaps its caller made wide."""

    def __init__(self, kernel) -> None:
        self.kernel = kernel
        self.narrow_calls = 0
        self.wide = set()

    def __call__(self, *args):
        units, wide_count = args[-4], args[-2]
        self.narrow_calls += len(units) > 0
        before = int(wide_count[0])
        result = self.kernel(*args)
        self.wide.update((before, int(wide_count[0])))
        return result


@pytest.mark.parametrize("limit", [0, 1, 3, 7, 32767])
@pytest.mark.parametrize("temperature", [0.0, 0.4])
def test_the_int16_units_and_the_wide_overlaps_make_the_one_spin_flips(
    monkeypatch, limit, temperature
):
    # Strength 1 on 2^k spins: every sum is whole, read as int16 units plus the overlaps
    # beyond the limit (``wide``). A small limit makes many overlaps wide and moves
    # them across it at turns; the flips, energies and overlaps are the one-spin path's.
    monkeypatch.setattr(compiled_visits, "NARROW", limit)
    narrow = Narrow(compiled_visits.visit_hebbian)
    monkeypatch.setattr(compiled_visits, "visit_hebbian", narrow)
    made = 0
    for seed, (rows, cols), count in ((1, (4, 8), 3), (2, (8, 8), 7), (3, (2, 16), 5)):
        for pins, push in ((False, False), (True, True)):
            network, field = hebbian(rows, cols, count, "one", seed, pins, push)
            made += same_as_one_spin_at_a_time(
                network, seed, temperature, field, [(None, None), (2, 7)]
            )
    assert made > 0 and narrow.narrow_calls > 0
    if limit < 3:  # most overlaps are wide, and the count moved at turns
        assert max(narrow.wide) > 1 and len(narrow.wide) > 2
    if limit == 32767:  # the app's (NARROW): no overlap of 64 spins is that large
        assert narrow.wide == {0}


def test_narrow_units_splits_the_overlaps_at_the_limit():
    assert np.iinfo(np.int16).max == compiled_visits.NARROW
    dots = np.array([0.0, -3.0, 4.0, 32767.0, -32768.0, 65536.0, -2.0])
    units, wide = np.empty(7, np.int16), np.empty(7, np.int64)
    assert compiled_visits.narrow_units(dots, units, wide, 3) == 4
    assert units.tolist() == [0, -3, 0, 0, 0, 0, -2] and wide[:4].tolist() == [2, 3, 4, 5]
    assert compiled_visits.narrow_units(dots, units, wide, compiled_visits.NARROW) == 2
    assert units.tolist() == [0, -3, 4, 32767, 0, 0, -2] and wide[:2].tolist() == [4, 5]


def test_small_chunks_and_a_past_deadline_change_nothing(monkeypatch):
    monkeypatch.setattr(dynamics, "CHUNK_WORK", 1)
    monkeypatch.setattr(dynamics, "MIN_CHUNK", 5)  # chunks of 5 visits
    for temperature in (0.0, 0.7):
        network, field = hebbian(8, 8, 5, "one", 4, True, True)
        reference = network.copy()
        want_flips, _, want_rng = reference_run(reference, 4, temperature, field, 3)
        rng = np.random.default_rng(4)
        ours = Asynchronous(network, rng, temperature)
        ours.push = field
        flips, calls = [], 0
        while ours.sweeps < 3:
            batch = ours.run(deadline=time.monotonic() - 1.0)  # over before it starts
            calls += 1
            assert batch.visits <= 5  # one chunk, then the deadline is seen
            flips.extend(zip(batch.indices.tolist(), batch.spins.tolist(), strict=True))
        assert calls >= 3 * network.n // 5
        assert flips == [(index, spin) for index, spin, _ in want_flips]
        assert np.array_equal(network.state, reference.state)
        assert rng.bit_generator.state == want_rng.bit_generator.state


def test_ties_keep_their_spin_in_the_compiled_visits():
    # Two memories of strength 1 on 4 x 4 spins: every sum exact, and many fields are zero.
    rng = np.random.default_rng(0)
    network = Network(4, 4, Rule("hebbian"))
    network.imprint(random_spins(16, rng), "a")
    network.imprint(random_spins(16, rng), "b")
    network.prepare()
    for _ in range(100):  # a state with a few zero fields
        network.set_state(random_spins(16, rng))
        fields = np.array([network.field(i) for i in range(16)])
        if np.count_nonzero(fields == 0) >= 4:
            break
    assert np.count_nonzero(fields == 0) >= 4  # exact ties, which keep the spin
    assert network.landscape.visit_terms()[3]
    same_as_one_spin_at_a_time(network, 5, 0.0, None, [(None, None)])


@pytest.mark.parametrize(
    "n, strengths, exact",
    [
        (1024, [1.0] * 51, True),
        (65536, [1.0] * 9830, True),
        (1024, [0.5, 2.0, 0.25], True),
        (63, [1.0] * 3, False),
        (1536, [1.0] * 5, False),
        (1024, [1.3, 1.0], False),
        (2**40, [1.0] * 2**14, False),  # sums past 2^53 quanta
    ],
)
def test_exact_sums_says_when_every_order_of_adding_agrees(n, strengths, exact):
    c = np.array(strengths)
    scale, k = 2.0 * c / n, -2.0 * float(c.sum()) / n
    assert exact_sums(scale, k, n) == exact


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(1, 60), st.integers(0, 2**32 - 1))
def test_exact_sums_are_the_same_in_any_order(power, count, seed):
    # Dyadic strengths on 2^power spins: numpy's dot, a plain loop and any shuffle agree.
    n = 2**power
    rng = np.random.default_rng(seed)
    c = rng.choice([0.125, 0.5, 1.0, 1.5, 4.0], count)
    scale, k = 2.0 * c / n, -2.0 * float(c.sum()) / n
    assert exact_sums(scale, k, n)
    dots = rng.integers(-n, n + 1, count).astype(np.float64)
    a = dots * scale
    column = rng.choice(np.array([-1, 1], dtype=np.int8), count)
    numpy_sum = k + float(column @ a)
    loop = k
    for m in rng.permutation(count):
        loop += float(column[m]) * a[m]
    assert numpy_sum == loop


def test_an_inexact_tie_is_handed_back_to_numpy():
    # 7 x 9 spins, strength 1: the sums round, and a field that is exactly zero may come
    # out of either sum as zero or a rounding of either sign. The loop must not decide it.
    rng = np.random.default_rng(7)
    network = Network(7, 9, Rule("hebbian"))
    for k in range(12):  # enough terms that some exact ties round away from zero
        network.imprint(random_spins(network.n, rng), f"p{k}")
    network.prepare()
    landscape = network.landscape
    assert not landscape.visit_terms()[3]
    xi = network.patterns.astype(np.int64)
    ties = 0
    for _ in range(200):
        network.set_state(random_spins(network.n, rng))
        state = network.state
        a, scale, k, exact = landscape.visit_terms()  # a is the new state's
        # dE_i = (2 / N) (s_i sum_mu xi_mu,i d_mu - P): zero exactly when the integers agree.
        whole = state * (xi.T @ (xi @ state.astype(np.int64))) - network.count
        for i in np.flatnonzero(whole == 0):
            ties += 1
            before = (state.copy(), network.dots.copy(), a.copy())
            out = np.empty(1, dtype=np.intp), np.empty(1, np.int8), np.empty(1)
            result = compiled_visits.visit_hebbian(
                np.array([i]), 0, 1, state, network.live_overlaps(), a, landscape.columns,
                scale, k, exact, dynamics._NO_PUSH, dynamics._NO_PINS, dynamics._NO_COINS, 0,
                0.0, 1, *out, np.empty((1, network.count)), *FLOAT_SUMS,
            )  # fmt: skip
            assert result == (0, 0, 0, compiled_visits.CHECK)
            assert np.array_equal(state, before[0]) and np.array_equal(network.dots, before[1])
            assert np.array_equal(a, before[2])
    assert ties >= 100


@pytest.mark.parametrize("temperature", [0.05, 0.7, 5.0])
def test_a_coin_at_its_edge_is_handed_back_to_numpy(temperature):
    # Glauber's rule turns spin i over when coin < p; a coin of p itself is too close for
    # the loop's own log and exp: numpy's glauber_flip_probability decides it.
    network, _ = hebbian(4, 8, 3, "one", 9, False, False)
    landscape = network.landscape
    state = network.state
    a, scale, k, exact = landscape.visit_terms()
    assert exact
    for i in range(network.n):
        p = dynamics.glauber_flip_probability(int(state[i]), network.field(i), temperature)
        if not 1e-5 < p < 1 - 1e-5:
            continue
        for coin, want in ((p, compiled_visits.CHECK), (p * 0.999, compiled_visits.LIMIT)):
            before = (state.copy(), a.copy())
            out = np.empty(1, dtype=np.intp), np.empty(1, np.int8), np.empty(1)
            result = compiled_visits.visit_hebbian(
                np.array([i]), 0, 1, state, network.live_overlaps(), a, landscape.columns,
                scale, k, exact, dynamics._NO_PUSH, dynamics._NO_PINS, np.array([coin]), 0,
                temperature, 1, *out, np.empty((0, network.count)), *FLOAT_SUMS,
            )  # fmt: skip
            assert result[3] == want
            if want == compiled_visits.LIMIT:  # turned over: put it back
                assert result == (1, 1, 1, want) and state[i] == -before[0][i]
                network.flip(i)
            assert np.array_equal(state, before[0]) and np.array_equal(a, before[1])
        p_keep = min(1 - 1e-6, p * 1.001)
        out = np.empty(1, dtype=np.intp), np.empty(1, np.int8), np.empty(1)
        result = compiled_visits.visit_hebbian(
            np.array([i]), 0, 1, state, network.live_overlaps(), a, landscape.columns,
            scale, k, exact, dynamics._NO_PUSH, dynamics._NO_PINS, np.array([p_keep]), 0,
            temperature, 1, *out, np.empty((0, network.count)), *FLOAT_SUMS,
        )  # fmt: skip
        assert result == (1, 0, 1, compiled_visits.END)

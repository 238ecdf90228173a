"""The animated path visits spins in blocks: exactly the flips of one spin at a time.

``Asynchronous.run`` (and ``events`` on top of it) must make the same flips, in the
same order, with the same energy changes, the same sweeps and the same end state as
the per-spin path it replaced (``reference_events`` below, that path's code), from the
same generator, drawing the same numbers from it: at T = 0 and T > 0, with pins and a
push, for every rule whose landscape the asynchronous dynamics use.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_hopfield.model import dynamics
from tui_hopfield.model.dynamics import (
    Asynchronous,
    Flip,
    Progress,
    SweepDone,
    glauber_flip_probability,
)
from tui_hopfield.model.network import Network
from tui_hopfield.model.patterns import random_spins
from tui_hopfield.model.recording import Recording, record_flips, recorded
from tui_hopfield.model.rules import Rule

RULES = (
    Rule("hebbian"),
    Rule("pseudo-inverse"),
    Rule("dense", degree=2),
    Rule("dense", degree=3),
    Rule("dense", degree=None),
    Rule("storkey"),
)


def reference_events(
    network: Network,
    rng: np.random.Generator,
    temperature: float,
    push: np.ndarray | None = None,
    progress_every: int = dynamics.PROGRESS_EVERY,
) -> Iterator[object]:
    """The per-spin path as ``Asynchronous.events`` ran it before the blocks."""
    sweeps = 0
    while True:
        flips = 0
        hot_sweep = False
        pinned = network.pinned.tobytes() if network.pinned.any() else None
        for visited, index in enumerate(rng.permutation(network.n).tolist(), 1):
            if visited % progress_every == 0:
                yield Progress(visited)
            if pinned is not None and pinned[index]:
                continue
            h = network.field(index)
            total = h if push is None else h + float(push[index])
            s = int(network.state[index])
            if temperature == 0.0:
                flip = s * total < 0
            else:
                hot_sweep = True
                flip = rng.random() < glauber_flip_probability(s, total, temperature)
            if flip:
                delta = network.flip(index, h)
                flips += 1
                yield Flip(index, -s, delta)
        sweeps += 1
        yield SweepDone(sweeps, flips)
        if flips == 0 and not hot_sweep and temperature == 0.0:
            return


@st.composite
def cases(draw, max_side=8, max_patterns=7):
    """A learned network (rule, patterns, strengths, state, pins), a seed and a temperature."""
    rule = draw(st.sampled_from(RULES))
    rows = draw(st.integers(2, max_side))
    cols = draw(st.integers(2, max_side))
    seed = draw(st.integers(0, 2**32 - 1))
    count = draw(st.integers(1, max_patterns))
    equal = draw(st.booleans())  # equal strengths make exact ties (a zero field)
    rng = np.random.default_rng(seed)
    network = Network(rows, cols, rule)
    for k in range(count):
        strength = 1.0 if equal else float(rng.uniform(0.2, 3.0))
        network.imprint(random_spins(network.n, rng), f"p{k}", strength)
    network.set_state(random_spins(network.n, rng))
    if draw(st.booleans()):
        network.pin(np.flatnonzero(rng.random(network.n) < 0.3))
    temperature = draw(st.sampled_from((0.0, 0.0, 0.05, 0.5, 2.0)))
    push = rng.normal(0.0, 0.5, network.n) if draw(st.booleans()) else None
    network.prepare()
    return network, seed, temperature, push


def reference_run(network: Network, seed: int, temperature: float, push, sweeps: int):
    """The reference's flips and sweeps, up to ``sweeps`` sweeps; its generator after them."""
    rng = np.random.default_rng(seed)
    flips, ends = [], []
    for event in reference_events(network, rng, temperature, push):
        if isinstance(event, Flip):
            flips.append((event.index, event.spin, event.delta_energy))
        elif isinstance(event, SweepDone):
            ends.append((event.sweep, event.flips, len(flips)))
            if event.sweep >= sweeps:
                break
    return flips, ends, rng


@settings(max_examples=150, deadline=None)
@given(cases(), st.lists(st.tuples(st.integers(1, 9), st.integers(1, 40)), min_size=1))
def test_run_in_any_batches_makes_the_reference_flips(case, budgets):
    network, seed, temperature, push = case
    sweeps = 3
    reference = network.copy()
    want_flips, want_ends, want_rng = reference_run(reference, seed, temperature, push, sweeps)

    rng = np.random.default_rng(seed)
    ours = Asynchronous(network, rng, temperature)
    ours.push = push
    grid = network.state.copy()
    flips, ends = [], []
    turn = 0
    while ours.sweeps < sweeps:
        max_flips, max_visits = budgets[turn % len(budgets)]
        turn += 1
        batch = ours.run(max_flips, max_visits)
        assert len(batch) <= max_flips and batch.visits <= max_visits
        flips.extend(
            zip(
                batch.indices.tolist(),
                batch.spins.tolist(),
                batch.delta_energies.tolist(),
                strict=True,
            )
        )
        # After every call the network holds each flip returned, and no more.
        for index, spin, _ in flips[len(flips) - len(batch) :]:
            grid[index] = spin
        assert np.array_equal(network.state, grid)
        if batch.sweep is not None:
            ends.append((batch.sweep.sweep, batch.sweep.flips, len(flips)))
        if batch.done:
            break
    assert flips == want_flips[: len(flips)]
    assert flips == want_flips
    assert ends == want_ends
    assert np.array_equal(network.state, reference.state)
    assert np.array_equal(network.dots, reference.dots)
    assert rng.bit_generator.state == want_rng.bit_generator.state


def test_a_batch_returns_when_its_flips_are_made_and_the_network_holds_them():
    network, seed = learned(Rule("hebbian"), 12, 12, 6, seed=3)
    start = network.state.copy()
    ours = Asynchronous(network, np.random.default_rng(seed))
    batch = ours.run(max_flips=5)
    assert len(batch) == 5
    expected = start.copy()
    expected[batch.indices] = batch.spins
    assert np.array_equal(network.state, expected)
    assert np.all(batch.delta_energies < 0)  # every flip at T = 0 lowers the energy


def test_events_match_the_reference_progress_and_all(monkeypatch):
    monkeypatch.setattr(dynamics, "PROGRESS_EVERY", 7)
    for rule in RULES:
        for temperature in (0.0, 0.4):
            network, seed = learned(rule, 6, 7, 4, seed=11)
            network.pin([0, 5, 17])
            reference = network.copy()
            rng = np.random.default_rng(seed)
            want = []
            for event in reference_events(reference, rng, temperature, progress_every=7):
                want.append(event)
                if isinstance(event, SweepDone) and event.sweep >= 4:
                    break
            got = []
            ours = Asynchronous(network, np.random.default_rng(seed), temperature)
            for event in ours.events():
                got.append(event)
                if isinstance(event, SweepDone) and event.sweep >= 4:
                    break
            assert got == want, rule
            assert np.array_equal(network.state, reference.state)


def test_the_bulk_recording_matches_the_recorded_events(monkeypatch):
    monkeypatch.setattr("tui_hopfield.model.recording.CHECKPOINT_FLIPS", 16)
    network, seed = learned(Rule("hebbian"), 16, 16, 10, seed=5)
    copy = network.copy()

    def recording(of: Network) -> Recording:
        return Recording(of.state, of.rows, of.cols, of.energy(), "flip", of.patterns)

    want = recording(copy)
    events = Asynchronous(copy, np.random.default_rng(seed), 0.3).events()
    for event in recorded(events, want, copy):
        if isinstance(event, SweepDone) and event.sweep >= 6:
            break
    got = recording(network)
    ours = Asynchronous(network, np.random.default_rng(seed), 0.3)
    while ours.sweeps < 6:
        record_flips(ours, got, max_flips=7)
    assert len(got) == len(want) > 3 * 16
    assert np.array_equal(got.codes, want.codes)
    assert np.array_equal(got.energies(), want.energies())
    assert [p.flips for p in got._checkpoints] == [p.flips for p in want._checkpoints]
    assert got.sweeps == want.sweeps


def learned(rule: Rule, rows: int, cols: int, count: int, seed: int) -> tuple[Network, int]:
    """A network of ``count`` random memories under ``rule``, a random grid, learned."""
    rng = np.random.default_rng(seed)
    network = Network(rows, cols, rule)
    for k in range(count):
        network.imprint(random_spins(network.n, rng), f"p{k}")
    network.set_state(random_spins(network.n, rng))
    network.prepare()
    return network, seed + 1


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.label)
def test_each_landscape_bounds_its_block_of_flip_energies(rule):
    network, _ = learned(rule, 9, 9, 5, seed=2)
    landscape = network.landscape
    rng = np.random.default_rng(0)
    for _ in range(20):
        block = rng.permutation(network.n)[:30]
        approx, bound = landscape.flip_energies_near(block, network.state)
        exact = np.array([landscape.flip_energy(int(i), network.state) for i in block])
        assert np.all(np.abs(exact - approx) <= bound)
        others = np.setdiff1d(np.arange(network.n), block)
        network.flip(int(rng.choice(others)))
        drift = landscape.flip_drift()
        if np.isfinite(drift):
            after = np.array([landscape.flip_energy(int(i), network.state) for i in block])
            assert np.all(np.abs(after - exact) <= drift)

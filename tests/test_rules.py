"""The learning rules: the laws every rule keeps, and what each one is for."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_hopfield.model import Asynchronous, Flip, ModelError, Network
from tui_hopfield.model.batch import recall, two_cycle
from tui_hopfield.model.descent import descend
from tui_hopfield.model.patterns import random_spins
from tui_hopfield.model.rules import PseudoInverse, Rule, Storkey, parse_degree
from tui_hopfield.model.steps import Retrieval, Synchronous

RULES = [
    Rule("hebbian"),
    Rule("storkey"),
    Rule("pseudo-inverse"),
    Rule("dense", 2),
    Rule("dense", 3),
    Rule("dense", 6),
    Rule("dense", None),
    Rule("modern", beta=20.0),
]
QUADRATIC = [Rule("hebbian"), Rule("storkey"), Rule("pseudo-inverse")]


def stored(rule: Rule, side: int, count: int, seed: int, strengths: bool = True) -> Network:
    rng = np.random.default_rng(seed)
    network = Network(side, side, rule)
    for k in range(count):
        c = float(rng.uniform(0.5, 2.0)) if strengths else 1.0
        network.imprint(random_spins(network.n, rng), f"p{k}", c)
    network.set_state(random_spins(network.n, rng))
    return network


def dense_w(network: Network) -> np.ndarray:
    """The weights a quadratic rule implies, read back from the fields of basis changes."""
    landscape = network.landscape
    if isinstance(landscape, Storkey):
        return landscape.weights.astype(np.float64)
    assert isinstance(landscape, PseudoInverse)
    xi = network.patterns.astype(np.float64)
    w = xi.T @ landscape.matrix @ xi
    np.fill_diagonal(w, 0.0)
    return w


cases = st.tuples(
    st.sampled_from(RULES), st.integers(2, 6), st.integers(1, 5), st.integers(0, 2**32 - 1)
)


@given(cases)
@settings(max_examples=60, deadline=None)
def test_energy_never_rises_at_zero_temperature_and_each_flip_is_2_abs_h(case):
    rule, side, count, seed = case
    network = stored(rule, side, count, seed)
    energy = network.energy()
    for event in Asynchronous(network, np.random.default_rng(seed)).events():
        if isinstance(event, Flip):
            after = network.energy()
            assert event.delta_energy < 0
            assert after - energy == pytest.approx(event.delta_energy, rel=1e-6, abs=1e-5)
            energy = after
    assert network.energy() == pytest.approx(energy, abs=1e-9)


@given(cases)
@settings(max_examples=60, deadline=None)
def test_one_spin_and_whole_grid_flip_energies_agree_with_the_energy(case):
    rule, side, count, seed = case
    network = stored(rule, side, count, seed)
    landscape = network.landscape
    state = network.state.copy()
    batch = landscape.flip_energies(state[None, :])[0]
    base = network.energy_of(state)
    assert network.energy() == pytest.approx(base, rel=1e-6, abs=1e-5)
    for i in range(network.n):
        other = state.copy()
        other[i] *= -1
        expected = network.energy_of(other) - base
        assert network.flip_energy(i) == pytest.approx(expected, rel=1e-5, abs=1e-5)
        assert batch[i] == pytest.approx(expected, rel=1e-5, abs=1e-5)


@given(st.sampled_from(QUADRATIC), st.integers(2, 5), st.integers(1, 4), st.integers(0, 2**16))
@settings(max_examples=30, deadline=None)
def test_quadratic_rules_have_symmetric_weights_with_zero_diagonal(rule, side, count, seed):
    network = stored(rule, side, count, seed)
    if rule.name == "hebbian":
        return  # tests/test_network_laws.py reads Hebb's W back from the fields
    w = dense_w(network)
    assert np.allclose(w, w.T, atol=1e-6)
    assert np.allclose(np.diag(w), 0.0)
    s = network.state.astype(np.float64)
    assert np.allclose(network.fields(), w @ s, atol=1e-4)
    assert network.energy() == pytest.approx(-0.5 * s @ w @ s, rel=1e-5, abs=1e-5)


def test_dense_degree_two_is_the_classic_network():
    rng = np.random.default_rng(3)
    patterns = [random_spins(64, rng) for _ in range(5)]
    classic, dense = Network(8, 8), Network(8, 8, Rule("dense", 2))
    for k, p in enumerate(patterns):
        classic.imprint(p, f"p{k}", 1.0 + k)
        dense.imprint(p, f"p{k}", 1.0 + k)
    state = random_spins(64, rng)
    classic.set_state(state)
    dense.set_state(state)
    assert np.allclose(classic.fields(), dense.fields())
    # The same energy up to the constant sum(c) / 2 of the classic diagonal.
    assert dense.energy() == pytest.approx(classic.energy() - sum(1.0 + k for k in range(5)) / 2)


def test_pseudo_inverse_keeps_every_stored_pattern_fixed_at_half_load():
    network = stored(Rule("pseudo-inverse"), 16, 128, seed=5, strengths=False)
    assert network.load == 0.5
    for k in range(network.count):
        network.set_state(network.patterns[k])
        assert not len(network.unstable()), f"pattern {k} is not a fixed point"


def test_pseudo_inverse_handles_copies_and_inverses_and_says_so():
    rng = np.random.default_rng(8)
    network = Network(8, 8, Rule("pseudo-inverse"))
    a, b = random_spins(64, rng), random_spins(64, rng)
    for name, pattern in [("a", a), ("b", b), ("a again", a), ("not b", -b)]:
        network.imprint(pattern, name)
    landscape = network.landscape
    assert landscape.rank == 2
    assert "2 of 4 pictures depend on the others" in landscape.note
    for pattern in (a, b):
        network.set_state(pattern)
        assert not len(network.unstable())


def test_storkey_keeps_more_random_patterns_stable_than_hebb():
    def stable(rule: Rule) -> int:
        network = stored(rule, 16, 40, seed=11, strengths=False)
        count = 0
        for k in range(network.count):
            network.set_state(network.patterns[k])
            count += not len(network.unstable())
        return count

    hebb, storkey = stable(Rule("hebbian")), stable(Rule("storkey"))
    assert storkey == 40
    assert hebb < 30
    assert storkey > hebb


def test_storkey_is_refused_above_its_memory_budget():
    side = 128  # 16384 spins: 1 GiB of weights, past the budget
    with pytest.raises(ModelError, match="Storkey's rule needs a dense 16384 x 16384"):
        Network(side, side, Rule("storkey"))
    network = Network(side, side)
    with pytest.raises(ModelError, match="budget"):
        network.rule = Rule("storkey")
    assert network.rule == Rule("hebbian")
    Network(90, 90, Rule("storkey"))  # 8100 spins fit


def test_storkey_learns_incrementally_the_same_weights_as_from_scratch():
    network = stored(Rule("storkey"), 8, 3, seed=2)
    assert network.landscape.count == 3  # learn three
    network.imprint(random_spins(64, np.random.default_rng(1)), "more")
    incremental = network.landscape.weights.copy()
    fresh = Rule("storkey").learn(network.patterns, network.strengths)
    assert np.allclose(incremental, fresh.weights, atol=1e-6)
    network.forget(0)  # forgetting learns again from the start
    again = Rule("storkey").learn(network.patterns, network.strengths)
    assert np.allclose(network.landscape.weights, again.weights, atol=1e-6)


def test_dense_memory_recalls_where_hebb_fails():
    rng = np.random.default_rng(4)
    n, count = 256, 80  # load 0.31, far past 0.138
    patterns = np.array([random_spins(n, rng) for _ in range(count)])
    cues = patterns.copy()
    cues[rng.random(cues.shape) < 0.1] *= -1
    for rule, expected in [(Rule("hebbian"), False), (Rule("dense", 3), True)]:
        result = recall(rule.learn(patterns, np.ones(count)), cues)
        perfect = np.all(result.states == patterns, axis=1).mean()
        assert bool(perfect > 0.95) is expected, (rule.label, perfect)


def test_dense_memory_recalls_asynchronously_in_the_network_too():
    rng = np.random.default_rng(6)
    network = Network(16, 16, Rule("dense", 3))
    for k in range(80):
        network.imprint(random_spins(256, rng), f"p{k}")
    cue = network.patterns[7].copy()
    cue[:40] *= -1
    network.set_state(cue)
    descend(network, rng)
    assert np.array_equal(network.state, network.patterns[7])
    network.rule = Rule("hebbian")
    network.set_state(cue)
    descend(network, rng)
    assert not np.array_equal(network.state, network.patterns[7])


def test_modern_network_retrieves_from_a_half_wiped_cue_in_one_step():
    rng = np.random.default_rng(9)
    network = Network(32, 32, Rule("modern", beta=60.0))
    for k in range(300):
        network.imprint(random_spins(1024, rng), f"random {k}")
    target = network.patterns[42].copy()
    cue = target.copy()
    cue[512:] = -1
    network.set_state(cue)
    retrieval = Retrieval(network)
    energies = [retrieval.energy()]
    for _ in retrieval.events():
        energies.append(retrieval.energy())
    assert retrieval.steps == 1
    assert retrieval.converged
    assert np.array_equal(network.state, target)
    assert network.values is not None and np.abs(network.values - target).max() < 1e-3
    assert all(b <= a + 1e-6 for a, b in itertools.pairwise(energies))


def test_modern_network_at_small_beta_blends_memories():
    rng = np.random.default_rng(9)
    network = Network(8, 8, Rule("modern", beta=1.0))
    for k in range(10):
        network.imprint(random_spins(64, rng), f"p{k}")
    network.set_state(network.patterns[0])
    list(Retrieval(network).events())
    assert np.abs(network.values).max() < 0.9  # a blend, not one stored picture


def test_synchronous_mode_counts_steps_and_names_a_two_cycle():
    network = Network(1, 2)
    network.imprint(np.array([1, -1]), "pair")
    network.set_state(np.array([1, 1]))
    sync = Synchronous(network, np.random.default_rng(0))
    steps = list(sync.events())
    assert sync.cycle and not sync.converged
    assert len(steps) == 2
    assert np.array_equal(network.state, [1, 1])


def test_synchronous_mode_converges_on_a_stored_picture():
    network = stored(Rule("hebbian"), 16, 3, seed=1, strengths=False)
    cue = network.patterns[1].copy()
    cue[:60] *= -1
    network.set_state(cue)
    sync = Synchronous(network, np.random.default_rng(0))
    list(sync.events())
    assert sync.converged and not sync.cycle and sync.steps >= 1
    assert np.array_equal(network.state, network.patterns[1])


def test_batch_recall_reports_two_cycles():
    landscape = Rule("hebbian").learn(np.array([[1, -1]]), np.ones(1))
    result = recall(landscape, np.array([[1, 1], [1, -1]]))
    assert result.cycled.tolist() == [True, False]
    assert result.converged.tolist() == [False, True]


@given(st.integers(1, 12), st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None)
def test_a_two_cycle_is_a_step_that_brings_back_the_state_of_two_steps_before(n, seed):
    """``two_cycle`` on the spins turned (indices of one state, or a batch's masks) says
    exactly whether the state is again what it was two steps before."""
    rng = np.random.default_rng(seed)
    masks = rng.random((6, 3, n)) < rng.choice([0.2, 0.5])
    masks[3] = masks[2]  # a repeat, so that the true case is always tried
    states = [random_spins(3 * n, rng).reshape(3, n)]
    for mask in masks:
        states.append(np.where(mask, -states[-1], states[-1]))
    assert not two_cycle(np.flatnonzero(masks[0][0]), None).any()
    for step in range(1, len(masks)):
        back = np.all(states[step + 1] == states[step - 1], axis=1)
        assert np.array_equal(two_cycle(masks[step], masks[step - 1]), back)
        for row in range(3):
            flips, last = np.flatnonzero(masks[step][row]), np.flatnonzero(masks[step - 1][row])
            assert bool(two_cycle(flips, last)) == back[row]


def test_reinforcing_a_memory_deepens_its_valley_and_spares_the_others():
    for rule in RULES:
        network = stored(rule, 8, 3, seed=3, strengths=False)
        before = network.valleys()
        network.reinforce(1, 2)
        after = network.valleys()
        assert network.strengths.tolist() == [1.0, 3.0, 1.0]
        assert after[1] < before[1], rule.label


def test_decay_shrinks_old_strengths_at_each_imprint():
    rng = np.random.default_rng(0)
    network = Network(8, 8)
    network.decay = 0.5
    for k in range(3):
        network.imprint(random_spins(64, rng), f"p{k}")
    assert network.strengths.tolist() == [0.25, 0.5, 1.0]
    with pytest.raises(ModelError):
        network.decay_all(1.5)


def test_switching_rules_relearns_and_changes_the_energy():
    network = stored(Rule("hebbian"), 8, 4, seed=2)
    hebb = network.energy()
    revision = network.revision
    network.rule = Rule("dense", 4)
    assert network.revision > revision
    assert network.energy() != pytest.approx(hebb)
    network.rule = Rule("hebbian")
    assert network.energy() == pytest.approx(hebb)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "oja"},
        {"name": "dense", "degree": 11},
        {"name": "dense", "degree": 1},
        {"name": "modern", "beta": 0.0},
        {"name": "modern", "beta": float("nan")},
    ],
)
def test_bad_rule_settings_are_refused(kwargs):
    with pytest.raises(ModelError):
        Rule(**kwargs)


def test_parse_degree():
    assert parse_degree("exp") is None
    assert parse_degree(" 4 ") == 4
    for bad in ("1", "11", "x"):
        with pytest.raises(ModelError):
            parse_degree(bad)


def test_a_wiped_sentence_completes_itself_and_dense_keeps_similar_sentences_apart():
    from tui_hopfield.model.patterns import break_spins, library
    from tui_hopfield.model.text import text_to_spins

    dark = text_to_spins("user prefers dark mode", 64, 64)
    light = text_to_spins("user likes light mode", 64, 64)
    cue = break_spins(dark, "wipe", np.random.default_rng(0))  # "user prefers" is left
    for rule, with_light, completes in [
        (Rule("hebbian"), False, True),
        (Rule("hebbian"), True, False),
        (Rule("dense", 3), True, True),
    ]:
        network = Network(64, 64, rule)
        for picture in library(64, 64)[:3]:
            network.imprint(picture.spins, picture.name)
        network.imprint(dark, "dark")
        if with_light:
            network.imprint(light, "light")
        network.set_state(cue)
        descend(network, np.random.default_rng(1))
        assert np.array_equal(network.grid(), dark) is completes, (rule.label, with_light)


@given(cases)
@settings(max_examples=40, deadline=None)
def test_one_cue_recalls_exactly_as_a_batch_does(case):
    rule, side, count, seed = case
    if rule.continuous:
        return
    rng = np.random.default_rng(seed)
    patterns = np.array([random_spins(side * side, rng) for _ in range(count)])
    landscape = rule.learn(patterns, rng.uniform(0.5, 2.0, count))
    cues = np.array(
        [random_spins(side * side, rng) for _ in range(4)]
        + [[1, -1] * (side * side // 2) + [1] * (side * side % 2)]
    )
    together = recall(landscape, cues)
    for k, cue in enumerate(cues):
        alone = recall(landscape, cue[None, :])
        assert np.array_equal(alone.states[0], together.states[k])
        assert alone.steps[0] == together.steps[k]
        assert alone.cycled[0] == together.cycled[k]
        assert alone.converged[0] == together.converged[k]


LINEAR = [Rule("hebbian"), Rule("pseudo-inverse"), Rule("dense", 3), Rule("dense", 8)]


def noisy(pattern: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    cue = pattern.copy()
    cue[rng.random(len(cue)) < fraction] *= -1
    return cue


@given(
    st.sampled_from(LINEAR),
    st.integers(12, 28),
    st.floats(0.02, 0.25),
    st.floats(0.02, 0.45),
    st.integers(0, 2**32 - 1),
)
@settings(max_examples=40, deadline=None)
def test_one_cue_recall_skipping_far_spins_turns_what_the_full_product_turns(
    rule, side, load, noise, seed
):
    """Steps after few flips recompute only the spins near the tie; the batch never does."""
    rng = np.random.default_rng(seed)
    count = max(1, round(load * side * side))
    patterns = np.array([random_spins(side * side, rng) for _ in range(count)])
    landscape = rule.learn(patterns, rng.uniform(0.5, 2.0, count))
    cue = noisy(patterns[0], noise, rng)
    alone = recall(landscape, cue[None, :])
    together = recall(landscape, np.stack([cue, random_spins(side * side, rng)]))
    assert np.array_equal(alone.states[0], together.states[0])
    assert (alone.steps[0], alone.converged[0], alone.cycled[0]) == (
        together.steps[0],
        together.converged[0],
        together.cycled[0],
    )


@pytest.mark.parametrize(
    ("rule", "n", "count", "noise"),
    [
        (Rule("hebbian"), 1024, 40, 0.3),
        (Rule("dense", 3), 256, 128, 0.3),
    ],
    ids=lambda value: value.label if isinstance(value, Rule) else None,
)
def test_one_cue_recall_does_skip_far_spins(rule, n, count, noise, monkeypatch):
    # Not the pseudo-inverse: its fields are float64 from its basis (``precise``), no shortcut.
    rng = np.random.default_rng(5)
    patterns = np.array([random_spins(n, rng) for _ in range(count)])
    landscape = rule.learn(patterns, np.ones(count))
    partial = []
    full = landscape.flip_energies_from

    def spy(state, a, k, index=None):
        partial.append(index is not None)
        return full(state, a, k, index)

    monkeypatch.setattr(landscape, "flip_energies_from", spy)
    cue = noisy(patterns[3], noise, rng)
    alone = recall(landscape, cue[None, :])
    assert any(partial) and not all(partial)
    together = recall(landscape, np.stack([cue, cue]))
    assert np.array_equal(alone.states[0], together.states[0])
    assert alone.steps[0] == together.steps[0] >= 2 and alone.converged[0]


def test_one_cue_recall_without_the_float32_copy_matches_the_batch(monkeypatch):
    """Past ``FLOAT_CACHE_BYTES`` (65536 spins) the products convert int8 chunks instead."""
    from tui_hopfield.model.rules import landscape as base

    monkeypatch.setattr(base, "FLOAT_CACHE_BYTES", 0)
    rng = np.random.default_rng(5)
    patterns = np.array([random_spins(1024, rng) for _ in range(40)])
    landscape = Rule("hebbian").learn(patterns, np.ones(40))
    cue = noisy(patterns[3], 0.3, rng)
    alone = recall(landscape, cue[None, :])
    assert landscape.floats() is None
    assert np.array_equal(alone.states[0], patterns[3]) and alone.steps[0] >= 2
    assert np.array_equal(alone.states[0], recall(landscape, np.stack([cue, cue])).states[0])


@given(st.sampled_from(LINEAR), st.integers(1, 40), st.integers(1, 6), st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None)
def test_span_bounds_the_coefficients_of_every_state(rule, n, count, seed):
    rng = np.random.default_rng(seed)
    patterns = np.array([random_spins(n, rng) for _ in range(count)])
    landscape = rule.learn(patterns, rng.uniform(0.5, 2.0, count))
    states = np.concatenate([patterns, -patterns, [random_spins(n, rng) for _ in range(8)]])
    a, k = landscape.coefficients(landscape.dots(states))
    spread = 0.0 if landscape.fixed is None else np.abs(landscape.fixed).max()
    assert np.all(np.abs(k) + spread + np.abs(a).sum(axis=1) <= landscape.span * (1 + 1e-9))


def test_packed_overlaps_are_exact():
    rng = np.random.default_rng(2)
    for n in (1, 63, 64, 65, 1000):
        patterns = np.array([random_spins(n, rng) for _ in range(7)])
        landscape = Rule().learn(patterns, np.ones(7))
        state = random_spins(n, rng)
        assert np.array_equal(landscape.dots_of(state), patterns.astype(int) @ state)


def test_the_modern_energy_of_spins_is_its_continuous_energy_and_the_valleys_agree():
    network = stored(Rule("modern", beta=30.0), 8, 4, seed=4)
    retrieval = Retrieval(network)
    assert retrieval.energy() == pytest.approx(network.energy())
    network.set_state(network.patterns[2])
    assert network.valleys()[2] == pytest.approx(network.energy())


@given(cases, st.booleans())
@settings(max_examples=60, deadline=None)
def test_settled_says_whether_any_spin_would_flip(case, on_a_pattern):
    rule, side, count, seed = case
    network = stored(rule, side, count, seed)
    if on_a_pattern:
        network.set_state(network.patterns[0])
    assert network.settled() == (network.unstable().size == 0)
    descend(network, np.random.default_rng(seed))
    assert network.settled() and network.unstable().size == 0


@pytest.mark.parametrize("rule", [Rule("hebbian"), Rule("storkey"), Rule("dense", None)])
def test_a_relearned_landscape_keeps_the_packed_and_float_copies_of_old_patterns(rule, monkeypatch):
    from tui_hopfield.model.rules import landscape as base

    network = stored(rule, 8, 5, seed=7)
    old = network.landscape
    old.packed(), old.floats()
    packed_rows = []
    real = base.pack_spins
    monkeypatch.setattr(
        base, "pack_spins", lambda spins: packed_rows.append(len(spins)) or real(spins)
    )
    network.imprint(random_spins(64, np.random.default_rng(8)), "new")
    new = network.landscape
    assert new is not old and packed_rows == [1]  # only the new pattern was packed
    assert np.array_equal(new.packed(), real(network.patterns))
    assert np.array_equal(new.floats(), network.patterns.astype(np.float32))
    network.forget(0)  # rows move: nothing is kept, everything is packed again
    assert np.array_equal(network.landscape.packed(), real(network.patterns))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pseudo_inverse_at_p_equal_n_fixes_every_state_and_w_vanishes(seed):
    # P = N independent patterns: the projection is the identity, W = 0 exactly, so every
    # state is fixed (dE = 0); no picture may be called dependent on the others.
    rng = np.random.default_rng(seed)
    n = 144
    patterns = random_spins(n * n, rng).reshape(n, n)[:n, :n]
    landscape = Rule("pseudo-inverse").learn(patterns, np.ones(n))
    assert landscape.rank == n and landscape.note is None
    states = np.concatenate([patterns, np.where(rng.random((20, n)) < 0.5, -1, 1)]).astype(np.int8)
    delta = landscape.flip_energies(states, exact=False)
    assert np.abs(delta).max() <= 1e-9
    assert np.abs(landscape.energies(states)).max() <= 1e-9
    assert recall(landscape, states, max_steps=5).converged.all()
    network = Network(12, 12, Rule("pseudo-inverse"))
    for k, pattern in enumerate(patterns):
        network.imprint(pattern, f"p{k}")
    network.set_state(states[-1])
    assert not len(network.unstable())
    assert all(network.flip_energy(i) == 0.0 for i in range(n))

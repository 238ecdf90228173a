"""The laws of the model, as properties (hypothesis)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_hopfield.model import Asynchronous, Flip, ModelError, Network, SweepDone, settle
from tui_hopfield.model.dynamics import Progress, glauber_flip_probability
from tui_hopfield.model.patterns import random_spins, scramble_half


def dense_weights(network: Network) -> np.ndarray:
    """The reference W = sum_mu c_mu xi_mu xi_mu^T / N with a zero diagonal."""
    xi = network.patterns.astype(np.float64)
    w = (xi.T * network.strengths) @ xi.copy() / network.n
    np.fill_diagonal(w, 0.0)
    return w


def implied_weights(network: Network) -> np.ndarray:
    """Read W back from the fields alone: W_ij = (h_i(s_j=+1) - h_i(s_j=-1)) / 2."""
    n = network.n
    start = network.state.copy()
    columns = []
    for j in range(n):
        up = start.copy()
        up[j] = 1
        network.set_state(up)
        h_up = network.fields()
        up[j] = -1
        network.set_state(up)
        h_down = network.fields()
        columns.append((h_up - h_down) / 2)
    network.set_state(start)
    return np.array(columns).T


@st.composite
def networks(draw, min_side=2, max_side=7, max_patterns=6, strengths=True):
    """A small network with random patterns, strengths and state."""
    rows = draw(st.integers(min_side, max_side))
    cols = draw(st.integers(min_side, max_side))
    seed = draw(st.integers(0, 2**32 - 1))
    count = draw(st.integers(0, max_patterns))
    rng = np.random.default_rng(seed)
    network = Network(rows, cols)
    for k in range(count):
        c = float(rng.uniform(0.2, 3.0)) if strengths else 1.0
        network.imprint(random_spins(network.n, rng), f"p{k}", c)
    network.set_state(random_spins(network.n, rng))
    return network, rng


@given(networks())
def test_implied_weights_are_symmetric_with_zero_diagonal_and_hebbian(case):
    network, _ = case
    w = implied_weights(network)
    assert np.allclose(w, w.T)
    assert np.allclose(np.diag(w), 0.0)
    assert np.allclose(w, dense_weights(network))


@given(networks())
def test_fields_and_energy_match_the_dense_reference(case):
    network, _ = case
    w = dense_weights(network)
    s = network.state.astype(np.float64)
    assert np.allclose(network.fields(), w @ s)
    assert np.allclose([network.field(i) for i in range(network.n)], w @ s)
    assert network.energy() == pytest.approx(-0.5 * s @ w @ s, abs=1e-9)


@given(networks(), st.data())
def test_a_flip_changes_the_energy_by_two_s_h(case, data):
    network, _ = case
    index = data.draw(st.integers(0, network.n - 1))
    before = network.energy()
    expected = 2 * network.state[index] * network.field(index)
    delta = network.flip(index)
    assert delta == pytest.approx(expected, abs=1e-9)
    assert network.energy() - before == pytest.approx(delta, abs=1e-9)


@given(networks())
def test_every_zero_temperature_flip_lowers_the_energy_by_exactly_two_abs_h(case):
    network, rng = case
    energy = network.energy()
    for event in Asynchronous(network, rng).events():
        if isinstance(event, Flip):
            h_after = network.field(event.index)  # the field does not depend on s_i itself
            assert event.delta_energy == pytest.approx(-2 * abs(h_after), abs=1e-9)
            assert event.delta_energy < 0
            new_energy = network.energy()
            assert new_energy == pytest.approx(energy + event.delta_energy, abs=1e-9)
            assert new_energy <= energy + 1e-12
            energy = new_energy
        else:
            assert isinstance(event, SweepDone | Progress)
    # Converged: nothing left to flip, and a zero field kept its spin.
    assert network.unstable().size == 0


@given(networks(min_side=16, max_side=24, max_patterns=0), st.integers(1, 4), st.integers(0, 10**6))
@settings(max_examples=40, deadline=None)
def test_stored_patterns_are_fixed_points_at_low_load(case, count, seed):
    network, _ = case
    rng = np.random.default_rng(seed)
    count = min(count, int(0.02 * network.n))
    patterns = [random_spins(network.n, rng) for _ in range(count)]
    for k, pattern in enumerate(patterns):
        network.imprint(pattern, f"p{k}")
    for pattern in patterns:
        network.set_state(pattern)
        assert network.unstable().size == 0
        assert settle(network, rng) == 0


@given(st.integers(20, 28), st.integers(1, 4), st.integers(0, 10**6))
@settings(max_examples=30, deadline=None)
def test_recall_from_a_scrambled_half_returns_the_picture(side, count, seed):
    rng = np.random.default_rng(seed)
    network = Network(side, side)
    patterns = [random_spins(network.n, rng) for _ in range(count)]
    for k, pattern in enumerate(patterns):
        network.imprint(pattern, f"p{k}")
    target = patterns[int(rng.integers(count))]
    network.set_state(scramble_half(target, rng))
    settle(network, rng)
    assert np.array_equal(network.state, target)


@given(networks(), st.floats(0.01, 5.0))
@settings(max_examples=30, deadline=None)
def test_at_positive_temperature_a_sweep_visits_every_spin(case, temperature):
    network, rng = case
    dynamics = Asynchronous(network, rng, temperature)
    flipped = []
    for event in dynamics.events():
        if isinstance(event, SweepDone):
            assert event.flips == len(flipped)
            break
        if isinstance(event, Flip):
            flipped.append(event.index)
            assert network.state[event.index] == event.spin
    assert not dynamics.converged
    assert set(np.unique(network.state)) <= {-1, 1}


@given(st.sampled_from([-1, 1]), st.floats(-50, 50), st.floats(0.01, 10))
def test_glauber_probability_is_the_logistic_of_the_field(spin, field, temperature):
    p_flip = glauber_flip_probability(spin, field, temperature)
    assert 0.0 <= p_flip <= 1.0
    p_up = 0.5 * (1 + np.tanh(field / temperature))  # = 1 / (1 + exp(-2 h / T))
    expected = p_up if spin == -1 else 1 - p_up
    assert p_flip == pytest.approx(expected, abs=1e-12)


def mean_field_overlap(temperature: float) -> float:
    """The Curie-Weiss solution of m = tanh(m / T) for one stored pattern."""
    m = 1.0
    for _ in range(10000):
        m = np.tanh(m / temperature)
    return float(m)


@pytest.mark.parametrize("temperature", [0.3, 0.6, 0.8])
def test_glauber_dynamics_settle_at_the_mean_field_overlap(temperature):
    """One memory at temperature T: the overlap fluctuates around tanh(m / T) = m."""
    rng = np.random.default_rng(11)
    network = Network(40, 40)
    pattern = random_spins(network.n, rng)
    network.imprint(pattern, "p")
    network.set_state(pattern)
    samples = []
    for event in Asynchronous(network, rng, temperature).events():
        if isinstance(event, SweepDone):
            if event.sweep > 10:
                samples.append(network.overlaps()[0])
            if event.sweep == 40:
                break
    assert np.mean(samples) == pytest.approx(mean_field_overlap(temperature), abs=0.03)


def test_above_the_critical_temperature_the_memory_melts():
    rng = np.random.default_rng(12)
    network = Network(40, 40)
    pattern = random_spins(network.n, rng)
    network.imprint(pattern, "p")
    network.set_state(pattern)
    for event in Asynchronous(network, rng, 2.0).events():
        if isinstance(event, SweepDone) and event.sweep == 20:
            break
    assert abs(network.overlaps()[0]) < 0.15


def test_energy_is_only_ever_falling_on_a_real_picture_recall():
    rng = np.random.default_rng(3)
    network = Network(32, 32)
    patterns = [random_spins(network.n, rng) for _ in range(5)]
    for k, pattern in enumerate(patterns):
        network.imprint(pattern, f"p{k}")
    network.set_state(scramble_half(patterns[0], rng))
    energies = [network.energy()]
    for event in Asynchronous(network, rng).events():
        if isinstance(event, Flip):
            energies.append(network.energy())
    assert len(energies) > 100
    assert all(b < a for a, b in itertools.pairwise(energies))
    assert np.array_equal(network.state, patterns[0])


def test_memories_can_be_forgotten_and_the_fields_follow():
    rng = np.random.default_rng(4)
    network = Network(8, 8)
    for k in range(3):
        network.imprint(random_spins(64, rng), f"p{k}")
    network.forget(1)
    assert network.names == ("p0", "p2")
    assert np.allclose(network.fields(), dense_weights(network) @ network.state)
    network.forget_all()
    assert network.count == 0 and network.energy() == 0.0
    assert not network.fields().any()


@pytest.mark.parametrize(
    "bad",
    [np.zeros(64), np.ones(63), np.full(64, 2)],
    ids=["zeros", "wrong size", "twos"],
)
def test_bad_patterns_are_refused_and_change_nothing(bad):
    network = Network(8, 8)
    with pytest.raises(ModelError):
        network.imprint(bad, "bad")
    with pytest.raises(ModelError):
        network.set_state(bad)
    assert network.count == 0
    assert np.all(network.state == -1)


def test_bad_strength_and_temperature_are_refused():
    network = Network(4, 4)
    with pytest.raises(ModelError):
        network.imprint(np.ones(16), "x", strength=float("nan"))
    with pytest.raises(ModelError):
        Asynchronous(network, np.random.default_rng(), temperature=-1)
    assert network.count == 0


def test_progress_comes_regularly_even_when_nothing_flips():
    """A consumer is never kept waiting for more than PROGRESS_EVERY spin visits."""
    from tui_hopfield.model.dynamics import PROGRESS_EVERY

    rng = np.random.default_rng(5)
    network = Network(64, 64)
    pattern = random_spins(network.n, rng)
    network.imprint(pattern, "p")
    network.set_state(pattern)  # a fixed point: the one sweep flips nothing
    events = list(Asynchronous(network, rng).events())
    assert not any(isinstance(event, Flip) for event in events)
    assert sum(isinstance(event, Progress) for event in events) == network.n // PROGRESS_EVERY
    assert isinstance(events[-1], SweepDone)


def test_settle_on_a_large_grid_returns_the_picture():
    rng = np.random.default_rng(6)
    network = Network(48, 48)  # more spins than PROGRESS_EVERY: progress events come too
    patterns = [random_spins(network.n, rng) for _ in range(5)]
    for k, pattern in enumerate(patterns):
        network.imprint(pattern, f"p{k}")
    network.set_state(scramble_half(patterns[2], rng))
    assert settle(network, rng) > 0
    assert np.array_equal(network.state, patterns[2])


def test_unique_names_skip_the_taken_ones_and_never_repeat():
    network = Network(4, 4)
    rng = np.random.default_rng(0)
    for name in ("random", "random 2", "random 4"):
        network.imprint(random_spins(16, rng), name)
    assert network.unique_names("random", 3) == ["random 3", "random 5", "random 6"]
    assert network.unique_name("cat") == "cat"
    assert network.unique_name("random") == "random 3"
    names = network.unique_names("random", 2000)
    assert len(set(names)) == 2000 and not set(names) & set(network.names)


@given(
    st.integers(1, 5),
    st.integers(0, 4),
    st.integers(0, 6),
    st.sampled_from([1.0, 0.9, 1e-5]),
    st.integers(0, 2**32 - 1),
)
@settings(max_examples=40, deadline=None)
def test_imprinting_many_at_once_is_imprinting_each_in_turn(side, before, added, decay, seed):
    rng = np.random.default_rng(seed)
    one, many = Network(side, side), Network(side, side)
    for network in (one, many):
        network.decay = decay
        network.set_state(random_spins(side * side, np.random.default_rng(seed + 1)))
    old = [random_spins(side * side, rng) for _ in range(before)]
    new = np.array([random_spins(side * side, rng) for _ in range(added)], dtype=np.int8)
    new = new.reshape(added, side * side)
    for k, pattern in enumerate(old):
        one.imprint(pattern, f"old {k}")
        many.imprint(pattern, f"old {k}")
    for k, pattern in enumerate(new):
        one.imprint(pattern, f"new {k}", 2.0)
    many.imprint_many(new, [f"new {k}" for k in range(added)], 2.0)
    assert one.names == many.names
    assert np.allclose(one.strengths, many.strengths)
    assert np.array_equal(one.patterns, many.patterns)
    assert np.array_equal(one.overlaps(), many.overlaps())
    assert one.energy() == pytest.approx(many.energy())
    assert np.allclose(one.fields(), many.fields())
    assert np.array_equal(one._columns, many._columns)


@pytest.mark.parametrize(
    ("patterns", "names"),
    [
        (np.ones((2, 15), dtype=np.int8), ["a", "b"]),  # wrong size
        (np.full((2, 16), 2, dtype=np.int8), ["a", "b"]),  # not spins
        (np.ones((2, 16), dtype=np.int8), ["a"]),  # a name short
        (np.ones((2, 16), dtype=np.int8), ["a", "a"]),  # the same name twice
        (np.ones((2, 16), dtype=np.int8), ["kept", "b"]),  # a name taken
    ],
)
def test_bad_bulk_imprints_are_refused_and_change_nothing(patterns, names):
    network = Network(4, 4)
    network.imprint(np.ones(16, dtype=np.int8), "kept")
    revision = network.revision
    with pytest.raises(ModelError):
        network.imprint_many(patterns, names)
    assert network.names == ("kept",) and network.revision == revision


def test_a_copy_is_the_same_network_and_independent():
    rng = np.random.default_rng(3)
    network = Network(6, 6)
    network.decay, network.use_boost = 0.9, 0.5
    for k in range(5):
        network.imprint(random_spins(36, rng), f"m{k}", 1.0 + k)
    network.landscape  # noqa: B018  (fills the column copy of the patterns)
    network.imprint(random_spins(36, rng), "late")  # its column is not filled in yet
    network.set_state(random_spins(36, rng))
    other = network.copy()
    assert other.names == network.names and other.revision == network.revision
    assert np.array_equal(other.patterns, network.patterns)
    assert np.array_equal(other.strengths, network.strengths)
    assert (other.decay, other.use_boost, other.rule) == (0.9, 0.5, network.rule)
    assert np.array_equal(other.state, network.state)
    assert other.energy() == pytest.approx(network.energy())
    assert np.allclose(other.fields(), network.fields())
    assert np.array_equal(other._columns, network._columns)
    other.imprint(random_spins(36, rng), "only in the copy")
    other.set_spin(0, -other.state[0])
    assert network.count == 6 and other.count == 7
    assert network.state[0] != other.state[0]


def test_index_of_finds_a_stored_pattern_only_when_every_spin_agrees():
    rng = np.random.default_rng(4)
    network = Network(10, 10)
    patterns = [random_spins(100, rng) for _ in range(30)]
    twin = patterns[7].copy()
    twin[-1] *= -1  # the same first 64 spins, one spin off at the end
    for k, pattern in enumerate([*patterns, twin]):
        network.imprint(pattern, f"p{k}")
    assert network.index_of(patterns[7]) == 7 and network.index_of(twin) == 30
    assert network.index_of(patterns[29].reshape(10, 10)) == 29
    assert network.index_of(random_spins(100, rng)) is None
    assert Network(10, 10).index_of(patterns[0]) is None


def test_no_memory_grows_past_the_strength_a_session_may_hold() -> None:
    """Strengths are bounded in the network itself, so every session it makes can be saved."""
    from tui_hopfield.model.network import MAX_STRENGTH

    network = Network(2, 2)
    with pytest.raises(ModelError, match="up to"):
        network.imprint(np.ones(4, dtype=np.int8), "big", MAX_STRENGTH * 2)
    with pytest.raises(ModelError, match="up to"):
        network.imprint_many(np.ones((1, 4), dtype=np.int8), ["big"], np.array([1e308]))
    network.imprint(np.ones(4, dtype=np.int8), "one", MAX_STRENGTH - 1)
    with pytest.raises(ModelError, match="at most"):
        network.reinforce(0, 2.0)
    assert network.strengths[0] == MAX_STRENGTH - 1
    network.reinforce(0, 1.0)
    assert network.strengths[0] == MAX_STRENGTH

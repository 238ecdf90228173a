"""The views' quantities against independent dense computations on small grids."""

from __future__ import annotations

import numpy as np
import pytest

from tui_hopfield.model import Network
from tui_hopfield.model.dynamics import Asynchronous, Flip
from tui_hopfield.model.inside import (
    MAX_SAMPLES,
    OverlapTrace,
    attention,
    connections,
    field_split,
)
from tui_hopfield.model.recording import Recording, recorded
from tui_hopfield.model.rules import Rule


def network_of(
    rule: Rule, seed: int = 3, rows: int = 6, cols: int = 7, count: int = 4, equal: bool = False
) -> Network:
    """A small network with random memories (of unequal strengths unless ``equal``) and a
    noisy state."""
    rng = np.random.default_rng(seed)
    network = Network(rows, cols, rule)
    patterns = rng.choice(np.array([-1, 1], dtype=np.int8), size=(count, rows * cols))
    network.imprint_many(
        patterns, [f"m{k}" for k in range(count)], 1.0 if equal else rng.uniform(0.5, 2.0, count)
    )
    state = patterns[0].copy()
    state[rng.choice(rows * cols, 12, replace=False)] *= -1
    network.set_state(state)
    return network


def dense_w(network: Network) -> np.ndarray:
    """W built whole from the patterns, with a zero diagonal (Hebb or pseudo-inverse)."""
    xi = network.patterns.reshape(network.count, -1).astype(np.float64)
    c = network.strengths
    if network.rule.name == "hebbian":
        w = (xi.T * c) @ xi / network.n
    else:
        root = np.sqrt(c)
        gram = xi @ xi.T
        w = xi.T @ (root[:, None] * np.linalg.pinv(gram) * root[None, :]) @ xi
    np.fill_diagonal(w, 0.0)
    return w


@pytest.mark.parametrize("name", ["hebbian", "pseudo-inverse", "storkey"])
def test_the_split_sums_to_w_s_and_the_picture_is_row_i_of_a_dense_w(name):
    network = network_of(Rule(name))
    landscape = network.landscape
    s = network.state.astype(np.float64)
    w = landscape.weights.astype(np.float64) if name == "storkey" else dense_w(network)
    for index in (0, 5, 17, network.n - 1):
        split = field_split(landscape, network.state, network.overlaps() * network.n, index)
        h = float(w[index] @ s)
        assert split.total == pytest.approx(h, abs=1e-4)
        assert split.field == pytest.approx(network.field(index), abs=1e-9)
        assert np.allclose(connections(landscape, index), w[index], atol=1e-5)
    if name == "hebbian":  # each pull is c xi_i m, the rest the diagonal taken away
        m, c, xi = network.overlaps(), network.strengths, network.patterns
        split = field_split(landscape, network.state, m * network.n, 5)
        assert np.allclose(split.pulls, c * xi[:, 5] * m)
        assert split.rest == pytest.approx(-c.sum() / network.n * s[5])


@pytest.mark.parametrize("degree", [2, 3, 5])
def test_a_dense_memory_split_sums_to_half_s_times_the_energy_change_of_a_flip(degree):
    network = network_of(Rule("dense", degree))
    xi = network.patterns.reshape(network.count, -1).astype(np.float64)
    c = network.strengths

    def energy(state: np.ndarray) -> float:
        m = xi @ state / network.n
        return float(-(network.n / degree) * (c @ m**degree))

    for index in (0, 9, 30):
        s = network.state.astype(np.float64)
        turned = s.copy()
        turned[index] *= -1
        h = s[index] * (energy(turned) - energy(s)) / 2
        split = field_split(network.landscape, network.state, network.overlaps() * network.n, index)
        assert split.total == pytest.approx(h, rel=1e-9, abs=1e-12)
        assert split.field == pytest.approx(h, rel=1e-9, abs=1e-12)


def test_dense_exp_flips_exactly_when_s_times_the_vote_is_below_tanh_beta():
    network = network_of(Rule("dense", None))
    landscape = network.landscape
    for index in range(network.n):
        split = field_split(landscape, network.state, network.overlaps() * network.n, index)
        assert split.kind == "vote"
        if abs(network.flip_energy(index)) > 1e-9:
            flips = network.flip_energy(index) < 0
            assert flips == (split.spin * split.total < split.threshold)


@pytest.mark.parametrize("beta", [1.0, 8.0, 40.0, 200.0])
def test_attention_bars_sum_to_one_and_are_the_modern_updates_weights(beta):
    network = network_of(Rule("modern", beta=beta), count=5)
    landscape = network.landscape
    rng = np.random.default_rng(1)
    query = rng.uniform(-1, 1, network.n).astype(np.float32)
    found = attention(landscape, query)
    xi = network.patterns.reshape(network.count, -1).astype(np.float64)
    z = beta * (xi @ query.astype(np.float64)) / network.n + np.log(network.strengths)
    dense = np.exp(z - z.max())
    dense /= dense.sum()
    assert found.weights.sum() == pytest.approx(1.0)
    assert np.allclose(found.weights, dense, atol=1e-5)
    update = landscape.retrieve(query[None, :])[0]
    assert np.allclose(dense @ xi, update, atol=1e-5)


def test_the_regime_is_named_by_the_largest_weight_and_the_entropy():
    network = network_of(Rule("modern", beta=200.0), count=5, equal=True)
    xi = network.patterns.reshape(network.count, -1)
    assert attention(network.landscape, xi[2]).regime == "single memory"
    network.rule = Rule("modern", beta=1.0)
    assert attention(network.landscape, xi[2]).regime == "global average"
    # Halfway between two memories, at a beta that cannot tell them apart from each other
    # but tells both from the rest: a metastable mixture of the two.
    network.rule = Rule("modern", beta=30.0)
    mixed = (xi[0].astype(np.float32) + xi[1]) / 2
    found = attention(network.landscape, mixed)
    assert found.regime == "metastable mixture"
    assert set(found.mixture[:2].tolist()) == {0, 1}


def test_the_plotted_overlaps_are_the_recorded_states_overlaps():
    network = network_of(Rule("hebbian"), rows=8, cols=8, count=3)
    rng = np.random.default_rng(5)
    state = network.state.copy()
    state[rng.choice(network.n, 20, replace=False)] *= -1
    network.set_state(state)
    recording = Recording(network.state, 8, 8, network.energy(), patterns=network.patterns)
    trace = OverlapTrace(network.overlaps(), network.names)
    dynamics = Asynchronous(network, rng, 0.0)
    events = recorded(dynamics.events(), recording, network)
    for k, event in enumerate(events):
        if isinstance(event, Flip) and k % 3 == 0:
            trace.add(len(recording), network.overlaps())
    trace.add(len(recording), network.overlaps())
    assert len(recording) > 3
    xi = network.patterns.astype(np.float64)
    positions, values = trace.columns(17)
    for position, row in zip(positions, values, strict=True):
        assert np.allclose(row, xi @ recording.grid_at(int(position)) / network.n)
    assert positions[-1] == len(recording)


def test_a_long_trace_keeps_at_most_max_samples_spread_over_the_whole_recall():
    trace = OverlapTrace(np.zeros(2))
    for position in range(1, 10 * MAX_SAMPLES):
        trace.add(position, np.array([position, -position], dtype=float))
    assert len(trace.positions) <= MAX_SAMPLES + 1
    assert trace.positions[0] == 0 and trace.positions[-1] == 10 * MAX_SAMPLES - 1
    assert all(trace.samples[k][0] == p for k, p in enumerate(trace.positions))


def test_equal_strengths_count_the_row_of_w_in_bits_and_it_is_the_dense_row():
    network = network_of(Rule("hebbian"), rows=9, cols=9, count=70, equal=True)
    w = dense_w(network)
    for index in (0, 40, 80):
        assert np.allclose(connections(network.landscape, index), w[index], atol=1e-12)
    network.reinforce(3)  # unequal now: the float product, the same row
    w = dense_w(network)
    assert np.allclose(connections(network.landscape, 40), w[40], atol=1e-5)

"""The anatomy of a spurious state, against a brute-force search over every odd mixture."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_hopfield.model.anatomy import CANDIDATES, MIXTURE_OVERLAP, anatomy, best_mixture
from tui_hopfield.model.network import Network
from tui_hopfield.model.patterns import random_spins


def brute_force(patterns: np.ndarray, state: np.ndarray) -> float:
    """The best overlap of any sign(+-xi_a +-xi_b +-xi_c) with ``state``, every triple."""
    best = -np.inf
    for a, b, c in itertools.combinations(range(len(patterns)), 3):
        for signs in itertools.product((1, -1), repeat=3):
            mix = np.sign(
                signs[0] * patterns[a].astype(int)
                + signs[1] * patterns[b].astype(int)
                + signs[2] * patterns[c].astype(int)
            )
            best = max(best, float(mix @ state) / len(state))
    return best


def network_of(seed: int, count: int, rows: int = 5, cols: int = 6) -> Network:
    rng = np.random.default_rng(seed)
    network = Network(rows, cols)
    for k in range(count):
        network.imprint(random_spins(network.n, rng), f"m{k}")
    return network


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(3, CANDIDATES), st.booleans())
def test_the_mixture_named_is_the_best_of_all_and_its_overlap_is_as_stated(seed, count, mix):
    network = network_of(seed, count)
    rng = np.random.default_rng(seed + 1)
    patterns = network.patterns
    if mix:  # a mixture, perhaps a little broken
        a, b, c = rng.choice(count, 3, replace=False)
        state = np.sign(patterns[a].astype(int) - patterns[b] + patterns[c]).astype(np.int8)
        state[rng.random(network.n) < 0.1] *= -1
    else:
        state = random_spins(network.n, rng)
    network.set_state(state)
    found = best_mixture(network)
    assert found is not None
    # The overlap stated is that of the mixture named, computed from its spins ...
    spins = found.spins(patterns)
    assert found.overlap == float(spins @ network.state) / network.n
    # ... and no odd mixture of three memories does better.
    assert abs(found.overlap - brute_force(patterns, network.state)) < 1e-12


def test_an_exact_mixture_is_named_with_its_signs():
    network = network_of(4, 5, 8, 8)
    patterns = network.patterns
    state = np.sign(patterns[1].astype(int) + patterns[3] - patterns[4]).astype(np.int8)
    network.set_state(state)
    found = anatomy(network)
    assert found.is_mixture and found.best.overlap == 1.0
    assert found.best.indices == (1, 3, 4) and found.best.signs in ((1, 1, -1), (-1, -1, 1))
    assert found.label == "m1 + m3 \u2212 m4, overlap 1.00"
    assert "sign(m1 + m3 \u2212 m4)" in found.detail


def test_a_random_state_of_many_memories_is_a_spin_glass_state():
    network = network_of(7, 40, 16, 16)
    network.set_state(random_spins(network.n, np.random.default_rng(3)))
    found = anatomy(network)
    assert not found.is_mixture and found.best.overlap < MIXTURE_OVERLAP
    assert found.label == f"a spin-glass state (no mixture within {MIXTURE_OVERLAP:.2f})"
    # Only the memories of largest |overlap| were searched: still a stated overlap.
    spins = found.best.spins(network.patterns)
    assert found.best.overlap == float(spins @ network.state) / network.n


def test_fewer_than_three_memories_have_no_mixture():
    network = network_of(1, 2)
    assert anatomy(network).best is None and not anatomy(network).is_mixture


def test_a_recall_ending_in_a_mixture_state_is_named_by_it():
    from tui_hopfield.model.workspace import Workspace

    rng = np.random.default_rng(5)
    network = Network(12, 12)
    patterns = [random_spins(network.n, rng) for _ in range(3)]
    for name, pattern in zip(("smile", "house", "cat"), patterns, strict=True):
        network.imprint(pattern, name)
    mixture = np.sign(patterns[0].astype(int) + patterns[1] - patterns[2]).astype(np.int8)
    cue = mixture.copy()
    cue[:4] *= -1  # a little broken: recall brings the mixture back
    network.set_state(cue)
    workspace = Workspace(network, np.random.default_rng(0))
    workspace.start_recall()
    dynamics = workspace.dynamics
    for _ in workspace.recall_events(dynamics):
        pass
    change = workspace.finish_recall(dynamics)
    assert np.array_equal(network.state, mixture)
    assert change.state == "spurious: smile + house \u2212 cat, overlap 1.00"
    assert (
        change.message
        == "Spurious: the mixture state sign(smile + house \u2212 cat), overlap 1.00."
    )

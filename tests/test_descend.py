"""``descend`` at T = 0: a valid asynchronous descent that ends at a fixed point.

After the first round, a linear landscape's rounds compute dE again only for the
spins within the overlaps' drift of turning (``dynamics._Candidates``); these
tests check that no unstable spin is ever left out, against dense W.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_hopfield.model import Network
from tui_hopfield.model import descent as descent_module
from tui_hopfield.model.descent import descend
from tui_hopfield.model.patterns import random_spins
from tui_hopfield.model.rules import Linear, Rule


def dense_flip_energies(network: Network) -> np.ndarray:
    """dE_i = 2 s_i h_i with h = W s from W = sum c xi xi^T / N, zero diagonal (Hebb)."""
    xi = network.patterns.astype(np.float64)
    w = (xi.T * network.strengths) @ xi / network.n
    np.fill_diagonal(w, 0.0)
    s = network.state.astype(np.float64)
    return 2.0 * s * (w @ s)


@settings(max_examples=40, deadline=None)
@given(
    side=st.integers(8, 20),
    load=st.floats(0.02, 0.4),
    noise=st.floats(0.0, 0.5),
    seed=st.integers(0, 2**32 - 1),
)
def test_descend_ends_at_a_fixed_point_of_dense_w_and_never_raises_the_energy(
    side, load, noise, seed
):
    rng = np.random.default_rng(seed)
    network = Network(side, side)
    count = max(1, round(load * network.n))
    for k in range(count):
        network.imprint(random_spins(network.n, rng), f"p{k}", float(rng.uniform(0.5, 2.0)))
    cue = network.patterns[0].copy()
    cue[rng.random(network.n) < noise] *= -1
    network.set_state(cue)
    before = network.energy()
    descend(network, rng)
    delta = dense_flip_energies(network)
    assert delta.min() >= -1e-9 * max(1.0, np.abs(delta).max())
    assert network.energy() <= before + 1e-9


def test_the_last_round_checks_a_few_spins_only_and_ends_at_a_fixed_point(monkeypatch):
    """Below capacity the rounds after the big ones turn few spins: no full product then."""
    rng = np.random.default_rng(3)
    network = Network(48, 48)
    for k in range(round(0.05 * network.n)):
        network.imprint(random_spins(network.n, rng), f"p{k}")
    cue = network.patterns[0].copy()
    cue[: network.n // 5] *= -1
    full = []
    original = Linear.flip_energies_from

    def counted(landscape, state, a, k, index=None):
        full.append(index is None)
        return original(landscape, state, a, k, index)

    monkeypatch.setattr(Linear, "flip_energies_from", counted)
    network.set_state(cue)
    flips = descend(network, np.random.default_rng(5))
    rounds = len(full)
    assert rounds >= 3 and flips > 0
    assert not full[-1] and sum(full) < rounds  # the last round looked at a few spins only
    assert np.array_equal(network.state, network.patterns[0])
    assert dense_flip_energies(network).min() >= -1e-9
    # With the shortcut switched off every round is a full product, from the same seed:
    # both are valid descents; each ends at a fixed point of W.
    monkeypatch.setattr(descent_module, "NEAR", -1.0)
    network.set_state(cue)
    descend(network, np.random.default_rng(5))
    assert dense_flip_energies(network).min() >= -1e-9


def test_pinned_spins_never_turn_during_descend():
    rng = np.random.default_rng(4)
    network = Network(16, 16, Rule("pseudo-inverse"))
    for k in range(20):
        network.imprint(random_spins(network.n, rng), f"p{k}")
    cue = random_spins(network.n, rng)
    network.set_state(cue)
    mask = np.zeros(network.n, dtype=bool)
    mask[:100] = True
    network.set_pins(mask)
    descend(network, rng)
    assert np.array_equal(network.state[:100], cue[:100])

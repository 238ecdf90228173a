"""Naming the state: recalled, inverse, spurious, melting, empty."""

from __future__ import annotations

import numpy as np

from tui_hopfield.model import Kind, Network, classify, settle
from tui_hopfield.model.patterns import random_spins


def stored(count: int, seed: int = 0) -> tuple[Network, list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    network = Network(30, 30)
    patterns = [random_spins(network.n, rng) for _ in range(count)]
    for k, pattern in enumerate(patterns):
        network.imprint(pattern, f"p{k}")
    return network, patterns


def test_empty():
    assert classify(Network(4, 4)).label == "empty"


def test_recalled_and_inverse():
    network, patterns = stored(3)
    network.set_state(patterns[1])
    assert classify(network).label == "recalled p1"
    network.set_state(-patterns[2])
    verdict = classify(network)
    assert verdict.kind is Kind.INVERSE
    assert verdict.label == "recalled inverse of p2"


def test_the_three_mixture_is_a_spurious_fixed_point():
    network, patterns = stored(3, seed=5)
    mixture = np.sign(patterns[0] + patterns[1] + patterns[2]).astype(np.int8)
    network.set_state(mixture)
    settle(network, np.random.default_rng(0))
    verdict = classify(network)
    assert verdict.kind is Kind.SPURIOUS
    assert 0.3 < abs(verdict.overlap) < 0.95


def test_melting_and_unsettled():
    network, _ = stored(3)
    network.set_state(random_spins(network.n, np.random.default_rng(9)))
    assert classify(network, temperature=1.5).kind is Kind.MELTING
    assert classify(network).kind is Kind.UNSETTLED

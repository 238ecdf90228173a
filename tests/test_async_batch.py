"""Asynchronous batch recall (``batch.recall_async``) against a plain per-cue loop."""

from __future__ import annotations

import numpy as np
import pytest

from tui_hopfield.model.batch import ASYNC_TIE, recall_async
from tui_hopfield.model.rules import Rule

RULES = [
    Rule("hebbian"),
    Rule("storkey"),
    Rule("pseudo-inverse"),
    Rule("dense", 2),
    Rule("dense", 3),
    Rule("dense", None),
]


def one_by_one(landscape, cue, orders, max_sweeps):
    """The definition: visit the spins in each sweep's order, turn each one with dE < 0."""
    state = cue.astype(np.int8).copy()
    tie = ASYNC_TIE * max(1.0, float(landscape.strengths.max()))
    moving_sweeps = 0
    for order in orders[:max_sweeps]:
        turned = False
        for i in order:
            delta = landscape.flip_energies(state[None, :])[0][i]
            if delta < -tie:
                state[i] = -state[i]
                turned = True
        if not turned:
            return state, moving_sweeps, True
        moving_sweeps += 1
    return state, moving_sweeps, False


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.label)
@pytest.mark.parametrize("seed", [0, 1])
def test_async_batch_recall_is_the_one_by_one_dynamics(rule, seed):
    rng = np.random.default_rng(seed)
    n = 48 + 7 * seed  # not a multiple of the block
    count = 14 if rule.name != "pseudo-inverse" else 30
    patterns = np.where(rng.random((count, n)) < 0.5, -1, 1).astype(np.int8)
    strengths = rng.uniform(0.5, 2.0, count) if rule.name in ("hebbian", "dense") else None
    landscape = rule.learn(patterns, np.ones(count) if strengths is None else strengths)
    cues = np.concatenate([patterns[:6], np.where(rng.random((10, n)) < 0.5, -1, 1)])
    cues[:6][rng.random((6, n)) < 0.3] *= -1
    cues = cues.astype(np.int8)
    max_sweeps = 6
    draw = np.random.default_rng(seed + 100)
    orders = [draw.permutation(n) for _ in range(max_sweeps)]
    result = recall_async(landscape, cues, np.random.default_rng(seed + 100), max_sweeps=max_sweeps)
    moved_somewhere = False
    for k, cue in enumerate(cues):
        state, sweeps, fixed = one_by_one(landscape, cue, orders, max_sweeps)
        assert np.array_equal(result.states[k], state), f"cue {k}"
        assert result.steps[k] == sweeps and result.converged[k] == fixed
        moved_somewhere |= sweeps >= 1 and not np.array_equal(state, cue)
    assert moved_somewhere  # some cue turned spins: the order mattered
    assert not result.cycled.any()


@pytest.mark.parametrize("strength", [1.0, 2.5])
def test_hebb_with_equal_strengths_is_exact_in_integers(strength):
    """Equal strengths take the integer path (int16 W, int32 fields): still the definition."""
    from tui_hopfield.model.batch import _local_fields, couplings

    rng = np.random.default_rng(7)
    n, count = 61, 9
    patterns = np.where(rng.random((count, n)) < 0.5, -1, 1).astype(np.int8)
    landscape = Rule("hebbian").learn(patterns, np.full(count, strength))
    cues = patterns.copy()
    cues[rng.random(cues.shape) < 0.25] *= -1
    given = couplings(landscape)
    weights, tie = given.weights, given.tie
    fields = _local_fields(landscape, cues.copy(), given)
    assert weights.dtype == np.int16 and fields.dtype == np.int32 and tie == 0.0
    # The integer fields are N / c times the landscape's own: dE = 2 s h c / N.
    expected = landscape.flip_energies(cues) * n / (2 * strength)
    assert np.allclose(cues * fields, expected)
    max_sweeps = 6
    draw = np.random.default_rng(3)
    orders = [draw.permutation(n) for _ in range(max_sweeps)]
    result = recall_async(landscape, cues, np.random.default_rng(3), max_sweeps=max_sweeps)
    for k, cue in enumerate(cues):
        state, sweeps, fixed = one_by_one(landscape, cue, orders, max_sweeps)
        assert np.array_equal(result.states[k], state), f"cue {k}"
        assert result.steps[k] == sweeps and result.converged[k] == fixed

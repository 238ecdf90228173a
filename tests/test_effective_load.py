"""The load counted by strength: with decay, faded memories add less cross-talk.

"Over capacity" is the classic limit of Hebb's rule, P / N past about 0.138,
for memories of equal strength. A memory of strength c adds cross-talk of
variance (c / c_ref)^2 / N to the field of one of strength c_ref, so with
decay the freshest memory meets sum((c / c_max)^2) / N, not P / N: these tests
hold the warning to that, and check that the physics agrees (the freshest
memory is recalled when the load by strength is low, though P / N is 0.3).
"""

from __future__ import annotations

import numpy as np
import pytest

from tui_hopfield.model import Network
from tui_hopfield.model.descent import settle
from tui_hopfield.model.workspace import Workspace
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.status_bar import StatusBar

SIDE = 20
N = SIDE * SIDE
P = 120  # P / N = 0.3, more than twice the classic capacity


def filled(decay: float, seed: int) -> tuple[Network, np.ndarray]:
    """A 20x20 network with ``P`` random memories imprinted with ``decay``; and them."""
    rng = np.random.default_rng(seed)
    network = Network(SIDE, SIDE)
    network.decay = decay
    patterns = rng.choice(np.array([-1, 1], dtype=np.int8), size=(P, N))
    network.imprint_many(patterns, [f"m{k}" for k in range(P)])
    return network, patterns


def test_equal_strengths_count_as_p_over_n_and_faded_ones_as_their_square():
    network, _ = filled(1.0, 0)
    assert network.effective_load == pytest.approx(network.load) == pytest.approx(0.3)
    network.decay_all(0.5)  # all equally weaker: nothing changes relative to one another
    assert network.effective_load == pytest.approx(0.3)
    faded, _ = filled(0.9, 0)
    assert faded.load == pytest.approx(0.3)
    expected = sum(0.81**k for k in range(P)) / N
    assert faded.effective_load == pytest.approx(expected)
    assert faded.effective_load < 1 / (1 - 0.81) / N  # a palimpsest: bounded, whatever P
    assert Network(4, 4).effective_load == 0.0


@pytest.mark.parametrize("seed", range(4))
def test_the_freshest_memory_is_recalled_when_the_load_by_strength_is_low(seed):
    for decay, recalled in ((1.0, False), (0.9, True)):
        network, patterns = filled(decay, seed)
        rng = np.random.default_rng(seed)
        cue = patterns[-1].copy()
        cue[rng.random(N) < 0.1] *= -1
        network.set_state(cue)
        settle(network, rng)
        overlap = float(network.state.reshape(-1).astype(int) @ patterns[-1].astype(int)) / N
        snapshot = Workspace(network, rng).snapshot()
        assert (overlap == 1.0) is recalled, (decay, overlap)
        assert snapshot.over_capacity is not recalled  # the warning says what recall does
        assert snapshot.effective_load == pytest.approx(network.effective_load)


async def test_the_status_bar_counts_faded_memories_by_strength():
    for decay, over in ((1.0, True), (0.9, False)):
        network, _ = filled(decay, 1)
        app = HopfieldApp(network=network, seed=1, autosave=False)
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.pause()
            text = str(app.screen.query_one(StatusBar).render())
            assert "load 0.300" in text
            assert ("(over capacity)" in text) is over, text
            assert ("by strength 0.013 / ~0.138" in text) is not over, text

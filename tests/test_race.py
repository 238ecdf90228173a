"""The recall race: racers that agree with plain recall, and Hebb against dense past capacity."""

from __future__ import annotations

import numpy as np
import pytest

from tui_hopfield.model.dynamics import Asynchronous
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.network import Network
from tui_hopfield.model.noise import flip_fraction, random_patterns
from tui_hopfield.model.patterns import library
from tui_hopfield.model.race import Entrant, Race
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.steps import Retrieval, Synchronous


def cue(load: float, seed: int, rows: int = 16) -> Network:
    """The smiley and random memories up to ``load``, the grid the smiley with 20 % flipped."""
    rng = np.random.default_rng(seed)
    network = Network(rows, rows)
    smile = library(rows, rows)[0]
    network.imprint(smile.spins.reshape(-1), smile.name)
    extra = round(load * network.n) - 1
    if extra > 0:
        network.imprint_many(
            random_patterns(extra, network.n, rng), [f"r{k}" for k in range(extra)]
        )
    network.set_state(flip_fraction(network.patterns[0].copy(), 0.2, rng))
    return network


def alone(network: Network, entrant: Entrant, seed: int) -> tuple[np.ndarray, int]:
    """Recall on a copy with the plain dynamics and a generator from ``seed``: the final
    state and the sweeps or steps."""
    copy = network.copy()
    copy.rule = entrant.rule
    rng = np.random.default_rng(seed)
    if entrant.rule.continuous:
        dynamics = Retrieval(copy)
    elif entrant.mode == "sync":
        dynamics = Synchronous(copy, rng)
    else:
        dynamics = Asynchronous(copy, rng)
    for _ in dynamics.events():
        pass
    steps = dynamics.sweeps if isinstance(dynamics, Asynchronous) else dynamics.steps
    return copy.state.copy(), steps


ENTRANTS = [
    Entrant(Rule()),
    Entrant(Rule(), "sync"),
    Entrant(Rule("dense", 3)),
    Entrant(Rule("storkey"), "sync"),
    Entrant(Rule("pseudo-inverse")),
    Entrant(Rule("modern", beta=20.0)),
]


@pytest.mark.parametrize("entrant", ENTRANTS, ids=lambda entrant: entrant.label)
def test_two_racers_with_one_rule_and_mode_end_as_a_plain_recall_does(entrant):
    network = cue(0.2, seed=3)
    race = Race(network, [entrant, entrant], seed=11)
    race.prepare()
    first, second = race.run(budget=7)
    state, steps = alone(network, entrant, 11)
    assert first == second
    for racer in race.racers:
        np.testing.assert_array_equal(racer.network.state, state)
    assert first.steps == steps
    assert first.flips >= int((state != network.state).sum())
    np.testing.assert_array_equal(network.state, cue(0.2, seed=3).state)  # the cue is untouched


def test_each_racer_ends_where_it_would_alone():
    network = cue(0.25, seed=5)
    entrants = ENTRANTS[:4]
    race = Race(network, entrants, seed=2)
    race.prepare()
    results = race.run(budget=13)
    for racer, result, entrant in zip(race.racers, results, entrants, strict=True):
        state, steps = alone(network, entrant, 2)
        np.testing.assert_array_equal(racer.network.state, state)
        assert result.steps == steps
        assert result.energy == pytest.approx(racer.network.energy())


@pytest.mark.parametrize("seed", range(5))
def test_past_capacity_hebb_ends_spurious_and_dense_brings_the_smile_back(seed):
    network = cue(0.3, seed, rows=32)
    race = Race(network, [Entrant(Rule()), Entrant(Rule("dense", 3))], seed)
    race.prepare()
    hebb, dense = race.run(budget=50)
    assert hebb.state.startswith("spurious")
    assert dense.state == "recalled smile"
    assert hebb.unit == dense.unit == "sweep"


def test_a_race_needs_two_to_four_racers_and_memories():
    network = cue(0.1, seed=1)
    with pytest.raises(ModelError):
        Race(network, [Entrant(Rule())], seed=1)
    with pytest.raises(ModelError):
        Race(network, [Entrant(Rule())] * 5, seed=1)
    with pytest.raises(ModelError):
        Race(Network(4, 4), [Entrant(Rule())] * 2, seed=1)
    with pytest.raises(ModelError):
        Entrant(Rule(), "both")


def test_racers_share_one_copy_of_the_patterns_and_not_the_networks():
    network = cue(0.2, seed=1)
    race = Race(network, [Entrant(Rule()), Entrant(Rule("dense", 3)), Entrant(Rule())], seed=1)
    for racer in race.racers:
        assert np.shares_memory(racer.network.patterns, race.cue.patterns)
        assert not np.shares_memory(racer.network.patterns, network.patterns)
    network.imprint(-network.patterns[0], "inverse smile")  # the app's network changes on
    race.prepare()
    assert all(racer.network.count == network.count - 1 for racer in race.racers)
    race.run()

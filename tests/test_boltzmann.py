"""The restricted Boltzmann machine: its conditionals and free energy against enumeration,
contrastive divergence on the built-in pictures, recall and dreams."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from tui_hopfield.model.boltzmann import Boltzmann, to_bits, to_spins
from tui_hopfield.model.errors import Cancelled, ModelError
from tui_hopfield.model.patterns import library, wipe_half


def tiny(seed: int = 3) -> Boltzmann:
    """4 visible, 3 hidden units with weights large enough to matter."""
    rng = np.random.default_rng(seed)
    return Boltzmann(rng.normal(0, 1, (3, 4)), rng.normal(0, 1, 4), rng.normal(0, 1, 3))


def states(n: int) -> np.ndarray:
    return np.array(list(itertools.product([0.0, 1.0], repeat=n)))


@pytest.mark.parametrize("temperature", [1.0, 0.5, 2.5])
def test_hidden_conditionals_match_the_joint_distribution(temperature: float) -> None:
    machine = tiny()
    vs, hs = states(4), states(3)
    joint = np.array([[np.exp(-machine.energy(v, h) / temperature) for h in hs] for v in vs])
    for i, v in enumerate(vs):
        given_v = joint[i] / joint[i].sum()  # P(h | v) by enumeration
        for j in range(3):
            enumerated = given_v[hs[:, j] == 1].sum()
            assert machine.hidden_probabilities(v, temperature)[j] == pytest.approx(enumerated)


def test_visible_conditionals_match_the_joint_distribution() -> None:
    machine = tiny(5)
    vs, hs = states(4), states(3)
    joint = np.array([[np.exp(-machine.energy(v, h)) for v in vs] for h in hs])
    for k, h in enumerate(hs):
        given_h = joint[k] / joint[k].sum()
        for i in range(4):
            enumerated = given_h[vs[:, i] == 1].sum()
            assert machine.visible_probabilities(h)[i] == pytest.approx(enumerated)


def test_free_energy_sums_out_the_hidden_units() -> None:
    machine = tiny(7)
    hs = states(3)
    for v in states(4):
        enumerated = -np.log(sum(np.exp(-machine.energy(v, h)) for h in hs))
        assert machine.free_energy(v) == pytest.approx(enumerated)
    assert machine.free_energy(states(4)).shape == (16,)


def pictures(size: int = 32, count: int = 4) -> np.ndarray:
    return np.array([p.spins.reshape(-1) for p in library(size, size)[:count]])


def test_contrastive_divergence_lowers_the_reconstruction_error() -> None:
    data = pictures()
    machine = Boltzmann.new(data.shape[1], 16, seed=0)
    before = machine.reconstruction_error(to_bits(data))
    epochs = machine.train(data, epochs=200, seed=0)
    errors = [e.error for e in epochs]
    assert [e.number for e in epochs] == list(range(1, 201))
    assert errors[-1] < 0.25 * before
    assert max(errors[150:]) < min(errors[:50])  # falls over the epochs, not by luck
    assert epochs[-1].free_energy < epochs[0].free_energy
    assert machine.history == epochs


def test_training_is_seeded() -> None:
    data = pictures(16)
    one, two = Boltzmann.new(256, 8, seed=1), Boltzmann.new(256, 8, seed=1)
    one.train(data, epochs=20, seed=4)
    two.train(data, epochs=20, seed=4)
    assert np.array_equal(one.weights, two.weights)


def test_training_stops_when_cancelled_and_reports() -> None:
    machine = Boltzmann.new(256, 8)
    seen: list[float] = []
    with pytest.raises(Cancelled):
        machine.train(pictures(16), epochs=50, report=seen.append, cancelled=lambda: len(seen) > 5)
    assert len(machine.history) == 6 and seen == sorted(seen)


def test_recall_from_a_half_wiped_picture_returns_it_at_low_temperature() -> None:
    data = pictures()
    machine = Boltzmann.new(1024, 16, seed=0)
    machine.train(data, epochs=300, seed=0)
    known = np.zeros((32, 32), bool)
    known[:16] = True
    rng = np.random.default_rng(2)
    for index, picture in enumerate(data):
        broken = wipe_half(picture.reshape(32, 32)).reshape(-1)
        assert (broken == picture).mean() < 0.9
        *_, last = machine.recall(broken, known.reshape(-1), 0.1, 20, rng)
        assert (last == picture).mean() > 0.98, index
        assert np.array_equal(last[:512], picture[:512])  # the known half stayed clamped


def closest(data: np.ndarray, spins: np.ndarray) -> float:
    """The fraction of magnets that agree with the closest picture."""
    return float((data == spins).mean(axis=1).max())


def test_dreams_reach_the_pictures_at_low_temperature_and_stay_noise_at_high() -> None:
    data = pictures()
    machine = Boltzmann.new(1024, 64, seed=0)
    machine.train(data, epochs=300, seed=0)
    cold = [list(machine.dream(1.0, 60, np.random.default_rng(seed))) for seed in range(10)]
    reached = [max(closest(data, s) for s in dream) > 0.95 for dream in cold]
    assert sum(reached) >= 3
    hot = [list(machine.dream(50.0, 60, np.random.default_rng(seed))) for seed in range(10)]
    assert max(closest(data, s) for dream in hot for s in dream) < 0.6


def test_bits_and_spins() -> None:
    spins = np.array([1, -1, -1, 1], dtype=np.int8)
    assert to_bits(spins).tolist() == [1.0, 0.0, 0.0, 1.0]
    assert np.array_equal(to_spins(to_bits(spins)), spins)


def test_bad_machines_are_refused() -> None:
    with pytest.raises(ModelError):
        Boltzmann(np.zeros((3, 4)), np.zeros(5), np.zeros(3))
    with pytest.raises(ModelError):
        Boltzmann(np.full((3, 4), np.nan), np.zeros(4), np.zeros(3))
    with pytest.raises(ModelError):
        Boltzmann.new(4, 0)
    with pytest.raises(ModelError):
        Boltzmann.new(4, 2).train(np.ones((2, 5)))

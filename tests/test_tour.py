"""The tour's lessons, on a real workspace: each check is false before the thing is done
and true after it; and the numbers the lessons state, measured again."""

from __future__ import annotations

import numpy as np
import pytest

from tui_hopfield.model.boltzmann import Boltzmann
from tui_hopfield.model.network import Network
from tui_hopfield.model.overload import overloaded
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.tour import LESSONS, LOAD, Mark, Tour
from tui_hopfield.model.workspace import Workspace

TITLES = [lesson.title for lesson in LESSONS]


def workspace(seed: int = 0, pictures: int = 3) -> Workspace:
    """A 32x32 workspace with the first ``pictures`` built-in pictures imprinted."""
    space = Workspace(Network(32, 32), np.random.default_rng(seed))
    for k in range(pictures):
        space.picture(k)
    return space


def recall(space: Workspace, sweeps: int | None = None) -> str:
    """Recall to the end (``sweeps``: a hot recall, stopped after that many sweeps)."""
    space.start_recall()
    dynamics = space.dynamics
    assert dynamics is not None
    for _ in space.recall_events(dynamics):
        if sweeps is not None and dynamics.sweeps >= sweeps:
            space.recall_moved()
            return space.state
    return space.finish_recall(dynamics).state


def overload(space: Workspace, load: float = LOAD, seed: int = 0) -> None:
    network = space.network
    added = round(load * network.n) - network.count
    grown, verdict = overloaded(network, network.state, added, seed, lambda: False)
    space.replace(grown, verdict, grew_from=network)


def check(title: str, space: Workspace, mark: Mark | None = None):
    lesson = LESSONS[TITLES.index(title)]
    return lesson.check(space, mark if mark is not None else Mark())


def test_three_memories():
    space = workspace(pictures=2)
    assert not check("Magnets and Hebb's rule", space).done
    assert check("Magnets and Hebb's rule", space).now == "2 of 3 memories"
    space.picture(2)
    assert check("Magnets and Hebb's rule", space).done


def test_a_broken_picture():
    space = workspace()
    space.picture(0)
    assert not check("Break a picture", space).done
    space.break_grid("scramble")
    assert check("Break a picture", space).done


def test_a_recall_that_ends_on_a_memory_with_the_energy_lower():
    space = workspace()
    space.picture(0)
    space.break_grid("scramble")
    mark = Mark.of(space)
    assert not check("Recall goes downhill", space, mark).done
    space.start_recall()  # running: not yet
    assert not check("Recall goes downhill", space, mark).done
    space.stop_recall()
    space.picture(0)
    space.break_grid("scramble")
    assert recall(space) == "recalled smile"
    outcome = space.last_recall
    assert outcome is not None and outcome.recalled == "smile"
    assert outcome.end_energy < outcome.start_energy
    assert check("Recall goes downhill", space, mark).done
    # The same recall does not count for a lesson that began after it.
    assert not check("Recall goes downhill", space, Mark.of(space)).done


def test_a_recall_from_the_memory_itself_does_not_count():
    space = workspace()
    space.picture(0)  # the smiley itself: recall flips nothing, the energy stays
    recall(space)
    assert space.last_recall is not None and space.last_recall.recalled == "smile"
    assert not check("Recall goes downhill", space).done


def test_melting_at_t_1():
    space = workspace()
    space.picture(0)
    space.set_temperature(0.5)
    recall(space, sweeps=20)
    assert not check("Temperature", space).done  # too cold, and the smiley holds
    space.stop_recall()
    space.set_temperature(1.0)
    assert recall(space, sweeps=20) == "melting"
    assert check("Temperature", space).done
    space.stop_recall()
    assert not check("Temperature", space).done  # only while the recall runs


def test_a_spurious_state_past_the_capacity():
    space = workspace()
    space.picture(0)
    space.break_grid("scramble")
    mark = Mark.of(space)
    recall(space)  # under capacity: recalled
    assert not check("Capacity and spurious states", space, mark).done
    overload(space)
    space.picture(0)
    space.break_grid("scramble")
    assert recall(space).startswith("spurious")
    assert check("Capacity and spurious states", space, mark).done


@pytest.mark.parametrize(
    ("title", "rule"),
    [
        ("Better rules", Rule("pseudo-inverse")),
        ("Dense memory", Rule("dense", 3)),
        ("Modern Hopfield: attention", Rule("modern")),
    ],
)
def test_a_better_rule_recalls_past_hebbs_capacity(title, rule):
    space = workspace()
    overload(space)
    space.picture(0)
    space.break_grid("scramble")
    mark = Mark.of(space)
    recall(space)  # Hebb: spurious
    assert not check(title, space, mark).done
    space.set_rule(rule)
    assert not check(title, space, mark).done  # switched, not recalled yet
    space.picture(0)
    space.break_grid("scramble")
    assert recall(space).startswith("recalled smile")
    assert check(title, space, mark).done


def test_dense_memory_of_degree_2_is_not_the_lesson():
    space = workspace()
    space.set_rule(Rule("dense", 2))
    space.picture(0)
    space.break_grid("scramble")
    mark = Mark.of(space)
    assert recall(space) == "recalled smile"
    assert not check("Dense memory", space, mark).done


def trained(space: Workspace, epochs: int = 300, hidden: int = 64) -> Boltzmann:
    machine = Boltzmann.new(space.network.n, hidden, seed=1)
    machine.train(np.array(space.network.patterns), epochs, seed=1)
    space.boltzmann = machine
    return machine


def test_a_machine_trained_on_four_pictures():
    space = workspace(pictures=3)
    assert not check("Hinton's Boltzmann machine", space).done
    trained(space)
    assert not check("Hinton's Boltzmann machine", space).done  # three pictures only
    space.picture(3)
    trained(space, epochs=2)
    assert not check("Hinton's Boltzmann machine", space).done  # not learned yet
    trained(space)
    assert check("Hinton's Boltzmann machine", space).done


def test_a_dream_and_a_recall_of_the_machine():
    space = workspace(pictures=4)
    machine = trained(space)
    mark = Mark.of(space)
    assert not check("Dreams", space, mark).done
    space.note_boltzmann_run("dream", "", 5.0)
    assert not check("Dreams", space, mark).done  # too hot: only noise
    space.note_boltzmann_run("dream", "", 1.0)
    assert check("Dreams", space, mark).done
    trained(space)  # a new machine: its dreams are still to come
    assert not check("Dreams", space, mark).done

    space.picture(0)  # the smiley whole: not broken
    rng = np.random.default_rng(0)
    assert not check("Recall with the machine", space, mark).done
    space.note_boltzmann_run("recall", "recalled smile", 1.0)
    assert not check("Recall with the machine", space, mark).done
    space.break_grid("wipe")
    space.note_boltzmann_run("recall", "recalled inverse of smile", 1.0)
    assert not check("Recall with the machine", space, mark).done
    grid = space.network.grid().reshape(-1)
    known = np.zeros(grid.size, dtype=bool)
    known[: grid.size // 2] = True
    *_, last = space.boltzmann.recall(grid, known, 1.0, 30, rng)
    copy = space.network.copy()
    copy.set_state(last)
    assert copy.overlaps()[0] > 0.95
    space.note_boltzmann_run("recall", "recalled smile", 1.0)
    assert check("Recall with the machine", space, mark).done
    assert machine is not space.boltzmann


def test_the_tour_moves_on_only_when_a_check_holds_and_keeps_its_step():
    space = workspace(pictures=0)
    tour = Tour()
    assert tour.index == 0 and not tour.update(space)
    space.picture(0)
    space.picture(1)
    assert not tour.update(space) and tour.index == 0
    space.picture(2)  # shows the star: a recalled state, not broken
    assert tour.update(space) and tour.index == 1
    assert not tour.update(space) and tour.index == 1
    space.break_grid("scramble")
    assert tour.update(space) and tour.index == 2
    # The next lesson wants a recall made after it began.
    assert not tour.update(space)
    assert tour.progress(space).now.startswith("no recall yet")
    recall(space)
    assert tour.update(space) and tour.index == 3
    tour.index = len(tour.lessons)
    assert tour.done and tour.lesson is None and not tour.update(space)


def test_every_lesson_is_short_and_has_an_instruction():
    assert 9 <= len(LESSONS) <= 12
    for lesson in LESSONS:
        assert lesson.title and lesson.instruction
        assert len(lesson.text) <= 240, lesson.title
        assert len(lesson.instruction) <= 90, lesson.title


# -- the numbers the lessons state ------------------------------------------------


def test_the_smiley_holds_at_t_half_and_melts_at_t_1():
    """Temperature: 20 sweeps, three pictures, from the smiley (five seeds)."""
    overlaps = {}
    for temperature in (0.5, 1.0):
        found = []
        for seed in range(5):
            space = workspace(seed)
            space.picture(0)
            space.set_temperature(temperature)
            recall(space, sweeps=20)
            found.append(space.network.overlaps()[0])
        overlaps[temperature] = float(np.mean(found))
    assert overlaps[0.5] > 0.9
    assert 0.25 < overlaps[1.0] < 0.55


def test_at_load_02_hebb_falls_into_spurious_states_and_the_better_rules_recall():
    for seed in range(3):
        for rule in (None, Rule("pseudo-inverse"), Rule("dense", 3), Rule("modern")):
            space = workspace(seed)
            overload(space, seed=seed)
            if rule is not None:
                space.set_rule(rule)
            space.picture(0)
            space.break_grid("scramble")
            ended = recall(space)
            if rule is None:
                assert ended.startswith("spurious"), ended
            else:
                assert ended.startswith("recalled smile"), (rule.label, ended)
    assert workspace(0).network.count == 3


def test_storkey_at_load_02_recalls_the_broken_smiley():
    space = workspace(0)
    overload(space, seed=0)
    space.set_rule(Rule("storkey"))
    space.picture(0)
    space.break_grid("scramble")
    assert recall(space) == "recalled smile"


def test_the_energy_never_rises_in_a_cold_hebbian_recall():
    for seed in range(5):
        space = workspace(seed)
        space.picture(0)
        space.break_grid("scramble")
        recall(space)
        energies = space.last_recall.recording.energies()
        assert np.all(np.diff(energies) <= 1e-9)


def test_dreams_at_t_1_settle_on_pictures_or_blends_and_at_t_5_are_noise():
    """Dreams: 8 machines (64 hidden units, 300 epochs, seeds 1 to 8) on four pictures,
    300 steps each; the best overlap of the last 100 samples, averaged."""
    space = workspace(pictures=4)
    patterns = np.array(space.network.patterns)
    found: dict[float, list[float]] = {1.0: [], 5.0: []}
    for seed in range(1, 9):
        machine = Boltzmann.new(space.network.n, 64, seed=seed)
        machine.train(patterns, 300, seed=seed)
        for temperature, kept in found.items():
            rng = np.random.default_rng(seed)
            samples = np.array(list(machine.dream(temperature, 300, rng))[-100:])
            overlaps = samples.astype(np.float64) @ patterns.T.astype(np.float64) / space.network.n
            kept.append(float(np.abs(overlaps).max(axis=1).mean()))
    cold, hot = np.array(found[1.0]), np.array(found[5.0])
    assert np.sum(cold > 0.95) == 2
    assert np.all((cold > 0.95) | ((cold > 0.3) & (cold < 0.65)))
    assert np.all(hot < 0.35)

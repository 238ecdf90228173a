"""Edits of the memories that make a rule learn them all again learn in a worker;
decay fades strengths to a floor, so a session stays savable."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import wait_for_jobs
from tui_hopfield.model import Network
from tui_hopfield.model.imprints import MIN_FADED, faded
from tui_hopfield.model.noise import random_spins
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.store import Session, load, save
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.memory_actions import BACKGROUND_COST
from tui_hopfield.ui.memory_list import MemoryList
from tui_hopfield.ui.prompts import ConfirmPrompt


@given(
    st.lists(st.floats(1e-300, 1e6), min_size=1, max_size=6),
    st.floats(1e-300, 1.0),
    st.integers(1, 400),
)
@settings(max_examples=60, deadline=None)
def test_fading_k_times_in_turn_is_fading_once_by_the_kth_power(strengths, factor, k):
    start = np.asarray(strengths)
    turn = start
    for _ in range(k):
        turn = faded(turn, factor)
    assert np.all(turn > 0) and np.all(turn <= start)
    assert np.all(turn >= np.minimum(start, MIN_FADED))
    assert np.allclose(turn, faded(start, factor**k), rtol=1e-9, atol=0)


def test_a_tiny_decay_leaves_every_memory_at_the_floor_and_the_session_savable(tmp_path):
    rng = np.random.default_rng(3)
    network = Network(8, 8)
    network.decay = 1e-40
    for k in range(12):
        network.imprint(random_spins(64, rng), f"p{k}")
    network.imprint_many(
        np.array([random_spins(64, rng) for _ in range(300)]), [f"r{k}" for k in range(300)]
    )
    assert network.strengths.min() == MIN_FADED and network.strengths[-1] == 1.0
    network.decay_all(1e-300)
    assert np.all(network.strengths >= MIN_FADED)
    path = tmp_path / "faded.hopfield"
    save(Session.of(network), path)
    assert np.array_equal(load(path).strengths, network.strengths)


def storkey_network(count: int, side: int = 16) -> Network:
    network = Network(side, side, Rule("storkey"))
    rng = np.random.default_rng(5)
    network.imprint_many(
        np.array([random_spins(side * side, rng) for _ in range(count)]),
        [f"m{k}" for k in range(count)],
    )
    return network


def test_a_copy_that_made_the_same_edit_hands_over_what_it_learned():
    network = storkey_network(6)
    network.learn()
    edited = network.copy()
    edited.reinforce(2, 1.5)
    edited.prepare()
    network.reinforce(2, 1.5)
    assert network.adopt_learned(edited)
    fresh = storkey_network(6)
    fresh.reinforce(2, 1.5)
    assert np.allclose(network.fields(), fresh.fields())
    assert network.energy() == pytest.approx(fresh.energy())


def test_a_copy_that_learned_something_else_is_refused():
    network = storkey_network(6)
    other = network.copy()
    other.reinforce(1, 1.0)
    other.prepare()
    network.reinforce(2, 1.0)  # the same revision, other strengths
    assert not network.adopt_learned(other)
    fresh = storkey_network(6)
    fresh.reinforce(2, 1.0)
    assert np.allclose(network.fields(), fresh.fields())  # learned here, when asked


@pytest.mark.parametrize("action", ["reinforce", "forget"])
async def test_reinforcing_or_forgetting_under_storkey_learns_off_the_event_loop(
    action, monkeypatch
):
    app = HopfieldApp(32, 32, seed=1)
    count = 30
    assert Rule("storkey").learning_cost(1024, count) > BACKGROUND_COST
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        rng = np.random.default_rng(2)
        patterns = np.array([random_spins(1024, rng) for _ in range(count)])
        app.network.imprint_many(patterns, [f"m{k}" for k in range(count)])
        screen._set_rule(Rule("storkey"))
        await wait_for_jobs(pilot)
        network = app.network
        assert network.rule.name == "storkey" and not network._stale
        on_loop = []
        learn = Rule.learn

        def recorded(rule, *args, **kwargs):
            on_loop.append(threading.current_thread() is threading.main_thread())
            return learn(rule, *args, **kwargs)

        monkeypatch.setattr(Rule, "learn", recorded)
        name = network.names[3]
        kinds = []
        start_job = screen._start_job

        def recorded_job(kind, *args):
            kinds.append(kind)
            return start_job(kind, *args)

        monkeypatch.setattr(screen, "_start_job", recorded_job)
        screen.post_message(MemoryList.Action(3, action, times=2.0, memory=name))
        if action == "forget":  # forgetting asks first
            for _ in range(100):
                await pilot.pause()
                if isinstance(app.screen, ConfirmPrompt) and app.screen.is_mounted:
                    break
            await pilot.press("y")
        for _ in range(1000):  # the message handled, the job started and landed
            await pilot.pause()
            await wait_for_jobs(pilot)
            if kinds and screen.running is None:
                break
        assert kinds == ["memory"] and screen.running is None
        if action == "reinforce":
            assert network.count == count and network.strengths[3] == 3.0
        else:
            assert network.count == count - 1 and name not in network.names
        assert on_loop == [False]  # learned once, in the worker
        network.energy(), network.fields()  # the screen asks: nothing left to learn
        assert on_loop == [False]
        reference = Network(32, 32, Rule("storkey"))
        reference.imprint_many(network.patterns, network.names, network.strengths)
        assert np.allclose(network.fields(), reference.fields())

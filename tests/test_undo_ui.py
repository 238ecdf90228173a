"""Undo and redo on the main screen: keys, messages, recall and jobs, heavy re-learning."""

from __future__ import annotations

import threading

import numpy as np

from tests.conftest import cell_of, wait_for_jobs
from tui_hopfield.model import Network
from tui_hopfield.model.noise import random_spins
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.store import save
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.learning_prompt import Learning
from tui_hopfield.ui.memory_actions import BACKGROUND_COST
from tui_hopfield.ui.memory_list import MemoryList
from tui_hopfield.ui.prompts import ConfirmPrompt, NumberPrompt


def messages(app: HopfieldApp) -> list[str]:
    """Every notification shown so far, as text."""
    return [str(note.message) for note in app._notifications]


async def test_u_undoes_an_imprint_and_ctrl_y_redoes_it():
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        name = app.network.names[0]
        shown = app.network.state.copy()
        assert app.network.count == 1
        await pilot.press("u")
        await pilot.pause()
        assert app.network.count == 0
        assert (app.network.state == -1).all()  # the grid before the picture was shown
        assert f"Undid: imprint {name}." in messages(app)
        assert app.magnets.memories == 0
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.network.names == (name,)
        assert np.array_equal(app.network.state, shown)
        assert f"Redid: imprint {name}." in messages(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.network.count == 0


async def test_nothing_to_undo_or_redo_says_so():
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("u")
        await pilot.pause()
        assert "Nothing to undo." in messages(app)
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert "Nothing to redo." in messages(app)


async def test_a_mouse_stroke_is_undone_in_one_step():
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        await pilot.press("c")
        await pilot.pause()
        for row in (4, 10):  # two strokes
            await pilot.mouse_down("#grid", offset=cell_of(screen, row, 2))
            for col in range(3, 12):
                await pilot.hover("#grid", offset=cell_of(screen, row, col))
            await pilot.mouse_up("#grid", offset=cell_of(screen, row, 11))
            await pilot.pause()
            if row == 4:
                first = app.network.state.copy()
        assert int((first == 1).sum()) >= 10
        await pilot.press("u")
        await pilot.pause()
        assert np.array_equal(app.network.state, first)  # the second stroke, all of it
        assert "Undid: brush stroke." in messages(app)
        await pilot.press("u")
        await pilot.pause()
        assert (app.network.state == -1).all()


async def test_undo_during_a_recall_stops_it_and_restores_the_grid_before_it():
    app = HopfieldApp(32, 32, seed=2)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        await pilot.press("1", "f")
        await pilot.pause()
        broken = app.network.state.copy()
        screen.speed_index = 0  # one flip a second: still running when undo comes
        await pilot.press("r")
        for _ in range(200):
            await pilot.pause(0.05)
            if not np.array_equal(app.network.state, broken):
                break
        assert screen.recalling
        assert not np.array_equal(app.network.state, broken)
        await pilot.press("u")
        await pilot.pause()
        assert not screen.recalling
        assert np.array_equal(app.network.state, broken)
        assert "Undid: recall." in messages(app)
        await pilot.press("u")  # then the break
        await pilot.pause()
        assert np.array_equal(app.network.state, app.pictures[0].spins.reshape(-1))


async def test_undo_waits_for_a_job_and_says_so(monkeypatch):
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        await pilot.press("1")
        await pilot.pause()
        release = threading.Event()

        def work(steps):
            release.wait(30)
            return None

        screen._start_job("save", "saving x", work, lambda result: None, "Not saved")
        await pilot.press("u")
        await pilot.pause()
        assert app.network.count == 1  # not undone
        assert any(text.startswith("Undoing waits for the work") for text in messages(app))
        release.set()
        await wait_for_jobs(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert app.network.count == 0


async def test_undoing_a_rule_and_the_mode_from_the_keys():
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2")
        await pilot.pause()
        screen._set_rule(Rule("dense", 4))
        await wait_for_jobs(pilot)
        assert app.network.rule == Rule("dense", 4)
        await pilot.press("m")
        await pilot.pause()
        assert screen.mode == "sync"
        await pilot.press("u")
        await pilot.pause()
        assert screen.mode == "async"
        await pilot.press("u")
        await pilot.pause()
        assert app.network.rule == Rule("hebbian")
        assert "hebbian" in str(screen.learning_text.content)
        assert any(text.startswith("Undid: learning dense n=4") for text in messages(app))


async def test_undoing_a_forget_under_storkey_learns_in_a_worker(monkeypatch):
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
        name = network.names[3]
        screen.post_message(MemoryList.Action(3, "forget", memory=name))
        for _ in range(100):  # forgetting one memory asks first
            await pilot.pause()
            if isinstance(app.screen, ConfirmPrompt) and app.screen.is_mounted:
                break
        await pilot.press("y")
        for _ in range(1000):
            await pilot.pause()
            await wait_for_jobs(pilot)
            if network.count == count - 1 and screen.running is None:
                break
        assert name not in network.names
        on_loop = []
        learn = Rule.learn

        def recorded(rule, *args, **kwargs):
            on_loop.append(threading.current_thread() is threading.main_thread())
            return learn(rule, *args, **kwargs)

        monkeypatch.setattr(Rule, "learn", recorded)
        kinds = []
        start_job = screen._start_job

        def recorded_job(kind, *args):
            kinds.append(kind)
            return start_job(kind, *args)

        monkeypatch.setattr(screen, "_start_job", recorded_job)
        await pilot.press("u")
        for _ in range(1000):
            await pilot.pause()
            await wait_for_jobs(pilot)
            if kinds and screen.running is None:
                break
        assert kinds == ["undo"]
        assert network.count == count and network.names[3] == name
        assert np.array_equal(network.patterns, patterns)
        assert on_loop == [False]  # learned once, in the worker
        network.energy(), network.fields()  # nothing left to learn on the event loop
        assert on_loop == [False]
        reference = Network(32, 32, Rule("storkey"))
        reference.imprint_many(patterns, [f"m{k}" for k in range(count)])
        reference.set_state(network.state)
        assert np.allclose(network.landscape.weights, reference.landscape.weights, atol=1e-6)
        assert f"Undid: forget {name}." in messages(app)


async def test_an_overload_is_one_step_and_undo_takes_its_memories_off():
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        await pilot.press("1")
        await pilot.pause()
        patterns = app.network.patterns.copy()
        screen.action_overload()
        await pilot.pause()
        assert isinstance(app.screen, NumberPrompt)
        await pilot.press("enter")  # the offered 0.3
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.network.count == round(0.3 * 1024)
        await pilot.press("u")
        await pilot.pause()
        assert np.array_equal(app.network.patterns, patterns)
        assert any(text.startswith("Undid: overload 306 random") for text in messages(app))
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.network.count == round(0.3 * 1024)


async def test_the_learning_dialog_s_choices_are_one_step():
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2")
        await pilot.pause()
        steps = len(screen.workspace.history.undo_steps)
        screen.apply_learning(Learning(Rule("dense", 3), "sync", 0.9, 0.5))
        await wait_for_jobs(pilot)
        assert screen.learning == Learning(Rule("dense", 3), "sync", 0.9, 0.5)
        assert len(screen.workspace.history.undo_steps) == steps + 1
        await pilot.press("u")
        await pilot.pause()
        assert screen.learning == Learning(Rule("hebbian"), "async", 1.0, 0.0)
        assert app.network.count == 2  # the imprints stay


async def test_opening_a_session_starts_a_new_history(tmp_path):
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2")
        await pilot.pause()
        path = save(screen.workspace.session(), tmp_path / "two.hopfield")
        assert screen.open_from(path) is not None
        await wait_for_jobs(pilot)
        assert app.network is not None and app.network.count == 2
        await pilot.press("u")
        await pilot.pause()
        assert "Nothing to undo." in messages(app)
        assert app.network.count == 2


async def test_a_name_that_looks_like_markup_is_said_as_it_is():
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        spins = np.where(np.arange(256) % 3, 1, -1).astype(np.int8).reshape(16, 16)
        app.magnets._imprint_chosen((spins, "[b]bold[/b]"))
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert "Undid: imprint [b]bold[/b]." in messages(app)


async def test_a_keyboard_brush_stroke_is_one_step_and_a_toggle_another():
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "right", "right", "right")  # the brush paints four spins
        await pilot.pause()
        brushed = app.network.state.copy()
        assert int((brushed == 1).sum()) == 4
        await pilot.press("down", "space")  # a toggle while the brush is down: its own step
        await pilot.press("right")  # the brush goes on: a step after the toggle's
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert messages(app)[-1] == "Undid: brush stroke."
        await pilot.press("u")
        await pilot.pause()
        assert messages(app)[-1] == "Undid: toggle."
        await pilot.press("u")
        await pilot.pause()
        assert (app.network.state == -1).all()  # the whole brush stroke, down move included
        assert "Undid: brush stroke." in messages(app)

"""Pilot tests: learning rules, update modes, the modern network, plasticity, overload."""

from __future__ import annotations

import numpy as np

from tests.conftest import finish_recall, set_instant, wait_for_jobs
from tui_hopfield.model import Network
from tui_hopfield.model.rules import Rule
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.learning_prompt import LearningPrompt
from tui_hopfield.ui.prompts import NumberPrompt
from tui_hopfield.ui.status_bar import StatusBar


def status_text(pilot) -> str:
    return str(pilot.app.screen.query_one(StatusBar).render())


async def choose(pilot, selector: str, value: str) -> None:
    """Pick ``value`` in the Select ``selector`` of the learning dialog."""
    from textual.widgets import Select

    pilot.app.screen.query_one(selector, Select).value = value
    await pilot.pause()


async def test_the_learning_dialog_switches_the_rule_and_relearns(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2")
        hebb = app.network.energy()
        await pilot.press("ctrl+l")
        assert isinstance(pilot.app.screen, LearningPrompt)
        await choose(pilot, "#rule", "dense")
        assert pilot.app.screen.query_one("#degree-field").display
        assert not pilot.app.screen.query_one("#beta-field").display
        await choose(pilot, "#degree", "4")
        await pilot.click("#apply")
        await wait_for_jobs(pilot)
        screen = pilot.app.screen
        assert app.network.rule == Rule("dense", 4)
        assert app.network.energy() != hebb
        assert screen.energy == app.network.energy()
        assert "dense n=4 async" in status_text(pilot)
        assert "dense n=4" in str(screen.learning_text.render())


async def test_bad_settings_in_the_dialog_are_refused_and_change_nothing(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+l")
        dialog = pilot.app.screen
        dialog.query_one("#decay").value = "2"
        await pilot.click("#apply")
        await pilot.pause()
        assert pilot.app.screen is dialog
        assert "decay must be from 0 to 1" in str(dialog.query_one("#error").render())
        await pilot.press("escape")
        assert app.network.decay == 1.0 and app.network.rule == Rule()


async def test_storkey_on_a_grid_too_large_is_refused_with_a_message():
    app = HopfieldApp(128, 128, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        pilot.app.screen.apply_learning(
            pilot.app.screen.learning.__class__(Rule("storkey"), "async", 1.0, 0.0)
        )
        await pilot.pause()
        assert app.network.rule == Rule("hebbian")
        assert any("budget" in n.message for n in pilot.app._notifications)


async def test_sync_mode_counts_steps_and_names_a_two_cycle():
    app = HopfieldApp(4, 4, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        pattern = np.tile([1, -1], 8)
        app.network.imprint(pattern, "stripes")
        app.network.set_state(np.ones(16))  # each spin's field points the other way
        screen.grid.refresh_all()
        await pilot.press("m")
        assert screen.mode == "sync"
        set_instant(screen)
        screen.action_recall()
        await finish_recall(pilot)
        assert screen.state == "2-cycle after 2 steps"
        assert "2 steps" in str(screen.trace_title.render())
        assert "sync" in status_text(pilot)


async def test_sync_mode_recalls_a_picture_and_says_in_how_many_steps(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        await pilot.press("1", "2", "3", "m")
        app.network.set_state(app.network.patterns[0])
        await pilot.press("f")  # flip 20 %
        set_instant(screen)
        screen.action_recall()
        await finish_recall(pilot)
        assert screen.state.startswith("recalled smile in ")
        assert screen.state.endswith("step") or screen.state.endswith("steps")


async def test_the_modern_network_shows_shades_and_beta_and_takes_one_step(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        await pilot.press("1", "2", "3")
        screen.apply_learning(screen.learning.__class__(Rule("modern", beta=60.0), "async", 1, 0))
        await wait_for_jobs(pilot)
        assert screen.query_one("#beta-setting").display
        assert "modern \u03b2=60" in status_text(pilot)
        app.network.set_state(app.network.patterns[1])
        await pilot.press("w")  # wipe the bottom half
        set_instant(screen)
        screen.action_recall()
        await finish_recall(pilot)
        assert screen.state == "recalled heart in 1 step"
        assert app.network.values is not None
        assert screen.grid.values is not None  # the grid shows the continuous state
        await pilot.press("c")  # any edit goes back to plain spins
        assert app.network.values is None and screen.grid.values is None


async def test_the_beta_slider_changes_the_modern_rule(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        screen.apply_learning(screen.learning.__class__(Rule("modern", beta=40.0), "async", 1, 0))
        await pilot.pause()
        screen.beta_slider.focus()
        await pilot.press("right", "right")
        assert app.network.rule == Rule("modern", beta=42.0)


async def test_learning_from_use_strengthens_the_recalled_memory(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        await pilot.press("1", "2")
        app.network.use_boost = 0.5
        app.network.set_state(app.network.patterns[0])
        await pilot.press("f")
        set_instant(screen)
        screen.action_recall()
        await finish_recall(pilot)
        assert screen.state == "recalled smile"
        assert app.network.strengths.tolist() == [1.5, 1.0]


async def test_overload_imprints_random_memories_up_to_the_load(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        await pilot.press("1", "o")
        assert isinstance(pilot.app.screen, NumberPrompt)
        await pilot.press("enter")  # the offered 0.3
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.network.count == round(0.3 * 1024)
        assert app.network.names[1] == "random"
        assert "over capacity" in status_text(pilot)
        # The classic network cannot bring the smile back; the dense one can.
        app.network.set_state(app.network.patterns[0])
        await pilot.press("f")
        set_instant(screen)
        screen.action_recall()
        await finish_recall(pilot, timeout=60)
        assert not screen.state.startswith("recalled smile")
        screen.apply_learning(screen.learning.__class__(Rule("dense", 3), "async", 1, 0))
        await wait_for_jobs(pilot)
        app.network.set_state(app.network.patterns[0])
        await pilot.press("f")
        screen.action_recall()
        await finish_recall(pilot, timeout=60)
        assert screen.state == "recalled smile"


async def test_overload_refuses_more_memories_than_the_grid_may_hold():
    app = HopfieldApp(256, 256, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        dialog = pilot.app.screen
        assert isinstance(dialog, NumberPrompt)
        assert dialog.query_one("#number").value == "0.25"  # the most it holds, not 0.3
        assert "a load of 0.250 at most" in dialog.hint
        dialog.query_one("#number").value = "0.3"  # 19,661 memories, 2.4 GiB
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.network.count == 0
        assert any("at most 16,384" in str(n.message) for n in pilot.app._notifications)


async def test_a_big_overload_says_it_is_working_in_the_status_bar():
    app = HopfieldApp(128, 128, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        states = []
        landing = screen._overloaded

        def land(*args):
            states.append(screen.state)  # what the status bar said while it was built
            landing(*args)

        screen._overloaded = land
        await pilot.press("o")
        pilot.app.screen.query_one("#number").value = "0.1"
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert states == ["overloading\u2026"]
        assert app.network.count == round(0.1 * 128 * 128)
        assert screen.state == "drawing"


async def test_an_overload_that_runs_out_of_memory_says_so_and_changes_nothing(app, monkeypatch):
    from tui_hopfield.model import overload

    def no_room(count, n, rng):
        raise MemoryError("no room for the random patterns")

    monkeypatch.setattr(overload, "random_patterns", no_room)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        await pilot.press("1", "o", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.network.count == 1 and screen.state == "recalled smile"
        assert any("no room" in str(n.message) for n in pilot.app._notifications)


async def test_an_overload_built_while_the_grid_moved_on_is_dropped_or_follows_it(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        await pilot.press("1")
        network = app.network

        def built(added: int) -> tuple[tuple[int, np.ndarray], Network]:
            start = (network.revision, network.state.copy())
            overloaded = network.copy()
            patterns = np.tile(np.array([1, -1], dtype=np.int8), (added, 512))
            overloaded.imprint_many(patterns, overloaded.unique_names("random", added))
            return start, overloaded

        start, overloaded = built(5)
        screen._overloaded(network, start, overloaded, screen._overload_token + 1)  # stale
        screen._overloaded(Network(32, 32), start, overloaded, screen._overload_token)
        assert app.network is network and network.count == 1
        await pilot.pause()
        assert any("Another session" in str(n.message) for n in pilot.app._notifications)
        await pilot.press("2")  # a memory came meanwhile: the built copy lacks it
        screen._overloaded(network, start, overloaded, screen._overload_token)
        assert app.network is network and network.count == 2
        await pilot.pause()
        assert any("none were added" in str(n.message) for n in pilot.app._notifications)
        start, overloaded = built(5)
        network.set_spin(0, -network.state[0])  # drawn on meanwhile: the copy takes the grid
        screen._overloaded(network, start, overloaded, screen._overload_token)
        assert app.network is overloaded and overloaded.count == 7
        assert np.array_equal(overloaded.state, network.state)
        assert np.array_equal(
            overloaded.overlaps(), overloaded.patterns.astype(int) @ network.state / 1024
        )
        assert screen.grid.spins.reshape(-1).tolist() == network.state.tolist()


async def test_overload_refuses_a_load_out_of_range(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        dialog = pilot.app.screen
        dialog.query_one("#number").value = "7"
        await pilot.press("enter")
        assert pilot.app.screen is dialog
        assert "from 0 to 1" in str(dialog.query_one("#error").render())
        await pilot.press("escape")
        assert app.network.count == 0


async def test_ctrl_e_opens_the_lab_and_escape_comes_back(app):
    from tui_hopfield.ui.lab_screen import LabScreen
    from tui_hopfield.ui.magnets_screen import MagnetsScreen

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+e")  # its first opening: the notice, then the lab
        for _ in range(1200):
            if isinstance(pilot.app.screen, LabScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(pilot.app.screen, LabScreen)
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, MagnetsScreen)

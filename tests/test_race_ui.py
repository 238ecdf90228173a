"""The recall race on screen: the README's case, Hebb against dense n=3 past capacity."""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import Select

from tests.conftest import set_instant
from tui_hopfield.model.dynamics import Asynchronous
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.prompts import NumberPrompt
from tui_hopfield.ui.race_screen import RacePrompt, RacerView, RaceScreen


async def overloaded_smile(pilot, app) -> None:
    """Picture 1, overload at the offered load, flip 20 %: the README's case."""
    await pilot.press("1", "o")
    assert isinstance(app.screen, NumberPrompt)
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.network.count > 300
    await pilot.press("f")
    await pilot.pause()


async def race_to_the_end(pilot, app) -> RaceScreen:
    """Open the race with the dialog's racers (the current rule against dense n=3)."""
    await pilot.press("ctrl+r")
    assert isinstance(app.screen, RacePrompt)
    await pilot.press("enter")  # Race has the focus
    for _ in range(2000):
        await pilot.pause()
        screen = app.screen
        if isinstance(screen, RaceScreen) and screen.race is not None and screen.race.done:
            break
    screen = app.screen
    assert isinstance(screen, RaceScreen) and screen.race is not None and screen.race.done
    for _ in range(20):
        await pilot.pause()
    return screen


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_hebb_ends_spurious_while_dense_brings_the_smile_back(seed):
    app = HopfieldApp(32, 32, seed=seed, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        set_instant(app.screen)
        await overloaded_smile(pilot, app)
        cue = app.network.state.copy()
        screen = await race_to_the_end(pilot, app)
        hebb, dense = screen.race.racers
        assert hebb.entrant.label == "hebbian \u00b7 async"
        assert dense.entrant.label == "dense n=3 \u00b7 async"
        assert hebb.result.state.startswith("spurious")
        assert dense.result.state == "recalled smile"
        # The Hebbian racer ended where a plain recall of the cue with the race's seed ends.
        alone = app.network.copy()
        alone.set_state(cue)
        for _ in Asynchronous(alone, np.random.default_rng(screen.seed)).events():
            pass
        np.testing.assert_array_equal(hebb.network.state, alone.state)
        views = list(screen.query(RacerView))
        assert len(views) == 2
        texts = [str(view.result.render()) for view in views]
        assert texts[0].startswith("spurious") and "sweep" in texts[0] and "energy" in texts[0]
        assert texts[1].startswith("recalled smile")
        np.testing.assert_array_equal(app.network.state, cue)  # the main grid is untouched
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RaceScreen)


async def test_four_racers_fit_80x24_in_a_2x2():
    app = HopfieldApp(16, 16, seed=4, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        set_instant(app.screen)
        await pilot.press("1", "2", "3", "b")
        await pilot.press("ctrl+r")
        prompt = app.screen
        assert isinstance(prompt, RacePrompt)
        prompt.query_one("#rule-3", Select).value = "modern \u03b2=20"
        prompt.query_one("#rule-4", Select).value = "hebbian"
        prompt.query_one("#mode-4", Select).value = "sync"
        await pilot.pause()
        await pilot.click("#race")
        for _ in range(2000):
            await pilot.pause()
            screen = app.screen
            if isinstance(screen, RaceScreen) and screen.race is not None and screen.race.done:
                break
        screen = app.screen
        assert isinstance(screen, RaceScreen) and screen.race.done
        views = list(screen.query(RacerView))
        assert [view.racer.entrant.label for view in views] == [
            "hebbian \u00b7 async",
            "dense n=3 \u00b7 async",
            "modern \u03b2=20",
            "hebbian \u00b7 sync",
        ]
        regions = [view.region for view in views]
        assert regions[0].y == regions[1].y < regions[2].y == regions[3].y
        for view in views:
            assert view.region.right <= 80 and view.region.bottom <= 24
            assert view.picture.size.height >= 2 and view.picture.size.width >= 4
            assert view.racer.result is not None


async def test_a_rule_the_grid_refuses_is_said_and_the_main_grid_stays():
    app = HopfieldApp(96, 96, seed=2, autosave=False)  # 9,216 spins: past Storkey's budget
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2", "b")
        cue = app.network.state.copy()
        await pilot.press("ctrl+r")
        prompt = app.screen
        assert isinstance(prompt, RacePrompt)
        prompt.query_one("#rule-2", Select).value = "storkey"
        await pilot.pause()
        await pilot.click("#race")
        for _ in range(500):
            await pilot.pause()
            if any("Storkey" in str(n.message) for n in app._notifications):
                break
        screen = app.screen
        assert isinstance(screen, RaceScreen) and screen.race is None
        assert any("Storkey" in str(n.message) for n in app._notifications)
        assert "no race" in str(screen.title_line.render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RaceScreen)
        np.testing.assert_array_equal(app.network.state, cue)

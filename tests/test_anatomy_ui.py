"""The README's demo, overloaded at 32x32: the spurious state's anatomy is shown."""

from __future__ import annotations

from tests.conftest import finish_recall, set_instant
from tui_hopfield.model.anatomy import anatomy
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.message_line import MessageLine
from tui_hopfield.ui.prompts import NumberPrompt
from tui_hopfield.ui.status_bar import StatusBar


async def test_an_overloaded_recall_names_what_its_spurious_state_is_made_of():
    app = HopfieldApp(32, 32, seed=1, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        set_instant(screen)
        await pilot.press("1", "o")  # the smiley, then overload at the offered load
        assert isinstance(app.screen, NumberPrompt)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.network.count > 300
        await pilot.press("f", "r")  # flip 20 %, recall
        await finish_recall(pilot, timeout=120)
        expected = anatomy(app.network)  # the model's own verdict on the grid it ended at
        assert screen.state == f"spurious: {expected.label}"
        assert "mixture" in screen.state and (
            "overlap" in screen.state or "spin-glass" in screen.state
        )
        for _ in range(50):  # the message line says the nearest mixture and its overlap
            await pilot.pause()
            if "Spurious" in screen.query_one(MessageLine).text:
                break
        line = screen.query_one(MessageLine).text
        assert expected.best is not None and expected.best.formula in line
        assert f"{expected.best.overlap:.2f}" in line
        assert "spurious" in screen.query_one(StatusBar).render().plain

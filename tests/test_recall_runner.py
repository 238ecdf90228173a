"""The recall on screen follows the workspace: an edit made there alone stops it too."""

from __future__ import annotations

from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.magnets_screen import SPEEDS


def recall_workers(pilot) -> list:
    """The recall workers still running."""
    return [w for w in pilot.app.workers if w.group == "recall" and not w.is_finished]


async def test_an_edit_of_the_workspace_alone_ends_the_recall_on_screen():
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.magnets
        await pilot.press("1", "b")
        screen.speed_index = SPEEDS.index(1)  # one flip a second: still running when we edit
        await pilot.press("r")
        assert screen.recalling and recall_workers(pilot)
        screen.workspace.clear()  # not through the screen: no worker is cancelled by hand
        for _ in range(200):
            if not recall_workers(pilot):
                break
            await pilot.pause(0.02)
        assert not recall_workers(pilot)
        assert str(screen.query_one("#recall").label) == "r recall"
        assert "stopped after" in str(screen.trace_title.render())
        assert not screen.recalling


async def test_the_status_bar_shows_the_workspace_snapshot():
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = app.magnets
        await pilot.press("1", "m", "right_square_bracket")
        shown = screen.snapshot
        assert shown == screen.workspace.snapshot()
        assert (shown.memories, shown.state, shown.mode, shown.temperature) == (
            1,
            "recalled smile",
            "sync",
            0.05,
        )
        bar = screen.query_one("StatusBar")
        assert bar.snapshot == shown
        text = bar.render().plain
        assert "memories 1" in text and "recalled smile" in text and "sync" in text

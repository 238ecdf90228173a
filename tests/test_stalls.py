"""What keeps the event loop short around heavy work: nothing repaints more than it changed.

At 256x256 a repaint of the whole screen, or a new layout of it, takes tens of
milliseconds (``benchmarks/stalls.py``); these tests hold the app to repainting
only what changed, whatever the machine's speed.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import wait_for_jobs
from tui_hopfield.model.patterns import library
from tui_hopfield.model.rules import Rule
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.learning_prompt import Learning
from tui_hopfield.ui.magnets_screen import MagnetsScreen
from tui_hopfield.ui.status_bar import StatusBar


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    """Keep every test's sessions in its own folder."""
    monkeypatch.setenv("TUI_HOPFIELD_DATA", str(tmp_path / "data"))


def counted(monkeypatch, owner: object, name: str) -> list[tuple]:
    """Record each call of ``owner.name`` (its arguments) and still make it."""
    calls: list[tuple] = []
    real = getattr(owner, name)

    def counting(*args, **kwargs):
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


async def test_a_status_change_repaints_the_status_bar_not_the_whole_screen(monkeypatch):
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.magnets
        repaints = counted(monkeypatch, MagnetsScreen, "refresh")
        screen.snapshot = replace(
            screen.snapshot,
            job="saving big.hopfield 42%",
            energy=-12.5,
            memories=3,
            load=0.25,
            state="drawing",
        )
        bar = screen.query_one(StatusBar)
        for _ in range(20):
            await pilot.pause()
            if "saving big.hopfield 42%" in bar.render().plain:
                break
        text = bar.render().plain
        assert "saving big.hopfield 42%" in text and "memories 3" in text and "0.250" in text
        assert repaints == []


async def test_a_swapped_in_network_leaves_the_board_and_the_learning_label_alone(monkeypatch):
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.magnets
        for picture in library(32, 32)[:3]:
            screen.network.imprint(picture.spins, picture.name)
        screen.replace_network(screen.network)
        await pilot.pause()
        board = screen.query_one("#board")
        title, subtitle = board.border_title, board.border_subtitle
        board_repaints = counted(monkeypatch, board, "refresh")
        label_updates = counted(monkeypatch, screen.learning_text, "update")
        # The same learning again: nothing to learn, nothing shown changes.
        screen.apply_learning(screen.learning)
        # A new network of the same size and memories, as a re-learned rule swaps in.
        screen.replace_network(screen.network.copy())
        await pilot.pause()
        assert (board.border_title, board.border_subtitle) == (title, subtitle)
        assert board_repaints == [] and label_updates == []
        # A new rule does change the label, once it is learned.
        screen.apply_learning(Learning(Rule("dense", 3), screen.mode, 1.0, 0.0))
        await wait_for_jobs(pilot)
        assert screen.network.rule == Rule("dense", 3)
        assert "dense n=3" in str(screen.learning_text.content)
        assert board_repaints == [] and len(label_updates) == 1

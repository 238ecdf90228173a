"""A seeded fuzz of the real app: random keys, clicks, drags and resizes while recalls run.

The seeds and the length come from the environment, so a long hunt needs no edit::

    FUZZ_SEEDS=1,2,3 FUZZ_STEPS=6000 pytest tests/test_fuzz.py -s

The defaults (one seed, 3,000 events) are what CI can afford.
"""

from __future__ import annotations

import asyncio
import os
import random
import time

import numpy as np
import pytest
from textual import events

from tests.conftest import Terminal, wait_for_jobs
from tui_hopfield.model import Network
from tui_hopfield.model.store import Session, save
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.magnets_screen import MagnetsScreen


def _seeds(text: str | None) -> list[int]:
    """``FUZZ_SEEDS``: whole numbers separated by commas (default: the project's seed)."""
    if not text or not text.strip():
        return [20261124]
    return [int(part) for part in text.split(",") if part.strip()]


SEEDS = _seeds(os.environ.get("FUZZ_SEEDS"))
"""The seeds to run, one test each."""
STEPS = int(os.environ.get("FUZZ_STEPS") or 3000)
"""User actions per run."""

KEYS = [
    *"0123456789",
    *"ibrcxfwvtFegnshjklmyq",
    "r", "r", "r", "b", "1", "2", "3",  # recall and its triggers more often
    "plus", "minus", "left_square_bracket", "right_square_bracket", "question_mark",
    "space", "up", "down", "left", "right", "tab", "shift+tab", "enter", "escape",
    "home", "end", "pageup", "pagedown", "ctrl+s", "ctrl+o", "backspace", "a", "z", "slash",
    # every screen and dialog: rule, overload, image file, words, lab (run, stop), palette, quit
    "ctrl+l", "o", "p", "ctrl+t", "ctrl+e", "ctrl+r", "ctrl+x", "ctrl+p", "ctrl+p", "ctrl+q",
    "pageup", "pagedown", "pageup", "pagedown",  # page keys: panel, sliders, palette lists
    "f1", "f1",  # a dialog's own help, over it
]  # fmt: skip
"""Keys a frantic user presses; quitting is counted, not done (see ``exits``)."""


def check_invariants(app: HopfieldApp) -> None:
    """The model is whole: spins +-1, memories consistent, energy as from scratch."""
    network = app.network
    state = network.state
    assert state.dtype == np.int8 and state.shape == (network.n,)
    assert np.all((state == 1) | (state == -1))
    count = network.count
    assert len(network.names) == count == network.patterns.shape[0] == network.strengths.size
    assert len(set(network.names)) == count
    assert np.all(np.isfinite(network.strengths)) and np.all(network.strengths > 0)
    xi = network.patterns.astype(np.float64)
    w = (xi.T * network.strengths) @ xi.copy() / network.n
    np.fill_diagonal(w, 0.0)
    s = state.astype(np.float64)
    assert network.energy() == pytest.approx(-0.5 * s @ w @ s, abs=1e-6)
    assert np.allclose(network.overlaps(), xi @ s / network.n)
    assert np.allclose(network.fields(), w @ s)
    grid = app.magnets.grid
    assert np.shares_memory(grid.spins, network.state)


SCREENS = (
    "ConfirmPrompt", "HelpScreen", "LabScreen", "LearningPrompt", "MemoryMenu",
    "NumberPrompt", "Palette", "PathPrompt", "PicturePrompt", "RecoveryPrompt", "TextPrompt",
    "UnsavedPrompt",
)  # fmt: skip
"""Screens and dialogs the fuzz must have seen on top at least once (the seen ones are
printed). Those chance has not found yet are opened on purpose (``OPENERS``), one at a
time when the main screen is next on top, every 250 events, without drawing on the rng."""
OPENERS = {
    "MemoryMenu": "enter", "NumberPrompt": "o", "LearningPrompt": "ctrl+l",
    "TextPrompt": "ctrl+t", "PicturePrompt": "p", "PathPrompt": "ctrl+o", "LabScreen": "ctrl+e",
    "HelpScreen": "question_mark", "Palette": "ctrl+p", "ConfirmPrompt": "ctrl+f",
    "UnsavedPrompt": "ctrl+q",
}  # fmt: skip
"""The key that opens each dialog from the main screen (the memory menu: the panel, enter)."""


@pytest.mark.parametrize("seed", SEEDS)
async def test_fuzz_keys_clicks_drags_and_resizes(seed, tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_HOPFIELD_DATA", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # typed relative paths land here, not in the repository
    rng = random.Random(seed)
    # A crash's session waits in the data folder: the fuzz starts in the question about it.
    crashed = Network(8, 8)
    crashed.imprint(np.ones(64, dtype=np.int8), "crashed")
    save(Session.of(crashed), tmp_path / "recovery.hopfield")
    app = HopfieldApp(seed=seed, offer_recovery=True)
    terminal = Terminal(app)
    width, height = 80, 24
    counts = {"key": 0, "click": 0, "drag": 0, "resize": 0, "recalls": 0, "cancelled": 0}
    counts["exits"] = 0
    seen: set[str] = set()

    def exit_counted(*args, **kwargs) -> None:
        # Quitting (ctrl+q, the quit question, the palette's Quit) is counted, not done.
        counts["exits"] += 1

    monkeypatch.setattr(app, "exit", exit_counted)

    start_recall, stop_recall = MagnetsScreen.action_recall, MagnetsScreen._stop_recall

    def counted_start(screen: MagnetsScreen) -> None:
        was = screen.recalling
        start_recall(screen)
        counts["recalls"] += screen.recalling and not was

    def counted_stop(screen: MagnetsScreen) -> None:
        counts["cancelled"] += screen.recalling
        stop_recall(screen)

    monkeypatch.setattr(MagnetsScreen, "action_recall", counted_start)
    monkeypatch.setattr(MagnetsScreen, "_stop_recall", counted_stop)

    def spot() -> tuple[int, int]:
        return rng.randrange(width), rng.randrange(height)

    started = time.perf_counter()
    async with app.run_test(size=(width, height)) as pilot:
        app.magnets.speed_index = rng.randrange(4, 8)  # fast enough that recalls finish too
        wanted = ""  # a dialog to open when the main screen is next on top

        async def nudge(dialog: str) -> None:
            """Open ``dialog`` from the main screen by its key, if it can be opened now."""
            big = app.size.width >= 60 and app.size.height >= 16
            if not (big and isinstance(app.screen, MagnetsScreen) and app.magnets._job is None):
                return
            if dialog in ("MemoryMenu", "ConfirmPrompt", "UnsavedPrompt") and (
                not app.magnets.unsaved
            ):
                terminal.key("1" if not app.network.count else "i")  # something to ask about
                await pilot.pause()
                await wait_for_jobs(pilot)  # an imprint that learns in the background
            if dialog == "MemoryMenu":
                app.magnets.memory_list.focus()
                terminal.key("enter")
            else:
                terminal.key(OPENERS[dialog])
            await pilot.pause()
            seen.add(type(app.screen).__name__)

        async def ready_main_screen() -> None:
            """The main screen on top at 100x32 with no job running, the fuzz's leftovers gone."""
            await pilot.resize_terminal(100, 32)
            await wait_for_jobs(pilot)
            for _ in range(12):  # the deepest stack: a prompt over a menu over the lab
                if isinstance(app.screen, MagnetsScreen):
                    break
                terminal.key("escape")
                await pilot.pause()
            while not isinstance(app.screen, MagnetsScreen):  # a screen escape does not close
                app.pop_screen()
                await pilot.pause()
            await wait_for_jobs(pilot)

        for step in range(STEPS):
            seen.add(type(app.screen).__name__)
            roll = rng.random()
            if roll < 0.62:
                counts["key"] += 1
                terminal.key(rng.choice(KEYS))
            elif roll < 0.82:
                counts["click"] += 1
                button = rng.choice([1, 1, 1, 3])
                x, y = spot()
                terminal.mouse(events.MouseDown, x, y, button)
                terminal.mouse(events.MouseUp, x, y, button)
            elif roll < 0.97:
                counts["drag"] += 1
                button = rng.choice([1, 3])
                terminal.mouse(events.MouseDown, *spot(), button)
                for _ in range(rng.randrange(1, 6)):
                    terminal.mouse(events.MouseMove, *spot(), button)
                terminal.mouse(events.MouseUp, *spot(), button)
            else:
                counts["resize"] += 1
                width = rng.choice([10, 20, 30, 60, 80, 100, 120, rng.randrange(10, 160)])
                height = rng.choice([5, 6, 12, 16, 24, 32, 40, rng.randrange(5, 60)])
                await pilot.resize_terminal(width, height)
            await asyncio.sleep(0)
            if rng.random() < 0.03:
                await asyncio.sleep(0.02)  # a breath: queued events are handled, recalls run on
            if step % 250 == 125 and not wanted:
                # The next dialog chance has not found yet, opened on purpose.
                wanted = next((name for name in OPENERS if name not in seen), "")
            if wanted and isinstance(app.screen, MagnetsScreen):
                await pilot.pause()  # what is queued first, so the main screen stays on top
                await nudge(wanted)
                wanted = ""  # tried once; if it did not open, the next window tries again
            if step % 500 == 499:
                await pilot.pause()
                check_invariants(app)
        await pilot.pause(0.1)
        check_invariants(app)
        # What the windows above missed (a small terminal, a job, a dialog on top when
        # one came) is opened now, each from a main screen made ready for it.
        for dialog in [name for name in OPENERS if name not in seen]:
            await ready_main_screen()
            await nudge(dialog)
            assert type(app.screen).__name__ == dialog, f"{OPENERS[dialog]} did not open {dialog}"
        await ready_main_screen()
        if counts["recalls"] < 3 or not counts["cancelled"]:
            # A run that spent its time in dialogs: recall is started and cut short here too.
            app.magnets.speed_index = 0  # one flip a second: the second press stops it
            for _ in range(3):
                for key in ("1", "b", "r", "r"):
                    terminal.key(key)
                    await pilot.pause()
        check_invariants(app)
    # The fuzz really did what it claims: every kind of input, recalls started and cut short.
    assert min(counts.values()) > 0, counts
    # Dialogs, the lab and the palette take much of the run now: fewer recalls than keys.
    assert counts["recalls"] >= 3 and counts["cancelled"] >= 1, counts
    assert set(SCREENS) <= seen, f"never on top: {sorted(set(SCREENS) - seen)}"
    elapsed = time.perf_counter() - started
    print(f"seed {seed}: {STEPS} events in {elapsed:.0f} s, {counts}, screens {sorted(seen)}")

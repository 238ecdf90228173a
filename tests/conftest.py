"""Shared helpers for the app's tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings
from textual import events

from tui_hopfield.model.paths import CONFIG_ENV
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.magnets_screen import SPEEDS, MagnetsScreen

# The laws' examples are the same on every run and machine (derandomized), so the suite
# passes or fails alike everywhere; HYPOTHESIS_PROFILE=explore draws new ones, to hunt.
# No deadline: an example's time is the machine's (the first example that reaches a
# compiled kernel also loads numba, about 0.4 s, or compiles it into numba's cache).
settings.register_profile("default", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def cell_of(screen: MagnetsScreen, row: int, col: int) -> tuple[int, int]:
    """The (x, y) offset inside the grid widget of the cell that shows spin (row, col)."""
    grid = screen.grid
    pad_x, pad_y = grid._padding
    return pad_x + col * grid.zoom, pad_y + (row * grid.zoom) // 2


async def finish_recall(pilot, timeout: float = 20.0) -> None:
    """Wait until the running recall has ended."""
    screen = pilot.app.screen
    waited = 0.0
    while screen.recalling and waited < timeout:
        await pilot.pause(0.05)
        waited += 0.05
    assert not screen.recalling, "recall did not finish"
    await pilot.pause()


async def open_the_lab(pilot, timeout: float = 60.0):
    """Run the main screen's lab action and wait until the lab is on screen (its first
    opening shows a notice for a moment before it builds); return it."""
    from tui_hopfield.ui.lab_screen import LabScreen

    pilot.app.magnets.action_lab()
    waited = 0.0
    while not isinstance(pilot.app.screen, LabScreen) and waited < timeout:
        await pilot.pause(0.05)
        waited += 0.05
    assert isinstance(pilot.app.screen, LabScreen), "the lab did not open"
    await pilot.pause()
    return pilot.app.screen


async def wait_for_jobs(pilot) -> None:
    """Wait until the work running in workers (saving, opening, a rule) has landed.

    A job's worker hands its result to the event loop and waits until it ran
    there, so once the worker is done the screen shows the result.
    """
    for worker in [worker for worker in pilot.app.workers if worker.group == "job"]:
        await worker.wait()
    await pilot.pause()


def set_instant(screen: MagnetsScreen) -> None:
    """Make recall as fast as frames allow."""
    screen.speed_index = SPEEDS.index(0)


@pytest.fixture(autouse=True)
def config_folder(tmp_path_factory, monkeypatch) -> Path:
    """Every test reads and writes a config folder of its own, never the user's: empty,
    so the app starts with its defaults (a test writes a config file there to try one)."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv(CONFIG_ENV, str(folder))
    return folder


@pytest.fixture
def app() -> HopfieldApp:
    """A 32x32 app with a fixed seed."""
    return HopfieldApp(32, 32, seed=1)


class Terminal:
    """Sends input the way a terminal does: through the driver, without waiting.

    Unlike the pilot, which waits for the app to go idle after each event, a
    fuzz sends events as fast as a frantic user would and lets them pile up.
    """

    def __init__(self, app: HopfieldApp) -> None:
        self.app = app
        self.x = self.y = 0

    def key(self, key: str) -> None:
        character = key if len(key) == 1 else {"space": " ", "enter": "\r"}.get(key)
        self.send(events.Key(key, character))

    def mouse(self, kind: type[events.MouseEvent], x: int, y: int, button: int) -> None:
        self.send(kind(None, x, y, x - self.x, y - self.y, button, False, False, False, x, y))
        self.x, self.y = x, y

    def send(self, event) -> None:
        event.set_sender(self.app)
        self.app._driver.send_message(event)

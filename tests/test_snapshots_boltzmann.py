"""A snapshot of the Boltzmann machine's screen after training and a recall (look at it first)."""

from __future__ import annotations

import pytest

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def trained_and_recalled(pilot) -> None:
    await pilot.press("1", "2", "3", "4", "w", "ctrl+k")
    await pilot.pause()
    screen = pilot.app.screen
    await pilot.press("ctrl+r")
    await screen._training[0].wait()
    for _ in range(50):
        if screen.machine is not None:
            break
        await pilot.pause()
    screen.frame_seconds = 0.001
    await pilot.press(*"[" * 5, "r")
    for _ in range(1000):
        if not screen.sampling:
            break
        await pilot.pause(0.01)
    pilot.app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_boltzmann_trained_and_recalled(snap_compare, size):
    from tui_hopfield.ui.app import HopfieldApp

    app = HopfieldApp(seed=1)
    assert snap_compare(app, terminal_size=size, run_before=trained_and_recalled)

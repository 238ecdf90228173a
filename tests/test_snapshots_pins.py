"""Snapshots of pinned magnets' marks, in colour and in glyphs (look at each before accepting)."""

from __future__ import annotations

import numpy as np

from tui_hopfield.ui.app import HopfieldApp


async def pinned_left_half(pilot) -> None:
    await pilot.press("1")
    screen = pilot.app.screen
    network = pilot.app.network
    left = np.flatnonzero((np.arange(network.n) % network.cols) < network.cols // 2)
    screen._edit(screen.workspace.pin, left.tolist(), True)
    pilot.app.clear_notifications()
    await pilot.pause()


async def pinned_in_glyphs(pilot) -> None:
    await pinned_left_half(pilot)
    await pilot.press("g")
    pilot.app.clear_notifications()
    await pilot.pause()


def test_pinned_marks_in_colour(snap_compare):
    assert snap_compare(HopfieldApp(seed=1), terminal_size=(120, 40), run_before=pinned_left_half)


def test_pinned_marks_in_glyphs(snap_compare):
    assert snap_compare(HopfieldApp(seed=1), terminal_size=(120, 40), run_before=pinned_in_glyphs)

"""The recall on screen follows the workspace: an edit made there alone stops it too."""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np
import pytest

from tui_hopfield.model.dynamics import Asynchronous, Flip
from tui_hopfield.model.recording import encode
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.magnets_screen import SPEEDS
from tui_hopfield.ui.status_bar import StatusBar


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


@pytest.mark.parametrize("width", [80, 120])
async def test_a_narrow_status_bar_shortens_the_state_and_keeps_the_rule_and_mode(width):
    """A long memory name no longer pushes the rule and mode off the line (a new user's
    report: at 80 columns 'sync' was always cut; a long name hid everything after it)."""
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(width, 30)) as pilot:
        bar = app.magnets.query_one(StatusBar)
        long = "recalled " + "my favourite smiling face from the park " * 4
        app.magnets.snapshot = replace(
            app.magnets.snapshot, state=long, rule="storkey", mode="sync", memories=309
        )
        await pilot.pause()
        line = bar.render().plain
        assert line.endswith("storkey sync") and "\u2026" in line
        assert len(line) <= width and "memories 309" in line
        app.magnets.snapshot = replace(app.magnets.snapshot, state="recalled smile")
        await pilot.pause()
        line = bar.render().plain
        assert "recalled smile" in line and line.endswith("storkey sync")
        assert len(line) <= width


@pytest.mark.parametrize("speed", [0, 300])
async def test_the_recall_on_screen_takes_flips_in_bulk_and_records_the_same_recall(speed):
    """Each frame takes its flips in one call (``Workspace.recall_flips``); the recording
    holds exactly the flips that asynchronous events would make from the same grid and
    generator."""
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2", "b")
        workspace = screen.workspace
        screen.speed_index = SPEEDS.index(speed)
        network = workspace.network.copy()
        events = Asynchronous(network, copy.deepcopy(workspace.rng), workspace.temperature)
        want = [(e.index, e.spin) for e in events.events() if isinstance(e, Flip)]
        sizes = []
        take = workspace.recall_flips

        def counted(*args, **kwargs):
            batch = take(*args, **kwargs)
            sizes.append(len(batch))
            return batch

        workspace.recall_flips = counted
        await pilot.press("r")
        for _ in range(2000):
            if not recall_workers(pilot):
                break
            await pilot.pause(0.02)
        assert not recall_workers(pilot) and not screen.recalling
        assert len(want) > 20 and max(sizes) > 1 and sum(sizes) == len(want)
        indices, spins = zip(*want, strict=True)
        assert np.array_equal(workspace.recordings[-1].codes, encode(indices, spins))
        assert np.array_equal(workspace.network.state, network.state)

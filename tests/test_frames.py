"""What a recall's frame draws: the energy sparkline and the status bar redraw lightly."""

from __future__ import annotations

import gc
from dataclasses import replace

import numpy as np
import pytest
from textual._compositor import Compositor
from textual.geometry import Region
from textual.widget import Widget

from tests.conftest import finish_recall
from tui_hopfield.ui import recall_runner
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.line_compositor import LineCompositor
from tui_hopfield.ui.magnets_screen import SPEEDS
from tui_hopfield.ui.recall_runner import PANEL_FPS, TRACE_FPS, TRACE_LENGTH
from tui_hopfield.ui.status_bar import StatusBar


def ticking_clock(monkeypatch) -> list[float]:
    """The recall's clock made one that moves a millisecond each time it is read (a frame of
    flips takes some tens of those, whatever the machine's speed); its time is ``[0]``."""
    clock = [0.0]

    def ticking() -> float:
        clock[0] += 0.001
        return clock[0]

    monkeypatch.setattr(recall_runner, "monotonic", ticking)
    return clock


async def test_the_sparkline_and_the_panels_are_redrawn_at_most_a_few_times_a_second(
    monkeypatch,
):
    clock = ticking_clock(monkeypatch)
    app = HopfieldApp(48, 48, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2", "3", "1", "b")
        # 1,000 flips a second of that clock: a few flips a frame, so the recall takes
        # many frames (instantly, the compiled visits make all of its flips in one).
        screen.speed_index = SPEEDS.index(1000)
        frames, panels, given = [], [], []
        refresh_spins, show_network = screen.grid.refresh_spins, screen.memory_list.show_network

        def counted_frame(indices) -> None:
            frames.append(clock[0])
            refresh_spins(indices)

        def counted_panel(network) -> None:
            if screen.recalling:  # not the summing up after it (``_apply``)
                panels.append(clock[0])
            show_network(network)

        screen.grid.refresh_spins = counted_frame
        screen.memory_list.show_network = counted_panel
        screen.watch(screen.trace, "data", lambda data: given.append(clock[0]), init=False)
        await pilot.press("r")
        await finish_recall(pilot, timeout=120)
        assert len(frames) > 10
        # The grid every frame; the sparkline at most TRACE_FPS a second of the recall's
        # clock and the panels at most PANEL_FPS (and each once more at the end).
        span = frames[-1] - frames[0]
        assert len(given) <= span * TRACE_FPS + 2 < len(frames)
        assert len(panels) <= span * PANEL_FPS + 2 < len(frames)
        assert panels[-1] >= frames[-1]  # the panels show where the recall ended
        assert screen.trace.data == screen._trace[-TRACE_LENGTH:]  # the end is shown
        assert np.allclose(screen.memory_list.rows.overlaps, screen.network.overlaps())


async def test_the_status_bar_chooses_its_wording_once_for_energies_of_one_width():
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = app.magnets
        await pilot.press("1", "b")
        bar = screen.query_one(StatusBar)
        plans = []
        plan = bar._plan

        def counted(state, width):
            plans.append(width)
            return plan(state, width)

        bar._plan = counted
        shown = screen.snapshot
        for energy in (-100.0, -101.5, -102.25, -99.0):
            screen.snapshot = replace(shown, energy=energy)
            await pilot.pause()
            text = bar.render().plain
            assert f"energy {energy:.1f}" in text
        assert len(plans) == 1
        # What it keeps is what it draws from nothing.
        kept = bar.render()
        bar._texts.clear()
        bar._plans.clear()
        assert bar.render() == kept and len(plans) == 2


async def test_a_frame_draws_only_the_widgets_under_its_changes_and_writes_what_textual_would(
    monkeypatch,
):
    app = HopfieldApp(64, 64, seed=1)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2", "3", "1", "b")
        await pilot.pause()
        compositor = screen._compositor
        assert isinstance(compositor, LineCompositor)
        bar = screen.query_one(StatusBar)
        # The grid (left) and the status bar (bottom) change in one frame: their bounding
        # box holds the side panel, whose widgets did not change.
        app.network.set_state(-app.network.state)
        screen.grid.refresh_spins(range(0, 64 * 64, 97))
        bar.refresh()
        compositor.update_widgets({screen.grid, bar})
        regions = set(compositor._dirty_regions)
        drawn: set[Widget] = set()
        render_lines = Widget.render_lines

        def counted(widget, crop):
            drawn.add(widget)
            return render_lines(widget, crop)

        monkeypatch.setattr(Widget, "render_lines", counted)
        ours = compositor.render_partial_update()
        ours_drawn, drawn = drawn, set()
        compositor._dirty_regions = set(regions)
        textuals = Compositor.render_partial_update(compositor)
        assert {screen.grid, bar} <= ours_drawn
        assert screen.memory_list in drawn and screen.memory_list not in ours_drawn
        assert len(ours_drawn) < len(drawn)
        # What reaches the terminal is the same, byte for byte.
        assert ours.render_segments(app.console) == textuals.render_segments(app.console)


def stale_lines(grid) -> list[int]:
    """The lines of the grid's cache that no longer show its spins (rebuilt to compare)."""
    kept = dict(grid._lines)
    grid._lines.clear()
    for y in range(grid.size.height):
        grid.render_line(y)
    return [line for line, strip in kept.items() if list(grid._lines[line]) != list(strip)]


@pytest.mark.parametrize("stop", ["by hand", "at the end"])
async def test_the_panels_have_frames_of_their_own_and_the_grid_changes_they_held_are_shown(
    monkeypatch, stop
):
    clock = ticking_clock(monkeypatch)
    app = HopfieldApp(48, 48, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2", "3", "1", "b")
        screen.speed_index = SPEEDS.index(1000)
        turns: list[tuple[float, str]] = []  # the recall's clock (one value a turn), what
        refresh_spins, show_network = screen.grid.refresh_spins, screen.memory_list.show_network

        def grid_turn(indices) -> None:
            turns.append((clock[0], "grid"))
            refresh_spins(indices)

        def panel_turn(network) -> None:
            if screen.recalling:
                turns.append((clock[0], "panels"))
                if stop == "by hand" and [kind for _, kind in turns].count("panels") == 3:
                    screen.action_recall()  # stops it with this turn's flips held back
            show_network(network)

        screen.grid.refresh_spins = grid_turn
        screen.memory_list.show_network = panel_turn
        await pilot.press("r")
        await finish_recall(pilot, timeout=120)
        kinds: dict[float, set[str]] = {}
        for when, kind in turns:
            kinds.setdefault(when, set()).add(kind)
        assert [kind for _, kind in turns].count("panels") >= 3
        # The panels have turns (so frames) of their own: no turn gives the grid its changes
        # and shows the panels, but the last (which shows the end).
        last = turns[-1][0]
        assert all(len(kind) == 1 for when, kind in kinds.items() if when != last)
        # Nothing held back is lost: every line of the grid shows the spins, and the
        # memory list the overlaps, as they are.
        assert stale_lines(screen.grid) == []
        assert np.allclose(screen.memory_list.rows.overlaps, screen.network.overlaps())


@pytest.mark.parametrize("tour", [False, True])
async def test_any_changed_regions_reach_the_terminal_as_textual_would_write_them(tour):
    # Random sets of changed rectangles anywhere on the screen (over the grid, the side
    # panel, the tour's panel, the status bar and the footer, and between them): the line
    # compositor's partial update writes the very bytes of Textual's own.
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2", "b")
        if tour:
            await pilot.press("ctrl+n")
        await pilot.pause()
        screen = app.magnets
        compositor = screen._compositor
        assert isinstance(compositor, LineCompositor)
        width, height = compositor.size
        rng = np.random.default_rng(7)
        for _ in range(60):
            regions = set()
            for _ in range(int(rng.integers(1, 6))):
                x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
                w = int(rng.integers(1, width - x + 1))
                h = int(rng.integers(1, min(6, height - y) + 1))
                regions.add(Region(x, y, w, h))
            compositor._dirty_regions = set(regions)
            ours = compositor.render_partial_update()
            compositor._dirty_regions = set(regions)
            textuals = Compositor.render_partial_update(compositor)
            assert ours.render_segments(app.console) == textuals.render_segments(app.console)


async def test_a_recall_postpones_full_collections_to_one_a_minute_and_restores_the_collector(
    monkeypatch,
):
    clock = ticking_clock(monkeypatch)
    monkeypatch.setattr(recall_runner, "FULL_COLLECTION_EVERY", 0.5)  # of the ticking clock
    before = gc.get_threshold()
    app = HopfieldApp(48, 48, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2", "3", "1", "b")
        screen.speed_index = SPEEDS.index(1000)  # many frames of a few flips
        during: list[tuple[int, int, int]] = []
        full: list[float] = []

        def watch(phase, info) -> None:
            if phase == "start" and info["generation"] == 2:
                full.append(clock[0])

        show_network = screen.memory_list.show_network

        def panel_turn(network) -> None:
            if screen.recalling:  # not the summing up after it
                during.append(gc.get_threshold())
            show_network(network)

        screen.memory_list.show_network = panel_turn
        gc.callbacks.append(watch)
        try:
            await pilot.press("r")
            await finish_recall(pilot, timeout=120)
        finally:
            gc.callbacks.remove(watch)
        assert not screen.recalling
        assert during and all(t[2] == recall_runner._POSTPONED for t in during)
        assert during[0][:2] == before[:2]
        span = clock[0]
        assert 1 <= len(full) <= span / 0.5 + 1  # the recall's own, one each 0.5 of its clock
    assert gc.get_threshold() == before


async def test_a_bounded_frame_redraws_that_many_lines_on_screen_in_turn_and_loses_none():
    app = HopfieldApp(64, 64, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        grid = app.magnets.grid
        height = grid.size.height
        refreshed: list[np.ndarray] = []
        refresh_spins = grid.refresh_spins

        def counted(indices) -> None:
            refreshed.append(np.asarray(indices))
            refresh_spins(indices)

        grid.refresh_spins = counted
        every = np.arange(64 * 64)
        _, pad_y = grid._padding

        def screen_lines(indices) -> set[int]:
            lines = (indices // 64 * grid.zoom) // 2 + pad_y - grid.scroll_offset.y
            return {int(y) for y in lines if 0 <= y < height}

        assert len(screen_lines(every)) > 10
        left, start, turns = every, 0, 0
        while len(left):
            turns += 1
            left = grid.refresh_some_spins(left, 10, start)
            assert len(screen_lines(refreshed[-1])) <= 10
            start = (start + 10) % height
        assert turns == -(-len(screen_lines(every)) // 10)  # ten lines a turn, none twice
        assert sorted(np.concatenate(refreshed).tolist()) == every.tolist()  # none lost
        # From another line the turn starts there: the lines below it come first.
        refreshed.clear()
        grid.refresh_some_spins(every, 3, 7)
        assert screen_lines(refreshed[-1]) == {7, 8, 9}

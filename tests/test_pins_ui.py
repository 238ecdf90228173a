"""Pinning magnets on the screen: the `a` brush, ctrl strokes, ctrl+u, marks, and recall."""

from __future__ import annotations

import numpy as np

from tests.conftest import cell_of, finish_recall, set_instant
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.spin_cells import PINNED_NORTH, PINNED_SOUTH
from tui_hopfield.ui.spin_grid import SpinGrid
from tui_hopfield.ui.status_bar import StatusBar


async def test_the_pin_brush_pins_as_the_cursor_moves_and_ctrl_u_unpins_all(app):
    async with app.run_test(size=(100, 32)) as pilot:
        screen = pilot.app.screen
        network = app.network
        await pilot.press("1")
        row, col = screen.grid.cursor
        await pilot.press("a", "right", "right", "right", "a", "right")
        index = row * network.cols + col
        assert sorted(np.flatnonzero(network.pinned)) == list(range(index, index + 4))
        bar = screen.query_one(StatusBar)
        assert "pinned 4" in bar.render().plain
        await pilot.press("left", "a", "a")  # on a pinned magnet: a unpins it
        assert network.pin_count == 3 and not network.pinned[index + 3]
        await pilot.press("u")  # one step to undo
        assert network.pin_count == 4
        await pilot.press("ctrl+u")
        assert network.pin_count == 0
        assert "pinned" not in bar.render().plain
        await pilot.press("u")
        assert network.pin_count == 4


async def test_pin_half_a_picture_break_the_rest_and_recall_completes_it(app):
    async with app.run_test(size=(100, 32)) as pilot:
        screen = pilot.app.screen
        network, grid = app.network, screen.grid
        await pilot.press("1", "2", "3", "4", "5", "6", "1")
        smile, heart = screen.pictures[0].spins.copy(), screen.pictures[1].spins.copy()
        half = network.rows // 2
        # A ctrl stroke zigzags over the top half: every magnet of it is pinned.
        step = 1 if grid.zoom > 1 else 2  # the half-block view: a cell holds two rows
        points = []
        for row in range(0, half, step):
            ends = [(row, 0), (row, network.cols - 1)]
            points += ends if len(points) % 4 == 0 else ends[::-1]
        await pilot.mouse_down(grid, cell_of(screen, *points[0]), control=True)
        for point in points[1:]:
            await pilot.hover(grid, cell_of(screen, *point))
        await pilot.mouse_up(grid, cell_of(screen, *points[-1]), control=True)
        top = np.zeros((network.rows, network.cols), dtype=bool)
        top[:half] = True
        assert np.array_equal(network.pinned.reshape(top.shape), top)
        assert np.array_equal(network.grid(), smile)  # a ctrl stroke pins, it never paints
        # Break the free half: the heart's bottom half painted over the smile's. Unpinned,
        # this recalls a spurious state (see the model's tests); pinned, the smile.
        cue = smile.copy()
        cue[half:] = heart[half:]
        for value in (1, -1):
            where = np.flatnonzero((cue != smile).ravel() & (cue.ravel() == value))
            screen.paint(SpinGrid.Painted(tuple(where.tolist()), value, stroke=99))
        await pilot.pause()
        assert np.array_equal(network.grid(), cue)
        set_instant(screen)
        await pilot.press("r")
        await finish_recall(pilot)
        assert np.array_equal(network.grid()[:half], smile[:half])  # the pinned half
        assert np.array_equal(network.grid(), smile)  # and the picture completed
        assert screen.state.startswith("recalled smile")


async def test_pinned_magnets_are_marked_in_colour_and_in_glyphs(app):
    async with app.run_test(size=(100, 32)) as pilot:
        screen = pilot.app.screen
        grid = screen.grid
        await pilot.press("1")
        pilot.app.network.pin(np.arange(32 * 3))  # the top three rows
        grid.set_pins(pilot.app.network.pinned.reshape(32, 32))
        codes = grid._codes_of_all()
        assert set(np.unique(codes[:3])) <= {PINNED_NORTH, PINNED_SOUTH}
        assert set(np.unique(codes[3:])) <= {0, 1}
        pinned = grid.get_component_rich_style("spin-grid--pinned-north").color
        north = grid.get_component_rich_style("spin-grid--north").color
        assert pinned is not None and pinned != north
        grid.glyphs = True
        await pilot.pause()
        lines = [grid.render_line(y).text for y in range(grid.size.height)]
        assert any("\u2593" in line or "\u2591" in line for line in lines)


async def test_pins_are_saved_with_the_session_and_shown_when_it_opens(tmp_path, monkeypatch):
    from textual.widgets import Input

    from tests.conftest import wait_for_jobs

    monkeypatch.setenv("TUI_HOPFIELD_DATA", str(tmp_path / "data"))
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(100, 32)) as pilot:

        async def answer(text: str) -> None:
            pilot.app.screen.query_one("#path", Input).value = text
            await pilot.press("enter")
            await wait_for_jobs(pilot)

        await pilot.press("1", "a", "right", "right", "a")
        pinned = app.network.pinned.copy()
        assert app.network.pin_count == 3
        await pilot.press("ctrl+s")
        await answer(str(tmp_path / "pins"))
        await pilot.press("ctrl+u")
        assert app.network.pin_count == 0
        await pilot.press("ctrl+o")
        await answer(str(tmp_path / "pins.hopfield"))
        assert np.array_equal(app.network.pinned, pinned)
        grid = app.screen.grid
        assert np.array_equal(grid.pins.reshape(-1), pinned)  # the opened network's, marked
        codes = grid._codes_of_all().reshape(-1)
        assert set(np.unique(codes[pinned])) <= {PINNED_NORTH, PINNED_SOUTH}

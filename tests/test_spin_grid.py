"""The spin grid on its own: what it draws, continuous values, and what a change repaints."""

from __future__ import annotations

import numpy as np
import pytest
from rich.color import Color
from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Region

from tui_hopfield.model import Network
from tui_hopfield.ui.spin_cells import (
    FULL_BLOCK,
    LINE_REFRESH_THRESHOLD,
    SHADE_GLYPHS,
    SHADES,
    UPPER_HALF,
)
from tui_hopfield.ui.spin_grid import SpinGrid

SOUTH, NORTH = (0, 0, 255), (255, 0, 0)
CURSOR_SOUTH, CURSOR_NORTH = (0, 255, 255), (255, 255, 0)
BACKGROUND = (16, 16, 16)


class GridApp(App[None]):
    """One spin grid on a network, applying what is painted the way the main screen does."""

    AUTO_FOCUS = None
    CSS = """
    SpinGrid { width: 100%; height: 100%; background: #101010; }
    SpinGrid > .spin-grid--north { color: #ff0000; }
    SpinGrid > .spin-grid--south { color: #0000ff; }
    SpinGrid > .spin-grid--cursor-north { color: #ffff00; }
    SpinGrid > .spin-grid--cursor-south { color: #00ffff; }
    """

    def __init__(self, rows: int, cols: int, seed: int = 0) -> None:
        super().__init__()
        self.network = Network(rows, cols)
        rng = np.random.default_rng(seed)
        self.network.set_state(rng.choice(np.array([-1, 1], dtype=np.int8), rows * cols))
        self.grid = SpinGrid(self.network.grid(), id="grid")

    def compose(self) -> ComposeResult:
        yield self.grid

    def on_spin_grid_painted(self, message: SpinGrid.Painted) -> None:
        changed = [i for i in message.indices if self.network.set_spin(i, message.value)]
        self.grid.refresh_spins(changed)


def cells(grid: SpinGrid, y: int) -> list[tuple[str, Style | None]]:
    """Line ``y`` of the widget as drawn, one (character, style) per cell."""
    return [(char, segment.style) for segment in grid.render_line(y) for char in segment.text]


def screen_of(grid: SpinGrid) -> list[list[tuple[str, Style | None]]]:
    return [cells(grid, y) for y in range(grid.size.height)]


def rgb(color: Color | None) -> tuple[int, int, int]:
    assert color is not None and color.triplet is not None
    return tuple(color.triplet)


def spin_colour(grid: SpinGrid, row: int, col: int) -> tuple[int, int, int]:
    """The colour the spin at (row, col) is drawn in (the grid must not be scrolled)."""
    pad_x, pad_y = grid._padding
    half = row * grid.zoom
    char, style = cells(grid, pad_y + half // 2)[pad_x + col * grid.zoom]
    assert style is not None
    if char == " ":
        return rgb(style.bgcolor)
    assert char == UPPER_HALF
    return rgb(style.color if half % 2 == 0 else style.bgcolor)


def expected_screen(grid: SpinGrid) -> list[list[tuple[str, Style]]]:
    """What the grid should show, worked out cell by cell from the spins (slowly)."""
    spins = grid.spins
    scroll_x, scroll_y = grid.scroll_offset
    pad_x, pad_y = grid._padding
    zoom = grid.zoom
    blank = grid.rich_style

    def colour(row: int, col: int) -> Color:
        if row >= grid.rows:
            return Color.from_rgb(*BACKGROUND)
        if grid.has_focus and (row, col) == grid.cursor:
            return Color.from_rgb(*(CURSOR_NORTH if spins[row, col] > 0 else CURSOR_SOUTH))
        return Color.from_rgb(*(NORTH if spins[row, col] > 0 else SOUTH))

    screen = []
    for y in range(grid.size.height):
        line = y + scroll_y - pad_y
        row_cells = []
        for x in range(grid.size.width):
            column = x + scroll_x - pad_x
            if not (0 <= line < grid.content_size.height and 0 <= column < grid.cols * zoom):
                row_cells.append((" ", blank))
                continue
            col = column // zoom
            top, bottom = colour(2 * line // zoom, col), colour((2 * line + 1) // zoom, col)
            if top == bottom:
                row_cells.append((" ", Style(color=Color.from_rgb(*BACKGROUND), bgcolor=top)))
            else:
                row_cells.append((UPPER_HALF, Style(color=top, bgcolor=bottom)))
        screen.append(row_cells)
    return screen


def shade(value: float) -> tuple[int, int, int]:
    """The colour a value should get: its shade's mix of south and north."""
    t = np.rint((value + 1) * (SHADES - 1) / 2) / (SHADES - 1)
    return tuple(round(s + (n - s) * t) for s, n in zip(SOUTH, NORTH, strict=True))


@pytest.mark.parametrize("size", [(20, 8), (40, 20)], ids=["half-block", "zoom-2"])
async def test_values_are_drawn_between_south_and_north(size):
    app = GridApp(16, 16)
    async with app.run_test(size=size) as pilot:
        grid = app.grid
        values = np.linspace(-1, 1, 256)
        grid.show_values(values)
        await pilot.pause()
        assert grid.zoom == (1 if size == (20, 8) else 2)
        shown = grid.values
        assert shown is not None and shown.shape == (16, 16)
        for index, value in enumerate(values):
            row, col = divmod(index, 16)
            assert spin_colour(grid, row, col) == shade(value), (row, col, value)
        assert spin_colour(grid, 0, 0) == SOUTH and spin_colour(grid, 15, 15) == NORTH
        reds = [spin_colour(grid, *divmod(index, 16))[0] for index in range(256)]
        assert reds == sorted(reds) and len(set(reds)) == SHADES


async def test_values_are_clipped_and_nan_is_middle():
    app = GridApp(2, 3)
    async with app.run_test(size=(20, 8)) as pilot:
        app.grid.show_values(np.array([[-5, 5, np.nan], [-1, 1, 0]]))
        await pilot.pause()
        assert spin_colour(app.grid, 0, 0) == SOUTH and spin_colour(app.grid, 0, 1) == NORTH
        assert spin_colour(app.grid, 0, 2) == spin_colour(app.grid, 1, 2) == shade(0.0)


async def test_wrong_number_of_values_is_refused():
    app = GridApp(4, 4)
    async with app.run_test(size=(20, 8)):
        with pytest.raises(ValueError, match="16 values"):
            app.grid.show_values(np.zeros(15))
        assert app.grid.values is None


async def test_none_goes_back_to_the_spins():
    app = GridApp(16, 16)
    async with app.run_test(size=(20, 8)) as pilot:
        grid = app.grid
        await pilot.pause()
        before = screen_of(grid)
        assert before == expected_screen(grid)
        grid.show_values(np.full(256, 0.3))
        await pilot.pause()
        assert screen_of(grid) != before
        grid.show_values(None)
        await pilot.pause()
        assert grid.values is None
        assert screen_of(grid) == before


async def test_painting_with_the_mouse_clears_the_values():
    app = GridApp(16, 16)
    async with app.run_test(size=(40, 20)) as pilot:
        grid = app.grid
        grid.show_values(np.zeros(256))
        await pilot.pause()
        pad_x, pad_y = grid._padding
        before = int(app.network.grid()[3, 5])
        await pilot.click("#grid", offset=(pad_x + 5 * grid.zoom, pad_y + 3 * grid.zoom // 2))
        await pilot.pause()
        assert grid.values is None
        assert app.network.grid()[3, 5] == -before
        assert screen_of(grid) == expected_screen(grid)


async def test_painting_with_the_keyboard_clears_the_values():
    app = GridApp(16, 16)
    async with app.run_test(size=(40, 20)) as pilot:
        grid = app.grid
        grid.focus()
        grid.show_values(np.zeros(256))
        await pilot.pause()
        row, col = grid.cursor
        before = int(app.network.grid()[row, col])
        await pilot.press("space")
        assert grid.values is None
        assert app.network.grid()[row, col] == -before
        assert screen_of(grid) == expected_screen(grid)


async def test_the_cursor_takes_the_sign_of_its_value():
    app = GridApp(16, 16)
    async with app.run_test(size=(40, 20)) as pilot:
        grid = app.grid
        grid.focus()
        row, col = grid.cursor
        values = np.zeros((16, 16))
        values[row, col] = 0.01  # the same shade as 0, but north of it
        grid.show_values(values)
        await pilot.pause()
        assert spin_colour(grid, row, col) == CURSOR_NORTH
        values[row, col] = -0.01
        grid.show_values(values)
        await pilot.pause()
        assert spin_colour(grid, row, col) == CURSOR_SOUTH


async def test_glyphs_show_values_by_magnitude():
    app = GridApp(2, 5)
    async with app.run_test(size=(40, 20)) as pilot:
        grid = app.grid
        grid.glyphs = True
        grid.show_values(np.array([[-1, -0.5, 0, 0.5, 1], [1, 1, 1, 1, 1]]))
        await pilot.pause()
        pad_x, pad_y = grid._padding
        line = "".join(char for char, _ in cells(grid, pad_y))
        zoom = grid.zoom
        assert line[pad_x : pad_x + 5 * zoom] == "".join(g * zoom for g in SHADE_GLYPHS)
        assert SHADE_GLYPHS[-1] == FULL_BLOCK
        grid.show_values(None)
        await pilot.pause()
        line = "".join(char for char, _ in cells(grid, pad_y))
        expected = "".join(FULL_BLOCK if s > 0 else " " for s in app.network.grid()[0])
        assert line[pad_x : pad_x + 5 * zoom : zoom] == expected


async def test_one_flip_repaints_only_its_cell():
    app = GridApp(16, 16)
    async with app.run_test(size=(20, 8)) as pilot:
        grid = app.grid
        await pilot.pause()
        cached = dict(grid._lines)
        assert sorted(cached) == list(range(8))  # every line of the grid is cached
        regions: list[Region] = []
        refresh = grid.refresh
        grid.refresh = lambda *r, **kw: (regions.extend(r), refresh(*r, **kw))[1]
        index = 5 * 16 + 3
        app.network.flip(index)
        grid.refresh_spins([index])
        pad_x, pad_y = grid._padding
        assert regions == [Region(pad_x + 3, pad_y + 2, 1, 1)]  # spin row 5 is line 2
        assert sorted(grid._lines) == [0, 1, 3, 4, 5, 6, 7]
        await pilot.pause()
        assert grid._lines[2] is not cached[2]
        assert all(grid._lines[line] is cached[line] for line in cached if line != 2)
        assert screen_of(grid) == expected_screen(grid)


async def test_values_repaint_only_what_changed():
    app = GridApp(16, 16)
    async with app.run_test(size=(20, 8)) as pilot:
        grid = app.grid
        values = np.linspace(-1, 1, 256)
        grid.show_values(values)
        await pilot.pause()
        cached = dict(grid._lines)
        values[9 * 16 + 4] = -values[9 * 16 + 4]
        grid.show_values(values)
        assert sorted(grid._lines) == [0, 1, 2, 3, 5, 6, 7]  # spin row 9 is line 4
        grid.show_values(values)  # the same again: nothing to repaint
        assert sorted(grid._lines) == [0, 1, 2, 3, 5, 6, 7]
        await pilot.pause()
        assert all(grid._lines[line] is cached[line] for line in cached if line != 4)


@pytest.mark.parametrize(
    "size, scroll",
    [((80, 30), (0, 0)), ((30, 8), (0, 0)), ((30, 8), (3, 5))],
    ids=["zoom-2", "half-block-scrolled", "half-block-scrolled-right"],
)
async def test_whole_grid_repaint_matches_the_cell_by_cell_path(size, scroll):
    app = GridApp(32, 32, seed=3)
    async with app.run_test(size=size) as pilot:
        grid = app.grid
        grid.focus()
        await pilot.pause()  # a grid too large opens scrolled to its cursor: scroll after
        grid.scroll_to(*scroll, animate=False, immediate=True)
        await pilot.pause()
        assert grid.scroll_offset == scroll
        rng = np.random.default_rng(1)
        # Flips one at a time (each repaints its cell, its line rebuilt on its own)...
        for index in rng.choice(32 * 32, 40, replace=False).tolist():
            app.network.flip(index)
            grid.refresh_spins([index])
            await pilot.pause()
        # ...then a recall-sized batch, which repaints whole lines...
        many = rng.choice(32 * 32, LINE_REFRESH_THRESHOLD + 50, replace=False)
        for index in many.tolist():
            app.network.flip(index)
        grid.refresh_spins(many)
        await pilot.pause()
        await pilot.press("left", "down")  # the cursor moves: its old and new cells
        piecewise = screen_of(grid)
        assert piecewise == expected_screen(grid)
        # ...and the whole grid drawn afresh, in one pass, is the same.
        grid.refresh_all()
        assert not grid._lines
        await pilot.pause()
        assert screen_of(grid) == piecewise

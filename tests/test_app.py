"""Pilot tests: everything a user does on the main screen."""

from __future__ import annotations

import gc
import itertools

import numpy as np
import pytest

from tests.conftest import Terminal, cell_of, finish_recall, set_instant
from tui_hopfield.ui.magnets_screen import SPEEDS, MagnetsScreen
from tui_hopfield.ui.slider import Slider
from tui_hopfield.ui.status_bar import StatusBar


async def test_start_is_empty_and_south(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        assert screen.state == "empty"
        assert np.all(app.network.state == -1)
        assert screen.grid.zoom == 1  # 32x32 needs the half-block view at 80x24
        status = pilot.app.screen.query_one(StatusBar)
        assert "memories 0" in str(status.render())


async def test_bigger_terminal_gives_bigger_zoom(app):
    async with app.run_test(size=(120, 40)) as pilot:
        assert pilot.app.screen.grid.zoom == 2
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert pilot.app.screen.grid.zoom == 1


async def test_mouse_drag_draws_a_line_without_gaps(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        await pilot.press("1", "c")  # a memory, then a clean grid
        await pilot.mouse_down("#grid", offset=cell_of(screen, 5, 3))
        # A fast drag: one jump of 20 columns and 6 rows.
        await pilot.hover("#grid", offset=cell_of(screen, 11, 23))
        await pilot.mouse_up("#grid", offset=cell_of(screen, 11, 23))
        await pilot.pause()
        grid = app.network.grid()
        assert grid[5, 3] == 1 and grid[11, 23] == 1
        north = {tuple(p) for p in np.argwhere(grid == 1)}
        assert len(north) == 21  # one spin per column from 3 to 23, none skipped
        assert sorted(col for _, col in north) == list(range(3, 24))
        assert screen.state == "drawing"


async def test_left_button_paints_the_opposite_of_the_first_spin(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        app.network.set_spin(10 * 32 + 10, 1)
        screen.grid.refresh_all()
        # Pressing on a north spin paints south along the whole stroke.
        await pilot.mouse_down("#grid", offset=cell_of(screen, 10, 10))
        await pilot.hover("#grid", offset=cell_of(screen, 10, 12))
        await pilot.mouse_up("#grid", offset=cell_of(screen, 10, 12))
        await pilot.pause()
        assert np.all(app.network.state == -1)


async def test_right_button_paints_south(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        await pilot.press("x")  # random spins
        await pilot.mouse_down("#grid", offset=cell_of(screen, 2, 2), button=3)
        await pilot.hover("#grid", offset=cell_of(screen, 2, 9))
        await pilot.mouse_up("#grid", offset=cell_of(screen, 2, 9))
        await pilot.pause()
        assert np.all(app.network.grid()[2, 2:10] == -1)


async def test_half_block_click_paints_both_spins_of_the_cell(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        await pilot.click("#grid", offset=cell_of(screen, 8, 4))
        await pilot.pause()
        grid = app.network.grid()
        assert grid[8, 4] == 1 and grid[9, 4] == 1
        assert (grid == 1).sum() == 2


async def test_half_block_with_pixel_positions_lands_on_one_spin(app):
    async with app.run_test(size=(80, 24)) as pilot:
        grid = pilot.app.screen.grid
        x, y = cell_of(pilot.app.screen, 8, 4)
        assert grid.spins_at(x + 0.5, y + 0.25) == [(8, 4), (9, 4)]  # no pixels seen yet
        grid.pixel_mouse = True
        assert grid.spins_at(x + 0.5, y + 0.25) == [(8, 4)]
        assert grid.spins_at(x + 0.5, y + 0.75) == [(9, 4)]


async def test_keyboard_drawing(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        assert screen.grid.cursor == (16, 16)
        await pilot.press("space")
        assert app.network.grid()[16, 16] == 1
        await pilot.press("right", "l", "down", "j", "up", "k", "left", "h")
        assert screen.grid.cursor == (16, 16)
        await pilot.press("space")
        assert app.network.grid()[16, 16] == -1
        # The north brush paints where the cursor goes; the same key lifts it.
        await pilot.press("n", "right")
        await pilot.pause()
        board = screen.query_one("#board")
        assert "brush north" in str(board.border_subtitle)  # the brush is on, and says so
        await pilot.press("right", "n", "right")
        await pilot.pause()
        assert "brush" not in str(board.border_subtitle)
        grid = app.network.grid()
        assert list(grid[16, 16:20]) == [1, 1, 1, -1]
        await pilot.press("s", "left", "left", "left")
        await pilot.pause()
        assert np.all(app.network.grid() == -1)


async def test_imprint_a_picture_with_a_key_and_a_button(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        await pilot.press("1")
        assert app.network.names == ("smile",)
        assert screen.state == "recalled smile"
        await pilot.click("#picture-1")
        assert app.network.names == ("smile", "heart")
        assert np.array_equal(app.network.grid(), screen.pictures[1].spins)
        await pilot.press("1")  # already a memory: shown, not stored twice
        assert app.network.count == 2
        assert screen.state == "recalled smile"
        assert screen.memories == 2


async def test_imprint_my_drawing(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x", "i")
        assert pilot.app.network.names == ("drawing",)
        await pilot.press("x", "i")
        assert pilot.app.network.names == ("drawing", "drawing 2")


async def test_break_then_recall_ends_at_the_picture_with_lower_energy(app):
    async with app.run_test(size=(100, 32)) as pilot:
        screen = pilot.app.screen
        await pilot.press("1", "2", "3", "1", "b")
        assert screen.state == "broken"
        smile = screen.pictures[0].spins
        assert not np.array_equal(app.network.grid(), smile)
        broken_energy = screen.energy
        set_instant(screen)
        await pilot.press("r")
        await finish_recall(pilot)
        assert screen.state == "recalled smile"
        assert np.array_equal(app.network.grid(), smile)
        assert screen.energy < broken_energy


async def test_recall_animates_with_the_energy_only_falling(app):
    async with app.run_test(size=(100, 32)) as pilot:
        screen = pilot.app.screen
        await pilot.press("1", "2", "3", "1", "b")
        screen.speed_index = SPEEDS.index(100)
        energies = []
        screen.action_recall()  # not pilot.press: that waits for an idle app, and recall is busy
        while screen.recalling:
            energies.append(screen.energy)
            await pilot.pause(0.02)
        assert len(set(energies)) > 3  # seen at several points on the way down
        assert all(b <= a for a, b in itertools.pairwise(energies))
        assert screen.state == "recalled smile"


async def test_an_edit_cancels_recall(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        await pilot.press("1", "b")
        screen.speed_index = 0  # one flip per second: still running when we edit
        await pilot.press("r")
        assert screen.recalling
        await pilot.press("space")
        await pilot.pause()
        assert not screen.recalling
        assert screen.state == "drawing"
        assert not pilot.app.workers._workers or all(w.is_finished for w in pilot.app.workers)


async def test_the_recall_button_stops_a_running_recall(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        await pilot.press("1", "b")
        screen.speed_index = 0
        await pilot.press("r")
        await pilot.pause(0.1)
        assert str(screen.query_one("#recall").label) == "r stop"
        await pilot.click("#recall")
        await pilot.pause()
        assert not screen.recalling
        assert screen.state == "stopped"
        assert str(screen.query_one("#recall").label) == "r recall"
        assert "stopped after" in str(screen.trace_title.render())


async def test_recall_with_no_memories_says_so(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x", "r")
        assert not pilot.app.screen.recalling
        assert any("Imprint a picture first" in n.message for n in pilot.app._notifications)


async def test_temperature_slider_by_keys(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        slider = screen.query_one("#temperature", Slider)
        await pilot.press("tab")
        assert slider.has_focus
        await pilot.press("right", "right", "l")
        assert screen.temperature == 0.15
        await pilot.press("h")
        assert screen.temperature == 0.10
        await pilot.press("end")
        assert screen.temperature == 2.0
        await pilot.press("home")
        assert screen.temperature == 0.0
        await pilot.press("]", "]")  # global keys work from anywhere
        assert screen.temperature == 0.10
        await pilot.press("t")
        assert screen.temperature == 0.0


async def test_temperature_slider_by_mouse(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        slider = screen.query_one("#temperature", Slider)
        track = slider._track_width
        await pilot.click("#temperature", offset=(track - 1, 0))
        assert screen.temperature == 2.0
        await pilot.mouse_down("#temperature", offset=(track - 1, 0))
        await pilot.hover("#temperature", offset=((track - 1) // 2, 0))
        await pilot.mouse_up("#temperature", offset=((track - 1) // 2, 0))
        assert abs(screen.temperature - 1.0) <= 0.1
        await pilot.click("#temperature", offset=(0, 0))
        assert screen.temperature == 0.0
        assert "0.00" in str(slider.render())


async def test_hot_recall_keeps_running_and_melts(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        await pilot.press("1")
        set_instant(screen)
        screen.temperature = 2.0
        await pilot.press("r")
        await pilot.pause(1.0)
        assert screen.recalling  # T > 0 never converges: it runs until stopped
        assert screen.state == "melting"
        assert abs(app.network.overlaps()[0]) < 0.5
        await pilot.press("r")
        await pilot.pause()
        assert not screen.recalling


async def test_speed_keys_and_buttons(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        start = screen.speed_index
        await pilot.press("+")
        assert screen.speed_index == start + 1
        await pilot.click("#slower")
        await pilot.pause(0.3)  # a button ignores a second press while it flashes
        await pilot.click("#slower")
        assert screen.speed_index == start - 1
        for _ in range(20):
            await pilot.press("+")
        assert SPEEDS[screen.speed_index] == 0
        assert "instant" in str(screen.query_one("#speed").render())


async def test_clear_random_forget(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        await pilot.press("x")
        assert (app.network.state == 1).any()
        await pilot.press("c")
        assert np.all(app.network.state == -1)
        await pilot.press("1", "2", "ctrl+f", "n")
        assert app.network.count == 2
        await pilot.press("ctrl+f", "y")
        assert app.network.count == 0
        assert screen.state == "empty"


async def test_break_ways(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        await pilot.press("1")
        smile = screen.pictures[0].spins
        await pilot.press("v")
        assert np.array_equal(app.network.grid(), -smile)
        await pilot.press("1", "w")
        assert np.all(app.network.grid()[16:] == -1)
        await pilot.press("1", "f")
        assert (app.network.grid() != smile).sum() == round(0.2 * 1024)
        assert screen.state == "broken"


async def test_recall_of_an_inverted_picture_names_the_inverse(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        await pilot.press("1", "2", "3", "1", "v")
        set_instant(screen)
        await pilot.press("r")
        await finish_recall(pilot)
        assert screen.state == "recalled inverse of smile"


async def test_help_screen_opens_and_closes(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert type(pilot.app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        assert type(pilot.app.screen).__name__ == "MagnetsScreen"


async def test_every_action_is_in_the_command_palette(app):
    async with app.run_test(size=(80, 24)) as pilot:
        titles = {command.title for command in pilot.app.get_system_commands(pilot.app.screen)}
        for expected in (
            "Recall / stop",
            "Imprint my drawing",
            "Break: scramble half",
            "Break: flip 30%",
            "Break: wipe bottom half",
            "Break: invert",
            "Clear the grid",
            "Random grid",
            "Forget all memories",
            "Help",
            "Imprint picture: smile",
        ):
            assert expected in titles


async def test_a_palette_command_runs(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        for key in "imprint picture: heart":
            await pilot.press(key if key != " " else "space")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.network.names == ("heart",)


async def test_a_burst_of_temperature_keys_settles_at_their_sum(app):
    """Keys that arrive together (a held key) must not set the slider and mirror chasing."""
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        terminal = Terminal(pilot.app)
        for _ in range(7):
            terminal.key("right_square_bracket")
        await pilot.pause()
        await pilot.pause(0.2)
        assert screen.temperature == pytest.approx(0.35)
        assert screen.slider.value == pytest.approx(0.35)
        changes = []
        screen.watch(screen, "snapshot", changes.append, init=False)
        await pilot.pause(0.3)
        assert changes == []  # settled: nothing keeps changing it


async def test_a_grid_too_large_to_fit_scrolls_to_the_cursor():
    from tui_hopfield.ui.app import HopfieldApp

    app = HopfieldApp(200, 200, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        grid = app.magnets.grid
        assert not grid.fits
        assert "scroll to pan" in str(app.magnets.query_one("#board").border_subtitle)
        row, col = grid.cursor
        assert (row, col) == (100, 100)
        assert grid.scroll_offset.x > 0 and grid.scroll_offset.y > 0
        x, y = col * grid.zoom - grid.scroll_offset.x, (row * grid.zoom) // 2 - grid.scroll_offset.y
        assert 0 <= x < grid.size.width and 0 <= y < grid.size.height  # the cursor is on screen
        await pilot.click("#grid", offset=(x, y))
        assert app.network.grid()[100, 100] == 1  # and a click there lands on it


async def test_an_enter_in_the_forget_all_question_keeps_the_memories(app):
    """Cancel has the focus: the enter that chose "Forget all" in the palette, pressed
    once more, answers no (a new user lost three memories to ctrl+p, memories, enter, enter)."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "2", "ctrl+f")
        assert pilot.app.focused is not None and pilot.app.focused.id == "no"
        await pilot.press("enter")
        await pilot.pause()
        assert app.network.count == 2
        await pilot.press("ctrl+p", *"forget all", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.network.count == 2 and isinstance(pilot.app.screen, MagnetsScreen)


async def test_the_collector_is_on_again_once_the_app_is_on_screen(app):
    # ``cli`` turns the garbage collector off for the start-up; the app turns it on.
    gc.disable()
    try:
        async with app.run_test() as pilot:
            for _ in range(20):
                await pilot.pause()
                if gc.isenabled():
                    break
            assert gc.isenabled()
    finally:
        gc.enable()

"""The main screen at every size from 60x16 to 200x60: nothing cut, nothing covered.

The grid gets the room (zoom past 2 on big terminals, a side panel that narrows,
moves below the grid or hides with ``z``); the status bar, the learning line and
the energy summary are never cut; messages have a line of their own; the memory
panel shows several rows and never scrolls the controls away; focus shows.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from textual.geometry import Region
from textual.widgets._toast import Toast

from tests.conftest import set_instant
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.message_line import line_spans
from tui_hopfield.ui.screen_layout import SIDE_MIN, arrange
from tui_hopfield.ui.slider import Slider
from tui_hopfield.ui.status_bar import StatusBar


async def settle(pilot, times: int = 3) -> None:
    for _ in range(times):
        await pilot.pause()


def drawn_text(widget) -> str:
    """What a widget draws on screen, line after line (its whole content area)."""
    region = Region(0, 0, widget.size.width, widget.size.height)
    return "\n".join(strip.text for strip in widget.render_lines(region))


def shows(screen, widget) -> bool:
    """Whether the middle of ``widget`` is on screen and not covered by anything."""
    region = widget.region
    if not region:
        return False
    found, _ = screen.get_widget_at(*region.center)
    return found is widget or widget in found.ancestors_with_self


# -- where things go ----------------------------------------------------------------


def test_the_arrangement_gives_the_grid_the_room():
    big = arrange(200, 56, 32, 32)
    assert big.place == "beside" and big.zoom == 3
    small = arrange(60, 13, 32, 32)
    assert small.place == "beside" and small.side >= SIDE_MIN and 60 - small.side >= 34
    tall = arrange(80, 56, 32, 32)
    assert tall.place == "below" and tall.zoom == 2
    assert arrange(80, 20, 32, 32, shown=False) == type(big)("hidden", 0, 1)


async def test_a_big_terminal_zooms_past_two():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.press("1")
        await settle(pilot)
        grid = app.magnets.grid
        assert grid.zoom == 3
        assert grid.fits
        # The grid and its panel take most of the screen: 96 x 48 cells of spins.
        assert grid.content_size.width * grid.content_size.height > 200 * 60 * 0.38


async def test_a_small_terminal_narrows_the_side_panel():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(60, 16)) as pilot:
        await settle(pilot)
        board = app.magnets.query_one("#board")
        side = app.magnets.query_one("#side")
        assert board.region.width >= 32 + 2  # the grid's 32 columns and the border
        assert side.region.width >= SIDE_MIN and side.display


async def test_a_narrow_tall_terminal_puts_the_panel_below_the_grid():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 60)) as pilot:
        await pilot.press("1", "2")
        await settle(pilot)
        screen = app.magnets
        board, side = screen.query_one("#board"), screen.query_one("#side")
        assert screen.grid.zoom == 2 and screen.grid.fits
        assert side.region.y >= board.region.bottom
        assert shows(screen, screen.slider) and shows(screen, screen.memory_list)


async def test_z_hides_and_shows_the_side_panel():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.magnets
        side, board, body = (screen.query_one(name) for name in ("#side", "#board", "#body"))
        screen.slider.focus()
        await pilot.press("z")
        await settle(pilot)
        assert not side.display and board.region.width == body.region.width
        assert screen.grid.has_focus  # the focus left the hidden panel
        await pilot.press("z")
        await settle(pilot)
        assert side.display and shows(screen, screen.slider)


# -- nothing cut ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        dict(
            state="recalled inverse of smile",
            memories=309,
            energy=-12345.6,
            load=0.302,
            over_capacity=True,
        ),
        dict(state="spurious", rule="pseudo-inverse", load=0.5, memories=512, energy=-98765.4),
        dict(job="overloading 40 %", state="drawing", load=0.2, over_capacity=True),
    ],
    ids=["overload", "pseudo-inverse", "job"],
)
async def test_the_status_bar_keeps_everything_at_80x24(change):
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.magnets
        screen.snapshot = replace(screen.snapshot, **change)
        await settle(pilot)
        bar = screen.query_one(StatusBar)
        lines = drawn_text(bar).split("\n")
        assert len(lines) == bar.size.height <= 2
        text = " ".join(lines)
        assert all(len(line.rstrip()) <= 80 for line in lines)
        assert "\u2026" not in text
        assert f"{screen.snapshot.rule} async" in text
        assert f"load {screen.snapshot.load:.3f}" in text
        if screen.snapshot.over_capacity:
            assert "(over cap" in text
        if screen.snapshot.job:
            assert "overloading 40 %" in text


@pytest.mark.parametrize("width", [80, 100])
async def test_the_learning_line_is_not_cut(width):
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(width, 24)) as pilot:
        screen = app.magnets
        label = "pseudo-inverse \u00b7 async \u00b7 decay 0.9 \u00b7 use +0.5"
        screen.learning_text.update(label)
        await settle(pilot)
        drawn = drawn_text(screen.learning_text)
        assert drawn.split() == label.split()
        button = screen.query_one("#learning-button")
        assert "^l change" in drawn_text(button)
        # Both on screen whole: inside the panel, the text left of the button.
        side = screen.query_one("#side").region
        for widget in (screen.learning_text, button):
            assert side.contains_region(widget.region), widget
        assert screen.learning_text.region.right <= button.region.x


async def test_the_energy_summary_fits_on_one_line_at_120x40():
    app = HopfieldApp(64, 64, seed=1)  # energies in the thousands: a long summary
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        await pilot.press("1", "b")
        set_instant(screen)
        screen.temperature = 0.5  # hot: the recall runs until stopped
        await pilot.press("r")
        flips = 0
        for _ in range(400):
            await pilot.pause()
            flips = max(flips, len(screen._trace))
            if flips >= 2000:  # the trace keeps 2000: 10,000 flips and more
                break
        for _ in range(10):
            await pilot.pause()
        await pilot.press("r")
        await settle(pilot)
        title = screen.trace_title
        text = str(title.render())
        assert "stopped after" in text and "flips" in text and len(text) > 44
        assert len(text) <= title.size.width and title.size.height == 1
        assert drawn_text(title).rstrip() == text


async def test_the_energy_label_shows_the_energy_now_during_recall():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2", "1", "b")
        start = screen.snapshot.energy
        screen.speed_index = 2  # a few flips a frame: the recall lasts
        await pilot.press("r")
        for _ in range(200):
            await pilot.pause()
            if screen.recalling and screen.snapshot.energy < start - 20:
                break
        assert screen.recalling
        assert str(screen.trace_title.render()) == f"energy {screen.snapshot.energy:.1f}"
        await pilot.press("r")


# -- messages never cover data ------------------------------------------------------


async def test_messages_have_a_place_of_their_own():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = app.magnets
        await pilot.press("1", "2", "3")
        screen.notify("/home/someone/sessions/a.hopfield is not readable", severity="error")
        screen.notify("Showing smile.")
        await settle(pilot)
        assert not screen.query(Toast)
        messages = screen.messages
        text = drawn_text(messages)
        assert "not readable" in text and "Showing smile." in text  # the error stays
        for name in ("#board", "#side", "StatusBar"):
            assert not messages.region.overlaps(screen.query_one(name).region), name
        assert shows(screen, screen.query_one(StatusBar)) and shows(screen, screen.memory_list)
        app.clear_notifications()
        await settle(pilot)
        assert "Showing" not in drawn_text(messages)


async def test_a_long_message_takes_the_footers_line_and_leaves_the_grid_alone():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = app.magnets
        await settle(pilot)
        board, footer = screen.query_one("#board"), screen.query_one("Footer")
        before = board.region
        long = "Not saved: " + "/a/rather/long/folder" * 5 + "/session.hopfield: no room left"
        screen.notify(long, severity="error")
        await settle(pilot)
        text = drawn_text(screen.messages)
        assert screen.messages.size.height == 2 and not footer.display
        assert "Not saved" in text and "no room left" in text
        assert board.region == before  # the grid is not laid out again
        app.clear_notifications()
        await settle(pilot)
        assert screen.messages.size.height == 1 and footer.display
        assert board.region == before


# -- the memory panel ---------------------------------------------------------------


async def test_the_memory_panel_shows_several_rows_and_tab_keeps_the_controls():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2", "3", "4")
        await settle(pilot)
        panel = screen.memory_list
        side = screen.query_one("#side")
        visible = panel.region.intersection(side.region)
        assert visible.height >= 2 * panel.row_height
        picture = screen.query_one("#picture-0")
        for _ in range(5):  # grid, slider, memories
            await pilot.press("tab")
            await settle(pilot, 1)
            if panel.has_focus:
                break
        assert panel.has_focus
        await pilot.press("down", "down", "down")
        await settle(pilot)
        assert shows(screen, picture) and shows(screen, screen.slider)
        await pilot.press("shift+tab")
        await settle(pilot)
        assert screen.slider.has_focus
        assert shows(screen, picture) and shows(screen, screen.slider)


# -- focus shows --------------------------------------------------------------------


async def test_a_focused_slider_is_unmistakable():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        await settle(pilot)
        name = screen.slider.parent.query_one(".setting-name")
        before = (name.styles.background, screen.slider.styles.background)
        screen.slider.focus()
        await settle(pilot)
        assert isinstance(screen.focused, Slider)
        after = (name.styles.background, screen.slider.styles.background)
        assert after[0] != before[0] and after[1] != before[1]
        assert "home / end" in drawn_text(screen.messages)  # what its keys do


def test_a_long_path_in_a_message_wraps_between_folders():
    text = "Saved to /home/someone/tui-hopfield/sessions/a-very-long-session-name.hopfield"
    lines = [text[start:end] for start, end in line_spans(text, 36)]
    assert all(len(line) <= 36 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(line.endswith(("/", "to")) for line in lines[:-1])
    assert lines[-1] == "a-very-long-session-name.hopfield"  # the name is whole


async def test_the_status_bar_keeps_its_words_while_the_energy_falls():
    """The wording is chosen for numbers of a typical width: a recall whose energy gains a
    digit does not switch the bar between ``memories`` and ``mem`` frame after frame."""
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.magnets
        bar = screen.query_one(StatusBar)
        base = dict(memories=307, state="recalling", load=0.3, over_capacity=True)
        words = []
        for energy in (-41.1, -141.1, -1141.1):
            screen.snapshot = replace(screen.snapshot, energy=energy, **base)
            await settle(pilot, 1)
            words.append(drawn_text(bar).split()[0])
        assert len(set(words)) == 1, words


async def test_a_message_during_a_dialog_is_a_toast_there_and_stays_on_the_line_after():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = app.magnets
        await pilot.press("question_mark")
        await settle(pilot)
        assert app.screen is not screen
        app.notify("Not opened: no such file", severity="error", timeout=30)
        for _ in range(20):
            await pilot.pause()
            if app.screen.query(Toast):
                break
        assert app.screen.query(Toast)  # other screens keep Textual's toasts
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and not screen.query(Toast)
        assert "no such file" in drawn_text(screen.messages)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_footer_shows_every_key_it_names_whole(size):
    app = HopfieldApp(seed=1)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        footer = app.magnets.query_one("Footer")
        keys = [key for key in footer.query("FooterKey") if key.display]
        assert keys
        for key in keys:  # each key and its description drawn whole, inside the footer
            assert key.region.right <= footer.region.right, key.description
            assert key.region.width >= len(key.key_display + key.description) + 1
            for other in keys:  # the palette's key, docked right, covers none of them
                assert other is key or not key.region.overlaps(other.region), key.description
        assert footer.virtual_size.width <= footer.region.width


async def test_a_narrow_side_panel_keeps_the_memory_titles_and_numbers_whole():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.press("1", "2", "3")  # three: the panel scrolls, its bar takes a column
        await settle(pilot)
        screen = app.magnets
        title = drawn_text(screen.query_one("#memories-title"))
        assert "\u2026" not in title and "overlap" in title, title
        panel = drawn_text(screen.memory_list)
        assert "\u2026" not in panel, panel
        # The strength and the valley's depth of the first memory, whole.
        assert re.search(r"str 1 \u00b7 (valley )?-\d+(\.\d)?( |$)", panel, re.M), panel

"""The memory panel, its rows and menu, and the thumbnails they draw."""

from __future__ import annotations

import numpy as np
import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.color import Color
from textual.containers import VerticalScroll
from textual.widgets import Input, Label

from tui_hopfield.model import Network
from tui_hopfield.model.patterns import library
from tui_hopfield.ui.memory_list import MemoryList, MemoryRow, RowSummary, bar
from tui_hopfield.ui.memory_menu import MemoryMenu, parse_times
from tui_hopfield.ui.messages import MemoryAction
from tui_hopfield.ui.thumbnail import Thumbnail, downsample, fit, picture_strips

PICTURES = library(32, 32)


def network_of(count: int) -> Network:
    """The first ``count`` built-in pictures imprinted; the grid shows the second."""
    network = Network(32, 32)
    for picture in PICTURES[:count]:
        network.imprint(picture.spins, picture.name)
    network.set_state(PICTURES[1].spins)
    return network


class PanelApp(App):
    """The panel alone, recording the actions it posts."""

    def __init__(self, network: Network, height: str = "auto", wrapped: bool = False) -> None:
        super().__init__()
        self.network = network
        self.height = height
        self.wrapped = wrapped
        self.actions: list[MemoryAction] = []
        self.panel = MemoryList(id="memories")

    def compose(self) -> ComposeResult:
        if self.wrapped:
            with VerticalScroll(id="side"):
                yield Label("above\n" * 6)
                yield self.panel
        else:
            yield self.panel

    def on_mount(self) -> None:
        self.panel.styles.height = self.height
        if self.wrapped:
            self.query_one("#side").styles.height = 12
        self.panel.show_network(self.network)
        self.panel.focus()

    @on(MemoryAction)
    def record(self, message: MemoryAction) -> None:
        self.actions.append(message)


# -- rows ------------------------------------------------------------------------


def test_rows_hold_each_memory_and_its_numbers():
    network = network_of(3)
    network.reinforce(2, 1.5)
    rows = RowSummary().rows(network)
    assert [row.name for row in rows] == ["smile", "heart", "star"]
    assert [row.strength for row in rows] == [1.0, 1.0, 2.5]
    assert [row.overlap for row in rows] == pytest.approx(network.overlaps().tolist())
    assert rows[1].overlap == 1.0
    for index, row in enumerate(rows):
        assert np.array_equal(row.pattern, network.memory(index).pattern)
        assert row.valley == pytest.approx(network.energy_of(network.memory(index).pattern))
    assert rows[2].valley < rows[0].valley  # the reinforced memory's valley is deeper


def test_rows_keep_their_patterns_until_the_memories_change():
    network = network_of(2)
    summary = RowSummary()
    first = summary.rows(network)
    network.set_state(PICTURES[0].spins)
    second = summary.rows(network)
    assert all(a.pattern is b.pattern for a, b in zip(first, second, strict=True))
    assert second[0].overlap == 1.0 and first[0].overlap != 1.0
    network.reinforce(0, 1)
    third = summary.rows(network)
    assert third[0].pattern is not second[0].pattern
    assert third[0].strength == 2.0
    with pytest.raises(ValueError):
        third[0].pattern[0, 0] = 1  # what the panel caches by identity is never written


def test_rows_are_equal_only_with_the_same_pattern_object():
    pattern = PICTURES[0].spins
    row = MemoryRow("a", 1.0, -500.0, 0.5, pattern)
    assert row == MemoryRow("a", 1.0, -500.0, 0.5, pattern)
    assert row != MemoryRow("a", 1.0, -500.0, 0.5, pattern.copy())
    assert row != MemoryRow("a", 1.0, -500.0, 0.4, pattern)


def test_bar_is_kept():
    assert bar(0.5, 4) == "\u2588\u2588  "
    assert bar(1.5, 2) == "\u2588\u2588"
    assert bar(0.5, 1) == "\u258c"


def test_parse_times():
    assert parse_times("2") == 2.0
    assert parse_times(" 0.5 ") == 0.5
    for text in ("0", "", ".", "1.2.3", "nan", "inf", "-1"):
        with pytest.raises(ValueError):
            parse_times(text)


# -- the panel -------------------------------------------------------------------


async def test_the_panel_shows_one_row_per_memory_and_the_best_match():
    app = PanelApp(network_of(3))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        panel = app.panel
        views = panel.views
        assert len(views) == 3
        assert not panel.query_one("#memory-hint").display
        assert [view.text.best for view in views] == [False, True, False]
        assert "+1.00" in str(views[1].text.render())
        assert "strength 1" in str(views[0].text.render())
        # The grid moves to the first picture: the best match follows.
        app.network.set_state(PICTURES[0].spins)
        panel.show_network(app.network)
        await pilot.pause()
        assert [view.text.best for view in views] == [True, False, False]


async def test_the_panel_says_when_there_are_no_memories():
    app = PanelApp(Network(32, 32))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert app.panel.query_one("#memory-hint").display
        assert app.panel.views == [] and app.panel.highlighted is None
        await pilot.press("down", "enter")
        assert not isinstance(app.screen, MemoryMenu)
        network = network_of(1)
        app.panel.show_network(network)
        await pilot.pause()
        assert not app.panel.query_one("#memory-hint").display
        assert len(app.panel.views) == 1 and app.panel.highlighted == 0


async def test_a_new_overlap_does_not_redraw_the_thumbnails():
    app = PanelApp(network_of(3))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        thumbnails = [view.thumbnail for view in app.panel.views]
        drawn = [thumbnail._strips for thumbnail in thumbnails]
        assert all(strips is not None for strips in drawn)
        app.network.set_state(PICTURES[2].spins)
        app.panel.show_network(app.network)
        await pilot.pause()
        assert [thumbnail._strips for thumbnail in thumbnails] == drawn
        assert all(a is b for a, b in zip(drawn, [t._strips for t in thumbnails], strict=True))
        app.network.forget(0)
        app.panel.show_network(app.network)
        await pilot.pause()
        assert len(app.panel.views) == 2
        assert app.panel.views[0].thumbnail._strips is not drawn[0]


def highlighted_views(panel: MemoryList) -> list[int]:
    return [k for k, view in enumerate(panel.views) if view.has_class("-highlight")]


async def test_keys_move_the_highlight():
    app = PanelApp(network_of(4))
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        panel = app.panel
        assert panel.highlighted == 0 and highlighted_views(panel) == [0]
        await pilot.press("down", "down")
        assert panel.highlighted == 2 and highlighted_views(panel) == [2]
        await pilot.press("up")
        assert panel.highlighted == 1
        await pilot.press("end")
        assert panel.highlighted == 3 and highlighted_views(panel) == [3]
        await pilot.press("down")
        assert panel.highlighted == 3
        await pilot.press("home", "up")
        assert panel.highlighted == 0 and highlighted_views(panel) == [0]
        # Forgetting the last memory while it is highlighted moves the highlight up.
        await pilot.press("end")
        app.network.forget(3)
        panel.show_network(app.network)
        await pilot.pause()
        assert panel.highlighted == 2 and highlighted_views(panel) == [2]


def visible_in(view, container) -> bool:
    return container.region.contains_region(view.region)


async def test_the_highlighted_row_scrolls_into_view_in_the_panel():
    app = PanelApp(network_of(6), height="8")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        panel = app.panel
        await pilot.press("end")
        await pilot.pause()
        assert panel.scroll_offset.y > 0
        assert visible_in(panel.views[5], panel)
        await pilot.press("home")
        await pilot.pause()
        assert panel.scroll_offset.y == 0 and visible_in(panel.views[0], panel)


async def test_the_highlighted_row_scrolls_into_view_in_a_scrolling_side_panel():
    app = PanelApp(network_of(6), wrapped=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        side = app.query_one("#side")
        side.scroll_home(animate=False, immediate=True)  # focusing the panel scrolled to it
        await pilot.pause()
        assert not visible_in(app.panel.views[1], side)
        await pilot.press("down")
        await pilot.pause()
        assert visible_in(app.panel.views[1], side)
        await pilot.press("end")
        await pilot.pause()
        assert visible_in(app.panel.views[5], side)


async def test_a_click_highlights_and_a_double_click_opens_the_menu():
    app = PanelApp(network_of(3))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        panel = app.panel
        await pilot.click(panel.views[2].text, offset=(2, 0))
        assert panel.highlighted == 2
        assert not isinstance(app.screen, MemoryMenu)
        await pilot.click(panel.views[1].thumbnail, offset=(1, 1), times=2)
        await pilot.pause()
        assert panel.highlighted == 1
        assert isinstance(app.screen, MemoryMenu)
        assert app.screen.row.name == "heart"


# -- the menu --------------------------------------------------------------------


async def open_menu(pilot, index: int) -> MemoryMenu:
    app = pilot.app
    app.panel.highlighted = index
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, MemoryMenu)
    return app.screen


@pytest.mark.parametrize(
    ("keys", "action", "times", "name"),
    [
        (["r"], "reinforce", 1.0, ""),
        (["f"], "forget", 1.0, ""),
        (["s"], "show", 1.0, ""),
        (["enter"], "reinforce", 1.0, ""),  # the Reinforce button has the focus
        (["n", "b", "o", "b", "enter"], "rename", 1.0, "bob"),
    ],
)
async def test_each_menu_action_posts_a_memory_action(keys, action, times, name):
    app = PanelApp(network_of(3))
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await open_menu(pilot, 1)
        await pilot.press(*keys)
        await pilot.pause()
        assert not isinstance(app.screen, MemoryMenu)
        assert len(app.actions) == 1
        message = app.actions[0]
        assert (message.index, message.action, message.times, message.name) == (
            1,
            action,
            times,
            name,
        )
        assert message.memory == "heart"


async def test_reinforce_takes_a_decimal_count():
    app = PanelApp(network_of(3))
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        menu = await open_menu(pilot, 2)
        await pilot.click("#times")
        await pilot.press("end", "backspace", "2", ".", "5", "enter")
        await pilot.pause()
        assert menu is not app.screen
        assert [(m.index, m.action, m.times) for m in app.actions] == [(2, "reinforce", 2.5)]


@pytest.mark.parametrize("typed", ["0", ".", "0.0"])
async def test_a_count_that_is_not_positive_is_refused(typed):
    app = PanelApp(network_of(3))
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        menu = await open_menu(pilot, 0)
        await pilot.click("#times")
        await pilot.press("end", "backspace", *typed, "enter")
        await pilot.pause()
        assert app.screen is menu and app.actions == []
        assert "count" in str(menu.query_one("#menu-error", Label).content)
        await pilot.press("a", "b")  # letters cannot be typed in the count
        assert menu.query_one("#times", Input).value == typed


async def test_rename_needs_a_new_name_not_taken():
    app = PanelApp(network_of(3))
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        menu = await open_menu(pilot, 0)
        error = menu.query_one("#menu-error", Label)
        await pilot.press("n", "backspace", "enter")
        await pilot.pause()
        assert app.screen is menu and app.actions == []
        assert "needs a name" in str(error.content)
        await pilot.press("s", "t", "a", "r", "enter")  # the third memory's name
        await pilot.pause()
        assert app.screen is menu and app.actions == []
        assert "already called 'star'" in str(error.content)
        await pilot.press("space", "2", "enter")
        await pilot.pause()
        assert app.screen is not menu
        assert [(m.action, m.name, m.memory) for m in app.actions] == [
            ("rename", "star 2", "smile")
        ]


async def test_escape_closes_the_menu_doing_nothing():
    app = PanelApp(network_of(2))
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await open_menu(pilot, 0)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MemoryMenu) and app.actions == []


async def test_every_menu_item_is_explained():
    app = PanelApp(network_of(2))
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        menu = await open_menu(pilot, 0)
        explanations = [str(label.content) for label in menu.query(".menu-explanation")]
        assert len(explanations) == 4 and all(explanations)
        for label in menu.query(".menu-explanation"):
            assert label.region.width >= len(str(label.content))  # nothing cut off


# -- thumbnails ------------------------------------------------------------------


def test_downsample_averages_areas():
    checker = np.array([[1, -1], [-1, 1]])
    assert downsample(checker, 1, 1).tolist() == [[0.0]]
    grid = np.array([[1, 1, -1, -1], [1, 1, -1, -1], [1, -1, -1, -1], [-1, 1, -1, -1]])
    assert downsample(grid, 2, 2).tolist() == [[1.0, -1.0], [0.0, -1.0]]
    # Three columns onto two: the middle one is shared half and half.
    assert downsample(np.array([[1, -1, -1]]), 1, 2).tolist() == [[pytest.approx(1 / 3), -1.0]]
    assert downsample(np.array([[1, -1]]), 1, 4).tolist() == [[1, 1, -1, -1]]


def test_fit_keeps_the_shape_and_grows_by_whole_factors():
    assert fit(32, 32, 32, 16) == (32, 16, 32)  # one spin per half cell
    assert fit(32, 32, 8, 4) == (8, 4, 8)
    assert fit(32, 64, 16, 16) == (16, 4, 8)
    assert fit(8, 8, 20, 10) == (16, 8, 16)  # 2x2 pixels a spin, not 2.5
    assert fit(3, 3, 3, 1) == (2, 1, 2)


def test_shrinking_gives_shades_between_south_and_north():
    south, north = Color.parse("#2d6bd9"), Color.parse("#d7261e")
    from rich.style import Style

    [strip] = picture_strips(np.array([[1, -1], [1, -1]]), 1, 1, south, north, Style())
    [segment] = list(strip)
    assert segment.text == "\u2580"
    assert segment.style.color.triplet == south.blend(north, 0.5).rich_color.triplet
    [strip] = picture_strips(np.array([[1], [-1]]), 1, 1, south, north, Style())
    [segment] = list(strip)
    assert segment.style.color.triplet == north.rich_color.triplet
    assert segment.style.bgcolor.triplet == south.rich_color.triplet


def test_glyphs_draw_north_as_ink():
    from rich.style import Style

    spins = np.array([[1, -1, 1, -1], [1, -1, -1, 1]])
    [strip] = picture_strips(
        spins, 4, 1, Color(0, 0, 0), Color(255, 255, 255), Style(), glyphs=True
    )
    assert "".join(segment.text for segment in strip) == "\u2588 \u2580\u2584"
    # Shrunken, a half-north cell is the middle shade.
    [strip] = picture_strips(
        np.array([[1, -1], [1, -1]]),
        1,
        1,
        Color(0, 0, 0),
        Color(255, 255, 255),
        Style(),
        glyphs=True,
    )
    assert "".join(segment.text for segment in strip) == "\u2592"


class ThumbnailApp(App):
    def compose(self) -> ComposeResult:
        yield Thumbnail(PICTURES[0].spins, width=8, height=4, glyphs=False, id="small")
        yield Thumbnail(width=8, height=4, shape=(32, 32), id="empty")


async def test_the_thumbnail_takes_the_room_its_picture_fits():
    app = ThumbnailApp()
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        small = app.query_one("#small", Thumbnail)
        empty = app.query_one("#empty", Thumbnail)
        assert small.size == (8, 4) and empty.size == (8, 4)
        assert small.render_line(0).text == "\u2580" * 8
        assert empty.render_line(0).text.strip() == ""
        small.box = (32, 16)
        await pilot.pause()
        assert small.size == (32, 16)


def test_without_colour_thumbnails_and_the_panel_draw_ink(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert Thumbnail().glyphs and MemoryList().glyphs
    monkeypatch.delenv("NO_COLOR")
    assert not Thumbnail().glyphs and not MemoryList().glyphs
    assert Thumbnail(glyphs=True).glyphs


async def test_the_panel_in_glyphs():
    app = PanelApp(network_of(2))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        app.panel.glyphs = True
        await pilot.pause()
        thumbnail = app.panel.views[0].thumbnail
        assert thumbnail.glyphs
        line = thumbnail.render_line(1).text
        assert set(line) <= set(" \u2580\u2584\u2588\u2591\u2592\u2593") and line.strip()

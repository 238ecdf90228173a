"""The memory panel, its rows and menu, and the thumbnails they draw."""

from __future__ import annotations

import numpy as np
import pytest
from textual import on
from textual.app import ComposeResult
from textual.color import Color
from textual.containers import VerticalScroll
from textual.widgets import Input, Label

from tui_hopfield.model import Network
from tui_hopfield.model.patterns import library
from tui_hopfield.ui.memory_list import MemoryList, bar
from tui_hopfield.ui.memory_menu import MemoryMenu, parse_times
from tui_hopfield.ui.memory_rows import MemoryRow, RowSummary
from tui_hopfield.ui.theme import PALETTE, PaletteApp
from tui_hopfield.ui.thumbnail import Thumbnail, downsample, fit, picture_strips

PICTURES = library(32, 32)


def network_of(count: int) -> Network:
    """The first ``count`` built-in pictures imprinted; the grid shows the second."""
    network = Network(32, 32)
    for picture in PICTURES[:count]:
        network.imprint(picture.spins, picture.name)
    network.set_state(PICTURES[1].spins)
    return network


class PanelApp(PaletteApp):
    """The panel alone, recording the actions it posts."""

    def __init__(self, network: Network, height: str = "auto", wrapped: bool = False) -> None:
        super().__init__()
        self.network = network
        self.height = height
        self.wrapped = wrapped
        self.actions: list[MemoryList.Action] = []
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

    @on(MemoryList.Action)
    def record(self, message: MemoryList.Action) -> None:
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


def test_valleys_are_computed_when_first_asked_for_past_a_few_memories(monkeypatch):
    from tui_hopfield.ui import memory_rows

    network = network_of(5)
    monkeypatch.setattr(memory_rows, "EAGER_VALLEYS", 2)
    rows = RowSummary().rows(network)
    assert np.isnan(rows.valleys.values).all()
    assert rows[3].valley == pytest.approx(network.energy_of(network.memory(3).pattern))
    assert np.flatnonzero(~np.isnan(rows.valleys.values)).tolist() == [3]
    network.forget(0)  # a stale summary no longer computes: its index would mean another
    assert np.isnan(rows[1].valley)


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


def panel_lines(panel: MemoryList) -> list[str]:
    """The text of every line the panel shows now."""
    return [panel.render_line(y).text for y in range(panel.size.height)]


def row_text(panel: MemoryList, index: int) -> list[str]:
    """The lines of row ``index`` (in the panel's whole height), picture cut off."""
    start = index * panel.row_height - int(panel.scroll_offset.y)
    skip = panel.thumbnail_size.width + 1
    return [panel.render_line(start + k).text[skip:] for k in range(panel.row_height)]


def background(panel: MemoryList, index: int):
    """The background of row ``index``'s text, on its first line."""
    strip = panel.render_line(index * panel.row_height - int(panel.scroll_offset.y))
    return list(strip)[-1].style.bgcolor


def highlighted_rows(panel: MemoryList) -> list[int]:
    """The visible rows drawn on another background than the panel's."""
    plain = panel.rich_style.bgcolor
    rows = range(len(panel.rows))
    return [k for k in rows if is_visible(panel, k) and background(panel, k) != plain]


def is_visible(panel: MemoryList, index: int) -> bool:
    top = index * panel.row_height - int(panel.scroll_offset.y)
    return top >= 0 and top + panel.row_height <= panel.size.height


async def test_the_panel_shows_one_row_per_memory_and_the_best_match():
    app = PanelApp(network_of(3))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        panel = app.panel
        assert panel.size.height == 3 * panel.row_height == 12
        assert panel.thumbnail_size == (8, 4)
        assert [row_text(panel, k)[0].strip() for k in range(3)] == ["smile", "heart", "star"]
        assert panel.best == 1
        assert "+1.00" in row_text(panel, 1)[1]
        assert "strength 1 \u00b7 valley" in row_text(panel, 0)[2]
        best = panel.get_component_rich_style("memory-list--best")
        segments = list(panel.render_line(panel.row_height))
        assert any(seg.text.strip() == "heart" and seg.style.bold for seg in segments)
        assert best.bold
        # The grid moves to the first picture: the best match follows.
        app.network.set_state(PICTURES[0].spins)
        panel.show_network(app.network)
        await pilot.pause()
        assert panel.best == 0
        segments = list(panel.render_line(0))
        assert any(seg.text.strip() == "smile" and seg.style.bold for seg in segments)


async def test_the_panel_says_when_there_are_no_memories():
    app = PanelApp(Network(32, 32))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert "no memories yet" in panel_lines(app.panel)[0]
        assert app.panel.highlighted is None
        await pilot.press("down", "enter")
        assert not isinstance(app.screen, MemoryMenu)
        network = network_of(1)
        app.panel.show_network(network)
        await pilot.pause()
        assert "no memories yet" not in " ".join(panel_lines(app.panel))
        assert app.panel.size.height == app.panel.row_height and app.panel.highlighted == 0


async def test_the_hint_wraps_in_a_narrow_panel():
    app = PanelApp(Network(32, 32))
    async with app.run_test(size=(30, 20)) as pilot:
        await pilot.pause()
        lines = [line.strip() for line in panel_lines(app.panel) if line.strip()]
        assert len(lines) >= 2 and app.panel.size.height == len(lines)
        assert " ".join(lines) == "no memories yet: press a picture, or draw and press i"


@pytest.fixture
def drawn(monkeypatch) -> list[np.ndarray]:
    """The pictures the panel draws into thumbnails, in order."""
    from tui_hopfield.ui import memory_lines

    pictures: list[np.ndarray] = []
    real = memory_lines.picture_strips

    def counting(values, *args, **kwargs):
        pictures.append(values)
        return real(values, *args, **kwargs)

    monkeypatch.setattr(memory_lines, "picture_strips", counting)
    return pictures


async def test_a_new_overlap_does_not_redraw_the_thumbnails(drawn):
    app = PanelApp(network_of(3))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert len(drawn) == 3
        app.network.set_state(PICTURES[2].spins)
        app.panel.show_network(app.network)
        await pilot.pause()
        assert "+1.00" in row_text(app.panel, 2)[1]
        assert len(drawn) == 3
        app.network.forget(0)
        app.panel.show_network(app.network)
        await pilot.pause()
        # New pattern objects, the same pictures: kept by content, not drawn again.
        assert len(app.panel.rows) == 2 and len(drawn) == 3


async def test_the_same_memories_in_a_new_network_draw_no_new_thumbnails(drawn):
    app = PanelApp(network_of(3))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        before = panel_lines(app.panel)
        assert len(drawn) == 3
        app.panel.show_network(app.network.copy())  # a session reopened, a rule re-learned
        await pilot.pause()
        assert panel_lines(app.panel) == before and len(drawn) == 3
        other = network_of(3)
        other.imprint(-PICTURES[0].spins, "inverse")
        app.panel.show_network(other)
        await pilot.pause()
        assert len(drawn) == 4  # only the new picture


async def test_focus_keeps_the_thumbnails_and_glyphs_draw_them_anew(drawn):
    app = PanelApp(network_of(2))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert len(drawn) == 2
        app.panel.blur()
        await pilot.pause()
        app.panel.focus()
        await pilot.pause()
        assert len(drawn) == 2
        app.panel.glyphs = True
        await pilot.pause()
        assert len(drawn) == 4


async def test_keys_move_the_highlight():
    app = PanelApp(network_of(4))
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        panel = app.panel
        assert panel.highlighted == 0 and highlighted_rows(panel) == [0]
        await pilot.press("down", "down")
        assert panel.highlighted == 2 and highlighted_rows(panel) == [2]
        await pilot.press("up")
        assert panel.highlighted == 1
        await pilot.press("end")
        assert panel.highlighted == 3 and highlighted_rows(panel) == [3]
        await pilot.press("down")
        assert panel.highlighted == 3
        await pilot.press("home", "up")
        assert panel.highlighted == 0 and highlighted_rows(panel) == [0]
        # Forgetting the last memory while it is highlighted moves the highlight up.
        await pilot.press("end")
        app.network.forget(3)
        panel.show_network(app.network)
        await pilot.pause()
        assert panel.highlighted == 2 and highlighted_rows(panel) == [2]


async def test_the_highlight_is_brighter_while_the_panel_has_focus():
    app = PanelApp(network_of(2))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        panel = app.panel
        focused, plain = background(panel, 0), background(panel, 1)
        assert focused != plain
        panel.blur()
        await pilot.pause()
        assert background(panel, 0) not in (focused, plain)


def row_visible_in(panel: MemoryList, index: int, container) -> bool:
    region = panel.region
    top = region.y + index * panel.row_height - int(panel.scroll_offset.y)
    row = region.__class__(region.x, top, region.width, panel.row_height)
    return container.region.contains_region(row) and region.contains_region(row)


async def test_the_highlighted_row_scrolls_into_view_in_the_panel():
    app = PanelApp(network_of(6), height="8")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        panel = app.panel
        await pilot.press("end")
        await pilot.pause()
        assert panel.scroll_offset.y > 0
        assert row_visible_in(panel, 5, panel)
        assert PICTURES[5].name in row_text(panel, 5)[0]
        await pilot.press("home")
        await pilot.pause()
        assert panel.scroll_offset.y == 0 and row_visible_in(panel, 0, panel)


async def test_the_highlighted_row_scrolls_into_view_in_a_scrolling_side_panel():
    app = PanelApp(network_of(6), wrapped=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        side = app.query_one("#side")
        side.scroll_home(animate=False, immediate=True)  # focusing the panel scrolled to it
        await pilot.pause()
        assert not row_visible_in(app.panel, 1, side)
        await pilot.press("down")
        await pilot.pause()
        assert row_visible_in(app.panel, 1, side)
        await pilot.press("end")
        await pilot.pause()
        assert row_visible_in(app.panel, 5, side)
        assert app.panel.scroll_offset.y == 0  # the side scrolled, not the panel


async def test_page_keys_move_the_highlight_a_screenful_at_a_time():
    app = PanelApp(network_of(12), height="12")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        panel = app.panel
        await pilot.press("pagedown")
        assert panel.highlighted == 2  # 12 lines hold 3 rows: move 2, keeping one in view
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert panel.highlighted == 6 and row_visible_in(panel, 6, panel)
        await pilot.press("pageup")
        assert panel.highlighted == 4
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        assert panel.highlighted == 11


async def test_the_first_row_brings_the_title_above_the_panel_into_view():
    app = PanelApp(network_of(6), wrapped=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        side = app.query_one("#side")
        await pilot.press("end")
        await pilot.pause()
        assert side.scroll_offset.y > app.panel.virtual_region.y
        await pilot.press("home")
        await pilot.pause()
        assert side.scroll_offset.y == app.panel.virtual_region.y - 2


async def test_a_click_highlights_and_a_double_click_opens_the_menu():
    app = PanelApp(network_of(3))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        panel = app.panel
        await pilot.click(panel, offset=(12, 2 * panel.row_height))
        assert panel.highlighted == 2
        assert not isinstance(app.screen, MemoryMenu)
        await pilot.click(panel, offset=(1, panel.row_height + 1), times=2)
        await pilot.pause()
        assert panel.highlighted == 1
        assert isinstance(app.screen, MemoryMenu)
        assert app.screen.row.name == "heart"


async def test_thousands_of_memories_draw_only_the_rows_on_screen(drawn):
    rng = np.random.default_rng(0)
    network = Network(16, 16)
    for k in range(2000):
        network.imprint(rng.choice(np.array([-1, 1], dtype=np.int8), (16, 16)), f"r{k}")
    app = PanelApp(network, height="12")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        panel = app.panel
        assert len(panel.rows) == 2000 and panel.virtual_size.height == 2000 * panel.row_height
        assert len(drawn) <= 12 // panel.row_height + 1
        await pilot.press("end")
        await pilot.pause()
        assert panel.highlighted == 1999 and row_visible_in(panel, 1999, panel)
        assert "r1999" in row_text(panel, 1999)[0]
        assert len(drawn) <= 2 * (12 // panel.row_height + 1)
        # Past EAGER_VALLEYS, only the valleys of rows drawn so far were computed.
        known = np.flatnonzero(~np.isnan(panel.rows.valleys.values))
        assert 0 < len(known) <= 2 * (12 // panel.row_height + 1)
        assert panel.rows[1999].valley == pytest.approx(network.valleys([1999])[0])
        assert "valley -" in row_text(panel, 1999)[2]


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
        assert len(explanations) == 5 and all(explanations)
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
    south, north = Color.parse(PALETTE["magnet-south"]), Color.parse(PALETTE["magnet-north"])
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


class ThumbnailApp(PaletteApp):
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
        line = app.panel.render_line(1).text[: app.panel.thumbnail_size.width]
        assert set(line) <= set(" \u2580\u2584\u2588\u2591\u2592\u2593") and line.strip()


def random_network(side: int, count: int, seed: int) -> Network:
    """``count`` random memories on a ``side`` x ``side`` grid; the grid shows the first
    with a third of its spins flipped."""
    rng = np.random.default_rng(seed)
    network = Network(side, side)
    for k in range(count):
        network.imprint(rng.choice(np.array([-1, 1], dtype=np.int8), (side, side)), f"r{k}")
    spins = network.memory(0).pattern.reshape(-1).copy()
    spins[rng.choice(spins.size, spins.size // 3, replace=False)] *= -1
    network.set_state(spins.reshape(side, side))
    return network


def shown_lines(panel: MemoryList) -> list[list]:
    """What the panel shows on screen: its lines as the compositor takes them (the lines
    drawn before and not marked since are kept), as segments."""
    return [list(strip) for strip in panel.render_lines(panel.size.region)]


async def test_during_a_recall_only_the_lines_that_changed_are_drawn_again():
    network = random_network(64, 12, seed=3)
    app = PanelApp(network, height="1fr")
    async with app.run_test(size=(44, 30)) as pilot:
        await pilot.pause()
        panel = app.panel
        drawn: list[int] = []
        render_line = panel.render_line

        def counted(y: int):
            drawn.append(y)
            return render_line(y)

        panel.render_line = counted
        target = network.memory(0).pattern.reshape(-1)
        wrong = np.flatnonzero(network.state.reshape(-1) != target)
        before = [list(render_line(y)) for y in range(panel.size.height)]
        redrawn = changed = 0
        for frame in range(0, len(wrong), 40):  # a recall's frames: 40 flips each
            for index in wrong[frame : frame + 40]:
                network.flip(int(index))
            drawn.clear()
            panel.show_network(network)
            await pilot.pause()
            now = [list(render_line(y)) for y in range(panel.size.height)]
            moved = {y for y in range(len(now)) if now[y] != before[y]}
            # Every line drawn again shows something new, and every line that shows
            # something new was drawn again.
            assert set(drawn) == moved
            redrawn += len(drawn)
            changed += bool(moved)
            before = now
        frames = -(-len(wrong) // 40)
        assert changed > 0  # the target's bar grew
        assert redrawn < frames * panel.size.height / 4  # most lines stayed as they were
        final = shown_lines(panel)
    # What the panel kept showing is what a fresh panel draws from scratch.
    fresh = PanelApp(network, height="1fr")
    async with fresh.run_test(size=(44, 30)) as pilot:
        await pilot.pause()
        assert shown_lines(fresh.panel) == final
        assert "+1.00" in row_text(fresh.panel, 0)[1]

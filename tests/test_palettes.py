"""Magnet palettes: told apart under colour blindness, drawn everywhere, switched cheaply.

The colour-blindness check simulates protanopia, deuteranopia and tritanopia with
the matrices of Machado, Oliveira & Fernandes (2009), "A physiologically-based
model for simulation of color vision deficiency", IEEE TVCG 15(6), severity 1.0
(from their supplementary page, as colorspacious ships them), applied to linear
sRGB, and measures the distance of two simulated colours in CIELAB (CIE76 delta E).
"""

from __future__ import annotations

import numpy as np
import pytest
from textual.color import Color
from textual.command import CommandInput, CommandPalette
from textual.screen import Screen

from tests.test_stalls import counted
from tui_hopfield.ui.actions import BY_ID
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.memory_list import MemoryList
from tui_hopfield.ui.palette_commands import COLOURS_COMMAND, IN_USE
from tui_hopfield.ui.spin_cells import UPPER_HALF
from tui_hopfield.ui.spin_grid import SpinGrid
from tui_hopfield.ui.theme import DEFAULT_PALETTE, PALETTES, MagnetPalette, UnknownPalette

RGB = tuple[int, int, int]

MACHADO = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
VISIONS = ("normal", *MACHADO)
APART = 50.0
"""North and south at least this far apart (CIE76) under every vision; red and
green are 11 apart under deuteranopia, the default red and blue 96 at their closest."""
CURSOR_APART = 25.0
"""The cursor at least this far from the magnet it is on, under every vision."""


def rgb_of(hex_colour: str) -> RGB:
    colour = Color.parse(hex_colour)
    return colour.r, colour.g, colour.b


def linear(rgb) -> np.ndarray:
    c = np.asarray(rgb, dtype=np.float64) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def encoded(light: np.ndarray) -> np.ndarray:
    light = np.clip(light, 0, 1)
    return np.where(light <= 0.0031308, light * 12.92, 1.055 * light ** (1 / 2.4) - 0.055) * 255


def seen(rgb: RGB, vision: str) -> np.ndarray:
    """The sRGB colour a person with ``vision`` sees for ``rgb``."""
    if vision == "normal":
        return np.asarray(rgb, dtype=np.float64)
    return encoded(np.asarray(MACHADO[vision]) @ linear(rgb))


def lab(rgb) -> np.ndarray:
    """CIELAB (D65) of an sRGB colour."""
    to_xyz = np.array(
        [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    )
    xyz = to_xyz @ linear(rgb) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def apart(a: str, b: str, vision: str) -> float:
    return float(np.linalg.norm(lab(seen(rgb_of(a), vision)) - lab(seen(rgb_of(b), vision))))


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two colours."""
    light = sorted(float(linear(rgb_of(c)) @ (0.2126, 0.7152, 0.0722)) for c in (a, b))
    return (light[1] + 0.05) / (light[0] + 0.05)


# -- the colours -------------------------------------------------------------------


def test_the_check_tells_red_from_green_badly():
    """The simulation works: red and green, a classic confusion, fail it."""
    assert apart("#d7261e", "#2ca02c", "normal") > APART
    assert apart("#d7261e", "#2ca02c", "deuteranopia") < 20
    assert apart("#d7261e", "#2ca02c", "protanopia") < 40


@pytest.mark.parametrize("name", list(PALETTES))
def test_every_palette_keeps_north_south_and_cursors_apart_for_every_vision(name):
    palette = PALETTES[name]
    for vision in VISIONS:
        assert apart(palette.north, palette.south, vision) > APART, vision
        assert apart(palette.cursor_north, palette.north, vision) > CURSOR_APART, vision
        assert apart(palette.cursor_south, palette.south, vision) > CURSOR_APART, vision


def test_there_is_a_colour_blind_safe_and_a_high_contrast_palette():
    safe = PALETTES["okabe-ito"]
    assert (safe.north, safe.south) == ("#e69f00", "#0072b2")  # Okabe & Ito's orange, blue
    assert contrast(safe.north, safe.south) > 2  # apart in grey too
    high = PALETTES["high-contrast"]
    assert contrast(high.north, high.south) >= 7  # WCAG's AAA for text
    assert DEFAULT_PALETTE == next(iter(PALETTES)) == "red-blue"


# -- drawn everywhere ---------------------------------------------------------------


def grid_colours(grid: SpinGrid) -> dict[tuple[int, int], RGB]:
    """The colour every spin is drawn in, read from the grid's rendered segments."""
    pad_x, pad_y = grid._padding
    lines = [
        [(char, seg.style) for seg in grid.render_line(y) for char in seg.text]
        for y in range(grid.size.height)
    ]
    colours = {}
    for row in range(grid.rows):
        half = row * grid.zoom
        for col in range(grid.cols):
            char, style = lines[pad_y + half // 2][pad_x + col * grid.zoom]
            if char == " ":
                colour = style.bgcolor
            else:
                assert char == UPPER_HALF
                colour = style.color if half % 2 == 0 else style.bgcolor
            colours[row, col] = tuple(colour.triplet)
    return colours


def expected_colours(grid: SpinGrid, palette: MagnetPalette) -> dict[tuple[int, int], RGB]:
    cursor = grid.cursor if grid.has_focus else None
    colours = {}
    for (row, col), spin in np.ndenumerate(grid.spins):
        if (row, col) == cursor:
            colours[row, col] = rgb_of(palette.cursor_north if spin > 0 else palette.cursor_south)
        else:
            colours[row, col] = rgb_of(palette.north if spin > 0 else palette.south)
    return colours


def panel_colours(panel: MemoryList) -> set[RGB]:
    """Every colour the memory panel's lines draw in."""
    colours = set()
    for y in range(panel.size.height):
        for segment in panel.render_line(y):
            for colour in (segment.style.color, segment.style.bgcolor):
                if colour is not None and colour.triplet is not None:
                    colours.add(tuple(colour.triplet))
    return colours


async def settled(pilot, check, tries: int = 50) -> bool:
    for _ in range(tries):
        if check():
            return True
        await pilot.pause()
    return check()


@pytest.mark.parametrize("name", list(PALETTES))
async def test_each_palette_draws_the_grid_and_the_panel_in_its_colours(name):
    palette = PALETTES[name]
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2", "b")  # north and south on the grid, two thumbnails
        grid, panel = app.magnets.grid, app.magnets.memory_list
        app.apply_palette(name)
        assert app.magnet_palette == name
        assert await settled(pilot, lambda: grid_colours(grid) == expected_colours(grid, palette))
        thumbnail = {rgb_of(palette.north), rgb_of(palette.south)}
        assert await settled(pilot, lambda: thumbnail <= panel_colours(panel))
        others = {rgb_of(p.north) for p in PALETTES.values() if p is not palette}
        assert not others & panel_colours(panel)
        screenshot = app.export_screenshot().lower()  # what reaches the screen
        assert palette.north in screenshot and palette.south in screenshot
        for other in PALETTES.values():
            if other is not palette:
                assert other.north not in screenshot and other.south not in screenshot


async def test_the_cursor_and_the_shades_follow_the_palette():
    palette = PALETTES["okabe-ito"]
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(120, 40)) as pilot:
        grid = app.magnets.grid
        grid.focus()
        app.apply_palette("okabe-ito")
        await pilot.pause()
        assert await settled(pilot, lambda: grid_colours(grid) == expected_colours(grid, palette))
        values = np.zeros(grid.spins.shape)  # the modern rule's middle value: a shade
        grid.show_values(values)
        await pilot.pause()
        north, south = np.array(rgb_of(palette.north)), np.array(rgb_of(palette.south))
        middle = tuple(int(v) for v in np.rint((north + south) / 2))
        assert grid.cursor != (0, 0)
        assert grid_colours(grid)[0, 0] == middle


async def test_an_unknown_palette_is_refused_and_changes_nothing():
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        with pytest.raises(UnknownPalette, match="okabe-ito"):
            app.apply_palette("sepia")
        await pilot.pause()
        assert app.magnet_palette == DEFAULT_PALETTE
        north = app.magnets.grid.get_component_rich_style("spin-grid--north").color
        assert tuple(north.triplet) == rgb_of(PALETTES[DEFAULT_PALETTE].north)


async def test_a_palette_applied_before_the_start_is_the_first_one_drawn():
    """The config file names a palette: the app applies it before it runs."""
    app = HopfieldApp(seed=2)
    app.apply_palette("high-contrast")
    async with app.run_test(size=(80, 24)):
        north = app.magnets.grid.get_component_rich_style("spin-grid--north").color
        assert tuple(north.triplet) == rgb_of(PALETTES["high-contrast"].north)


async def test_a_switch_lays_nothing_out_again(monkeypatch):
    """Only colours change: no new layout of the screen (a theme's switch does one)."""
    app = HopfieldApp(64, 64, seed=2)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "x")
        await pilot.pause()
        layouts = counted(monkeypatch, Screen, "_refresh_layout")
        grid = app.magnets.grid
        app.apply_palette("high-contrast")
        palette = PALETTES["high-contrast"]
        assert await settled(pilot, lambda: grid_colours(grid) == expected_colours(grid, palette))
        assert layouts == []


# -- chosen from the command palette ------------------------------------------------


async def choose(pilot, query: str) -> None:
    """Type ``query`` into the open command palette and take its first answer."""
    assert await settled(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    palette = pilot.app.screen
    palette.query_one(CommandInput).value = query
    for _ in range(50):
        await pilot.pause()
        if palette._list_visible and palette.query_one("CommandList").option_count:
            break
    await pilot.press("enter")


async def test_a_palette_command_switches_the_colours():
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "b")
        grid = app.magnets.grid
        title = COLOURS_COMMAND[0].format(title=PALETTES["okabe-ito"].title)
        await pilot.press("ctrl+p")
        await choose(pilot, title)
        palette = PALETTES["okabe-ito"]
        assert await settled(pilot, lambda: grid_colours(grid) == expected_colours(grid, palette))
        assert app.magnet_palette == "okabe-ito"
        assert not isinstance(app.screen, CommandPalette)


async def test_magnet_colours_lists_the_palettes_and_applies_the_one_chosen():
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "b")
        await pilot.press("ctrl+p")
        await choose(pilot, BY_ID["app.magnet-colours"].palette)
        assert await settled(pilot, lambda: isinstance(app.screen, CommandPalette))
        listed = app.screen
        await pilot.pause()
        assert await settled(pilot, lambda: listed.query_one("CommandList").option_count == 3)
        shown = listed.query_one("CommandList")
        helps = [str(shown.get_option_at_index(k).prompt) for k in range(3)]
        assert [IN_USE in line for line in helps] == [True, False, False]
        await choose(pilot, PALETTES["high-contrast"].title)
        grid, palette = app.magnets.grid, PALETTES["high-contrast"]
        assert await settled(pilot, lambda: grid_colours(grid) == expected_colours(grid, palette))
        assert app.magnet_palette == "high-contrast"


async def test_the_latest_of_quick_switches_wins():
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        grid = app.magnets.grid
        for name in ("okabe-ito", "high-contrast", "okabe-ito", "high-contrast"):
            app.apply_palette(name)
        palette = PALETTES["high-contrast"]
        assert await settled(pilot, lambda: grid_colours(grid) == expected_colours(grid, palette))
        for _ in range(10):  # the earlier switches' stylesheets, landing late, change nothing
            await pilot.pause()
        assert grid_colours(grid) == expected_colours(grid, palette)


async def test_a_theme_chosen_during_a_switch_is_kept():
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        grid = app.magnets.grid
        app.apply_palette("okabe-ito")
        app.theme = "nord"
        palette = PALETTES["okabe-ito"]
        assert await settled(pilot, lambda: grid_colours(grid) == expected_colours(grid, palette))
        for _ in range(10):
            await pilot.pause()
        nord = Color.parse(app.get_theme("nord").background)
        assert app.magnets.styles.background == nord
        assert grid_colours(grid) == expected_colours(grid, palette)

"""Snapshots of the screen at 80x24 and 120x40 (look at each before accepting it)."""

from __future__ import annotations

import pytest
from textual.color import Color

from tests.conftest import finish_recall, set_instant
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.theme import PALETTES

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def imprint_three(pilot) -> None:
    await pilot.press("1", "2", "3")
    pilot.app.clear_notifications()
    await pilot.pause()


async def broken(pilot) -> None:
    await pilot.press("1", "2", "3", "1", "b")
    pilot.app.clear_notifications()
    await pilot.pause()


async def recalled(pilot) -> None:
    await broken(pilot)
    set_instant(pilot.app.screen)
    await pilot.press("r")
    await finish_recall(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_start(snap_compare, size):
    assert snap_compare(HopfieldApp(seed=1), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_after_imprints(snap_compare, size):
    assert snap_compare(HopfieldApp(seed=1), terminal_size=size, run_before=imprint_three)


@pytest.mark.parametrize("size", SIZES)
def test_broken(snap_compare, size):
    assert snap_compare(HopfieldApp(seed=1), terminal_size=size, run_before=broken)


@pytest.mark.parametrize("size", SIZES)
def test_recalled(snap_compare, size):
    assert snap_compare(HopfieldApp(seed=1), terminal_size=size, run_before=recalled)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, size):
    assert snap_compare(HopfieldApp(seed=1), terminal_size=size, press=["question_mark"])


async def glyphs(pilot) -> None:
    await pilot.press("1", "2", "3", "1", "b", "g")
    pilot.app.clear_notifications()
    await pilot.pause()


def test_glyphs_for_no_colour(snap_compare):
    """North and south told apart by shape alone: what NO_COLOR terminals get."""
    assert snap_compare(HopfieldApp(seed=1), terminal_size=(80, 24), run_before=glyphs)


def in_palette(name: str):
    """Broken pictures, drawn in the magnet palette ``name`` once it is in use."""

    async def run_before(pilot) -> None:
        await broken(pilot)
        pilot.app.apply_palette(name)
        north = Color.parse(PALETTES[name].north).rich_color
        grid = pilot.app.magnets.grid
        for _ in range(100):
            await pilot.pause()
            if grid.get_component_rich_style("spin-grid--north").color == north:
                break
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("name", ["okabe-ito", "high-contrast"])
def test_magnet_palette(snap_compare, name):
    """The grid, the thumbnails and the slider in the colour-blind safe and the
    high-contrast palettes."""
    assert snap_compare(HopfieldApp(seed=1), terminal_size=(80, 24), run_before=in_palette(name))


EVERY_SIZE = [
    pytest.param(size, id=f"{size[0]}x{size[1]}")
    for size in ((60, 16), (80, 24), (120, 40), (200, 60))
]


@pytest.mark.parametrize("size", EVERY_SIZE)
def test_every_size(snap_compare, size):
    """Three memories, the grid broken: nothing cut off, the grid using the room."""
    assert snap_compare(HopfieldApp(seed=1), terminal_size=size, run_before=broken)

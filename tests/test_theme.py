"""The magnet and plot colours: written once, as theme variables a theme can change."""

from __future__ import annotations

import re
from pathlib import Path

from textual.color import Color
from textual.theme import Theme

import tui_hopfield
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.theme import PALETTE

PACKAGE = Path(tui_hopfield.__file__).parent
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b")


def test_no_colour_is_written_outside_the_palette():
    written = {
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.tcss")])
        if path.name != "theme.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HEX_COLOUR.search(line)
    }
    assert not written, "colours belong in ui/theme.py's PALETTE:\n" + "\n".join(sorted(written))


async def test_the_grid_and_thumbnails_take_their_colours_from_the_theme():
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")  # a memory: its thumbnail appears in the panel
        grid, panel = app.magnets.grid, app.magnets.memory_list
        expected = Color.parse(PALETTE["magnet-north"]).rich_color
        assert grid.get_component_rich_style("spin-grid--north").color == expected
        assert panel.get_component_rich_style("memory-list--north").color == expected
        app.register_theme(
            Theme("green-north", primary="#004578", variables={"magnet-north": "#00ff00"})
        )
        app.theme = "green-north"
        await pilot.pause()
        green = Color.parse("#00ff00").rich_color
        assert grid.get_component_rich_style("spin-grid--north").color == green
        assert panel.get_component_rich_style("memory-list--north").color == green
        south = Color.parse(PALETTE["magnet-south"]).rich_color
        assert grid.get_component_rich_style("spin-grid--south").color == south

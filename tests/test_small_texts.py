"""Small texts: an overlap of zero has no sign, counts agree with their nouns and verbs,
and the help's ``tab`` line names every place the focus goes."""

from __future__ import annotations

import numpy as np
import pytest
from textual.geometry import Region

from tui_hopfield.model import Network
from tui_hopfield.model.changes import count_memories, plural
from tui_hopfield.model.rules import Rule
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.key_table import KEY_ROWS
from tui_hopfield.ui.memory_lines import overlap_text
from tui_hopfield.ui.memory_list import MemoryList
from tui_hopfield.ui.slider import Slider
from tui_hopfield.ui.spin_grid import SpinGrid


@pytest.mark.parametrize(
    ("value", "text"),
    [
        *((value, " 0.00") for value in (-0.001, -0.0049, 0.001, 0.0, -0.0)),
        *((0.5, "+0.50"), (-0.25, "-0.25"), (1.0, "+1.00"), (-1.0, "-1.00"), (-0.006, "-0.01")),
    ],
)
def test_an_overlap_that_rounds_to_zero_has_no_sign(value, text):
    assert overlap_text(value) == text


async def test_the_memory_panel_never_shows_minus_zero():
    network = Network(32, 32)
    pattern = np.ones(32 * 32, dtype=np.int8)
    network.imprint(pattern, "north")
    state = pattern.copy()
    state[:513] = -1  # overlap (511 - 513) / 1024 = -0.002
    network.set_state(state)
    app = HopfieldApp(network=network, seed=1, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(MemoryList)
        text = "\n".join(strip.text for strip in panel.render_lines(Region(0, 0, *panel.size)))
        assert "north" in text and " 0.00" in text
        assert "-0.00" not in text


def test_counts_agree_with_their_words():
    assert plural(1, "step") == "1 step" and plural(2, "step") == "2 steps"
    assert count_memories(1) == "1 memory" and count_memories(0) == "0 memories"
    assert count_memories(3) == "3 memories"


def pseudo_inverse_note(copies: int) -> str:
    """The pseudo-inverse's note for a picture stored ``copies`` + 1 times and one other."""
    rng = np.random.default_rng(3)
    network = Network(8, 8)
    picture, other = rng.choice(np.array([-1, 1], dtype=np.int8), size=(2, 64))
    for k in range(copies + 1):
        network.imprint(picture, f"copy {k}")
    network.imprint(other, "other")
    network.rule = Rule("pseudo-inverse")
    return network.landscape.note


def test_the_pseudo_inverse_says_depends_for_one_and_depend_for_more():
    assert pseudo_inverse_note(1).startswith("1 of 3 pictures depends on the others")
    assert pseudo_inverse_note(1).endswith("the projection keeps 2 directions")
    assert pseudo_inverse_note(2).startswith("2 of 4 pictures depend on the others")


async def test_the_helps_tab_line_names_every_place_the_focus_goes():
    names = {SpinGrid: "the grid", Slider: "the temperature slider", MemoryList: "the memory panel"}
    (row,) = [row for row in KEY_ROWS if "textual.focus-next" in row.ids]
    app = HopfieldApp(32, 32, seed=1, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        chain = app.screen.focus_chain
        assert {type(widget) for widget in chain} == set(names)  # nothing else to name
        for widget in chain:
            assert names[type(widget)] in row.text, widget

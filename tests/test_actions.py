"""The table of actions is where the bindings, the help, the palette and the README's
key table come from."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from textual.actions import parse
from textual.app import App
from textual.binding import Binding
from textual.keys import _character_to_key
from textual.screen import Screen

from tui_hopfield.ui.actions import ACTIONS, BY_ID, ELSEWHERE, SCREENS, bindings_for, key_label
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.boltzmann_screen import BoltzmannScreen
from tui_hopfield.ui.help_screen import HELP, HelpScreen
from tui_hopfield.ui.key_table import KEY_ROWS, key_table
from tui_hopfield.ui.lab_screen import LabScreen
from tui_hopfield.ui.magnets_screen import MagnetsScreen
from tui_hopfield.ui.memory_list import MemoryList
from tui_hopfield.ui.palette_commands import (
    COLOURS_COMMAND,
    EXPORT_COMMAND,
    PICTURE_COMMAND,
    palette_actions,
)
from tui_hopfield.ui.spin_grid import SpinGrid
from tui_hopfield.ui.theme import PALETTES

README = Path(__file__).parent.parent / "README.md"
OWNERS: dict[str, type] = {
    "app": HopfieldApp,
    "magnets": MagnetsScreen,
    "lab": LabScreen,
    "help": HelpScreen,
    "boltzmann": BoltzmannScreen,
    "grid": SpinGrid,
    "memories": MemoryList,
}
"""The class that binds each screen's (or widget's) actions."""


def table_rows(markdown: str, header: str = "| key | what it does |") -> list[tuple[str, str]]:
    """The (key cell, text cell) of each row of the markdown table under ``header``."""
    lines = markdown.splitlines()
    start = lines.index(header) + 2  # past the header and its --- row
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cells = line.strip().removeprefix("|").removesuffix("|").split(" | ")
        assert len(cells) == 2, f"a key table row has two cells: {line!r}"
        rows.append((cells[0].strip(), cells[1].strip()))
    return rows


def cell_keys(cell: str) -> set[str]:
    """The Textual key names a key cell writes in backticks (``1` ... `9``: every digit)."""
    keys = set()
    for low, high in re.findall(r"`(\d)` \.\.\. `(\d)`", cell):
        keys.update(str(digit) for digit in range(int(low), int(high) + 1))
    for token in re.findall(r"`([^`]+)`", cell):
        keys.add(_character_to_key(token) if len(token) == 1 else token)
    return keys


def test_the_readme_key_table_is_the_table_of_actions():
    expected = [(row.key_cell, row.text + row.details) for row in KEY_ROWS]
    found = table_rows(README.read_text())
    pairs = zip(found, expected, strict=False)  # a missing row is counted below
    wrong = [f"README {got!r}\n table {want!r}" for got, want in pairs if got != want]
    if len(found) != len(expected):
        wrong.append(f"README has {len(found)} rows, the table {len(expected)}")
    assert not wrong, (
        "the README's key table disagrees with tui_hopfield/ui/actions.py:\n"
        + "\n".join(wrong)
        + "\n\nthe table, for the README:\n"
        + key_table(details=True)
    )


def test_the_help_screen_shows_the_table_of_actions():
    assert key_table() in HELP
    assert table_rows(HELP) == [(row.key_cell, row.text) for row in KEY_ROWS]


def test_every_key_row_writes_the_keys_of_its_actions():
    for row in KEY_ROWS:
        written = cell_keys(row.key_cell)
        actions = [BY_ID[id_] for id_ in row.ids]
        bound = {key for action in actions for key in action.key_names}
        assert written <= bound, f"{row.key_cell}: {sorted(written - bound)} are not its keys"
        for action in actions:
            assert written & set(action.key_names), f"{row.key_cell} names no key of {action.id}"


def test_every_key_of_the_app_and_its_main_screen_is_in_the_key_table():
    documented = {id_ for row in KEY_ROWS for id_ in row.ids}
    for action in ACTIONS:
        if action.keys and action.screen in ("app", "magnets", "grid"):
            assert action.id in documented, f"{action.id} ({action.keys}) is not in the key table"


def test_ids_are_unique_and_name_their_screen():
    assert len(BY_ID) == len(ACTIONS)
    for action in ACTIONS:
        assert action.screen in SCREENS + ELSEWHERE
        assert action.id.startswith(f"{action.screen}."), action.id


@pytest.mark.parametrize("screen", SCREENS)
def test_each_screen_binds_its_actions_from_the_table_with_their_ids(screen):
    owner = OWNERS[screen]
    assert bindings_for(screen) == owner.BINDINGS
    ids = {binding.id for binding in owner.BINDINGS if isinstance(binding, Binding)}
    for action in ACTIONS:
        if action.screen == screen and action.keys:
            assert action.id in ids, f"{owner.__name__} does not bind {action.id}"


@pytest.mark.parametrize("screen", ["grid", "memories"])
def test_keys_bound_by_hand_elsewhere_are_the_tables(screen):
    """SpinGrid and MemoryList bind their own keys; the table must say the same."""

    def shape(binding: Binding) -> tuple[str, str, str, bool, str | None]:
        return binding.key, binding.action, binding.description, binding.show, binding.id

    owner = OWNERS[screen]
    assert [shape(b) for b in owner.BINDINGS] == [shape(b) for b in bindings_for(screen)]


def test_textuals_own_keys_are_the_tables():
    assert BY_ID["textual.palette"].keys == App.COMMAND_PALETTE_BINDING
    focus = BY_ID["textual.focus-next"]
    assert any(
        binding.key == focus.keys and binding.action == focus.action
        for binding in Screen.BINDINGS
        if isinstance(binding, Binding)
    )


def test_every_action_names_a_method_of_its_owner():
    for action in ACTIONS:
        namespace, name, _ = parse(action.action)
        owner = App if namespace == "app" else OWNERS.get(action.screen, App)
        assert callable(getattr(owner, f"action_{name}", None)), f"{action.id}: {action.action}"


def test_key_labels_are_what_people_type():
    assert [key_label(k) for k in ("question_mark", "minus", "plus", "equals_sign")] == list("?-+=")
    assert [key_label(k) for k in ("left_square_bracket", "F", "0")] == ["[", "F", "0"]
    assert [key_label(k) for k in ("ctrl+s", "space", "escape", "tab")] == [
        "ctrl+s",
        "space",
        "escape",
        "tab",
    ]


async def test_the_palette_offers_the_table_and_only_the_table():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "2")
        screen = app.screen
        textuals = {command.title for command in App.get_system_commands(app, screen)}
        ours = [c for c in app.get_system_commands(screen) if c.title not in textuals]
        expected = [(a.palette, a.palette_help) for a in palette_actions("magnets")]
        expected += [(a.palette, a.palette_help) for a in palette_actions("app")]
        expected += [
            (PICTURE_COMMAND[0].format(name=p.name), PICTURE_COMMAND[1].format(name=p.name))
            for p in screen.pictures
        ]
        expected += [
            (EXPORT_COMMAND[0].format(name=n), EXPORT_COMMAND[1].format(name=n))
            for n in ("smile", "heart")
        ]
        expected += [
            (COLOURS_COMMAND[0].format(title=p.title), COLOURS_COMMAND[1].format(help=p.help))
            for p in PALETTES.values()
        ]
        assert [(command.title, command.help) for command in ours] == expected
        recall = BY_ID["magnets.recall"]
        assert (recall.palette, recall.palette_help) == (
            "Recall / stop",
            "Let the magnets flip until they settle (r)",
        )


async def test_palette_commands_run_their_actions():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        screen = app.screen
        commands = {command.title: command for command in app.get_system_commands(screen)}
        before = app.network.grid().copy()
        app.call_later(commands[BY_ID["magnets.invert"].palette].callback)
        for _ in range(50):
            await pilot.pause()
            if np.array_equal(app.network.grid(), -before):
                break
        assert np.array_equal(app.network.grid(), -before)
        app.call_later(commands[BY_ID["magnets.memories"].palette].callback)
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.focused, MemoryList):
                break
        assert isinstance(app.focused, MemoryList)


async def test_the_temperature_is_set_from_the_palette_too():
    """Every key of the main screen has a palette entry (hotter and colder were missing)."""
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        pictures = "magnets.picture"  # the picture buttons, one click each
        missing = [
            a.id
            for a in ACTIONS
            if a.screen == "magnets" and not a.palette and not a.id.startswith(pictures)
        ]
        assert missing == []
        for title, expected in (
            ("Temperature up by 0.05", 0.1),
            ("Temperature down by 0.05", 0.05),
        ):
            for _ in range(1 if expected < 0.1 else 2):
                app.call_later(commands[title].callback)
                await pilot.pause()
            assert app.magnets.workspace.temperature == pytest.approx(expected)


async def test_a_keymap_moves_a_key_by_its_id():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        app.set_keymap({"magnets.clear": "z"})
        await pilot.press("1", "c")
        assert (app.network.grid() == 1).any(), "c no longer clears"
        await pilot.press("z")
        assert (app.network.grid() == -1).all(), "z clears"


def test_every_letter_key_has_its_capital_for_caps_lock_and_no_capital_does_else():
    """With Caps Lock on a letter sends its capital: it must do what the letter does."""
    for screen in SCREENS + ELSEWHERE:
        bindings = (
            OWNERS[screen].BINDINGS if screen in OWNERS else bindings_for(screen)  # textual
        )
        by_key = {}
        for binding in bindings:
            for key in binding.key.split(","):
                by_key.setdefault(key.strip(), []).append(binding.action)
        for key, actions in by_key.items():
            if len(key) == 1 and key.islower():
                assert by_key.get(key.upper()) == actions, f"{screen}: {key.upper()} != {key}"
            if len(key) == 1 and key.isupper():
                assert by_key.get(key.lower()) == actions, f"{screen}: {key} is not Caps Lock's"


def test_the_remapped_keys():
    """Destructive and screen-changing actions left the capitals of common keys."""
    keys = {id_: BY_ID[id_].keys for id_ in (
        "magnets.forget-all", "magnets.learning", "magnets.lab", "magnets.words",
        "magnets.overload",
    )}  # fmt: skip
    assert keys == {
        "magnets.forget-all": "ctrl+f",
        "magnets.learning": "ctrl+l",
        "magnets.lab": "ctrl+e",
        "magnets.words": "ctrl+t",
        "magnets.overload": "o",
    }


async def test_caps_lock_l_moves_right_and_does_not_open_the_lab():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.magnets.grid
        row, col = grid.cursor
        await pilot.press("L", "L", "J")
        assert app.screen is app.magnets, f"{type(app.screen).__name__} opened"
        assert grid.cursor == (row + 1, col + 2)
        await pilot.press("H", "K")
        assert grid.cursor == (row, col + 1)


async def test_caps_lock_f_flips_and_does_not_forget_and_ctrl_f_asks_first():
    from tui_hopfield.ui.prompts import ConfirmPrompt

    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "2")
        before = app.network.grid().copy()
        await pilot.press("F")
        assert app.screen is app.magnets, f"{type(app.screen).__name__} opened"
        assert app.network.count == 2
        flipped = (app.network.grid() != before).mean()
        assert flipped == pytest.approx(0.2, abs=0.02), "F flips 20 %, as f does"
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, ConfirmPrompt), "ctrl+f asks first"
        assert app.network.count == 2
        await pilot.press("escape")
        assert app.network.count == 2
        await pilot.press("ctrl+f")
        await pilot.press("y")
        for _ in range(20):
            if app.network.count == 0:
                break
            await pilot.pause()
        assert app.network.count == 0


async def test_caps_lock_r_recalls_and_ctrl_l_opens_the_learning_dialog():
    from tui_hopfield.ui.learning_prompt import LearningPrompt

    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "b", "R")
        assert app.screen is app.magnets
        assert app.magnets.recalling or app.magnets.state.startswith("recalled")
        await pilot.press("R")
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, LearningPrompt)


async def test_caps_lock_answers_a_dialog_as_the_lowercase_key_does():
    """Keys bound outside the table (a dialog's ``y``) work with Caps Lock on too."""
    from tui_hopfield.ui.prompts import ConfirmPrompt

    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "ctrl+f")
        assert isinstance(app.screen, ConfirmPrompt)
        await pilot.press("Y")
        for _ in range(20):
            if app.network.count == 0:
                break
            await pilot.pause()
        assert app.network.count == 0, "Y answered yes"


async def test_the_learning_button_names_the_learning_key():
    """The side panel's button said ``R change`` after ``R`` had moved to ``ctrl+l``."""
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)):
        button = app.screen.query_one("#learning-button")
        binding = Binding(BY_ID["magnets.learning"].key_names[0], "learning")
        assert str(button.label) == f"{app.get_key_display(binding)} change"

"""The keys the app binds are the keys its help screen and the README document."""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.keys import _character_to_key
from textual.screen import Screen

from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.help_screen import HELP, HelpScreen
from tui_hopfield.ui.magnets_screen import MagnetsScreen
from tui_hopfield.ui.memory_list import MemoryList
from tui_hopfield.ui.spin_grid import SpinGrid

README = Path(__file__).parent.parent / "README.md"
KEY_TABLE_HEADER = "| key | what it does |"


def bound_keys(*owners: type) -> set[str]:
    """Every key (aliases too) that the ``BINDINGS`` of these classes bind."""
    keys = set()
    for owner in owners:
        for binding in owner.BINDINGS:
            key = binding.key if isinstance(binding, Binding) else binding[0]
            keys.update(part.strip() for part in key.split(","))
    return keys


def documented_keys(markdown: str) -> set[str]:
    """The keys in the first cell of each row of the ``| key | what it does |`` table.

    Keys are written in backticks, as typed (`?`, `[`, `ctrl+s`); ```1` ... `9```
    stands for every digit from 1 to 9.
    """
    lines = markdown.splitlines()
    start = lines.index(KEY_TABLE_HEADER) + 2  # past the header and its --- row
    keys = set()
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cell = line.split("|")[1]
        for low, high in re.findall(r"`(\d)` \.\.\. `(\d)`", cell):
            keys.update(str(digit) for digit in range(int(low), int(high) + 1))
        for token in re.findall(r"`([^`]+)`", cell):
            keys.add(_character_to_key(token) if len(token) == 1 else token)
    return keys


def caps_lock(keys: set[str]) -> set[str]:
    """The capitals of the single lowercase letters among ``keys``: Caps Lock's aliases,
    which the tables do not repeat (both say once that Caps Lock does not matter)."""
    return {key.upper() for key in keys if len(key) == 1 and key.islower()}


def test_the_help_and_the_readme_document_every_key_of_the_app():
    bound = bound_keys(MagnetsScreen, HopfieldApp)
    bound -= caps_lock(bound)
    tables = {"help screen": documented_keys(HELP), "README": documented_keys(README.read_text())}
    missing = {name: sorted(bound - keys) for name, keys in tables.items() if bound - keys}
    assert not missing, f"bound but not documented: {missing}"


def test_the_help_and_the_readme_say_caps_lock_does_not_matter():
    for text in (HELP, README.read_text()):
        assert "Caps Lock does not matter" in text


def test_the_help_and_the_readme_document_the_same_keys():
    help_keys, readme_keys = documented_keys(HELP), documented_keys(README.read_text())
    assert help_keys == readme_keys, (
        f"only in the help screen: {sorted(help_keys - readme_keys)};"
        f" only in the README: {sorted(readme_keys - help_keys)}"
    )


def test_every_documented_key_is_bound():
    """No table documents a key that nothing binds (the grid's and the panel's keys,
    and Textual's own ``tab`` and command palette, count)."""
    bound = bound_keys(MagnetsScreen, HopfieldApp, SpinGrid, MemoryList, HelpScreen, App, Screen)
    bound.add(App.COMMAND_PALETTE_BINDING)
    tables = {"help screen": documented_keys(HELP), "README": documented_keys(README.read_text())}
    unbound = {name: sorted(keys - bound) for name, keys in tables.items() if keys - bound}
    assert not unbound, f"documented but bound by nothing: {unbound}"

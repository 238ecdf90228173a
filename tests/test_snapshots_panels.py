"""Snapshots of the memory panel, its menu and the imprint prompts (look before accepting)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input

from tui_hopfield.model import Network
from tui_hopfield.model.patterns import flip_fraction, library
from tui_hopfield.ui.memory_list import MemoryList
from tui_hopfield.ui.picture_prompt import PicturePrompt
from tui_hopfield.ui.text_prompt import TextPrompt
from tui_hopfield.ui.theme import PaletteApp

REPO = Path(__file__).resolve().parents[1]


class PanelApp(PaletteApp):
    """Four memories beside an empty board; the grid is a broken smile."""

    CSS = """
    #side { width: 46; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="side"):
            yield MemoryList(id="memories")

    def on_mount(self) -> None:
        pictures = library(32, 32)
        network = Network(32, 32)
        for picture in pictures[:4]:
            network.imprint(picture.spins, picture.name)
        network.reinforce(1, 2)
        network.set_state(flip_fraction(pictures[0].spins, 0.2, np.random.default_rng(3)))
        panel = self.query_one(MemoryList)
        panel.show_network(network)
        panel.focus()


class PromptApp(PaletteApp):
    """Opens one prompt."""

    def __init__(self, prompt) -> None:
        super().__init__()
        self.prompt = prompt

    def on_mount(self) -> None:
        self.push_screen(self.prompt)


async def steady(pilot) -> None:
    """Wait for previews to load and stop the cursors blinking."""
    await pilot.app.workers.wait_for_complete()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
        field.cursor_position = len(field.value)
    await pilot.pause()


def test_memory_panel(snap_compare):
    async def second_row(pilot) -> None:
        await pilot.press("down")
        await pilot.pause()

    assert snap_compare(PanelApp(), terminal_size=(60, 18), run_before=second_row)


def test_memory_menu(snap_compare):
    async def menu(pilot) -> None:
        await pilot.press("down", "enter")
        await steady(pilot)

    assert snap_compare(PanelApp(), terminal_size=(80, 24), run_before=menu)


def test_picture_prompt(snap_compare, monkeypatch):
    monkeypatch.chdir(REPO)

    async def cat(pilot) -> None:
        await pilot.pause()
        pilot.app.screen.query_one("#path", Input).value = "assets/pictures/cat.png"
        await steady(pilot)

    app = PromptApp(PicturePrompt(32, 32, "assets/pictures"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=cat)


def test_picture_prompt_error(snap_compare, monkeypatch):
    monkeypatch.chdir(REPO)

    async def missing(pilot) -> None:
        await pilot.pause()
        pilot.app.screen.query_one("#path", Input).value = "assets/pictures/dog.png"
        await steady(pilot)

    app = PromptApp(PicturePrompt(32, 32, "assets/pictures"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=missing)


def test_text_prompt(snap_compare):
    app = PromptApp(TextPrompt(32, 32, "Hello world"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=steady)

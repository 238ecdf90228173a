"""The Textual application."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui_hopfield import __version__
from tui_hopfield.model import Network, library
from tui_hopfield.ui.help_screen import HelpScreen
from tui_hopfield.ui.magnets_screen import MagnetsScreen


class HopfieldApp(App[None]):
    """Brain magnets: a Hopfield network you can draw on, break and watch recall."""

    CSS_PATH = "app.tcss"
    TITLE = "tui-hopfield"
    SUB_TITLE = "brain magnets"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, rows: int = 32, cols: int = 32, seed: int | None = None) -> None:
        super().__init__()
        self.network = Network(rows, cols)
        """The model: memories and the state of the grid."""
        self.rng = np.random.default_rng(seed)
        """The one source of randomness, seeded by ``--seed``."""
        self.pictures = library(rows, cols)
        """The built-in pictures, resized to the grid."""

    def get_default_screen(self) -> Screen:
        return MagnetsScreen(self.network, self.pictures, self.rng)

    def action_help(self) -> None:
        """Show every key and mouse action."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, MagnetsScreen):
            return
        commands = [
            ("Recall / stop", "Let the magnets flip until they settle (r)", screen.action_recall),
            (
                "Imprint my drawing",
                "Store the grid as a new memory (i)",
                screen.action_imprint_drawing,
            ),
            (
                "Break: scramble half",
                "A random half of the spins get random values (b)",
                lambda: screen.action_break("scramble"),
            ),
            (
                "Break: wipe bottom half",
                "Set the bottom half to south (w)",
                lambda: screen.action_break("wipe"),
            ),
            ("Break: invert", "Turn every spin over (v)", lambda: screen.action_break("invert")),
            ("Clear the grid", "Every spin south (c)", screen.action_clear),
            ("Random grid", "Every spin random (x)", screen.action_randomize),
            ("Forget all memories", "Remove every memory (F)", screen.action_forget_all),
            ("Temperature to zero", "Pure descent: energy never rises (t)", screen.action_freeze),
            ("Recall faster", "More flips per second (+)", lambda: screen.action_speed(1)),
            ("Recall slower", "Fewer flips per second (-)", lambda: screen.action_speed(-1)),
            ("Help", "Every key and mouse action (?)", self.action_help),
        ]
        for percent in (10, 20, 30, 40):
            commands.append(
                (
                    f"Break: flip {percent}%",
                    f"Flip {percent}% of the spins at random",
                    lambda p=percent: screen.action_break("flip", p / 100),
                )
            )
        for k, picture in enumerate(screen.pictures):
            commands.append(
                (
                    f"Imprint picture: {picture.name}",
                    f"Show {picture.name} and imprint it",
                    lambda k=k: screen.action_picture(k),
                )
            )
        for title, help_text, callback in commands:
            yield SystemCommand(title, help_text, callback)

    @property
    def version(self) -> str:
        """The installed version."""
        return __version__

"""The Textual application."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from textual import events
from textual.app import SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tui_hopfield import __version__
from tui_hopfield.model import ModelError, Network, library
from tui_hopfield.model.names import visible
from tui_hopfield.model.patterns import format_names
from tui_hopfield.model.store import Session, save
from tui_hopfield.paths import autosave_path
from tui_hopfield.ui.commands import PlainCommands
from tui_hopfield.ui.help_screen import HelpScreen
from tui_hopfield.ui.magnets_screen import MagnetsScreen
from tui_hopfield.ui.prompts import UnsavedPrompt
from tui_hopfield.ui.theme import PaletteApp


class HopfieldApp(PaletteApp[None]):
    """Brain magnets: a Hopfield network you can draw on, break and watch recall."""

    CSS_PATH = "app.tcss"
    TITLE = "tui-hopfield"
    SUB_TITLE = "brain magnets"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = {PlainCommands}

    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        rows: int = 32,
        cols: int = 32,
        seed: int | None = None,
        *,
        network: Network | None = None,
        temperature: float = 0.0,
        autosave: bool = False,
        saved: bool = True,
        session_path: Path | None = None,
        mode: str = "async",
    ) -> None:
        super().__init__()
        self.network = network if network is not None else Network(rows, cols)
        """The model: memories and the state of the grid."""
        self.rng = np.random.default_rng(seed)
        """The one source of randomness, seeded by ``--seed``."""
        self.pictures = library(self.network.rows, self.network.cols)
        """The built-in pictures, resized to the grid."""
        self.autosave = autosave
        """Whether quitting saves the session to the data folder for ``--resume``."""
        self.temperature = temperature
        """The temperature at start."""
        self.saved = saved
        """Whether the memories at start are already in a file."""
        self.session_path = session_path
        """The session file opened at start, if any."""
        self.mode = mode
        """The update mode at start: ``async`` or ``sync``."""

    def on_mount(self) -> None:
        # Full garbage collections rescan every long-lived object start-up made
        # (widgets, styles, caches) and stalled a 256x256 recall for 30-200 ms
        # every ~350 ms; freezing them leaves collections the young objects only.
        self.call_after_refresh(gc.freeze)

    def get_default_screen(self) -> Screen:
        screen = MagnetsScreen(self.network, self.pictures, self.rng, self.temperature, self.mode)
        if not self.saved:
            screen.saved_revision = -1
        screen.session_path = self.session_path
        return screen

    @property
    def magnets(self) -> MagnetsScreen:
        """The main screen."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MagnetsScreen)
        return screen

    async def action_quit(self) -> None:
        """Quit, asking first when memories were never saved."""
        magnets = self.magnets
        question = self.screen
        if isinstance(question, UnsavedPrompt):
            if question.go == "Quit":
                question.close("go")  # ctrl+q again in the quit question: quit
                return
            question.close("cancel")  # ctrl+q in another question: that one is dropped
        note = (
            f"Quitting autosaves them to {autosave_path()}; tui-hopfield --resume reopens it."
            if self.autosave
            else "Quitting without saving loses them."
        )
        magnets.confirm_unsaved(note, "Quit", self._autosave_and_exit)

    def _autosave_and_exit(self) -> None:
        magnets = self.magnets
        if self.autosave and self.network.count:
            try:
                save(
                    Session.of(self.network, magnets.temperature, magnets.mode),
                    autosave_path(),
                )
            except ModelError as error:
                # Never trap the user in the app: quit, and say what was not saved.
                self.exit(return_code=1, message=f"tui-hopfield: autosave failed: {error}")
                return
        self.exit()

    def pop_screen(self) -> AwaitComplete:
        """Close the top screen; never the main one.

        A dialog that gets two closing events in one burst (two clicks on the
        command palette's background, say) dismisses itself twice; the second
        time there is nothing left to pop, and that must not end the app.
        """
        if len(self.screen_stack) <= 1:
            return AwaitComplete(asyncio.sleep(0))
        return super().pop_screen()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Show a toast, always as plain text, whatever ``markup`` says.

        Messages carry names, paths and error texts from files and users, and
        screens pass ``markup=True`` by default: none is ever read as markup,
        and every control character is made visible (``names.visible``).
        """
        super().notify(
            visible(str(message), newlines=True),
            title=visible(str(title)),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def action_help_quit(self) -> None:
        """Say how to quit (ctrl+c): Textual's own message is markup, shown plain here."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {key} to quit the app", title="Do you want to quit?")
                return

    async def on_event(self, event: events.Event) -> None:
        """Handle an event; input that arrives once the app is shutting down is dropped.

        Textual (8.2.8) dispatches the app's queue until ``App._shutdown`` closes
        it, after emptying the screen stacks; a key or click still queued then
        (one bubbled back from a widget, say) reached ``App._check_bindings``
        with no screen and raised ``ScreenStackError``. ``run_test`` shuts down
        this way; no upstream issue was found for it.
        """
        if isinstance(event, (events.InputEvent, events.Paste)) and not self.is_running:
            return
        await super().on_event(event)

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
            (
                "Learning rule and settings",
                "Hebb, Storkey, pseudo-inverse, dense, modern; mode, decay, use (R)",
                screen.action_learning,
            ),
            (
                "Update mode: async / sync",
                "One spin at a time, or the whole grid at once (m)",
                screen.action_mode,
            ),
            (
                "Imprint an image file",
                f"Any {format_names()} file: preview, threshold, name (p)",
                screen.action_open_picture,
            ),
            (
                "Imprint words",
                "A word or short sentence drawn with a font (T)",
                screen.action_type_text,
            ),
            (
                "Memories panel",
                "Pick a memory: reinforce, forget, rename, show (tab, enter)",
                screen.memory_list.focus,
            ),
            (
                "Lab: experiments",
                "Capacity sweep and the letting-go study, with plots (L)",
                screen.action_lab,
            ),
            (
                "Overload with random memories",
                "Imprint random patterns up to a load, past ~0.138 N (O)",
                screen.action_overload,
            ),
            ("Save session", "Save memories, grid and settings (ctrl+s)", screen.action_save),
            ("Open session", "Open a saved session (ctrl+o)", screen.action_open),
            ("Export grid as PNG", "One pixel a spin (e)", screen.action_export),
            ("Glyphs on/off", "North \u2588, south blank: for no colour (g)", screen.action_glyphs),
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
        for k, name in enumerate(screen.network.names):
            commands.append(
                (
                    f"Export memory: {name}",
                    f"Save {name} as a PNG",
                    lambda k=k: screen.action_export(k),
                )
            )
        for title, help_text, callback in commands:
            yield SystemCommand(title, help_text, callback)

    @property
    def version(self) -> str:
        """The installed version."""
        return __version__

"""The Textual application."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from weakref import WeakKeyDictionary

import numpy as np
from textual import events
from textual.app import SystemCommand
from textual.await_complete import AwaitComplete
from textual.command import CommandPalette, SimpleCommand, SimpleProvider
from textual.css.query import NoMatches
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets._toast import ToastRack

from tui_hopfield import __version__
from tui_hopfield.config import Config, remember
from tui_hopfield.model import ModelError, Network, library
from tui_hopfield.model.changes import SPEEDS, count_memories
from tui_hopfield.model.names import visible
from tui_hopfield.model.paths import (
    autosave_path,
    config_path,
    free_path,
    recovery_files,
    recovery_path,
)
from tui_hopfield.model.preload import start as preload_compiled
from tui_hopfield.model.store import Session, load, save
from tui_hopfield.ui.actions import bindings_for
from tui_hopfield.ui.autosave import WRITING
from tui_hopfield.ui.commands import PlainCommands
from tui_hopfield.ui.guards import (
    Palette,
    fold_toasts,
    guard_palette_dismiss,
    guard_stale_option_click,
    guard_zero_width_text,
)
from tui_hopfield.ui.intro_screen import IntroScreen
from tui_hopfield.ui.magnets_screen import MagnetsScreen
from tui_hopfield.ui.palette_commands import colour_commands, palette_commands
from tui_hopfield.ui.prompts import UnsavedPrompt
from tui_hopfield.ui.recovery_prompt import RecoveryPrompt, describe
from tui_hopfield.ui.screen_export import save_screenshot
from tui_hopfield.ui.settings import check_name, keymap
from tui_hopfield.ui.theme import PALETTES, PaletteApp
from tui_hopfield.ui.tour_panel import TourRunner

guard_zero_width_text()
guard_stale_option_click()
guard_palette_dismiss()
fold_toasts()

NARROW = 60
"""Terminals narrower than this stack a dialog's buttons, one line each: side by side,
three buttons squeezed to no width crashed Textual's text wrapping (18-24 columns).
The class is on the app, not a screen breakpoint: a screen gets its breakpoint classes
only at its first resize, after its first layout."""
SCREENSHOT_WAITS = 20
"""Repaints a screenshot waits at most for the command palette to close."""


def _settle_garbage() -> None:
    """Keep what start-up made out of the collector's passes (``gc.freeze``), then let
    it collect again."""
    gc.freeze()
    gc.enable()


class HopfieldApp(TourRunner, PaletteApp[None]):
    """Brain magnets: a Hopfield network you can draw on, break and watch recall."""

    CSS_PATH = "app.tcss"
    TITLE = "tui-hopfield"
    SUB_TITLE = "brain magnets"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = {PlainCommands}

    BINDINGS = bindings_for("app")

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
        offer_recovery: bool = False,
        config: Config | None = None,
        intro: bool = False,
        tour: bool = False,
    ) -> None:
        super().__init__()
        self.config = config if config is not None else Config()
        self._pushed_at: WeakKeyDictionary[Screen, float] = WeakKeyDictionary()
        """When each screen was pushed: the notices raised before are not its toasts."""
        """The config file's settings (the command line's options already over them);
        its problems are shown at start."""
        self.start_tour = tour
        """Whether the start opens the guided tour (``--tour``; the intro is not shown then)."""
        self.intro = intro and not tour
        """Whether the start shows the "what am I looking at" screen (the command asks
        for it at the first start; tests never unless they ask)."""
        self._remembered_theme = self.config.theme or self.theme
        """The theme the config holds: choosing another one writes it there."""
        self._remembered_palette = self.config.palette or self.magnet_palette
        """The magnet palette the config holds: choosing another one writes it there."""
        self.moved_keys: dict[str, str] = {}
        """The config's keymap, as applied: action id -> its keys (the help lists them)."""
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
        self.offer_recovery = offer_recovery
        """Whether the start offers to reopen a session a crash saved (the command does)."""
        self.recovered_to: Path | None = None
        """Where an unhandled error saved the session, once it has."""
        self.recovery_problem: str | None = None
        """Why an unhandled error could not save the session, if it could not."""
        self.reopened_recovery: Path | None = None
        """The crash's file reopened at start: removed on a clean quit, reused by a crash."""
        self._autosave_stamp = _stamp(autosave_path()) if autosave else None
        """The autosave as this instance found it: another instance may write it meanwhile."""
        self._own_autosave: tuple[Path, tuple[int, int, int] | None] | None = None
        """The file this instance autosaved to last, and its stamp then."""

    def on_mount(self) -> None:
        # Full garbage collections rescan every long-lived object start-up made
        # (widgets, styles, caches) and stalled a 256x256 recall for 30-200 ms
        # every ~350 ms; freezing them leaves collections the young objects only.
        # (``cli`` turns the collector off for the start; it comes back on here.)
        self.call_after_refresh(_settle_garbage)
        # numba and the compiled kernels load in a thread once the screen is up, so that
        # the first imprint does not wait for them on the event loop (0.7 to 1 s).
        self.call_after_refresh(preload_compiled)
        self._apply_config()
        if self.start_tour:
            self.call_after_refresh(self.open_tour)
        if self.intro:
            self.call_after_refresh(self.show_intro, first_start=True)
        elif self.offer_recovery:
            self.call_after_refresh(self._offer_recovery)

    # -- the config file ------------------------------------------------------

    def _apply_config(self) -> None:
        """Apply the config's theme, palette and keys; show what was wrong in it."""
        config = self.config
        theme = check_name(config, "theme", self.available_themes)
        if theme is not None:
            self._remembered_theme = theme
            self.theme = theme
        palette = check_name(config, "palette", self.magnet_palettes())
        if palette is not None:
            self.apply_magnet_palette(palette)
        keys = keymap(config)
        if keys:
            self.set_keymap(keys)
        self.moved_keys = keys
        if config.speed is not None:
            speed = SPEEDS.index(config.speed)
            self.call_after_refresh(setattr, self.magnets, "speed_index", speed)
        if config.problems:
            count = len(config.problems)
            self.notify(
                "\n".join(str(problem) for problem in config.problems),
                title=f"{count} problem{'s' if count > 1 else ''} in the config file"
                " (defaults used for those)",
                severity="warning",
                timeout=30,
            )

    def magnet_palettes(self) -> tuple[str, ...]:
        """The magnet palettes by name: what the config's ``palette`` is checked against."""
        return tuple(PALETTES)

    def apply_magnet_palette(self, name: str) -> None:
        """Show the magnets in palette ``name`` (one of ``magnet_palettes()``) from the
        config at start: no need to write it back."""
        self._remembered_palette = name
        self.apply_palette(name)

    def apply_palette(self, name: str) -> None:
        """Use the magnet palette ``name`` and remember a new choice for the next start."""
        super().apply_palette(name)
        if name != self._remembered_palette and self.remember_setting("palette", name):
            self._remembered_palette = name

    def remember_setting(self, key: str, value: str | bool) -> bool:
        """Write ``key = value`` into the config file (atomically, keeping its comments);
        say so and return False when it cannot be written."""
        path = self.config.path or config_path()
        try:
            remember(path, key, value)
        except (OSError, ValueError) as error:
            self.notify(f"Not remembered in {path}: {error}", severity="warning", timeout=8)
            return False
        return True

    def watch_theme(self, theme: str) -> None:
        """A theme chosen (in the command palette) is remembered for the next start."""
        if theme != self._remembered_theme and self.remember_setting("theme", theme):
            self._remembered_theme = theme

    def show_intro(self, first_start: bool = False) -> None:
        """Show the "what am I looking at" screen; at the ``first_start``, closing it
        writes ``intro = false`` so it is not shown again, then offers a crashed session
        if there is one."""
        if isinstance(self.screen, IntroScreen):
            return

        def closed(_: None) -> None:
            if first_start:
                self.intro = False
                self.remember_setting("intro", False)
                if self.offer_recovery:
                    self._offer_recovery()

        self.push_screen(IntroScreen(), closed)

    def action_intro(self) -> None:
        """Show the "what am I looking at" screen again."""
        self.show_intro()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    def get_default_screen(self) -> Screen:
        return MagnetsScreen(
            self.network,
            self.pictures,
            self.rng,
            self.temperature,
            self.mode,
            saved=self.saved,
            session_path=self.session_path,
        )

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
            if question.go.startswith("Quit"):
                question.close("go")  # ctrl+q again in a quit question: quit
                return
            question.close("cancel")  # ctrl+q in another question: that one is dropped
        target = self.autosave_target()
        if not self.autosave:
            note = "Quitting without saving loses them."
        elif target == autosave_path():
            note = f"Quitting autosaves them to {target}; tui-hopfield --resume reopens it."
        else:
            note = (
                f"Another tui-hopfield wrote {autosave_path()} after this one started: "
                f"quitting autosaves them to {target} instead."
            )
        magnets.confirm_unsaved(note, "Quit", self._autosave_and_exit)

    def autosave_target(self) -> Path:
        """Where quitting autosaves: the autosave, unless another instance wrote it since
        this one started; then a numbered one beside it, so neither overwrites the other."""
        own = self._own_autosave
        if own is not None and _stamp(own[0]) == own[1]:
            return own[0]  # this instance's own autosave, as it wrote it
        path = autosave_path()
        now = _stamp(path)
        if now is None or now == self._autosave_stamp:
            return path
        return free_path(path)

    def autosaved(self, path: Path) -> None:
        """This instance wrote its autosave to ``path`` (periodically): the next goes there too."""
        self._own_autosave = (path, _stamp(path))

    def _autosave_and_exit(self) -> None:
        magnets = self.magnets
        message = None
        if self.autosave and self.network.count:
            target = self.autosave_target()
            try:
                with WRITING:  # after a periodic autosave being written, never before it
                    written = save(magnets.workspace.session(), target)
            except ModelError as error:
                self._autosave_failed(target, error)
                return
            if written != autosave_path():
                message = (
                    f"tui-hopfield: another tui-hopfield wrote {autosave_path()} after this one "
                    f"started, so this session was autosaved to {written}; "
                    f"tui-hopfield --load {written} reopens it."
                )
        self._exit_cleanly(message)

    def _autosave_failed(self, target: Path, error: ModelError) -> None:
        """The autosave at quit failed: quit anyway only if nothing is lost, else ask."""
        magnets = self.magnets
        if not magnets.unsaved:
            # Every memory is in a file already: nothing is lost, say so and quit.
            self._exit_cleanly(f"tui-hopfield: autosave failed (the session is saved): {error}")
            return

        def answered(choice: str | None) -> None:
            if choice == "go":
                self._exit_cleanly()
            elif choice == "save":
                magnets.action_save_then(self._exit_cleanly)

        note = (
            f"The autosave failed: {error}. The app stays open: save them somewhere else, "
            "or quit without saving."
        )
        self.push_screen(UnsavedPrompt(self.network.count, note, "Quit without saving"), answered)

    def _exit_cleanly(self, message: str | None = None) -> None:
        """Quit; a crash's session reopened at start is now kept elsewhere or let go."""
        if self.reopened_recovery is not None:
            self.reopened_recovery.unlink(missing_ok=True)
            self.reopened_recovery = None
        self.exit(message=message)

    # -- a crash never loses the session --------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """An unhandled error: save the session to a recovery file, then let Textual exit."""
        if self.recovered_to is None and self.recovery_problem is None:
            self._save_recovery()
        super()._handle_exception(error)

    def _save_recovery(self) -> None:
        """Write the session atomically to the data folder; never raise."""
        try:
            network = self.network
            if not network.count:
                return
            try:
                session = self.magnets.workspace.session()
            except Exception:
                session = Session.of(network, self.temperature, self.mode)
            target = self.reopened_recovery or recovery_path()
            self.recovered_to = save(session, target)
        except Exception as problem:  # the app is going down: report, never mask the error
            self.recovery_problem = str(problem) or type(problem).__name__

    def _print_error_renderables(self) -> None:
        super()._print_error_renderables()
        if self.recovered_to is not None:
            count = self.network.count
            memories = "1 memory" if count == 1 else f"{count} memories"
            print(
                f"tui-hopfield: the session ({memories}) was saved to {self.recovered_to}; "
                "the next start offers to reopen it.",
                file=sys.stderr,
            )
        elif self.recovery_problem is not None:
            print(
                f"tui-hopfield: the session could not be saved: {self.recovery_problem}",
                file=sys.stderr,
            )

    def _offer_recovery(self) -> None:
        """At start: offer the newest session a crash saved (reopen, discard, later)."""
        found = recovery_files()
        if not found:
            return
        path, older = found[0], len(found) - 1
        try:
            session, problem = load(path), None
        except ModelError as error:
            session, problem = None, str(error)

        def answered(choice: str | None) -> None:
            if choice == "reopen" and session is not None:
                self.magnets.confirm_unsaved(
                    "Reopening the crashed session replaces them.",
                    "Reopen anyway",
                    lambda: self._reopen(path, session),
                )
            elif choice == "discard":
                try:
                    path.unlink(missing_ok=True)
                except OSError as error:
                    self.notify(f"Not discarded: {error}", markup=False, severity="error")
                    return
                self.notify(f"Discarded {path}.", markup=False, timeout=4)
            elif choice == "later":
                self.notify(
                    f"Kept {path}: the next start offers it again.", markup=False, timeout=4
                )

        self.push_screen(
            RecoveryPrompt(describe(path, session, problem, older), session is not None), answered
        )

    def _reopen(self, path: Path, session: Session) -> None:
        """Show the crashed session; it counts as never saved, so quitting asks."""
        magnets = self.magnets
        magnets.replace_network(session.network())
        magnets.mode = session.mode
        magnets.temperature = session.temperature
        magnets.workspace.mark_unsaved()
        magnets.session_path = None
        self.reopened_recovery = path
        self.notify(
            f"Reopened {count_memories(self.network.count)} from the crash. "
            "They are in no session file yet: ctrl+s saves them.",
            markup=False,
            timeout=6,
        )

    def push_screen(self, screen: Screen | str, *args, **kwargs):
        """Push a screen as Textual does, noting when (``_refresh_notifications``)."""
        pushed = self.get_screen(screen) if isinstance(screen, str) else screen
        self._pushed_at[pushed] = time.time()
        return super().push_screen(screen, *args, **kwargs)

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
        and every control character is made visible (``names.visible``). A long
        path wraps at its separators, not mid-word (``guards.fold_toasts``).
        """
        super().notify(
            visible(str(message), newlines=True),
            title=visible(str(title)),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def _refresh_notifications(self) -> None:
        """Show the notifications: on the main screen's message line, and as toasts on
        other screens (Textual calls this on every notification, expiry, clearing and
        screen change).

        A screen's toasts are only the notices raised since it was pushed: what the main
        screen said before a dialog opened stays on its message line, under the dialog,
        and never covers the dialog's fields.
        """
        screens = self.screen_stack
        if screens and isinstance(screens[0], MagnetsScreen) and screens[0].messages.is_mounted:
            screens[0].messages.show(self._notifications)
        if not screens:
            return
        screen = screens[-1]
        try:
            rack = screen.get_child_by_type(ToastRack)
        except NoMatches:
            return  # the main screen has none; another's comes when it is composed
        since = self._pushed_at.get(screen, 0.0)
        fresh = [note for note in self._notifications if note.raised_at >= since]
        self.call_later(rack.show, fresh)

    def action_help_quit(self) -> None:
        """Say how to quit (ctrl+c): Textual's own message is markup, shown plain here."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {key} to quit the app", title="Do you want to quit?")
                return

    async def on_event(self, event: events.Event) -> None:
        """Handle an event, dropping input that can only crash Textual.

        Textual (8.2.8) dispatches the app's queue until ``App._shutdown`` closes
        it, after emptying the screen stacks; a key or click still queued then
        (one bubbled back from a widget, say) reached ``App._check_bindings``
        with no screen and raised ``ScreenStackError``. ``run_test`` shuts down
        this way; no upstream issue was found for it.

        A press on a widget being removed (its parent already gone, still drawn
        until the next layout) made Textual's text selection read the region of
        its missing parent: AttributeError (fuzz seed 1, the lab at 17 columns).
        """
        if isinstance(event, (events.InputEvent, events.Paste)) and not self.is_running:
            return
        if (
            isinstance(event, events.MouseDown)
            and not event.is_forwarded
            and self._screen_stack
            and self.screen.allow_select
        ):
            widget, _ = self.screen.get_widget_and_offset_at(event.x, event.y)
            if widget is not None and widget is not self.screen and widget.parent is None:
                return  # dropped: what was pressed is going away
        await super().on_event(event)

    async def _check_bindings(self, key: str, priority: bool = False) -> bool:
        """Run the binding of ``key``; a capital letter bound nowhere runs its lowercase
        key's (Caps Lock on: ``Y`` answers yes in a dialog as ``y`` does). The table of
        actions binds the capitals of its letters itself; this covers every other key."""
        if await super()._check_bindings(key, priority):
            return True
        if len(key) == 1 and key.isascii() and key.isupper():
            return await super()._check_bindings(key.lower(), priority)
        return False

    def action_command_palette(self) -> None:
        """Show the command palette (ours: guarded against two Textual crashes)."""
        # Textual asks only whether the top screen is a palette: with a dialog over an
        # open palette (ctrl+q is a priority key) a second one crashed (DuplicateIds).
        # No id: one asked for while the last one, closed, was still being removed
        # crashed on Textual's id for it (fuzz seed 3); nothing looks the palette up by id.
        if self.use_command_palette and not any(
            isinstance(screen, CommandPalette) for screen in self.screen_stack
        ):
            self.push_screen(Palette())

    def action_help(self) -> None:
        """Show every key and mouse action."""
        # Imported when first opened: its Markdown pulls in markdown-it and pygments,
        # a quarter of what importing the app costs (tests/test_startup.py).
        from tui_hopfield.ui.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_magnet_colours(self) -> None:
        """Choose the magnets' palette from a list of them (``theme.PALETTES``)."""
        commands = [
            SimpleCommand(title, callback, help_text)
            for title, help_text, callback, _ in colour_commands(self, mark=True)
        ]
        self.push_screen(
            Palette(
                providers=[SimpleProvider(self.screen, commands)],
                placeholder="Search for magnet colours\u2026",
            )
        )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            # Textual's own Screenshot (ours, atomic: deliver_screenshot) is the table's here.
            if command.title != "Screenshot" or not isinstance(screen, MagnetsScreen):
                yield command
        if not isinstance(screen, MagnetsScreen):
            return
        yield from palette_commands(self, screen)

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG screenshot of the screen in the current folder, atomically; name it.

        From the command palette the palette is still closing: the shot waits for it
        to be gone (a few repaints at most), so it shows the screen under it.
        """
        self._shoot_screen(SCREENSHOT_WAITS)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Textual's Screenshot command (and ``action_screenshot``): ours, atomic."""
        self._shoot_screen(SCREENSHOT_WAITS)
        return None

    def _shoot_screen(self, waits: int) -> None:
        if waits and isinstance(self.screen, CommandPalette):
            self.call_after_refresh(self._shoot_screen, waits - 1)
            return
        try:
            written = save_screenshot(self)
        except ModelError as error:
            self.notify(str(error), title="No screenshot", severity="error")
            return
        self.notify(f"Saved the screen to {written}.", title="Screenshot", timeout=6)

    @property
    def version(self) -> str:
        """The installed version."""
        return __version__


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells one version of a file from another: inode, size and modification time."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns

"""The main screen: a thin map from events to the workspace and from its changes to widgets.

The session itself (network, settings, named state, unsaved flag) is a
``Workspace`` (``model.workspace``); the screen holds one reactive
``Snapshot`` of what the status bar and the settings show, and applies each
edit's changed spins to the grid. Recall pacing, sessions on disk, the
overload, the learning and the jobs live in the mixins beside this file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Container, Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive, var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Label, Sparkline, Static
from textual.widgets._toast import ToastRack

from tui_hopfield.model import Network, Picture, Verdict
from tui_hopfield.model.changes import (
    DEFAULT_SPEED,
    SPEEDS,
    Change,
    Snapshot,
    speed_label,
    step_seconds,
)
from tui_hopfield.model.overload import OVERLOAD_BYTES
from tui_hopfield.model.rules import MAX_BETA, MIN_BETA, Rule
from tui_hopfield.model.workspace import Workspace
from tui_hopfield.ui.actions import bindings_for
from tui_hopfield.ui.autosave import PeriodicAutosave
from tui_hopfield.ui.fit_text import fit_phrases
from tui_hopfield.ui.job_runner import JobRunner
from tui_hopfield.ui.learning_actions import LearningActions
from tui_hopfield.ui.line_compositor import LineCompositor
from tui_hopfield.ui.memory_actions import MemoryActions
from tui_hopfield.ui.memory_list import MemoryList
from tui_hopfield.ui.message_line import MessageLine
from tui_hopfield.ui.overload import OverloadActions
from tui_hopfield.ui.pin_actions import PinActions
from tui_hopfield.ui.race_screen import RaceActions
from tui_hopfield.ui.recall_runner import RecallRunner
from tui_hopfield.ui.replay_actions import ReplayActions
from tui_hopfield.ui.screen_layout import (
    COMPACT_HEIGHT,
    NARROW_SIDE,
    Arrangement,
    arrange,
)
from tui_hopfield.ui.session_actions import SessionActions
from tui_hopfield.ui.side_views import SideView, ViewActions
from tui_hopfield.ui.slider import Slider
from tui_hopfield.ui.spin_grid import SpinGrid
from tui_hopfield.ui.status_bar import StatusBar
from tui_hopfield.ui.undo_actions import UndoActions

__all__ = [
    "DEFAULT_SPEED",
    "MIN_HEIGHT",
    "MIN_WIDTH",
    "OVERLOAD_BYTES",
    "SPEEDS",
    "MagnetsScreen",
    "speed_label",
    "step_seconds",
]

MIN_WIDTH, MIN_HEIGHT = 60, 16
"""The smallest terminal the layout works in; below it a message asks for more room."""
HEADER_HEIGHT = 30
"""Terminals shorter than this drop the header: its line goes to the grid."""
MEMORY_LINES = 9
"""Lines the memory panel keeps beside the controls (its title and two rows), room allowing."""

HINTS = {
    "grid": "grid: arrows or h j k l move, space turns a spin, n / s brush \u00b7 tab: next",
    "temperature": "temperature slider: \u2190 \u2192 a step, page up / down ten,"
    " home / end the ends \u00b7 tab: next",
    "beta": "beta slider: \u2190 \u2192 a step, page up / down ten, home / end the ends"
    " \u00b7 tab: next",
    "memories": "memories: \u2191 \u2193 choose, enter opens its menu \u00b7 tab: next",
}
"""What the message line says while a widget has the focus and no message shows."""


class Body(Horizontal):
    """The grid's board and the side panel; tells the screen its size to arrange them."""

    def on_resize(self, event: events.Resize) -> None:
        screen = self.screen
        if isinstance(screen, MagnetsScreen):
            screen.arrange_body(event.size)


MEMORIES_TITLE = "memories          overlap with the grid"
"""The memory panel's title, over its names and over its overlap bars."""
MEMORIES_TITLE_SHORT = "memories \u00b7 overlap"
"""The title in a side panel too narrow for ``MEMORIES_TITLE``."""

COMPACT_FOOTER_WIDTH = 100
"""Terminals narrower than this get the footer's compact style (no padding around keys)."""


class ToolButton(Button, can_focus=False):
    """A button for the mouse that leaves the keyboard focus on the grid."""


BUTTON_ACTIONS = {
    "imprint": "imprint_drawing",
    "break": "break('scramble')",
    "recall": "recall",
    "clear": "clear",
    "randomize": "randomize",
    "slower": "speed(-1)",
    "faster": "speed(1)",
    "learning-button": "learning",
}
"""What each tool button of the side panel does: the action its key runs."""


class MagnetsScreen(
    PinActions,
    RaceActions,
    MemoryActions,
    RecallRunner,
    ReplayActions,
    SessionActions,
    OverloadActions,
    LearningActions,
    UndoActions,
    ViewActions,
    PeriodicAutosave,
    JobRunner,
    Screen,
):
    """Draw, imprint, break and recall on one grid of magnets."""

    AUTO_FOCUS = "#grid"

    BINDINGS = bindings_for("magnets")

    # A plain var: the status bar bound to it repaints itself; a reactive of the screen
    # would repaint every widget (100+ ms at 256x256) on each change, ten a second in a job.
    snapshot: reactive[Snapshot] = var(Snapshot)
    """What the status bar and the settings show, from the workspace (``_show``)."""

    def __init__(
        self,
        network: Network,
        pictures: list[Picture],
        rng: np.random.Generator,
        temperature: float = 0.0,
        mode: str = "async",
        *,
        saved: bool = True,
        session_path: Path | None = None,
    ):
        super().__init__()
        self._compositor = LineCompositor()  # a frame draws only the widgets under its changes
        self.workspace = Workspace(
            network, rng, temperature, mode, pictures, saved=saved, path=session_path
        )
        """The session: every edit goes through it."""
        self.set_reactive(MagnetsScreen.snapshot, self.workspace.snapshot())
        self.grid = SpinGrid(network.grid(), id="grid")
        """The spin grid."""
        self.grid.pins = network.pinned.reshape(network.rows, network.cols)
        snapshot = self.snapshot
        self.slider = Slider(
            self.workspace.temperature,
            minimum=0.0,
            maximum=max(snapshot.temperature_limit, snapshot.temperature),
            step=0.05,
            id="temperature",
        )
        """The temperature slider: its end follows the strongest memory's melting point."""
        self.slider.tooltip = snapshot.temperature_note
        self.slider.disabled = not snapshot.has_temperature
        self.speed_text = Label(speed_label(SPEEDS[DEFAULT_SPEED]), id="speed")
        """Shows the recall speed."""
        self.beta_slider = Slider(
            network.rule.beta, minimum=MIN_BETA, maximum=MAX_BETA, step=1.0, id="beta"
        )
        """The modern network's beta (shown with the modern rule only)."""
        self.learning_text = Label("", id="learning")
        """Shows the rule, the update mode and the plasticity settings."""
        self.trace_title = Label("energy", classes="section", id="trace-title")
        """The title of the energy trace, with the last recall's summary."""
        self.trace = Sparkline([], id="trace")
        """The energy of the current recall, flip by flip."""
        self.memory_list = MemoryList(id="memories")
        """Every memory and its overlap with the grid."""
        self.side_view = SideView(id="side-view")
        """The lower view in place of the memory list (``d``): overlaps, attention, why."""
        self.messages = MessageLine(id="messages")
        """Where notifications show, under the status bar (the main screen has no toasts)."""
        self.side_shown = True
        """Whether the side panel is shown (``z`` hides and shows it)."""
        self.arrangement: Arrangement | None = None
        """Where the side panel is, as last arranged (``screen_layout.arrange``)."""
        self._trace: list[float] = []
        self._job = None

    # -- what the workspace holds, as the screen's attributes ----------------

    @property
    def network(self) -> Network:
        """The model everything on this screen shows."""
        return self.workspace.network

    @property
    def pictures(self) -> list[Picture]:
        """The built-in pictures, on this grid's size."""
        return self.workspace.pictures

    @property
    def rng(self) -> np.random.Generator:
        """Randomness for breaking, randomizing and the recall order."""
        return self.workspace.rng

    @property
    def unsaved(self) -> bool:
        """Whether memories or settings changed since the last save or open."""
        return self.workspace.unsaved

    @property
    def state(self) -> str:
        """The named state shown in the status bar."""
        return self.snapshot.state

    @property
    def energy(self) -> float:
        """The grid's energy, as shown."""
        return self.snapshot.energy

    @property
    def memories(self) -> int:
        """The number of memories, as shown."""
        return self.snapshot.memories

    @property
    def temperature(self) -> float:
        """Temperature of recall; T > 0 is Glauber dynamics and melts memories."""
        return self.workspace.temperature

    @temperature.setter
    def temperature(self, temperature: float) -> None:
        self.workspace.set_temperature(temperature)
        self._show()

    @property
    def mode(self) -> str:
        """The update mode of recall: ``async`` or ``sync``."""
        return self.workspace.mode

    @mode.setter
    def mode(self, mode: str) -> None:
        self.workspace.set_mode(mode, record=False)
        self._show()

    @property
    def speed_index(self) -> int:
        """Index into ``SPEEDS``."""
        return self.workspace.speed_index

    @speed_index.setter
    def speed_index(self, index: int) -> None:
        self.workspace.set_speed(index)
        self._show()

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")
        yield Header()
        with Body(id="body"):
            with Container(id="board"):
                yield self.grid
            with Vertical(id="side"):
                with VerticalScroll(id="controls", can_focus=False):
                    yield Label("imprint a picture", classes="section", id="pictures-title")
                    with Grid(id="pictures"):
                        for k, picture in enumerate(self.pictures):
                            key = f"{(k + 1) % 10} " if k < 10 else ""
                            yield ToolButton(
                                Content(f"{key}{picture.name}"),
                                id=f"picture-{k}",
                                compact=True,
                                classes="picture",
                                tooltip=Content(f"Show and imprint {picture.name}"),
                            )
                    with Grid(classes="buttons three"):
                        yield ToolButton("i imprint", id="imprint", compact=True)
                        yield ToolButton("b break", id="break", compact=True)
                        yield ToolButton("r recall", id="recall", compact=True)
                    with Grid(classes="buttons four"):
                        yield ToolButton("c clear", id="clear", compact=True)
                        yield ToolButton("x random", id="randomize", compact=True)
                        yield ToolButton("- slower", id="slower", compact=True)
                        yield ToolButton("+ faster", id="faster", compact=True)
                    with Horizontal(classes="setting"):
                        yield Label("temperature", classes="setting-name")
                        yield self.slider
                    with Horizontal(classes="setting"):
                        yield Label("speed", classes="setting-name")
                        yield self.speed_text
                    with Horizontal(classes="setting", id="learning-setting"):
                        yield Label("learning", classes="setting-name")
                        yield self.learning_text
                        yield ToolButton("^l change", id="learning-button", compact=True)
                    with Horizontal(classes="setting", id="beta-setting"):
                        yield Label("beta", classes="setting-name")
                        yield self.beta_slider
                    yield self.trace_title
                    yield self.trace
                with Vertical(id="memory-section"):
                    yield Label(MEMORIES_TITLE, classes="section", id="memories-title")
                    yield self.memory_list
                    yield self.side_view
        yield StatusBar().data_bind(MagnetsScreen.snapshot)
        yield self.messages
        yield Footer()

    def _extend_compose(self, widgets: list[Widget]) -> None:
        """Textual's own widgets but the toast rack: messages go to the message line."""
        super()._extend_compose(widgets)
        widgets[:] = [widget for widget in widgets if not isinstance(widget, ToastRack)]

    def on_mount(self) -> None:
        self.messages.show(self.app._notifications)
        # Arranged before the first layout (the body's own size corrects it after), so
        # that the grid is drawn at its place and zoom from the first frame.
        self.query_one(Header).display = self.app.size.height >= HEADER_HEIGHT
        self.arrange_body(self._body_size(self.app.size))
        if os.environ.get("NO_COLOR"):
            self.grid.glyphs = True
            self.memory_list.glyphs = True
        self.side_view.display = False
        self.watch(self.grid, "cursor", self._cursor_moved, init=False)
        self._title_board()
        self._show_learning()
        self.workspace.name_state("drawing")
        self._apply(Change(changed=None, state=self.workspace.state))
        self.start_autosave()

    def _title_board(self) -> None:
        board = self.query_one("#board")
        title = f"{self.network.rows}\u00d7{self.network.cols} magnets"
        if board.border_title != title:  # setting it repaints the whole board
            board.border_title = title

    def on_resize(self, event: events.Resize) -> None:
        width, height = event.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(small, "-too-small")
        # Styles of single widgets, not classes of the screen: a class of the screen
        # restyles every widget on it.
        self.query_one(Header).display = height >= HEADER_HEIGHT
        # Below 100 columns the footer's keys sit closer, so that "? Help" still fits.
        self.query_one(Footer).compact = width < COMPACT_FOOTER_WIDTH
        # Arranged before Textual lays the screen out for the new size, so a resize
        # costs one layout, not two (the body's own resize corrects a wrong guess).
        self.arrange_body(self._body_size(event.size))
        if small:
            self.query_one("#too-small", Static).update(
                f"The terminal is {width}\u00d7{height}.\n"
                f"tui-hopfield needs at least {MIN_WIDTH}\u00d7{MIN_HEIGHT}:"
                " make the window larger."
            )

    # -- the layout: the grid gets the room --------------------------------------

    def _body_size(self, terminal: Size) -> Size:
        """The body's size in a terminal of this size: less the header, the status bar
        (as tall as it will be), the message line and the footer (two lines together)."""
        width, height = terminal
        status = self.query_one(StatusBar)
        status._fit_height(width)
        self.messages._fit_height(max(1, width - 2))
        lines = status.styles.height
        chrome = 2 + (height >= HEADER_HEIGHT) + (1 if lines is None else int(lines.value))
        return Size(width, max(0, height - chrome))

    def arrange_body(self, size: Size, force: bool = False) -> None:
        """Place the side panel for a body of ``size`` (beside, below or hidden).

        Integer arithmetic and a few styles, set only when the arrangement changes.
        """
        if not size.width or not size.height:
            return
        network = self.network
        found = arrange(size.width, size.height, network.rows, network.cols, self.side_shown)
        if found == self.arrangement and not force:
            return
        self.arrangement = found
        side, board = self.query_one("#side"), self.query_one("#board")
        controls = self.query_one("#controls")
        body = self.query_one("#body")
        body.set_class(found.place == "below", "-below")
        side.display = found.place != "hidden"
        if found.place == "below":
            side.styles.width, side.styles.height = "100%", found.side
            board.styles.width, board.styles.height = "100%", "1fr"
            controls.styles.max_height = found.side
            side_height, side_width = found.side, size.width // 2
        else:
            side.styles.width, side.styles.height = max(1, found.side), "100%"
            board.styles.width, board.styles.height = "1fr", "100%"
            side_height, side_width = size.height, found.side
            controls.styles.max_height = max(side_height // 2, side_height - MEMORY_LINES)
        tours = [tour for tour in self.query("#tour") if tour.display]  # not one leaving
        if tours:  # the guided tour's panel, above the controls (``tour_panel``)
            tour_lines = max(5, min(side_height // 2 + 2, side_height - MEMORY_LINES - 3))
            tours[0].styles.max_height = tour_lines
            if found.place != "below":
                tall = side_height // 3 if side_height >= COMPACT_HEIGHT else 3
                controls.styles.max_height = max(tall, side_height - tour_lines - MEMORY_LINES)
        side.set_class(side_height < COMPACT_HEIGHT, "-compact")
        side.set_class(side_width < NARROW_SIDE, "-slim")
        title = MEMORIES_TITLE if side_width >= len(MEMORIES_TITLE) + 2 else MEMORIES_TITLE_SHORT
        self.query_one("#memories-title", Label).update(title)

    def arrange_tour(self) -> None:
        """Fit the side panel around the tour's panel, shown or gone (``tour_panel``)."""
        self.arrange_body(self.query_one("#body").size, force=True)

    def action_sidebar(self) -> None:
        """Hide the side panel (the grid takes the room), or show it again."""
        self.side_shown = not self.side_shown
        focused = self.focused
        side = self.query_one("#side")
        if not self.side_shown and focused is not None and side in focused.ancestors:
            self.grid.focus()
        self.arrange_body(self.query_one("#body").size, force=True)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        self.messages.hint = HINTS.get(widget.id or "", "")

    def on_screen_resume(self) -> None:
        self.messages.show(self.app._notifications)

    @on(SpinGrid.ViewChanged)
    def describe_view(self, message: SpinGrid.ViewChanged) -> None:
        board = self.query_one("#board")
        # Within the border, beside its corners: the last phrases go first.
        description = fit_phrases(message.description, board.size.width - 4)
        if board.border_subtitle != description:  # setting it repaints the whole board
            board.border_subtitle = description

    # -- from the workspace's results to the widgets --------------------------

    def _show(self) -> None:
        """Take a fresh snapshot of the workspace (the status bar and settings follow)."""
        self.snapshot = self.workspace.snapshot()

    def watch_snapshot(self, old: Snapshot, new: Snapshot) -> None:
        if (new.temperature_limit, new.temperature, new.temperature_note) != (
            old.temperature_limit,
            old.temperature,
            old.temperature_note,
        ):
            # The end follows the strongest memory's melting point (the value first stays).
            self.slider.maximum = max(new.temperature_limit, new.temperature)
            self.slider.value = new.temperature
            self.slider.tooltip = new.temperature_note
            self.slider.disabled = not new.has_temperature
            self.slider.refresh()
        if new.speed != old.speed:
            self.speed_text.update(speed_label(SPEEDS[new.speed]))
        if new.learning != old.learning or new.rule != old.rule:
            self._show_learning()

    def _apply(self, change: Change, panel: bool = True) -> None:
        """Show what an edit did: its spins on the grid, the memories, the status, its note.

        ``panel`` False leaves the memory panel as it is (the change only says something).
        """
        network = self.network
        if network.values is None:
            self.grid.show_values(None)
        if change.changed is None:
            self.grid.refresh_all()
        elif len(change.changed):
            self.grid.refresh_spins(change.changed)
        if panel:
            self.memory_list.show_network(network)
            self._show_view()
        self._show()
        if change.message is not None:
            self.notify(
                change.message,
                title=change.title,
                severity=change.severity,
                timeout=change.timeout,
            )

    def _edit(self, edit: Callable[..., Change], *args: object) -> None:
        """Stop the recall, make the edit, show its change."""
        self._stop_recall()
        self._apply(edit(*args))

    def replace_network(
        self, network: Network, verdict: Verdict | None = None, **history: object
    ) -> None:
        """Show another network (perhaps of another size) on this screen.

        ``verdict`` is its state's name when a worker found it already;
        ``history`` says what becomes of the undo history (``Workspace.replace``).
        """
        self._stop_recall()
        self._replaced(self.workspace.replace(network, verdict, **history))

    def _replaced(self, change: Change) -> None:
        """Show the workspace's new network: grid, title, learning, status."""
        network = self.network
        self.app.network = network
        self.grid.set_spins(network.grid())
        self.show_pins()
        self.arrange_body(self.query_one("#body").size)
        self._title_board()
        self._apply(change)

    # -- drawing ------------------------------------------------------------

    @on(SpinGrid.Painted)
    def paint(self, message: SpinGrid.Painted) -> None:
        label = "toggle" if message.toggle else "brush stroke"
        self._edit(self.workspace.paint, message.indices, message.value, message.stroke, label)

    def action_clear(self) -> None:
        """Set every spin to south."""
        self._edit(self.workspace.clear)

    def action_randomize(self) -> None:
        """Give every spin a random value."""
        self._edit(self.workspace.randomize)

    def action_break(self, how: str, fraction: float = 0.2) -> None:
        """Break the picture on the grid: scramble, flip, wipe or invert."""
        self._edit(self.workspace.break_grid, how, fraction)

    # -- memories -----------------------------------------------------------

    @on(MemoryList.Action)
    def memory_action(self, message: MemoryList.Action) -> None:
        """Reinforce, forget, rename or show one memory, as chosen in the memory panel."""
        self._edit_memory(message)

    def action_glyphs(self) -> None:
        """Switch between colours and glyphs (north \u2588, south blank) for the spins."""
        self.grid.glyphs = not self.grid.glyphs
        self.memory_list.glyphs = self.grid.glyphs

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_job":
            return self._job is not None  # escape means nothing here otherwise
        return True

    # -- settings -----------------------------------------------------------

    @on(Slider.Changed, "#beta")
    def beta_changed(self, message: Slider.Changed) -> None:
        rule = self.network.rule
        if self._refused("Changing beta", unless="rule"):
            self.beta_slider.value = rule.beta
            return
        self._set_rule(Rule(rule.name, rule.degree, message.value), quiet=True)

    @on(Slider.Changed, "#temperature")
    def temperature_changed(self, message: Slider.Changed) -> None:
        self.temperature = message.value

    def action_temperature(self, delta: float) -> None:
        """Raise or lower the temperature (the modern rule says it has none)."""
        self._apply(self.workspace.set_temperature(self.temperature + delta), panel=False)

    def action_freeze(self) -> None:
        """Set the temperature to zero: recall becomes pure descent."""
        self.temperature = 0.0

    def action_speed(self, step: int) -> None:
        """Recall faster (+1) or slower (-1)."""
        self.speed_index = self.speed_index + step

    # -- buttons ------------------------------------------------------------

    @on(Button.Pressed, ".picture")
    def picture_pressed(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.action_picture(int(event.button.id.removeprefix("picture-")))

    @on(Button.Pressed)
    async def tool_pressed(self, event: Button.Pressed) -> None:
        action = BUTTON_ACTIONS.get(event.button.id or "")
        if action is not None:
            await self.run_action(action)

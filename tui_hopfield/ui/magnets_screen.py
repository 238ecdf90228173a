"""The main screen: the spin grid, the imprint bar, recall and temperature."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
from collections.abc import Callable
from pathlib import Path
from time import monotonic

import numpy as np
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Grid, Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import reactive, var
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Label, Sparkline, Static
from textual.worker import get_current_worker

from tui_hopfield.model import (
    Asynchronous,
    Flip,
    Kind,
    ModelError,
    Network,
    Picture,
    Verdict,
    classify,
    library,
)
from tui_hopfield.model.dynamics import MAX_TEMPERATURE, Retrieval, Step, Synchronous
from tui_hopfield.model.errors import Cancelled
from tui_hopfield.model.names import safe_slug
from tui_hopfield.model.paths import new_session_path, sessions_dir
from tui_hopfield.model.patterns import (
    BREAKS,
    break_spins,
    export_png,
    flip_fraction,
    random_patterns,
    random_spins,
)
from tui_hopfield.model.rules import MAX_BETA, MIN_BETA, Rule
from tui_hopfield.model.store import SUFFIX, Session, load, save
from tui_hopfield.ui.jobs import Job, Steps, lower_priority
from tui_hopfield.ui.learning_prompt import MODE_HELP, Learning, LearningPrompt
from tui_hopfield.ui.memory_list import MemoryList
from tui_hopfield.ui.picture_prompt import PicturePrompt
from tui_hopfield.ui.prompts import ConfirmPrompt, NumberPrompt, PathPrompt, UnsavedPrompt
from tui_hopfield.ui.slider import Slider
from tui_hopfield.ui.spin_grid import SpinGrid
from tui_hopfield.ui.status_bar import StatusBar
from tui_hopfield.ui.text_prompt import TextPrompt

SPEEDS = (1, 3, 10, 30, 100, 300, 1000, 0)
"""Recall speeds in flips per second; 0 is instant (as fast as frames allow)."""
DEFAULT_SPEED = 4
"""Index into ``SPEEDS`` of the speed at start (100 flips per second)."""
MIN_WIDTH, MIN_HEIGHT = 60, 16
"""The smallest terminal the layout works in; below it a message asks for more room."""
FPS = 30
"""Frames per second at most while recalling."""
FRAME_BUDGET = 0.02
"""Seconds of model work per frame at most, so keys and the mouse stay live."""
TRACE_LENGTH = 2000
"""Energy samples (one per flip) kept for the sparkline of the current recall."""
OVERLOAD_LOAD = 0.3
"""The load the overload action offers first: far past the classic 0.138."""
OVERLOAD_NOTICE = 2**24
"""Spins to draw past which the overload says it is working (about a tenth of a second)."""
OVERLOAD_BLOCK = 512
"""Random patterns drawn and imprinted at a time, between checks that the app goes on."""
OVERLOAD_BYTES = 2 * 2**30
"""The most memory the overload's patterns may take (int8, kept as rows and as columns):
a 256x256 grid takes up to 16,384 of them, a load of 0.25."""

Dynamics = Asynchronous | Synchronous | Retrieval


def step_seconds(speed: int) -> float:
    """How long one synchronous or modern step stays on screen at a recall speed."""
    return 0.0 if speed == 0 else min(1.0, 30 / speed)


class ToolButton(Button, can_focus=False):
    """A button for the mouse that leaves the keyboard focus on the grid."""


def speed_label(speed: int) -> str:
    """``100 flips/s`` or ``instant``."""
    if not speed:
        return "instant"
    return f"{speed} flip{'s' if speed != 1 else ''}/s"


class MagnetsScreen(Screen):
    """Draw, imprint, break and recall on one grid of magnets."""

    AUTO_FOCUS = "#grid"

    BINDINGS = [
        Binding("i", "imprint_drawing", "Imprint"),
        Binding("b", "break('scramble')", "Break"),
        Binding("r", "recall", "Recall/stop"),
        Binding("c", "clear", "Clear"),
        Binding("x", "randomize", "Random", show=False),
        Binding("f", "break('flip')", "Flip 20%", show=False),
        Binding("w", "break('wipe')", "Wipe half", show=False),
        Binding("v", "break('invert')", "Invert", show=False),
        Binding("plus,equals_sign", "speed(1)", "Faster", show=False),
        Binding("minus", "speed(-1)", "Slower", show=False),
        Binding("right_square_bracket", "temperature(0.05)", "Hotter", show=False),
        Binding("left_square_bracket", "temperature(-0.05)", "Colder", show=False),
        Binding("t", "freeze", "T = 0", show=False),
        Binding("F", "forget_all", "Forget all", show=False),
        Binding("ctrl+s", "save", "Save", show=False),
        Binding("ctrl+o", "open", "Open", show=False),
        Binding("e", "export", "Export PNG", show=False),
        Binding("g", "glyphs", "Glyphs", show=False),
        Binding("m", "mode", "Async/sync", show=False),
        Binding("R", "learning", "Rule"),
        Binding("O", "overload", "Overload", show=False),
        Binding("p", "open_picture", "Image file", show=False),
        Binding("T", "type_text", "Words", show=False),
        Binding("L", "lab", "Lab", show=False),
        Binding("escape", "cancel_job", "Cancel the work", show=False),
        *[
            Binding(str((k + 1) % 10), f"picture({k})", f"Picture {k + 1}", show=False)
            for k in range(10)
        ],
    ]

    # Plain vars: the status bar they are bound to repaints itself; a reactive of the
    # screen would repaint the whole screen (every widget, 100+ ms at 256x256) on each change.
    memories: reactive[int] = var(0)
    """Mirror of the number of memories."""
    energy: reactive[float] = var(0.0)
    """Mirror of the grid's energy."""
    state: reactive[str] = var("empty")
    """The named state shown in the status bar."""
    load: reactive[float] = var(0.0)
    """Mirror of the load P / N."""
    temperature: reactive[float] = var(0.0)
    """Temperature of recall; T > 0 is Glauber dynamics and melts memories."""
    speed_index: reactive[int] = var(DEFAULT_SPEED)
    """Index into ``SPEEDS``."""
    mode: reactive[str] = var("async")
    """The update mode of recall: ``async`` (one spin at a time) or ``sync`` (all at once)."""
    rule: reactive[str] = var("hebbian")
    """Mirror of the learning rule's label."""
    job: reactive[str] = var("")
    """What runs in a worker and how far it is, for the status bar (empty: nothing)."""

    def __init__(
        self,
        network: Network,
        pictures: list[Picture],
        rng: np.random.Generator,
        temperature: float = 0.0,
        mode: str = "async",
    ):
        super().__init__()
        self.set_reactive(MagnetsScreen.mode, mode)
        self.network = network
        """The model everything on this screen shows."""
        self.saved_revision = network.revision if network.count else -1
        """The memories' revision when last saved or opened."""
        self.session_path: Path | None = None
        """Where the session was last saved or opened from."""
        self._start_temperature = temperature
        self.grid = SpinGrid(network.grid(), id="grid")
        """The spin grid."""
        self.slider = Slider(0.0, minimum=0.0, maximum=MAX_TEMPERATURE, step=0.05, id="temperature")
        """The temperature slider."""
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
        self.pictures = pictures
        """The built-in pictures, on this grid's size."""
        self.rng = rng
        """Randomness for breaking, randomizing and the recall order."""
        self._dynamics: Dynamics | None = None
        self._trace: list[float] = []
        self._overload_token = 0
        self._job: Job | None = None

    # -- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")
        yield Header()
        with Horizontal(id="body"):
            with Container(id="board"):
                yield self.grid
            with VerticalScroll(id="side", can_focus=False):
                yield Label("imprint a picture", classes="section")
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
                with Horizontal(classes="setting"):
                    yield Label("learning", classes="setting-name")
                    yield self.learning_text
                    yield ToolButton("R change", id="learning-button", compact=True)
                with Horizontal(classes="setting", id="beta-setting"):
                    yield Label("beta", classes="setting-name")
                    yield self.beta_slider
                yield self.trace_title
                yield self.trace
                yield Label("memories          overlap with the grid", classes="section")
                yield self.memory_list
        yield StatusBar().data_bind(
            MagnetsScreen.memories,
            MagnetsScreen.energy,
            MagnetsScreen.state,
            MagnetsScreen.load,
            MagnetsScreen.rule,
            MagnetsScreen.mode,
            MagnetsScreen.job,
        )
        yield Footer()

    def on_mount(self) -> None:
        if os.environ.get("NO_COLOR"):
            self.grid.glyphs = True
            self.memory_list.glyphs = True
        self._title_board()
        self.temperature = self.slider.clamp(self._start_temperature)
        self._show_learning()
        self._sync()
        self._name_state("drawing")

    def _title_board(self) -> None:
        board = self.query_one("#board")
        title = f"{self.network.rows}\u00d7{self.network.cols} magnets"
        if board.border_title != title:  # setting it repaints the whole board
            board.border_title = title

    @property
    def unsaved(self) -> bool:
        """Whether there are memories that were changed since the last save or open."""
        return self.network.count > 0 and self.network.revision != self.saved_revision

    @property
    def recalling(self) -> bool:
        """Whether a recall is running."""
        return self._dynamics is not None

    def on_resize(self, event: events.Resize) -> None:
        width, height = event.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(small, "-too-small")
        if small:
            self.query_one("#too-small", Static).update(
                f"The terminal is {width}\u00d7{height}.\n"
                f"tui-hopfield needs at least {MIN_WIDTH}\u00d7{MIN_HEIGHT}:"
                " make the window larger."
            )

    @on(SpinGrid.ViewChanged)
    def describe_view(self, message: SpinGrid.ViewChanged) -> None:
        board = self.query_one("#board")
        if board.border_subtitle != message.description:  # setting it repaints the whole board
            board.border_subtitle = message.description

    # -- keeping the mirror up to date --------------------------------------

    def _sync(self) -> None:
        """Copy the model's numbers into the reactive mirror and the memory list."""
        network = self.network
        if network.values is None:
            self.grid.show_values(None)
        self.memories = network.count
        self.energy = network.energy()
        self.load = network.load
        self.memory_list.show_network(network)

    def _name_state(self, unsettled: str) -> None:
        """Set the state from what the grid is, or ``unsettled`` if it is near nothing."""
        verdict = classify(self.network, self.temperature if self.recalling else 0.0)
        self.state = unsettled if verdict.kind is Kind.UNSETTLED else verdict.label

    def _edited(self, state: str, changed: list[int] | None = None) -> None:
        """After the user changed the grid: stop recall, repaint, name the state."""
        if changed is None:
            self.grid.refresh_all()
        else:
            self.grid.refresh_spins(changed)
        self._sync()
        self.state = state if self.network.count else "empty"

    def _stop_recall(self) -> None:
        if self.recalling:
            self.workers.cancel_group(self, "recall")
            self._dynamics = None

    # -- drawing ------------------------------------------------------------

    @on(SpinGrid.Painted)
    def paint(self, message: SpinGrid.Painted) -> None:
        self._stop_recall()
        changed = [i for i in message.indices if self.network.set_spin(i, message.value)]
        self._edited("drawing", changed)

    def action_clear(self) -> None:
        """Set every spin to south."""
        self._stop_recall()
        self.network.set_state(-np.ones(self.network.n, dtype=np.int8))
        self._edited("drawing")

    def action_randomize(self) -> None:
        """Give every spin a random value."""
        self._stop_recall()
        self.network.set_state(random_spins(self.network.n, self.rng))
        self._edited("drawing")

    def action_break(self, how: str, fraction: float = 0.2) -> None:
        """Break the picture on the grid: scramble, flip, wipe or invert."""
        self._stop_recall()
        spins = self.network.grid()
        if how == "flip":
            broken = flip_fraction(spins, fraction, self.rng)
        else:
            broken = break_spins(spins, how, self.rng)
        self.network.set_state(broken)
        self._edited("broken")
        described = f"flip {fraction:.0%} of the spins" if how == "flip" else BREAKS[how]
        self.notify(f"Broken: {described}. Press r to recall.", timeout=3)

    # -- memories -----------------------------------------------------------

    def _stored_as(self, spins: np.ndarray) -> str | None:
        """The name of a memory equal to ``spins``, if there is one."""
        index = self.network.index_of(spins)
        return None if index is None else self.network.names[index]

    def _imprint(self, spins: np.ndarray, stem: str) -> None:
        if self._refused("Imprinting"):
            self._sync()
            self._name_state("drawing")
            return
        existing = self._stored_as(spins)
        if existing is not None:
            self._sync()
            self._name_state("drawing")
            self.notify(f"{existing} is already a memory.", timeout=3)
            return
        index = self.network.imprint(spins, self.network.unique_name(stem))
        name = self.network.names[index]  # as stored: cleaned
        self._sync()
        self._name_state("drawing")
        self.notify(f"Imprinted {name}: memory {self.network.count}.", timeout=3)

    def action_picture(self, k: int) -> None:
        """Show built-in picture ``k`` on the grid and imprint it."""
        if k >= len(self.pictures):
            return
        self._stop_recall()
        picture = self.pictures[k]
        self.network.set_state(picture.spins)
        self.grid.refresh_all()
        self._imprint(picture.spins, picture.name)

    def action_imprint_drawing(self) -> None:
        """Imprint whatever is on the grid as a new memory."""
        self._stop_recall()
        self._imprint(self.network.grid().copy(), "drawing")

    def action_open_picture(self) -> None:
        """Imprint any image file, after a preview and a choice of threshold."""
        self._stop_recall()
        folder = self.session_path.parent if self.session_path else Path.cwd()
        self.app.push_screen(
            PicturePrompt(self.network.rows, self.network.cols, folder), self._imprint_chosen
        )

    def action_type_text(self) -> None:
        """Imprint a word or a short sentence, drawn with a font."""
        self._stop_recall()
        self.app.push_screen(TextPrompt(self.network.rows, self.network.cols), self._imprint_chosen)

    def _imprint_chosen(self, chosen: tuple[np.ndarray, str] | None) -> None:
        if chosen is None:
            return
        spins, name = chosen
        self.network.set_state(spins)
        self.grid.refresh_all()
        self._imprint(spins, name)

    @on(MemoryList.Action)
    def memory_action(self, message: MemoryList.Action) -> None:
        """Reinforce, forget, rename or show one memory, as chosen in the memory panel."""
        network = self.network
        index = message.index
        if not 0 <= index < network.count or network.names[index] != message.memory:
            self.notify("That memory changed meanwhile: nothing done.", severity="warning")
            return
        name = network.names[index]
        if message.action != "show" and self._refused(f"{message.action.capitalize()} {name}"):
            return
        try:
            if message.action == "reinforce":
                network.reinforce(index, message.times)
                note = f"Reinforced {name} {message.times:g}\u00d7: strength"
                note += f" {network.strengths[index]:g}."
            elif message.action == "forget":
                self._stop_recall()
                network.forget(index)
                note = f"Forgot {name}."
            elif message.action == "rename":
                network.rename(index, message.name)
                note = f"Renamed {name} to {network.names[index]}."
            elif message.action == "show":
                self._stop_recall()
                network.set_state(network.memory(index).pattern)
                self.grid.refresh_all()
                note = f"Showing {name}."
            else:
                return
        except ModelError as error:
            self.notify(str(error), title="Not done", severity="error")
            return
        self._sync()
        self._name_state("drawing")
        self.notify(note, timeout=3)

    def action_lab(self) -> None:
        """Open the lab: the capacity and letting-go experiments, with plots."""
        from tui_hopfield.ui.lab_screen import LabScreen

        self._stop_recall()
        self.app.push_screen(LabScreen(seed=int(self.rng.integers(2**31))))

    def action_forget_all(self) -> None:
        """Remove every memory (the grid stays as it is), after asking."""
        count = self.network.count
        if not count:
            self.notify("There are no memories to forget.", timeout=3)
            return
        if self._refused("Forgetting"):
            return

        def forget(yes: bool | None) -> None:
            if not yes or self._refused("Forgetting"):
                return
            self._stop_recall()
            self.network.forget_all()
            self._sync()
            self.state = "empty"
            self.notify("Every memory forgotten.", timeout=3)

        self.app.push_screen(
            ConfirmPrompt(
                f"Forget all {count} memories?",
                "The grid stays as it is; a saved session keeps its copy.",
                "Forget all",
            ),
            forget,
        )

    def _confirm_overwrite(self, path: Path, then: Callable[[], None]) -> None:
        """Run ``then``, asking first when ``path`` is a file that would be replaced."""
        if not path.is_file() or path == self.session_path:
            then()
            return
        self.app.push_screen(
            ConfirmPrompt(f"{path.name} exists. Replace it?", str(path), "Replace"),
            lambda yes: then() if yes else None,
        )

    # -- recall -------------------------------------------------------------

    def action_recall(self) -> None:
        """Start recall, or stop the one running."""
        if self.recalling:
            self._stop_recall()
            self._name_state("stopped")
            return
        if not self.network.count:
            self.notify("Imprint a picture first: with no memories no spin wants to flip.")
            return
        dynamics: Dynamics
        if self.network.rule.continuous:
            dynamics = Retrieval(self.network)
        elif self.mode == "sync":
            dynamics = Synchronous(self.network, self.rng, self.temperature)
        else:
            dynamics = Asynchronous(self.network, self.rng, self.temperature)
        self._dynamics = dynamics
        self._recall(dynamics)

    @work(exclusive=True, group="recall")
    async def _recall(self, dynamics: Dynamics) -> None:
        """Apply flips one at a time, paced by the speed, repainting only their cells.

        Synchronous and modern steps change many spins at once: each is shown
        for a moment (``step_seconds``) before the next.
        """
        events = dynamics.events()
        network = self.network
        modern = isinstance(dynamics, Retrieval)
        start_energy = dynamics.energy() if modern else network.energy()
        self._trace = [start_energy]
        self.trace_title.update(f"energy {start_energy:.1f}")
        self.state = "recalling"
        recall_button = self.query_one("#recall", Button)
        recall_button.label = "r stop"
        flips = 0
        credit = 0.0
        last = monotonic()
        finished = False
        stepped = False
        try:
            while not finished:
                now = monotonic()
                speed = SPEEDS[self.speed_index]
                credit = min(credit + speed * (now - last), 1 + speed / FPS * 2)
                last = now
                deadline = now + FRAME_BUDGET
                changed: list[int] = []
                while speed == 0 or credit >= 1:
                    try:
                        event = next(events)
                    except StopIteration:
                        finished = True
                        break
                    if isinstance(event, Flip):
                        changed.append(event.index)
                        credit -= 1
                        self._trace.append(self._trace[-1] + event.delta_energy)
                    elif isinstance(event, Step):
                        changed.extend(event.changed.tolist())
                        self._trace.append(self._trace[-1] + event.delta_energy)
                        stepped = True
                        break
                    if monotonic() > deadline:
                        break
                flips += len(changed)
                if modern:
                    self.grid.show_values(network.values)
                elif changed:
                    self.grid.refresh_spins(changed)
                if changed or stepped:
                    self._sync()
                    if modern:
                        self.energy = dynamics.energy()
                    del self._trace[:-TRACE_LENGTH]
                    self.trace.data = list(self._trace)
                if not modern and dynamics.temperature > 0:
                    self._name_state("recalling")
                if not finished:
                    pause = step_seconds(speed) if stepped else 1 / FPS
                    stepped = False
                    await asyncio.sleep(max(0.0, pause - (monotonic() - now)))
        finally:
            recall_button.label = "r recall"
            if self._dynamics is dynamics:
                self._dynamics = None
            if not finished:  # stopped by hand or by an edit
                self.trace_title.update(
                    f"energy {start_energy:.0f} \u2192 {self._trace[-1]:.0f}:"
                    f" stopped after {flips} flip{'s' if flips != 1 else ''}"
                )
        self._sync()
        if modern:
            self.energy = dynamics.energy()
        self._name_state("stopped")
        self._after_recall(dynamics, start_energy, flips)

    def _after_recall(self, dynamics: Dynamics, start_energy: float, flips: int) -> None:
        """Sum the recall up, name a 2-cycle, and let a recalled memory learn from use."""
        plural = "s" if flips != 1 else ""
        if isinstance(dynamics, Asynchronous):
            sweeps = dynamics.sweeps
            how = f"{flips} flip{plural}, {sweeps} sweep{'s' if sweeps != 1 else ''}"
        else:
            steps = dynamics.steps
            how = f"{flips} flip{plural}, {steps} step{'s' if steps != 1 else ''}"
            if isinstance(dynamics, Synchronous) and dynamics.cycle:
                self.state = f"2-cycle after {steps} steps"
            elif self.state.startswith("recalled"):
                self.state += f" in {steps} step{'s' if steps != 1 else ''}"
        self.trace_title.update(f"energy {start_energy:.0f} \u2192 {self.energy:.0f}: {how}")
        verdict = classify(self.network)
        boost = self.network.use_boost
        if self._job is not None:
            boost = 0.0  # the memories are being copied: no learning from this use
        if boost > 0 and verdict.kind is Kind.RECALLED and verdict.memory is not None:
            index = self.network.names.index(verdict.memory)
            try:
                self.network.reinforce(index, boost)
            except ModelError as error:
                self.notify(str(error), title="Not learned from use", severity="warning")
                return
            self._sync()
            strength = self.network.strengths[index]
            self.notify(f"{verdict.memory} was used: strength {strength:g}.", timeout=3)

    # -- sessions and pictures on disk ---------------------------------------

    def action_save(self) -> None:
        """Save the whole session (memories, grid, settings) to a file."""
        self.action_save_then(lambda: None)

    def action_save_then(self, after: Callable[[], None]) -> None:
        """Ask where to save, save (in a worker), and on success call ``after``."""
        if self._refused("Saving"):
            return

        def save_and_continue(path: Path | None) -> None:
            if path is None:
                return
            if path.suffix == "" and not path.is_dir():
                path = path.with_suffix(SUFFIX)
            self._confirm_overwrite(path, lambda: self.save_to(path, after))

        default = self.session_path or new_session_path()
        self.app.push_screen(
            PathPrompt("Save the session as", default, suffixes=(SUFFIX,)), save_and_continue
        )

    def save_to(self, path: Path | None, then: Callable[[], None] | None = None) -> Job | None:
        """Save the session to ``path`` in a worker and say how it went.

        On success the session counts as saved and ``then`` is called; a
        failure or a cancel leaves the file and the unsaved flag as they were.
        Return the job, or None when nothing was started.
        """
        if path is None or self._refused("Saving"):
            return None
        if path.suffix == "" and not path.is_dir():
            path = path.with_suffix(SUFFIX)
        network, temperature, mode = self.network, self.temperature, self.mode

        def work(steps: Steps) -> Path:
            steps.phase("copying", measured=False)
            session = Session.of(network, temperature, mode)
            steps.phase("writing")
            return save(session, path, steps.report, steps.cancelled)

        def done(written: Path) -> None:
            if self.network is network and network.revision == job.revision:
                self.saved_revision = job.revision
                self.session_path = written
            self.notify(f"Saved {network.count} memories to {written}.", timeout=4)
            if then is not None:
                then()

        job = self._start_job("save", f"saving {path.name}", work, done, "Not saved")
        return job

    def confirm_unsaved(self, note: str, go: str, then: Callable[[], None]) -> None:
        """Run ``then`` now, or, with memories never saved, after asking: save, go or cancel.

        ``note`` says what going on does to them; ``go`` labels its button.
        """
        if not self.unsaved:
            then()
            return

        def answered(choice: str | None) -> None:
            if choice == "go":
                then()
            elif choice == "save":
                self.action_save_then(then)

        self.app.push_screen(UnsavedPrompt(self.network.count, note, go), answered)

    def action_open(self) -> None:
        """Open a saved session in place of this one (asking first if it was never saved)."""
        if self._refused("Opening a session"):
            return
        self.confirm_unsaved(
            "Opening another session replaces them.", "Open anyway", self._ask_what_to_open
        )

    def _ask_what_to_open(self) -> None:
        folder = self.session_path.parent if self.session_path else sessions_dir()
        self.app.push_screen(
            PathPrompt("Open the session", f"{folder}/", suffixes=(SUFFIX,)), self.open_from
        )

    def open_from(self, path: Path | None) -> Job | None:
        """Open the session at ``path`` in a worker; a bad file changes nothing and says why.

        Reading, checking, building the network and learning its landscape all
        happen away from the event loop; the new network is shown only when
        it is whole. Return the job, or None when nothing was started.
        """
        if path is None or self._refused("Opening a session"):
            return None

        def work(steps: Steps) -> tuple[Session, Network, Verdict]:
            steps.phase("reading", measured=False)
            session = load(path)
            steps.phase("building")
            network = session.network(steps.report, steps.cancelled)
            steps.phase("learning", measured=network.rule.name == "storkey")
            network.prepare(steps.report, steps.cancelled)
            return session, network, classify(network)

        def done(opened: tuple[Session, Network, Verdict]) -> None:
            session, network, verdict = opened
            self._stop_recall()
            self.replace_network(network, verdict)
            self.mode = session.mode
            self.temperature = self.slider.clamp(session.temperature)
            self.saved_revision = self.network.revision
            self.session_path = path
            self.notify(f"Opened {path}: {self.network.count} memories.", timeout=4)

        return self._start_job("open", f"opening {path.name}", work, done, "Not opened")

    def replace_network(self, network: Network, verdict: Verdict | None = None) -> None:
        """Show another network (perhaps of another size) on this screen.

        ``verdict`` is its state's name when a worker found it already
        (``classify`` costs O(N P) on an unsettled grid).
        """
        self._stop_recall()
        resized = (network.rows, network.cols) != (self.network.rows, self.network.cols)
        self.network = network
        self.app.network = network
        if resized:
            self.pictures = library(network.rows, network.cols)
        self.grid.set_spins(network.grid())
        self._title_board()
        self._show_learning()
        self._sync()
        if verdict is None:
            self._name_state("drawing")
        else:
            self.state = "drawing" if verdict.kind is Kind.UNSETTLED else verdict.label

    def action_export(self, index: int = -1) -> None:
        """Export the grid (``index`` -1) or memory ``index`` as a PNG, one pixel a spin."""
        if index >= self.network.count:
            return
        stem = "grid" if index < 0 else self.network.names[index]
        spins = self.network.grid().copy() if index < 0 else self.network.memory(index).pattern
        # A file name from a name: a slug, inside the folder (never ../ or a path of its own).
        default = sessions_dir() / f"{safe_slug(stem)}.png"

        def export_to(path: Path | None) -> None:
            if path is None:
                return
            if path.suffix.lower() != ".png":
                path = path.with_name(path.name + ".png")
            self._confirm_overwrite(path, lambda: self._export(spins, stem, path))

        self.app.push_screen(PathPrompt(f"Export {stem} as PNG", default), export_to)

    def _export(self, spins: np.ndarray, stem: str, path: Path) -> None:
        try:
            written = export_png(spins, path)
        except ModelError as error:
            self.notify(str(error), title="Not exported", severity="error")
            return
        self.notify(f"Exported {stem} to {written}.", timeout=4)

    def action_glyphs(self) -> None:
        """Switch between colours and glyphs (north \u2588, south blank) for the spins."""
        self.grid.glyphs = not self.grid.glyphs
        self.memory_list.glyphs = self.grid.glyphs

    # -- learning -----------------------------------------------------------

    def _show_learning(self) -> None:
        network = self.network
        rule = network.rule
        self.rule = rule.label
        parts = [rule.label, "" if rule.continuous else self.mode]
        if network.decay != 1.0:
            parts.append(f"decay {network.decay:g}")
        if network.use_boost:
            parts.append(f"use +{network.use_boost:g}")
        text = " \u00b7 ".join(part for part in parts if part)
        if text != str(self.learning_text.content):  # an update lays the screen out again
            self.learning_text.update(text)
        self.learning_text.tooltip = rule.help
        self.query_one("#beta-setting").display = rule.continuous
        self.beta_slider.value = rule.beta

    @property
    def learning(self) -> Learning:
        """The learning settings in force."""
        network = self.network
        return Learning(network.rule, self.mode, network.decay, network.use_boost)

    def action_learning(self) -> None:
        """Choose the learning rule, the update mode, decay and learning from use."""
        if self._refused("Changing the learning", unless="rule"):
            return
        self.app.push_screen(LearningPrompt(self.learning), self.apply_learning)

    def apply_learning(self, learning: Learning | None) -> None:
        """Use ``learning``; a rule the grid cannot hold is refused and changes nothing.

        A new rule is learned in a worker; decay, learning from use and the
        mode change with it when it lands (at once when the rule stays).
        """
        if learning is None or self._refused("Changing the learning", unless="rule"):
            return

        def settle(network: Network) -> None:
            network.decay = learning.decay
            network.use_boost = learning.use_boost
            self.mode = learning.mode
            self._show_learning()

        self._set_rule(learning.rule, then=settle)

    def _set_rule(
        self, rule: Rule, quiet: bool = False, then: Callable[[Network], None] | None = None
    ) -> Job | None:
        """Re-learn the memories with ``rule``, in a worker on a copy of the network.

        A rule chosen while another is being learned replaces it. ``then`` is
        called with the network once the rule is in force. Return the job, or
        None when nothing had to be learned.
        """
        network = self.network
        if self._job is not None and self._job.kind == "rule":
            self._cancel_job()  # a later choice wins
        if rule == network.rule:
            if then is not None:
                then(network)
            return None
        try:
            rule.check_size(network.n)
        except ModelError as error:
            self.notify(str(error), title="Rule not changed", severity="error")
            return None
        if not network.count:  # nothing to learn
            self._stop_recall()
            network.rule = rule
            self._rule_changed(network, rule, quiet, then)
            return None

        def work(steps: Steps) -> tuple[Network, Verdict]:
            steps.phase("copying", measured=False)
            relearned = network.copy()
            relearned.rule = rule
            steps.phase("learning", measured=rule.name == "storkey")
            relearned.prepare(steps.report, steps.cancelled)
            return relearned, classify(relearned)

        def done(learned: tuple[Network, Verdict]) -> None:
            relearned, verdict = learned
            if self.network is not network or network.revision != job.revision:
                self.notify(
                    "The memories changed while they were re-learned: the rule stays.",
                    title="Rule not changed",
                    severity="warning",
                )
                return
            named: Verdict | None = verdict
            if not np.array_equal(network.state, relearned.state):
                relearned.set_state(network.state)  # the grid was drawn on meanwhile
                named = None
            self.replace_network(relearned, named)
            self._rule_changed(relearned, rule, quiet, then, named=True)

        job = self._start_job("rule", f"rule {rule.label}", work, done, "Rule not changed")
        return job

    def _rule_changed(
        self,
        network: Network,
        rule: Rule,
        quiet: bool,
        then: Callable[[Network], None] | None,
        named: bool = False,
    ) -> None:
        self.grid.show_values(None)
        self._sync()
        if not named:  # else replace_network named the state
            self._name_state("drawing")
        if then is not None:
            then(network)
        self._show_learning()
        if quiet:
            return
        learned = f" and re-learned {network.count} memories" if network.count else ""
        self.notify(f"Rule: {rule.label}{learned}. {rule.help}", timeout=5)
        landscape = network.landscape
        if landscape is not None and landscape.note:
            self.notify(landscape.note, title="Pseudo-inverse", severity="warning", timeout=6)

    # -- heavy work in a worker ---------------------------------------------

    @property
    def running(self) -> Job | None:
        """The job running in a worker (saving, opening, learning a rule), if any."""
        return self._job

    def _refused(self, what: str, unless: str | None = None) -> bool:
        """Whether ``what`` must wait for the running job (unless it is of kind ``unless``).

        Edits to the memories wait for a job, which works on a copy of them;
        drawing, breaking and recall on the grid go on.
        """
        job = self._job
        if job is None or job.kind == unless:
            return False
        self.notify(
            f"{what} waits for the work running: {job.describe()}. Escape cancels it.",
            title="Busy",
            severity="warning",
            timeout=4,
        )
        return True

    def _start_job(
        self,
        kind: str,
        label: str,
        work: Callable[[Steps], object],
        done: Callable,
        title: str,
    ) -> Job:
        """Run ``work`` in a thread worker; on the event loop, ``done`` its result.

        A failure is reported under ``title``; a cancel or a later job drops
        the result. Everything ``work`` builds must be new (copies).
        """
        job = Job(kind, label, self.network, self.network.revision)
        self._job = job
        self.job = job.describe()
        self._run_job(job, work, done, title)
        return job

    @work(thread=True, group="job", exit_on_error=False)
    def _run_job(
        self, job: Job, work: Callable[[Steps], object], done: Callable, title: str
    ) -> None:
        worker = get_current_worker()
        lower_priority()
        steps = Steps(job, self._send_progress, lambda: worker.is_cancelled)
        try:
            result = work(steps)
        except Cancelled:
            return
        except Exception as error:  # a bad file, out of memory: say so, change nothing
            if not steps.cancelled():
                self._from_thread(self._job_failed, job, title, error)
            return
        if not steps.cancelled():
            self._from_thread(self._job_finished, job, done, result)

    def _from_thread(self, callback: Callable, *args: object) -> None:
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile: nothing to tell
            self.app.call_from_thread(callback, *args)

    def _send_progress(self, job: Job, phase: str, fraction: float | None) -> None:
        if not job.cancelled:
            self._from_thread(self._job_progress, job, phase, fraction)

    def _job_progress(self, job: Job, phase: str, fraction: float | None) -> None:
        if job is self._job:
            job.phase, job.fraction = phase, fraction
            self.job = job.describe()

    def _job_finished(self, job: Job, done: Callable, result: object) -> None:
        if job is not self._job:
            return  # cancelled or replaced meanwhile: dropped
        self._end_job()
        done(result)

    def _job_failed(self, job: Job, title: str, error: Exception) -> None:
        if job is not self._job:
            return
        self._end_job()
        self.notify(str(error) or type(error).__name__, title=title, severity="error")

    def _end_job(self) -> None:
        self._job = None
        self.job = ""

    def _cancel_job(self) -> Job | None:
        """Stop the running job, if any; its worker drops what it built."""
        job = self._job
        if job is not None:
            job.cancelled = True
            self._end_job()
        return job

    def action_cancel_job(self) -> None:
        """Cancel the work running in a worker: everything stays as it was."""
        job = self._cancel_job()
        if job is not None:
            self.notify(f"Cancelled {job.label}: nothing changed.", timeout=3)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_job":
            return self._job is not None  # escape means nothing here otherwise
        return True

    def action_mode(self) -> None:
        """Switch recall between asynchronous and synchronous updates."""
        self.mode = "sync" if self.mode == "async" else "async"
        if self.network.rule.continuous:
            self.notify("The modern network always updates the whole grid at once.")
        else:
            self.notify(MODE_HELP[self.mode], timeout=4)

    def watch_mode(self) -> None:
        if self.is_mounted:
            self._show_learning()

    @on(Slider.Changed, "#beta")
    def beta_changed(self, message: Slider.Changed) -> None:
        rule = self.network.rule
        if self._refused("Changing beta", unless="rule"):
            self.beta_slider.value = rule.beta
            return
        self._set_rule(Rule(rule.name, rule.degree, message.value), quiet=True)

    def action_overload(self) -> None:
        """Imprint random patterns up to a chosen load, to watch recall break past ~0.138 N."""

        if self._refused("Overloading"):
            return

        def overload(load: float | None) -> None:
            if load is None or self._refused("Overloading"):
                return
            network = self.network
            target = round(load * network.n)
            most = OVERLOAD_BYTES // (2 * network.n)
            if target > most:
                self.notify(
                    f"A load of {load:g} is {target:,} memories of {network.n:,} spins"
                    f" ({2 * target * network.n / 2**30:.1f} GiB). This grid holds at most"
                    f" {most:,} (a load of {most / network.n:.3f}).",
                    title="Overload",
                    severity="error",
                    timeout=8,
                )
                return
            self._stop_recall()
            added = max(0, target - network.count)
            if not added:
                self.notify(f"The load is already {network.load:.3f}.", title="Overload")
                return
            if added * network.n >= OVERLOAD_NOTICE:
                self.notify(
                    f"Imprinting {added:,} random memories\u2026", title="Overload", timeout=3
                )
                self.state = "overloading\u2026"
            self._overload_token += 1
            seed = int(self.rng.integers(2**63))
            start = (network.revision, network.state.copy())
            self._random_memories(network, start, added, seed, self._overload_token)

        n = self.network.n
        most = OVERLOAD_BYTES // (2 * n) / n
        limit = f" This grid holds a load of {most:.3f} at most." if most < 1 else ""
        self.app.push_screen(
            NumberPrompt(
                "Overload: imprint random patterns up to a load P / N",
                f"Hebb's rule recalls up to about 0.138 N ({round(0.138 * n)}"
                f" memories here); dense and modern networks hold far more.{limit}",
                min(OVERLOAD_LOAD, math.floor(most * 1000) / 1000),
                0.0,
                1.0,
            ),
            overload,
        )

    @work(thread=True, group="overload", exit_on_error=False)
    def _random_memories(
        self,
        network: Network,
        start: tuple[int, np.ndarray],
        added: int,
        seed: int,
        token: int,
    ) -> None:
        """Build the overloaded network away from the event loop, then show it.

        The work (drawing the patterns, imprinting them, learning the landscape
        and its caches) happens on a copy, so the screen stays live; the copy
        replaces the network only if its memories are still those of ``start``
        (their revision, and the state then).
        """
        revision, state = start
        worker = get_current_worker()
        lower_priority()
        try:
            overloaded = network.copy()
            overloaded.set_state(state)
            total = network.count + added
            overloaded.reserve(total + total // 8)  # room to imprint more without a copy
            names = overloaded.unique_names("random", added)
            rng = np.random.default_rng(seed)
            for first in range(0, added, OVERLOAD_BLOCK):
                if worker.is_cancelled:
                    return  # the app is closing, or the screen moved on
                last = min(first + OVERLOAD_BLOCK, added)
                patterns = random_patterns(last - first, network.n, rng)
                overloaded.imprint_many(patterns, names[first:last])
            landscape = overloaded.landscape
            if landscape is not None and not worker.is_cancelled:
                landscape.packed()
                landscape.floats()
            verdict = classify(overloaded)
        except Exception as error:  # out of memory, most likely: say so, change nothing
            if network.revision == revision and not worker.is_cancelled:
                self.app.call_from_thread(self._overload_failed, error, token)
            return  # else copied while the memories changed: dropped anyway
        if not worker.is_cancelled:
            self.app.call_from_thread(self._overloaded, network, start, overloaded, token, verdict)

    def _overload_failed(self, error: Exception, token: int) -> None:
        """The overload could not be built: say why; the network is as it was."""
        if token == self._overload_token:
            self.notify(
                f"The random memories could not be imprinted: {error or type(error).__name__}",
                title="Overload",
                severity="error",
            )
            self._name_state("drawing")

    def _overloaded(
        self,
        network: Network,
        start: tuple[int, np.ndarray],
        overloaded: Network,
        token: int,
        verdict: Verdict | None = None,
    ) -> None:
        """Show the overloaded network, unless the grid moved on while it was built.

        ``verdict`` names its state, found in the worker.
        """
        if token != self._overload_token:
            return  # another overload came first: it will land
        if network is not self.network:
            self.notify(
                "Another session was opened while the random memories were drawn: none were added.",
                title="Overload",
                severity="warning",
            )
            return
        revision, state = start
        if network.revision != revision:
            self.notify(
                "The memories changed while the random ones were drawn: none were added.",
                title="Overload",
                severity="warning",
            )
            self._name_state("drawing")
            return
        if not np.array_equal(network.state, state):
            overloaded.set_state(network.state)  # the grid was drawn on meanwhile
            verdict = None
        added = overloaded.count - network.count
        self.replace_network(overloaded, verdict)
        self.notify(
            f"Added {added:,} random memories: load {overloaded.load:.3f}"
            f" (classic capacity ~0.138). Break a picture and recall.",
            timeout=5,
        )

    # -- settings -----------------------------------------------------------

    @on(Slider.Changed, "#temperature")
    def temperature_changed(self, message: Slider.Changed) -> None:
        self.temperature = message.value

    def watch_temperature(self, temperature: float) -> None:
        self.slider.value = temperature
        if self._dynamics is not None:
            self._dynamics.temperature = temperature

    def action_temperature(self, delta: float) -> None:
        """Raise or lower the temperature."""
        self.temperature = self.slider.clamp(self.temperature + delta)

    def action_freeze(self) -> None:
        """Set the temperature to zero: recall becomes pure descent."""
        self.temperature = 0.0

    def action_speed(self, step: int) -> None:
        """Recall faster (+1) or slower (-1)."""
        self.speed_index = min(max(self.speed_index + step, 0), len(SPEEDS) - 1)

    def watch_speed_index(self, index: int) -> None:
        self.speed_text.update(speed_label(SPEEDS[index]))

    # -- buttons ------------------------------------------------------------

    @on(Button.Pressed, ".picture")
    def picture_pressed(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.action_picture(int(event.button.id.removeprefix("picture-")))

    @on(Button.Pressed, "#imprint")
    def imprint_pressed(self) -> None:
        self.action_imprint_drawing()

    @on(Button.Pressed, "#break")
    def break_pressed(self) -> None:
        self.action_break("scramble")

    @on(Button.Pressed, "#recall")
    def recall_pressed(self) -> None:
        self.action_recall()

    @on(Button.Pressed, "#clear")
    def clear_pressed(self) -> None:
        self.action_clear()

    @on(Button.Pressed, "#randomize")
    def randomize_pressed(self) -> None:
        self.action_randomize()

    @on(Button.Pressed, "#slower")
    def slower_pressed(self) -> None:
        self.action_speed(-1)

    @on(Button.Pressed, "#faster")
    def faster_pressed(self) -> None:
        self.action_speed(1)

    @on(Button.Pressed, "#learning-button")
    def learning_pressed(self) -> None:
        self.action_learning()

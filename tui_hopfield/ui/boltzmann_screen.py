"""The Boltzmann machine's screen: train it on the memories, watch it recall and dream.

Training (``Boltzmann.train``, CD-1) runs in a thread worker on a new machine,
which is swapped into the workspace when it ends or is stopped (the epochs
done are kept; leaving the screen stops it); a plot shows the reconstruction
error and the free energy per epoch, and each hidden unit's weights are drawn
as a small picture (its receptive field), updated as it learns. Recall clamps
the known magnets of the main grid's picture (its top half, or nothing) and
samples the rest, step by step, and ends by naming the memory the result is
(``analysis.classify``); dream samples freely from noise. Both run at the
screen's temperature (``[`` and ``]``), 1 being the one the machine learned at.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import suppress
from time import monotonic

import numpy as np
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Footer, Header, Input, Label, ProgressBar
from textual.worker import Worker, WorkerState

from tui_hopfield.experiments.plots import Chart
from tui_hopfield.model.analysis import classify
from tui_hopfield.model.boltzmann import EPOCHS, HIDDEN, MAX_HIDDEN, Boltzmann, Epoch
from tui_hopfield.model.errors import Cancelled
from tui_hopfield.model.workspace import Workspace
from tui_hopfield.ui.actions import bindings_for
from tui_hopfield.ui.jobs import REPORT_EVERY, lower_priority
from tui_hopfield.ui.lab_results import ChartView
from tui_hopfield.ui.number_input import WholeNumberInput
from tui_hopfield.ui.plain import plain
from tui_hopfield.ui.thumbnail import Thumbnail

TEMPERATURES = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0)
"""The temperatures ``[`` and ``]`` step through; 1 is the machine's own."""
START_TEMPERATURE = 1.0
"""The temperature the screen starts at: the distribution the machine learned."""
RECALL_STEPS = 30
"""Gibbs steps of one recall."""
DREAM_STEPS = 300
"""Gibbs steps of one dream."""
STEP_SECONDS = 0.08
"""Seconds between two frames of a recall or a dream."""
MAX_EPOCHS = 100_000
"""The most epochs one training may ask for."""
FIELD_WIDTH = 8
"""The most cells wide a receptive field is drawn."""
CLAMPS = ("top half", "nothing")
"""What recall clamps: the top half (the app's wipe breaks the bottom half) or nothing."""


class BoltzmannScreen(Screen[None]):
    """Train a restricted Boltzmann machine on the memories; recall and dream with it."""

    TITLE = "tui-hopfield"
    SUB_TITLE = "Boltzmann machine"
    AUTO_FOCUS = "#bm-train"

    BINDINGS = bindings_for("boltzmann")

    DEFAULT_CSS = """
    BoltzmannScreen {
        padding: 0 1;
    }
    BoltzmannScreen .controls {
        height: 1;
    }
    BoltzmannScreen .controls Label {
        margin-right: 1;
        color: $text-muted;
    }
    BoltzmannScreen .controls Input {
        width: 7;
        margin-right: 1;
    }
    BoltzmannScreen .controls Button {
        min-width: 7;
        margin-right: 1;
    }
    BoltzmannScreen .controls ProgressBar {
        width: auto;
    }
    BoltzmannScreen #bm-status {
        width: 100%;
        height: auto;
        max-height: 2;
        color: $text-muted;
    }
    BoltzmannScreen #bm-middle {
        height: 1fr;
        min-height: 8;
    }
    BoltzmannScreen #bm-left {
        width: auto;
        height: auto;
        margin-right: 2;
    }
    BoltzmannScreen #bm-sample-name {
        width: 22;
        height: auto;
    }
    BoltzmannScreen #bm-charts ChartView {
        min-height: 4;
    }
    BoltzmannScreen #bm-fields-title {
        color: $text-muted;
    }
    BoltzmannScreen #bm-fields {
        layout: grid;
        grid-size: 8;
        grid-rows: auto;
        grid-gutter: 1 1;
        height: 1fr;
        min-height: 3;
    }
    """

    def __init__(self, workspace: Workspace, seed: int = 0) -> None:
        super().__init__()
        self.workspace = workspace
        """The session: its memories train the machine, its grid is what recall mends."""
        self.seed = seed
        """Seeds training (``seed + run``) and sampling."""
        self.temperature = START_TEMPERATURE
        """The temperature of recall and dream."""
        self.clamp = CLAMPS[0]
        """What recall clamps (one of ``CLAMPS``)."""
        self.sampling: str = ""
        """``recall`` or ``dream`` while one is animated, else empty."""
        self.last: np.ndarray | None = None
        """The last sample shown, as spins (N,), or None."""
        self.verdict = ""
        """What the last recall ended as (``recalled smile``), or empty."""
        self.frame_seconds = STEP_SECONDS
        """Seconds between two frames of a recall or a dream."""
        self.dream_steps = DREAM_STEPS
        """Gibbs steps of one dream."""
        self._rng = np.random.default_rng(seed)
        self._runs = 0
        self._training: tuple[Worker, threading.Event] | None = None
        self._steps: Iterator[np.ndarray] | None = None
        self._timer: Timer | None = None
        self._progress_timer: Timer | None = None

    @property
    def machine(self) -> Boltzmann | None:
        """The workspace's machine, if it has one for this grid."""
        machine = self.workspace.boltzmann
        return machine if machine is not None and machine.visible == self._n else None

    @property
    def _n(self) -> int:
        return self.workspace.network.n

    # -- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        network = self.workspace.network
        yield Header()
        with Horizontal(classes="controls"):
            yield Label("hidden")
            yield WholeNumberInput(str(HIDDEN), compact=True, id="bm-hidden")
            yield Label("epochs")
            yield WholeNumberInput(str(EPOCHS), compact=True, id="bm-epochs")
            yield Button("train", id="bm-train", variant="primary", compact=True)
            yield Button("stop", id="bm-stop", disabled=True, compact=True)
            yield Button("recall", id="bm-recall", compact=True)
            yield Button("dream", id="bm-dream", compact=True)
            yield ProgressBar(total=1, id="bm-progress", show_eta=False)
        yield Label("", id="bm-status")
        with Horizontal(id="bm-middle"):
            with Vertical(id="bm-left"):
                yield Thumbnail(
                    network.grid(), width=22, height=11, id="bm-sample", shape=network.grid().shape
                )
                yield Label("", id="bm-sample-name")
            with Vertical(id="bm-charts"):
                yield ChartView("Train to see the error fall.", id="bm-error")
                yield ChartView("", id="bm-free-energy")
        yield Label("receptive fields: each hidden unit's weights", id="bm-fields-title")
        yield VerticalScroll(id="bm-fields")
        yield Footer()

    def on_resize(self) -> None:
        """As many receptive fields a row as fit the width."""
        box = self.query_one("#bm-fields", VerticalScroll)
        box.styles.grid_size_columns = max(1, (self.size.width - 3) // (FIELD_WIDTH + 1))

    def on_mount(self) -> None:
        """Show the machine the session has, if any."""
        self._show_machine()
        self._status()

    # -- actions ------------------------------------------------------------------

    def action_back(self) -> None:
        """Back to the magnets; a training running stops, keeping the epochs done."""
        self._stop_sampling()
        self.app.pop_screen()

    def on_unmount(self) -> None:
        """Leaving (or the app closing) stops the training after its epoch."""
        if self._training is not None:
            self._training[1].set()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Train only when nothing trains, stop only while it does (dimmed otherwise)."""
        if action == "train":
            return None if self.training else True
        if action == "stop":
            return True if self.training and not self._training[1].is_set() else None
        return True

    @property
    def training(self) -> bool:
        """Whether a training worker is running."""
        return self._training is not None and not self._training[0].is_finished

    def action_train(self) -> None:
        """Train a new machine on the memories by CD-1, in a thread worker."""
        if self.training:
            return
        patterns = self.workspace.network.patterns
        if not len(patterns):
            self._status("Imprint some pictures first: the machine learns the memories.")
            return
        try:
            hidden = self._number("#bm-hidden", 1, MAX_HIDDEN, "hidden units")
            epochs = self._number("#bm-epochs", 1, MAX_EPOCHS, "epochs")
        except ValueError as error:
            self._status(str(error))
            return
        self._stop_sampling()
        self._runs += 1
        seed = self.seed + self._runs
        machine = Boltzmann.new(self._n, hidden, seed=seed)
        data = np.array(patterns)
        stop = threading.Event()
        app = self.app  # a screen left has no app of its own in the worker's thread

        latest: list[Boltzmann | None] = [None]
        # The worker leaves a copy of the machine here now and then and never waits for
        # the screen: ``call_from_thread`` would hold the training until every redraw of
        # the receptive fields was done. A timer on the screen draws the newest copy.
        self._progress_timer = self.set_interval(
            REPORT_EVERY, lambda: self._show_latest(latest, epochs)
        )

        def work() -> tuple[Boltzmann, bool]:
            lower_priority()
            last = [0.0]

            def on_epoch(epoch: Epoch) -> None:
                now = monotonic()
                if now - last[0] >= REPORT_EVERY:
                    last[0] = now
                    latest[0] = machine.copy()

            complete = True
            try:
                machine.train(data, epochs, seed=seed, cancelled=stop.is_set, on_epoch=on_epoch)
            except Cancelled:
                complete = False
            with suppress(RuntimeError):  # the app closed: nothing to keep
                app.call_from_thread(self._trained, machine, complete)
            return machine, complete

        worker = self.run_worker(work, group="boltzmann", thread=True, exit_on_error=False)
        self._training = (worker, stop)
        self._set_training(True)
        self.query_one("#bm-progress", ProgressBar).update(total=epochs, progress=0)
        self._status(f"training {hidden} hidden units on {len(data)} memories...")

    def action_stop(self) -> None:
        """Stop the training after its epoch; the epochs done are kept."""
        if self.training and not self._training[1].is_set():
            self._training[1].set()
            self._status("stopping...")
            self.refresh_bindings()

    def action_recall(self) -> None:
        """Clamp the main grid's known magnets and sample the rest, animated."""
        machine = self._ready()
        if machine is None:
            return
        grid = self.workspace.network.grid()
        known = np.zeros(grid.shape, dtype=bool)
        if self.clamp == "top half":
            known[: grid.shape[0] // 2] = True
        steps = machine.recall(
            grid.reshape(-1), known.reshape(-1), self.temperature, RECALL_STEPS, self._rng
        )
        self._start_sampling("recall", steps)

    def action_dream(self) -> None:
        """Sample freely from noise, animated: learned pictures come and go."""
        machine = self._ready()
        if machine is None:
            return
        self._start_sampling("dream", machine.dream(self.temperature, self.dream_steps, self._rng))

    def action_clamp(self) -> None:
        """Switch what recall clamps: the top half of the grid, or nothing."""
        self.clamp = CLAMPS[(CLAMPS.index(self.clamp) + 1) % len(CLAMPS)]
        self._status()

    def action_temperature(self, step: int) -> None:
        """Step the temperature of recall and dream up or down ``TEMPERATURES``."""
        index = min(range(len(TEMPERATURES)), key=lambda i: abs(TEMPERATURES[i] - self.temperature))
        index = min(max(index + step, 0), len(TEMPERATURES) - 1)
        self.temperature = TEMPERATURES[index]
        self._status()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        action = (event.button.id or "").removeprefix("bm-")
        if action in ("train", "stop", "recall", "dream"):
            getattr(self, f"action_{action}")()

    # -- training ---------------------------------------------------------------

    def _number(self, selector: str, low: int, high: int, what: str) -> int:
        text = self.query_one(selector, Input).value.strip()
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"{what} must be a whole number, not {text!r}") from None
        if not low <= value <= high:
            raise ValueError(f"{what} must be from {low} to {high}, not {value}")
        return value

    def _set_training(self, running: bool) -> None:
        train, stop = self.query_one("#bm-train", Button), self.query_one("#bm-stop", Button)
        moving = self.focused in (None, train, stop)
        train.disabled, stop.disabled = running, not running
        if moving:  # the focus leaves the button disabled for the other, not for a field
            (stop if running else train).focus()
        self.refresh_bindings()

    def _show_latest(self, latest: list[Boltzmann | None], epochs: int) -> None:
        """Draw the newest copy the training left, if there is one (a timer's call)."""
        machine, latest[0] = latest[0], None
        if machine is not None:
            self._progress(machine, epochs)

    def _stop_progress_timer(self) -> None:
        timer, self._progress_timer = self._progress_timer, None
        if timer is not None:
            timer.stop()

    def _progress(self, machine: Boltzmann, epochs: int) -> None:
        with suppress(NoMatches):  # the screen is not mounted
            self.query_one("#bm-progress", ProgressBar).update(
                total=epochs, progress=len(machine.history)
            )
            self._show_machine(machine)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        run = self._training
        if run is None or run[0] is not event.worker or not event.worker.is_finished:
            return
        run[1].set()
        self._stop_progress_timer()
        self._set_training(False)
        if event.state == WorkerState.ERROR:
            self._status(f"training failed: {event.worker.error}")

    def _trained(self, machine: Boltzmann, complete: bool) -> None:
        """The training ended (or stopped): its machine becomes the session's.

        Called on the event loop even when this screen has been left meanwhile.
        """
        self._stop_progress_timer()
        if not machine.history:
            return
        self.workspace.boltzmann = machine
        if not self.is_mounted:
            return
        self._show_machine()
        epochs = len(machine.history)
        self.query_one("#bm-progress", ProgressBar).update(progress=epochs)
        self._status(f"trained {epochs} epochs" if complete else f"stopped after {epochs} epochs")

    # -- recall and dream ----------------------------------------------------------

    def _ready(self) -> Boltzmann | None:
        if self.training:
            self._status("wait for the training, or stop it")
            return None
        machine = self.machine
        if machine is None:
            self._status("Train the machine first (ctrl+r).")
        return machine

    def _start_sampling(self, what: str, steps: Iterator[np.ndarray]) -> None:
        self._stop_sampling()
        self.sampling, self._steps, self.verdict = what, steps, ""
        self._timer = self.set_interval(self.frame_seconds, self._step)
        self._status()

    def _stop_sampling(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer, self._steps, self.sampling = None, None, ""

    def _step(self) -> None:
        if self._steps is None:
            return
        spins = next(self._steps, None)
        if spins is None:
            what = self.sampling
            self._stop_sampling()
            self._ended(what)
            return
        self.last = spins
        self._show_sample(spins)

    def _ended(self, what: str) -> None:
        if what == "recall" and self.last is not None:
            network = self.workspace.network.copy()
            network.set_state(self.last)
            self.verdict = classify(network, self.temperature).label
        if self.machine is not None:  # kept for the tour's checks
            self.workspace.note_boltzmann_run(what, self.verdict, self.temperature)
        self._status()

    def _show_sample(self, spins: np.ndarray) -> None:
        network = self.workspace.network
        self.query_one("#bm-sample", Thumbnail).values = spins.reshape(network.rows, network.cols)
        text = ""
        if network.count:
            overlaps = network.patterns @ spins.astype(np.float64) / network.n
            best = int(np.abs(overlaps).argmax())
            # Two lines, so that the overlap never wraps beside the charts' axis labels.
            text = f"nearest: {network.names[best]}\noverlap {overlaps[best]:+.2f}"
        self.query_one("#bm-sample-name", Label).update(plain(text))

    # -- what it shows --------------------------------------------------------------

    def _status(self, message: str = "") -> None:
        machine = self.machine
        parts = [message] if message else []
        if self.sampling:
            parts.append(f"{self.sampling}ing...")
        elif self.verdict:
            parts.append(f"recall ended: {self.verdict}")
        parts.append(f"T = {self.temperature:g}")
        parts.append(f"recall clamps {self.clamp}")
        if machine is not None and not message:
            parts.append(f"{machine.hidden} hidden units, {len(machine.history)} epochs")
        with suppress(NoMatches):
            self.query_one("#bm-status", Label).update(plain(" \u00b7 ".join(parts)))

    def _show_machine(self, machine: Boltzmann | None = None) -> None:
        machine = machine or self.machine
        if machine is None:
            return
        history = machine.history
        if history:
            xs = [e.number for e in history]
            error = Chart("reconstruction error per epoch", x_label="epoch")
            error.add("error", xs, [e.error for e in history], "o")
            free = Chart("mean free energy F(v) of the memories", x_label="epoch")
            free.add("free energy", xs, [e.free_energy for e in history], "+")
            self.query_one("#bm-error", ChartView).show(error)
            self.query_one("#bm-free-energy", ChartView).show(free)
        self._show_fields(machine)

    def _show_fields(self, machine: Boltzmann) -> None:
        network = self.workspace.network
        box = self.query_one("#bm-fields", VerticalScroll)
        fields = list(box.query(Thumbnail))
        if len(fields) != machine.hidden:
            box.remove_children()
            fields = [
                Thumbnail(
                    width=FIELD_WIDTH, height=FIELD_WIDTH // 2, shape=(network.rows, network.cols)
                )
                for _ in range(machine.hidden)
            ]
            box.mount_all(fields)
        for field, weights in zip(fields, machine.weights, strict=True):
            scale = float(np.abs(weights).max()) or 1.0
            field.values = (weights / scale).reshape(network.rows, network.cols)


def open_boltzmann(screen: Screen, workspace: Workspace, seed: int) -> BoltzmannScreen:
    """Push the Boltzmann machine's screen for ``workspace`` (its machine is the workspace's)."""
    boltzmann = BoltzmannScreen(workspace, seed)
    screen.app.push_screen(boltzmann)
    return boltzmann

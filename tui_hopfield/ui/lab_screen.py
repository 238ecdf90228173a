"""The Lab: the capacity sweep, the "letting go" study, basin maps, the rule race and the phase
diagram, with plots.

Each experiment has a tab with its settings, a run and a stop button, a
progress bar, the plots and the table. A run is a thread worker, so the
screen stays live; stop asks the experiment to end after the unit of work it
is on, and whatever it measured is shown. Leaving the lab does not stop a run:
the app keeps one lab (``open_lab`` installs it), so coming back shows the same
run, its progress, its seed, and then its plot and table. The forms'
fields and the settings read from them are in ``lab_settings``; the charts and
tables that show a result, in ``lab_results``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from time import monotonic

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.containers import Grid, Horizontal
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    ProgressBar,
    Select,
    TabbedContent,
    TabPane,
    Tabs,
)
from textual.worker import Worker, WorkerState

from tui_hopfield.experiments.basin_views import (
    basins_heatmap,
    pictures_table,
    race_chart,
    race_table,
    radius_table,
)
from tui_hopfield.experiments.basins import BasinResult, BasinSettings, Memories, run_basins
from tui_hopfield.experiments.capacity import (
    CapacityResult,
    CapacitySettings,
    run_capacity,
)
from tui_hopfield.experiments.charts import capacity_chart, energy_chart, similarity_chart
from tui_hopfield.experiments.phase import PhaseResult, PhaseSettings, run_phase
from tui_hopfield.experiments.phase_plots import phase_table
from tui_hopfield.experiments.recall import MODES
from tui_hopfield.experiments.reinforce import (
    ReinforceResult,
    ReinforceSettings,
    run_reinforce,
    tie_note,
)
from tui_hopfield.experiments.rule_race import RaceResult, RaceSettings, run_race
from tui_hopfield.experiments.scenes import Scene, blog_scenes, builtin_scenes, load_scenes
from tui_hopfield.experiments.tables import capacity_table, reinforce_table
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.network import Network
from tui_hopfield.ui.actions import bindings_for
from tui_hopfield.ui.lab_phase import Here, PhaseView, phase_settings
from tui_hopfield.ui.lab_results import ChartView, finished
from tui_hopfield.ui.lab_results import fill_table as _fill  # its name here before the split
from tui_hopfield.ui.lab_settings import (
    basins_settings,
    capacity_settings,
    field,
    fill_preset,
    preset_select,
    race_settings,
    reinforce_design_fields,
    reinforce_settings,
    rule_fields,
    show_rule_settings,
)
from tui_hopfield.ui.plain import plain

PROGRESS_INTERVAL = 0.1
"""Seconds between two progress updates from a running experiment, at least."""


class LabScreen(Screen[None]):
    """The experiments, run in the background, with plots and tables."""

    TITLE = "tui-hopfield"
    SUB_TITLE = "lab"

    BINDINGS = bindings_for("lab")

    DEFAULT_CSS = """
    LabScreen TabPane {
        padding: 0 1;
    }
    LabScreen .form {
        grid-size: 8;
        grid-columns: auto 1fr auto 1fr auto 1fr auto 1fr;
        grid-rows: 1;
        grid-gutter: 0 1;
        height: auto;
    }
    LabScreen .field-label {
        color: $text-muted;
    }
    LabScreen .controls {
        height: 1;
        margin-top: 1;
    }
    LabScreen .rule-setting.-unused {
        display: none;
    }
    LabScreen .controls Button {
        min-width: 8;
        margin-right: 1;
    }
    LabScreen .controls ProgressBar {
        width: auto;
        margin-right: 2;
    }
    LabScreen .status {
        width: 1fr;
        height: auto;
        max-height: 4;
        color: $text-muted;
    }
    LabScreen .charts {
        height: 2fr;
        min-height: 8;
    }
    LabScreen .charts ChartView {
        height: 100%;
    }
    LabScreen ChartView {
        height: 2fr;
        margin-top: 1;
    }
    LabScreen DataTable {
        height: 1fr;
        min-height: 3;
    }
    LabScreen .scene-choice {
        height: 1;
    }
    LabScreen .scene-choice Label {
        margin-right: 1;
    }
    LabScreen #reinforce-scene {
        width: 24;
    }
    """

    def __init__(
        self,
        seed: int | None = None,
        *,
        n: int = 500,
        trials: int = 3,
        rounds: int = 40,
        scenes: Path | None = None,
    ) -> None:
        super().__init__()
        self.defaults = {
            "seed": "" if seed is None else str(seed),
            "n": str(n),
            "trials": str(trials),
            "rounds": str(rounds),
            "scenes": "" if scenes is None else str(scenes),
        }
        """The settings the forms start with, as text."""
        self.capacity_result: CapacityResult | None = None
        """The last sweep's result (complete or stopped)."""
        self.reinforce_result: ReinforceResult | None = None
        """The last study's result (complete or stopped)."""
        self._preset = "default"  # the study's preset whose values the form holds
        self.basins_result: BasinResult | None = None
        """The last basin map's result (complete or stopped)."""
        self.race_result: RaceResult | None = None
        """The last rule race's result (complete or stopped)."""
        self.phase_result: PhaseResult | None = None
        """The last phase diagram's result (complete or stopped)."""
        self.here: Here | None = None
        """The app's load and temperature, marked on the phase diagram (``open_lab``)."""
        # Per experiment: the worker of its last run and the event that stops it.
        self._runs: dict[str, tuple[Worker, threading.Event]] = {}

    # -- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="lab-tabs"):
            with TabPane("capacity", id="capacity"):
                with Grid(classes="form"):
                    yield from rule_fields("capacity")
                    yield from field("seed", self._input("seed", "capacity-seed", "random"))
                    yield from field("N", self._input("n", "capacity-n"))
                    yield from field(
                        "alphas", Input("0.02:0.3:0.02", compact=True, id="capacity-alphas")
                    )
                    yield from field("trials", self._input("trials", "capacity-trials"))
                    yield from field("flip", Input("0.1", compact=True, id="capacity-flip"))
                    yield from field(
                        "mode",
                        Select(
                            [(mode, mode) for mode in MODES],
                            value="async",
                            allow_blank=False,
                            compact=True,
                            id="capacity-mode",
                        ),
                    )
                yield from self._controls("capacity")
                yield ChartView(
                    "Run a sweep to see recall fall as the load grows.", id="capacity-chart"
                )
                yield DataTable(id="capacity-table", zebra_stripes=True)
            with TabPane("letting go", id="reinforce"):
                with Grid(classes="form"):
                    yield from rule_fields("reinforce")
                    yield from field("preset", preset_select())
                    yield from field("seed", self._input("seed", "reinforce-seed", "random"))
                    yield from field("rounds", self._input("rounds", "reinforce-rounds"))
                    yield from field("old", Input("3", compact=True, id="reinforce-old"))
                    yield from field("noise", Input("0.1", compact=True, id="reinforce-noise"))
                    yield from reinforce_design_fields()
                    yield from field(
                        "scenes", self._input("scenes", "reinforce-scenes", "built-in")
                    )
                yield from self._controls("reinforce")
                with Horizontal(classes="charts"):
                    yield ChartView(
                        "Run the study to see who comes back.", id="reinforce-similarity"
                    )
                    yield ChartView("", id="reinforce-energy")
                with Horizontal(classes="scene-choice"):
                    yield Label("plots of", classes="field-label")
                    yield Select([], prompt="scene", compact=True, id="reinforce-scene")
                yield DataTable(id="reinforce-table", zebra_stripes=True)
            with TabPane("basins", id="basins"):
                with Grid(classes="form"):
                    yield from rule_fields("basins")
                    yield from field("seed", self._input("seed", "basins-seed", "random"))
                    yield from field("N", Input("256", compact=True, id="basins-n"))
                    yield from field(
                        "alphas",
                        Input("0.02,0.05,0.1,0.15,0.2,0.3", compact=True, id="basins-alphas"),
                    )
                    yield from field(
                        "noises", Input("0:0.5:0.05", compact=True, id="basins-noises")
                    )
                    yield from field("cues", Input("4", compact=True, id="basins-cues"))
                    yield from field("trials", Input("1", compact=True, id="basins-trials"))
                    yield from field("mode", _mode_select("basins-mode"))
                    yield from field(
                        "patterns",
                        Select(
                            [("random", "random"), ("the app's memories", "app")],
                            value="random",
                            allow_blank=False,
                            compact=True,
                            id="basins-source",
                        ),
                    )
                yield from self._controls("basins")
                with Horizontal(classes="charts"):
                    yield ChartView(
                        "Run a map to see where recall holds, by noise and load.",
                        id="basins-exact",
                    )
                    yield ChartView("", id="basins-overlap")
                yield DataTable(id="basins-table", zebra_stripes=True)
            with TabPane("rule race", id="race"):
                with Grid(classes="form"):
                    yield from field(
                        "rules",
                        Input("hebbian,storkey,pseudo-inverse", compact=True, id="race-rules"),
                    )
                    yield from field("seed", self._input("seed", "race-seed", "random"))
                    yield from field("N", Input("256", compact=True, id="race-n"))
                    yield from field("alpha", Input("0.1", compact=True, id="race-alpha"))
                    yield from field(
                        "noises", Input("0.1,0.2,0.3,0.4", compact=True, id="race-noises")
                    )
                    yield from field("trials", Input("3", compact=True, id="race-trials"))
                    yield from field("mode", _mode_select("race-mode"))
                yield from self._controls("race")
                with Horizontal(classes="charts"):
                    yield ChartView(
                        "Run a race to compare the rules on the same cues.", id="race-exact"
                    )
                    yield ChartView("", id="race-overlap")
                yield DataTable(id="race-table", zebra_stripes=True)
            with TabPane("phase diagram", id="phase"):
                with Grid(classes="form"):
                    yield from field("seed", self._input("seed", "phase-seed", "random"))
                    yield from field("N", Input("400", compact=True, id="phase-n"))
                    yield from field(
                        "alphas", Input("0.01:0.2:0.01", compact=True, id="phase-alphas")
                    )
                    yield from field("T", Input("0:1.5:0.1", compact=True, id="phase-temperatures"))
                    yield from field("cues", Input("4", compact=True, id="phase-cues"))
                    yield from field("sweeps", Input("20", compact=True, id="phase-sweeps"))
                yield from self._controls("phase")
                yield Label("", id="phase-here", classes="status")
                yield PhaseView(
                    "Run the sweep to see where memories survive load and heat.",
                    id="phase-map",
                )
                yield DataTable(id="phase-table", zebra_stripes=True)
        yield Footer()

    def _input(self, key: str, id: str, placeholder: str = "") -> Input:
        return Input(self.defaults[key], placeholder=placeholder, compact=True, id=id)

    def _controls(self, prefix: str) -> ComposeResult:
        with Horizontal(classes="controls"):
            yield Button("run", id=f"{prefix}-run", variant="primary", compact=True)
            yield Button("stop", id=f"{prefix}-stop", disabled=True, compact=True)
            yield ProgressBar(total=1, id=f"{prefix}-progress", show_eta=False)
        # On a line of its own, wrapped: an error quotes what was typed, however long.
        yield Label("", id=f"{prefix}-status", classes="status")

    # -- actions ----------------------------------------------------------------

    @property
    def experiment(self) -> str:
        """The experiment of the open tab: ``capacity``, ``reinforce``, ``basins`` or ``race``."""
        return self.query_one(TabbedContent).active or "capacity"

    def action_tab(self, step: int) -> None:
        """Open the next tab (``step`` 1) or the previous one (-1), round the ends.

        The focus goes to the row of tabs first: a field keeping it in the pane left
        would open that pane again (``TabbedContent`` follows the focus).
        """
        tabs = self.query_one(TabbedContent)
        panes = [pane.id for pane in tabs.query(TabPane) if pane.id]
        if panes:
            here = panes.index(tabs.active) if tabs.active in panes else 0
            tabs.query_one(Tabs).focus()
            tabs.active = panes[(here + step) % len(panes)]

    def action_back(self) -> None:
        """Go back to the previous screen; a run goes on (see ``open_lab``)."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Run and stop are priority keys (``ctrl+x`` is an ``Input``'s cut): each acts
        only when it can, else (None: dimmed in the footer) the key goes on to the
        focused field, so ``ctrl+x`` still cuts while nothing runs."""
        if action == "run":
            return None if self.running(self.experiment) else True
        if action == "stop":
            run = self._runs.get(self.experiment)
            stoppable = self.running(self.experiment) and run is not None and not run[1].is_set()
            return True if stoppable else None
        return True

    def on_unmount(self) -> None:
        """The app is closing: every run stops after its unit of work."""
        for _, stop in self._runs.values():
            stop.set()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    def action_run(self) -> None:
        """Run the open tab's experiment."""
        self.start(self.experiment)

    def action_stop(self) -> None:
        """Stop the open tab's experiment, keeping what it measured."""
        self.stop(self.experiment)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        experiment, _, what = (event.button.id or "").partition("-")
        if what == "run":
            self.start(experiment)
        elif what == "stop":
            self.stop(experiment)

    def running(self, experiment: str) -> bool:
        """Whether a run of ``experiment`` is under way (stopping counts as running)."""
        run = self._runs.get(experiment)
        return run is not None and not run[0].is_finished

    def stop(self, experiment: str) -> None:
        """Ask ``experiment`` to stop after its current unit of work."""
        if self.running(experiment) and not self._runs[experiment][1].is_set():
            self._runs[experiment][1].set()
            self._status(experiment, "stopping...")
            self.refresh_bindings()

    def start(self, experiment: str) -> None:
        """Read the settings and run ``experiment`` in a thread worker."""
        if self.running(experiment):
            return
        try:
            if experiment == "capacity":
                work = self._capacity_work(capacity_settings(self))
            elif experiment == "basins":
                work = self._basins_work(basins_settings(self, self._memories()))
            elif experiment == "race":
                work = self._race_work(race_settings(self))
            elif experiment == "phase":
                work = self._phase_work(phase_settings(self))
            else:
                work = self._reinforce_work(*reinforce_settings(self))
        except ModelError as error:
            self._status(experiment, str(error))
            self.notify(str(error), title="cannot run", severity="error")
            return
        stop = threading.Event()
        self._set_running(experiment, True)
        self._status(experiment, "running...")
        self.query_one(f"#{experiment}-progress", ProgressBar).update(total=None, progress=0)

        def job() -> CapacityResult | ReinforceResult | BasinResult | RaceResult:
            return work(self._progress_callback(experiment, stop), stop.is_set)

        worker = self.run_worker(
            job, name=experiment, group=experiment, thread=True, exit_on_error=False
        )
        self._runs[experiment] = (worker, stop)

    def _set_running(self, experiment: str, running: bool) -> None:
        self.query_one(f"#{experiment}-run", Button).disabled = running
        self.query_one(f"#{experiment}-stop", Button).disabled = not running
        self.refresh_bindings()

    # -- the runs -------------------------------------------------------------------

    def _capacity_work(self, settings: CapacitySettings) -> Callable[..., CapacityResult]:
        return lambda progress, stop: run_capacity(settings, progress, stop)

    def _basins_work(self, settings: BasinSettings) -> Callable[..., BasinResult]:
        return lambda progress, stop: run_basins(settings, progress, stop)

    def _race_work(self, settings: RaceSettings) -> Callable[..., RaceResult]:
        return lambda progress, stop: run_race(settings, progress, stop)

    def _memories(self) -> Memories | None:
        """The app's memories when the basin form asks for them (None: random patterns).

        They are those of the main screen under the lab, copied as they are now;
        ``ModelError`` when the lab was not opened from the app or nothing is stored.
        """
        if self.query_one("#basins-source", Select).value != "app":
            return None
        network = next(
            (
                screen.network
                for screen in reversed(self.app.screen_stack)
                if isinstance(getattr(screen, "network", None), Network)
            ),
            None,
        )
        if network is None:
            raise ModelError("the app's memories: open the lab from the app's main screen")
        if not network.count:
            raise ModelError("the app has no memories yet: imprint a picture first")
        return Memories(
            tuple(network.names),
            network.patterns.copy(),
            network.strengths.copy(),
            "the app's memories",
        )

    def _phase_work(self, settings: PhaseSettings) -> Callable[..., PhaseResult]:
        return lambda progress, stop: run_phase(settings, progress, stop)

    def _reinforce_work(
        self, settings: ReinforceSettings, folder: Path | None
    ) -> Callable[..., ReinforceResult]:
        if folder is not None:
            scenes: tuple[Scene, ...] = load_scenes(folder)
        else:
            scenes = blog_scenes() if settings.shared else builtin_scenes()
        settings.rule.check_size(2 * scenes[0].rows * scenes[0].cols)
        return lambda progress, stop: run_reinforce(scenes, settings, progress, stop)

    # -- progress and results --------------------------------------------------------

    def _progress_callback(
        self, experiment: str, stop: threading.Event
    ) -> Callable[[int, int], None]:
        """A progress report for the worker thread; it hands updates to the screen, ten a second."""

        last = [-1.0]

        def progress(done: int, total: int) -> None:
            now = monotonic()
            if stop.is_set() or (now - last[0] < PROGRESS_INTERVAL and done < total):
                return
            last[0] = now
            try:
                self.app.call_from_thread(self._show_progress, experiment, done, total)
            except RuntimeError:  # the app is closing
                stop.set()

        return progress

    def _show_progress(self, experiment: str, done: int, total: int) -> None:
        with suppress(NoMatches):  # the screen has gone
            bar = self.query_one(f"#{experiment}-progress", ProgressBar)
            bar.update(total=total, progress=done)

    def _status(self, experiment: str, text: str) -> None:
        # Errors name files and scenes from the user's folder: plain, never markup.
        self.query_one(f"#{experiment}-status", Label).update(plain(text))

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        experiment = event.worker.group
        run = self._runs.get(experiment)
        if run is None or run[0] is not event.worker or not event.worker.is_finished:
            return
        run[1].set()
        self._set_running(experiment, False)
        if event.state == WorkerState.SUCCESS:
            result = event.worker.result
            if isinstance(result, CapacityResult):
                self.show_capacity(result)
            elif isinstance(result, ReinforceResult):
                self.show_reinforce(result)
            elif isinstance(result, BasinResult):
                self.show_basins(result)
            elif isinstance(result, RaceResult):
                self.show_race(result)
            elif isinstance(result, PhaseResult):
                self.show_phase(result)
        elif event.state == WorkerState.ERROR:
            message = str(event.worker.error)
            self._status(experiment, f"failed: {message}")
            self.notify(message, title="the experiment failed", severity="error")
        else:
            self._status(experiment, "cancelled")

    def show_capacity(self, result: CapacityResult) -> None:
        """Show a sweep's chart and table."""
        self.capacity_result = result
        self.query_one("#capacity-chart", ChartView).show(
            capacity_chart(result) if result.points else None
        )
        _fill(self.query_one("#capacity-table", DataTable), capacity_table(result))
        self._status("capacity", finished(result.complete, result.seconds))

    def show_phase(self, result: PhaseResult) -> None:
        """Show a phase diagram's heat map (with "you are here") and its table."""
        self.phase_result = result
        self.query_one("#phase-map", PhaseView).show(result if result.points else None, self.here)
        _fill(self.query_one("#phase-table", DataTable), phase_table(result))
        self._status("phase", finished(result.complete, result.seconds))

    def set_here(self, here: Here | None) -> None:
        """Mark the app's load and temperature on the phase diagram, and say where it is."""
        self.here = here
        with suppress(NoMatches):  # not composed yet: on_mount shows it
            self._show_here()

    def on_mount(self) -> None:
        self._show_here()

    def _show_here(self) -> None:
        text = "" if self.here is None else self.here.describe()
        self.query_one("#phase-here", Label).update(plain(text))
        view = self.query_one("#phase-map", PhaseView)
        view.show(view.result, self.here)

    def show_reinforce(self, result: ReinforceResult) -> None:
        """Show a study's table and the plots of its first scene."""
        self.reinforce_result = result
        _fill(self.query_one("#reinforce-table", DataTable), reinforce_table(result))
        select = self.query_one("#reinforce-scene", Select)
        select.set_options([(Text(name), name) for name in result.scenes])  # names, not markup
        if result.scenes:
            select.value = result.scenes[0]
        self._show_scene(result.scenes[0] if result.scenes else None)
        self._status(
            "reinforce", f"{finished(result.complete, result.seconds)}\n{tie_note(result)}"
        )

    def show_basins(self, result: BasinResult) -> None:
        """Show a basin map's two heat maps and its radii (per load, or per memory)."""
        self.basins_result = result
        has = bool(result.cells)
        exact = basins_heatmap(result, "exact") if has else None
        overlap = basins_heatmap(result, "overlap") if has else None
        self.query_one("#basins-exact", ChartView).show(exact)
        self.query_one("#basins-overlap", ChartView).show(overlap)
        memories = result.settings.memories is not None
        table = pictures_table(result) if memories else radius_table(result)
        _fill(self.query_one("#basins-table", DataTable), table)
        status = finished(result.complete, result.seconds)
        self._status("basins", f"{status}; recall: {result.settings.dynamics}")

    def show_race(self, result: RaceResult) -> None:
        """Show a rule race's two charts and its table."""
        self.race_result = result
        has = bool(result.rows)
        self.query_one("#race-exact", ChartView).show(race_chart(result, "exact") if has else None)
        self.query_one("#race-overlap", ChartView).show(
            race_chart(result, "overlap") if has else None
        )
        _fill(self.query_one("#race-table", DataTable), race_table(result))
        self._status(
            "race", finished(result.complete, result.seconds) + "; the same cues for every rule"
        )

    @on(Select.Changed, "#capacity-rule, #reinforce-rule, #basins-rule")
    def _rule_chosen(self, event: Select.Changed) -> None:
        prefix = (event.select.id or "").partition("-")[0]
        show_rule_settings(self, prefix, str(event.value))

    @on(Select.Changed, "#reinforce-preset")
    def _preset_chosen(self, event: Select.Changed) -> None:
        # The Select reports its first value when mounted: the form keeps what it was given.
        if event.value != self._preset:
            self._preset = str(event.value)
            fill_preset(self, self._preset)

    @on(Select.Changed, "#reinforce-scene")
    def _scene_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._show_scene(event.value)

    def _show_scene(self, scene: str | None) -> None:
        result = self.reinforce_result
        has_probes = result is not None and scene is not None and result.probes_of(scene)
        similarity = self.query_one("#reinforce-similarity", ChartView)
        energy = self.query_one("#reinforce-energy", ChartView)
        similarity.show(similarity_chart(result, scene) if has_probes else None)
        energy.show(energy_chart(result, scene) if has_probes else None)


def _mode_select(id: str) -> Select[str]:
    """The update mode of a form: async (exact) or sync."""
    return Select(
        [(mode, mode) for mode in MODES], value="async", allow_blank=False, compact=True, id=id
    )


LAB = "lab"
"""The name the app's one lab is installed under."""


def open_lab(app: App[object], seed: int | None = None, here: Here | None = None) -> LabScreen:
    """Show the app's lab, made (with ``seed``) and installed the first time.

    ``here`` (the app's load and temperature) is marked on the phase diagram, anew
    each time the lab opens.

    An installed screen is kept when it is popped, with its widgets and its
    workers: a run goes on while the person is elsewhere, and coming back shows
    it as it is. (Keeping the lab's state outside a screen made anew would need
    every widget's state copied back, the plot, table, progress and fields.)
    """
    if not app.is_screen_installed(LAB):
        app.install_screen(LabScreen(seed=seed), LAB)
    lab = app.get_screen(LAB)
    assert isinstance(lab, LabScreen)
    lab.set_here(here)
    if app.screen is not lab:
        app.push_screen(lab)
    return lab

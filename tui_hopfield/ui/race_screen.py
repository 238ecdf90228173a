"""The recall race on screen: a dialog to pick the racers, then their grids side by side.

The grid as it is now is the cue. ``RacePrompt`` picks two to four racers
(a rule, with its degree or beta, and an update mode). ``RaceScreen`` copies
the network, learns each racer's rule in a thread worker (with progress;
escape cancels) and then animates every racer at the recall speed: each
frame gives every racer that turns one spin at a time the same number of
flips, and a racer that changes many at once (sync, modern) takes a step
each ``step_seconds``, as the main grid's recall does. Each racer ends with
its sweeps or steps, flips, energy and the name of its state.
"""

from __future__ import annotations

import asyncio
from time import monotonic

import numpy as np
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Label, Select, Static
from textual.worker import get_current_worker

from tui_hopfield.model.changes import MODES, SPEEDS, step_seconds
from tui_hopfield.model.errors import Cancelled, ModelError
from tui_hopfield.model.network import Network
from tui_hopfield.model.race import MAX_RACERS, Entrant, Race, Racer
from tui_hopfield.model.rules import Rule
from tui_hopfield.ui.prompts import Dialog
from tui_hopfield.ui.thumbnail import Thumbnail

FPS = 30
"""Frames per second at most while racing."""
FRAME_BUDGET = 0.02
"""Seconds of model work per frame at most, so keys stay live."""
NONE = "none"
"""The rule choice of an empty place in the race."""

RULES: dict[str, Rule] = {
    "hebbian": Rule("hebbian"),
    "storkey": Rule("storkey"),
    "pseudo-inverse": Rule("pseudo-inverse"),
    **{f"dense n={n}": Rule("dense", n) for n in (2, 3, 4, 5, 6, 8, 10)},
    "dense exp": Rule("dense", None),
    **{f"modern \u03b2={beta:g}": Rule("modern", beta=beta) for beta in (1, 5, 10, 20, 40, 100)},
}
"""The rules a racer may take, by the names the dialog shows."""


def rule_choice(rule: Rule) -> str:
    """The dialog's name for ``rule``, or the nearest one it offers (its family's first)."""
    for name, offered in RULES.items():
        if offered == rule:
            return name
    return next(name for name, offered in RULES.items() if offered.name == rule.name)


class RacePrompt(Dialog[list[Entrant] | None]):
    """Pick two to four racers: a rule and an update mode each; dismisses with them or None."""

    HELP_TITLE = "recall race"
    HELP = (
        "The grid as it is now is recalled by each racer on its own copy of the memories,"
        " all from one seed: racers that turn one spin at a time visit the spins in the"
        " same order until their states part.\n"
        "rule: the learning rule of the racer (none leaves the place empty); dense n and"
        " modern beta are part of the choice. The modern rule takes its own retrieval"
        " steps, whatever the update says.\n"
        "update: async, one spin at a time; sync, every spin at once.\n"
        "enter on Race starts; escape changes nothing."
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    RacePrompt {
        align: center middle;
    }
    RacePrompt .field {
        height: 1;
        margin-bottom: 1;
    }
    RacePrompt .field-name {
        width: 9;
    }
    RacePrompt .racer-rule {
        width: 24;
    }
    RacePrompt .racer-mode {
        width: 12;
        margin-left: 2;
    }
    """

    def __init__(self, rule: Rule, mode: str) -> None:
        super().__init__()
        other = Rule("hebbian") if rule.name == "dense" else Rule("dense", 3)
        self.defaults: list[tuple[str, str]] = [
            (rule_choice(rule), mode),
            (rule_choice(other), mode),
            (NONE, mode),
            (NONE, mode),
        ]
        """The choice of each place when the dialog opens: the current rule against another."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="prompt"):
            yield Label(
                "Recall race: the grid as it is now, recalled side by side", classes="prompt-title"
            )
            for number, (rule, mode) in enumerate(self.defaults, 1):
                with Horizontal(classes="field"):
                    yield Label(f"racer {number}", classes="field-name")
                    options = [(name, name) for name in RULES]
                    if number > 2:
                        options.insert(0, (NONE, NONE))
                    yield Select(
                        options,
                        value=rule,
                        allow_blank=False,
                        compact=True,
                        id=f"rule-{number}",
                        classes="racer-rule",
                    )
                    yield Select(
                        [(m, m) for m in MODES],
                        value=mode,
                        allow_blank=False,
                        compact=True,
                        id=f"mode-{number}",
                        classes="racer-mode",
                    )
            with Grid(id="choices", classes="two"):
                yield Button("Race", id="race", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Label(
                "tab: next field \u00b7 escape: cancel \u00b7 f1: help", classes="prompt-hint"
            )

    def on_mount(self) -> None:
        self.query_one("#race", Button).focus()

    def entrants(self) -> list[Entrant]:
        """The racers chosen, in order (empty places left out)."""
        chosen = []
        for number in range(1, MAX_RACERS + 1):
            rule = self.query_one(f"#rule-{number}", Select).value
            mode = self.query_one(f"#mode-{number}", Select).value
            if rule != NONE:
                chosen.append(Entrant(RULES[str(rule)], str(mode)))
        return chosen

    @on(Button.Pressed, "#race")
    def race(self) -> None:
        """Start the race with the racers chosen."""
        self.close(self.entrants())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without a race."""
        self.close(None)


class RacerView(Vertical):
    """One racer: its name, its grid and, at the end, how it ended."""

    DEFAULT_CSS = """
    RacerView {
        height: 1fr;
        width: 1fr;
        border: round $primary;
        padding: 0 1;
        align-horizontal: center;
    }
    RacerView > .racer-result {
        width: 100%;
        height: auto;
    }
    """

    def __init__(self, racer: Racer, rows: int, cols: int) -> None:
        super().__init__()
        self.racer = racer
        """The racer shown."""
        self.border_title = racer.entrant.label
        self.picture = Thumbnail(shape=(rows, cols))
        """Its grid."""
        self.result = Static("", classes="racer-result")
        """Its flips so far, then how it ended."""

    def compose(self) -> ComposeResult:
        yield self.picture
        yield self.result

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        width = max(4, self.content_size.width)
        height = max(2, self.content_size.height - 2)
        self.picture.box = (width, height)

    def show(self) -> None:
        """Draw the racer's grid and its numbers now."""
        racer = self.racer
        network = racer.network
        values = network.values if network.values is not None else network.state
        self.picture.values = np.array(values, dtype=np.float32).reshape(network.rows, network.cols)
        result = racer.result
        if result is None:
            self.result.update(Text(f"{racer.flips} flips, energy {racer.energy():.0f}"))
        else:
            self.result.update(Text(f"{result.state}\n{result.summary}"))


class RaceScreen(Screen[None]):
    """The racers' grids side by side (two in a row, four in a 2x2), racing to their ends."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "again", "Race again"),
    ]
    DEFAULT_CSS = """
    RaceScreen #race-title {
        height: auto;
        width: 100%;
        padding: 0 1;
    }
    RaceScreen #racers {
        grid-size: 2;
        grid-gutter: 0 1;
        height: 1fr;
    }
    """

    def __init__(self, network: Network, entrants: list[Entrant], seed: int, speed_index: int):
        super().__init__()
        self.cue = network
        """The main grid's network, hidden under this screen (and with no job running)
        while the race lasts: the worker copies it once per racer."""
        self.entrants = list(entrants)
        """The racers' rules and modes."""
        self.seed = seed
        """The one seed of every racer."""
        self.speed_index = speed_index
        """The recall speed (an index into ``SPEEDS``)."""
        self.race: Race | None = None
        """The race, once every rule is learned."""
        self.views: list[RacerView] = []
        self.title_line = Static("", id="race-title")

    def compose(self) -> ComposeResult:
        yield self.title_line
        yield Grid(id="racers")
        yield Footer()

    def on_mount(self) -> None:
        self._say(f"learning {len(self.entrants)} rules\u2026 (escape cancels)")
        self._learn()

    def _say(self, what: str) -> None:
        speed = SPEEDS[self.speed_index]
        pace = "instant" if speed == 0 else f"{speed} flips/s"
        self.title_line.update(
            Text(f"Recall race \u00b7 seed {self.seed} \u00b7 {pace} \u00b7 {what}")
        )

    @work(thread=True, exclusive=True, group="race-learn", exit_on_error=False)
    def _learn(self) -> None:
        worker = get_current_worker()
        try:
            race = Race(self.cue, self.entrants, self.seed)

            def report(fraction: float) -> None:
                self.app.call_from_thread(
                    self._say, f"learning\u2026 {fraction:.0%} (escape cancels)"
                )

            race.prepare(report, lambda: worker.is_cancelled)
        except Cancelled:
            return
        except ModelError as error:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, str(error))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._start, race)

    def _failed(self, message: str) -> None:
        self._say("no race")
        self.notify(message, title="Recall race", severity="error")

    async def _start(self, race: Race) -> None:
        self.race = race
        box = self.query_one("#racers", Grid)
        await box.remove_children()
        rows, cols = self.cue.rows, self.cue.cols
        self.views = [RacerView(racer, rows, cols) for racer in race.racers]
        await box.mount_all(self.views)
        for view in self.views:
            view.show()
        self._run(race)

    @work(exclusive=True, group="race")
    async def _run(self, race: Race) -> None:
        """Move every racer at the recall speed until all have ended.

        Racers that turn one spin at a time get the same flips each frame, on the
        event loop (a frame's few flips are cheap); a racer that changes the whole
        grid at once (sync, modern: O(N P) a step) steps in a thread, every
        ``step_seconds``, and is drawn when its step is done.
        """
        speed = SPEEDS[self.speed_index]
        self._say("racing \u00b7 escape: back")
        credit = 0.0
        last = monotonic()
        due = dict.fromkeys(range(len(race.racers)), last)  # when each step racer steps next
        pending: dict[int, asyncio.Future] = {}  # the step racers' steps running in threads
        flippers = [
            r for r in race.racers if not (r.entrant.rule.continuous or r.entrant.mode == "sync")
        ]
        while not race.done or pending:
            now = monotonic()
            credit = min(credit + speed * (now - last), 1 + speed / FPS * 2)
            last = now
            budget = self.cue.n if speed == 0 else int(credit)
            credit -= budget if speed else 0
            share = FRAME_BUDGET / max(1, len(flippers))
            for number, racer in enumerate(race.racers):
                if racer in flippers:
                    if budget and not racer.done:
                        # at a speed, every racer takes its whole budget (a few flips);
                        # instant, each takes what its share of the frame allows
                        until = monotonic() + share
                        left = budget
                        while left > 0 and not racer.done:
                            left -= 64
                            racer.advance(min(64, left + 64), until)
                            if speed == 0 and monotonic() > until:
                                break
                        self.views[number].show()
                elif number in pending:
                    if pending[number].done():
                        pending.pop(number).result()
                        due[number] = monotonic() + step_seconds(speed)
                        self.views[number].show()
                elif not racer.done and now >= due[number]:
                    pending[number] = asyncio.ensure_future(asyncio.to_thread(racer.advance, 1))
            await asyncio.sleep(max(0.0, 1 / FPS - (monotonic() - now)))
        for view in self.views:
            view.show()
        self._say("finished \u00b7 r: again \u00b7 escape: back")

    def action_back(self) -> None:
        """Stop the race (or its learning) and go back to the grid."""
        self.workers.cancel_group(self, "race-learn")
        self.workers.cancel_group(self, "race")
        self.dismiss(None)

    async def action_again(self) -> None:
        """Run the same race again from the cue (the rules are learned again)."""
        if self.race is None or not self.race.done:
            return
        self.race = None
        self.workers.cancel_group(self, "race")
        await self.query_one("#racers", Grid).remove_children()
        self.views = []
        self._say("learning\u2026 (escape cancels)")
        self._learn()


class RaceActions:
    """A mixin for the main screen: the recall race (``ctrl+r``)."""

    def action_race(self) -> None:
        """Pick two to four racers, then race them from the grid as it is now."""
        workspace = self.workspace
        if self._refused("The recall race"):
            return
        if not workspace.network.count:
            self.notify("Imprint a picture first: with no memories there is nothing to race.")
            return
        if self.recalling:
            self._stop_recall()
            self._apply(workspace.stopped())

        def start(entrants: list[Entrant] | None) -> None:
            if not entrants or self._refused("The recall race"):
                return
            if len(entrants) < 2:
                self.notify("A race needs two racers at least.", title="Recall race")
                return
            seed = int(workspace.rng.integers(2**31))
            screen = RaceScreen(workspace.network, entrants, seed, workspace.speed_index)
            self.app.push_screen(screen)

        rule, mode = workspace.network.rule, workspace.mode
        self.app.push_screen(RacePrompt(rule, mode), start)

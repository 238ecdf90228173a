"""The session as one object: the network, its settings, the named state, the unsaved flag.

``Workspace`` knows no screen. Every edit is one call that returns a
``Change``: which spins changed, the state the status bar names, and a message
to show. ``snapshot()`` gives the few numbers a screen shows as one frozen
value. The UI maps events to these calls and the results to its widgets; the
headless tests drive the same calls without Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from tui_hopfield.model.analysis import Kind, Verdict, classify
from tui_hopfield.model.dynamics import MAX_TEMPERATURE, Asynchronous, Retrieval, Synchronous
from tui_hopfield.model.errors import Check
from tui_hopfield.model.network import CAPACITY, ModelError, Network
from tui_hopfield.model.patterns import (
    BREAKS,
    Picture,
    break_spins,
    flip_fraction,
    library,
    random_patterns,
    random_spins,
)
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.store import Session

SPEEDS = (1, 3, 10, 30, 100, 300, 1000, 0)
"""Recall speeds in flips per second; 0 is instant (as fast as frames allow)."""
DEFAULT_SPEED = 4
"""Index into ``SPEEDS`` of the speed at start (100 flips per second)."""
TEMPERATURE_STEP = 0.05
"""Temperatures are kept on steps of this size (the slider's)."""
MODES = ("async", "sync")
"""Update modes: one spin at a time, or the whole grid at once."""
OVERLOAD_BYTES = 2 * 2**30
"""The most memory the overload's patterns may take (int8, kept as rows and as columns):
a 256x256 grid takes up to 16,384 of them, a load of 0.25."""
OVERLOAD_BLOCK = 512
"""Random patterns drawn and imprinted at a time, between checks that the work goes on."""

Dynamics = Asynchronous | Synchronous | Retrieval
Severity = Literal["information", "warning", "error"]

NOTHING = np.empty(0, dtype=np.intp)
NOTHING.flags.writeable = False
"""No spin changed."""


@dataclass(frozen=True, eq=False)
class Change:
    """What one edit did: the spins it changed, the state it left, what to tell the user."""

    changed: np.ndarray | None = field(default_factory=lambda: NOTHING)
    """Flat indices of the spins that changed (None: any of them may have)."""
    state: str = ""
    """The named state after the edit."""
    message: str | None = None
    """What to tell the user, if anything."""
    title: str = ""
    """The message's title."""
    severity: Severity = "information"
    """How the message is shown."""
    timeout: float | None = None
    """Seconds the message stays (None: the default)."""


@dataclass(frozen=True)
class Snapshot:
    """The numbers a screen shows, taken at one moment."""

    memories: int = 0
    """How many memories are stored."""
    energy: float = 0.0
    """The energy of the grid (the modern network's own energy after its retrieval)."""
    state: str = "empty"
    """The named state: empty, drawing, broken, recalling, recalled <name>..."""
    load: float = 0.0
    """The load P / N."""
    temperature: float = 0.0
    """The temperature of recall."""
    mode: str = "async"
    """The update mode: ``async`` or ``sync``."""
    rule: str = "hebbian"
    """The learning rule's label."""
    speed: int = DEFAULT_SPEED
    """The recall speed, an index into ``SPEEDS``."""
    job: str = ""
    """The heavy work running and how far it is (empty: none)."""
    over_capacity: bool = False
    """Whether the load is past the classic capacity of a rule that has it (Hebb's)."""


@dataclass(frozen=True)
class SavePoint:
    """What a saved session holds that the unsaved flag compares: memories and settings."""

    network: Network
    revision: int
    mode: str
    temperature: float
    decay: float
    use_boost: float


def clamp_temperature(value: float) -> float:
    """``value`` brought into 0 .. ``MAX_TEMPERATURE`` and onto a step."""
    value = min(max(float(value), 0.0), MAX_TEMPERATURE)
    return round(round(value / TEMPERATURE_STEP) * TEMPERATURE_STEP, 10)


def speed_label(speed: int) -> str:
    """``100 flips/s`` or ``instant``."""
    if not speed:
        return "instant"
    return f"{speed} flip{'s' if speed != 1 else ''}/s"


def step_seconds(speed: int) -> float:
    """How long one synchronous or modern step stays on screen at a recall speed."""
    return 0.0 if speed == 0 else min(1.0, 30 / speed)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


class Workspace:
    """One session: the network (its state is the grid), the settings, the named state.

    Every edit returns a ``Change``. ``unsaved`` says whether memories or
    settings changed since the last ``mark_saved``.
    """

    def __init__(
        self,
        network: Network,
        rng: np.random.Generator,
        temperature: float = 0.0,
        mode: str = "async",
        pictures: Sequence[Picture] | None = None,
        saved: bool = True,
        path: Path | None = None,
    ) -> None:
        if mode not in MODES:
            raise ModelError(f"the update mode is async or sync, not {mode}")
        self.network = network
        """The memories and the grid."""
        self.rng = rng
        """Randomness for breaking, randomizing and the recall order."""
        self.pictures: list[Picture] = (
            list(pictures) if pictures is not None else library(network.rows, network.cols)
        )
        """The built-in pictures, on this grid's size."""
        self.temperature = clamp_temperature(temperature)
        """Temperature of recall; T > 0 is Glauber dynamics and melts memories."""
        self.mode = mode
        """The update mode of recall: ``async`` or ``sync``."""
        self.speed_index = DEFAULT_SPEED
        """The recall speed, an index into ``SPEEDS``."""
        self.path = path
        """Where the session was last saved or opened from."""
        self.job = ""
        """The heavy work running, as the status bar says it (set by whoever runs it)."""
        self.dynamics: Dynamics | None = None
        """The recall running, if any."""
        self.state = "empty"
        """The named state."""
        self._energy: float | None = None  # the modern network's energy after its retrieval
        self._saved: SavePoint | None = None
        if saved and network.count:
            self.mark_saved()
        self.name_state("drawing")

    # -- what it shows --------------------------------------------------------

    @property
    def speed(self) -> int:
        """The recall speed in flips per second (0: instant)."""
        return SPEEDS[self.speed_index]

    def snapshot(self) -> Snapshot:
        """The numbers a screen shows, now."""
        network = self.network
        rule = network.rule
        energy = self._energy if self._energy is not None else network.energy()
        return Snapshot(
            memories=network.count,
            energy=energy,
            state=self.state,
            load=network.load,
            temperature=self.temperature,
            mode=self.mode,
            rule=rule.label,
            speed=self.speed_index,
            job=self.job,
            over_capacity=network.load > CAPACITY and rule.label in ("hebbian", "dense n=2"),
        )

    def learning_label(self) -> str:
        """``hebbian · async · decay 0.9 · use +0.5``."""
        network = self.network
        rule = network.rule
        parts = [rule.label, "" if rule.continuous else self.mode]
        if network.decay != 1.0:
            parts.append(f"decay {network.decay:g}")
        if network.use_boost:
            parts.append(f"use +{network.use_boost:g}")
        return " \u00b7 ".join(part for part in parts if part)

    # -- saved or not ---------------------------------------------------------

    def save_point(self) -> SavePoint:
        """What a session saved now would hold (to pass to ``mark_saved`` once written)."""
        network = self.network
        return SavePoint(
            network,
            network.revision,
            self.mode,
            self.temperature,
            network.decay,
            network.use_boost,
        )

    def mark_saved(self, point: SavePoint | None = None) -> None:
        """The session as it was at ``point`` (default: now) is in a file."""
        self._saved = point if point is not None else self.save_point()

    def mark_unsaved(self) -> None:
        """The session is in no file (a crash's reopened session, say)."""
        self._saved = None

    @property
    def unsaved(self) -> bool:
        """Whether memories or settings changed since the last save or open."""
        return self.network.count > 0 and self._saved != self.save_point()

    def session(self) -> Session:
        """The whole session, to save."""
        return Session.of(self.network, self.temperature, self.mode)

    # -- naming the state -----------------------------------------------------

    def name_state(self, unsettled: str) -> str:
        """Name the state from what the grid is, or ``unsettled`` if it is near nothing."""
        temperature = self.temperature if self.recalling else 0.0
        verdict = classify(self.network, temperature)
        self.state = unsettled if verdict.kind is Kind.UNSETTLED else verdict.label
        return self.state

    def announce(self, state: str) -> Change:
        """Show ``state`` as it is (``overloading…``) until the next edit names it."""
        self.state = state
        return Change(state=state)

    def _edited(
        self, state: str, changed: np.ndarray | None, message: str | None = None, **note
    ) -> Change:
        """After the grid was drawn on: the state is ``state`` (``empty`` with no memories)."""
        self._energy = None
        self.state = state if self.network.count else "empty"
        return Change(changed, self.state, message, **note)

    def _named(self, unsettled: str = "drawing", message: str | None = None, **note) -> Change:
        self._energy = None
        return Change(NOTHING, self.name_state(unsettled), message, **note)

    def _grid(self, spins: np.ndarray) -> np.ndarray | None:
        """Set the whole grid to ``spins``; return the indices that changed."""
        before = self.network.state.copy()
        self.network.set_state(spins)
        return np.flatnonzero(before != self.network.state)

    # -- the grid -------------------------------------------------------------

    def paint(self, indices: Sequence[int], value: int) -> Change:
        """Set the spins at ``indices`` to ``value`` (the brush)."""
        self.stop_recall()
        changed = [i for i in indices if self.network.set_spin(i, value)]
        return self._edited("drawing", np.asarray(changed, dtype=np.intp))

    def clear(self) -> Change:
        """Every spin south."""
        self.stop_recall()
        return self._edited("drawing", self._grid(-np.ones(self.network.n, dtype=np.int8)))

    def randomize(self) -> Change:
        """Every spin random."""
        self.stop_recall()
        return self._edited("drawing", self._grid(random_spins(self.network.n, self.rng)))

    def break_grid(self, how: str, fraction: float = 0.2) -> Change:
        """Break the grid's picture: ``scramble``, ``flip`` (a fraction), ``wipe``, ``invert``."""
        if how != "flip" and how not in BREAKS:
            raise ModelError(f"no break called {how}")
        self.stop_recall()
        spins = self.network.grid()
        if how == "flip":
            broken = flip_fraction(spins, fraction, self.rng)
        else:
            broken = break_spins(spins, how, self.rng)
        described = f"flip {fraction:.0%} of the spins" if how == "flip" else BREAKS[how]
        return self._edited(
            "broken", self._grid(broken), f"Broken: {described}. Press r to recall.", timeout=3
        )

    # -- memories -------------------------------------------------------------

    def imprint(
        self, spins: np.ndarray, stem: str, show: bool = False, store: bool = True
    ) -> Change:
        """Imprint ``spins`` as a memory named after ``stem`` (made unique).

        ``show`` first puts them on the grid; ``store`` False only shows them
        (the memories are busy elsewhere).
        """
        self.stop_recall()
        changed = self._grid(spins) if show else NOTHING
        network = self.network
        if not store:
            return Change(changed, self._named().state)
        index = network.index_of(spins)
        if index is not None:
            message = f"{network.names[index]} is already a memory."
            return Change(changed, self._named().state, message, timeout=3)
        index = network.imprint(spins, network.unique_name(stem))
        message = f"Imprinted {network.names[index]}: memory {network.count}."  # as stored
        return Change(changed, self._named().state, message, timeout=3)

    def imprint_drawing(self, store: bool = True) -> Change:
        """Imprint whatever is on the grid."""
        return self.imprint(self.network.grid().copy(), "drawing", store=store)

    def picture(self, k: int, store: bool = True) -> Change:
        """Show built-in picture ``k`` and imprint it."""
        picture = self.pictures[k]
        return self.imprint(picture.spins, picture.name, show=True, store=store)

    def holds(self, index: int, name: str) -> bool:
        """Whether memory ``index`` is still the one called ``name``."""
        network = self.network
        return 0 <= index < network.count and network.names[index] == name

    def _memory_edit(self, index: int, edit) -> Change:
        try:
            changed, message = edit(self.network.names[index])
        except ModelError as error:
            return Change(NOTHING, self.state, str(error), "Not done", "error")
        self._energy = None
        return Change(changed, self.name_state("drawing"), message, timeout=3)

    def reinforce(self, index: int, times: float = 1.0) -> Change:
        """Add ``times`` to memory ``index``'s strength."""

        def edit(name: str) -> tuple[np.ndarray, str]:
            self.network.reinforce(index, times)
            strength = self.network.strengths[index]
            return NOTHING, f"Reinforced {name} {times:g}\u00d7: strength {strength:g}."

        return self._memory_edit(index, edit)

    def forget(self, index: int) -> Change:
        """Remove memory ``index``."""

        def edit(name: str) -> tuple[np.ndarray, str]:
            self.stop_recall()
            self.network.forget(index)
            return NOTHING, f"Forgot {name}."

        return self._memory_edit(index, edit)

    def rename(self, index: int, name: str) -> Change:
        """Call memory ``index`` ``name`` (cleaned)."""

        def edit(old: str) -> tuple[np.ndarray, str]:
            self.network.rename(index, name)
            return NOTHING, f"Renamed {old} to {self.network.names[index]}."

        return self._memory_edit(index, edit)

    def show(self, index: int) -> Change:
        """Put memory ``index`` on the grid."""

        def edit(name: str) -> tuple[np.ndarray | None, str]:
            self.stop_recall()
            return self._grid(self.network.memory(index).pattern), f"Showing {name}."

        return self._memory_edit(index, edit)

    def forget_all(self) -> Change:
        """Remove every memory; the grid stays."""
        self.stop_recall()
        self.network.forget_all()
        self._energy = None
        self.state = "empty"
        return Change(NOTHING, "empty", "Every memory forgotten.", timeout=3)

    # -- settings -------------------------------------------------------------

    def set_temperature(self, temperature: float) -> Change:
        """Set the temperature of recall (brought into range and onto a step)."""
        self.temperature = clamp_temperature(temperature)
        if self.dynamics is not None:
            self.dynamics.temperature = self.temperature
        return Change(state=self.state)

    def set_mode(self, mode: str) -> Change:
        """Recall one spin at a time (``async``) or the whole grid at once (``sync``)."""
        if mode not in MODES:
            raise ModelError(f"the update mode is async or sync, not {mode}")
        self.mode = mode
        return Change(state=self.state)

    def set_speed(self, index: int) -> Change:
        """Set the recall speed, an index into ``SPEEDS`` (brought into range)."""
        self.speed_index = min(max(int(index), 0), len(SPEEDS) - 1)
        return Change(state=self.state)

    def set_plasticity(self, decay: float, use_boost: float) -> Change:
        """Set the decay of every imprint and the strength gained by each use."""
        self.network.decay = decay
        self.network.use_boost = use_boost
        return Change(state=self.state)

    def set_rule(self, rule: Rule) -> Change:
        """Use ``rule`` now (learning it on the event loop: for no memories, or tests)."""
        self.stop_recall()
        self.network.rule = rule
        return self._named()

    def replace(self, network: Network, verdict: Verdict | None = None) -> Change:
        """Work on ``network`` from now on (opened, re-learned, overloaded).

        ``verdict`` is its state's name when it was found already (``classify``
        costs O(N P) on an unsettled grid).
        """
        self.stop_recall()
        if (network.rows, network.cols) != (self.network.rows, self.network.cols):
            self.pictures = library(network.rows, network.cols)
        self.network = network
        self._energy = None
        if verdict is None:
            return Change(None, self.name_state("drawing"))
        self.state = "drawing" if verdict.kind is Kind.UNSETTLED else verdict.label
        return Change(None, self.state)

    def open(self, session: Session, network: Network, path: Path | None, verdict=None) -> Change:
        """Work on an opened session: its network and settings; it counts as saved."""
        change = self.replace(network, verdict)
        self.mode = session.mode
        self.temperature = clamp_temperature(session.temperature)
        self.path = path
        self.mark_saved()
        return change

    # -- recall ---------------------------------------------------------------

    @property
    def recalling(self) -> bool:
        """Whether a recall is running."""
        return self.dynamics is not None

    def start_recall(self) -> Change:
        """Start a recall with the rule's and the mode's dynamics (``self.dynamics``)."""
        network = self.network
        if not network.count:
            return Change(
                state=self.state,
                message="Imprint a picture first: with no memories no spin wants to flip.",
            )
        if network.rule.continuous:
            self.dynamics = Retrieval(network)
        elif self.mode == "sync":
            self.dynamics = Synchronous(network, self.rng, self.temperature)
        else:
            self.dynamics = Asynchronous(network, self.rng, self.temperature)
        self._energy = self.dynamics.energy() if self.modern else None
        self.state = "recalling"
        return Change(state=self.state)

    @property
    def modern(self) -> bool:
        """Whether the recall running is the modern network's retrieval."""
        return isinstance(self.dynamics, Retrieval)

    def recall_moved(self) -> str:
        """After a frame of recall: keep the energy, and name a hot recall's state."""
        dynamics = self.dynamics
        if isinstance(dynamics, Retrieval):
            self._energy = dynamics.energy()
        elif dynamics is not None and dynamics.temperature > 0:
            self.name_state("recalling")
        return self.state

    def stop_recall(self) -> bool:
        """Stop the recall running (if any); return whether one was."""
        was = self.dynamics is not None
        self.dynamics = None
        return was

    def stopped(self) -> Change:
        """Name the state after a recall stopped by hand."""
        self.stop_recall()
        return Change(state=self.name_state("stopped"))

    def finish_recall(self, dynamics: Dynamics) -> Change:
        """After ``dynamics`` ran to its end: name the state (a 2-cycle, the steps taken)."""
        if self.dynamics is dynamics:
            self.dynamics = None
        if isinstance(dynamics, Retrieval):
            self._energy = dynamics.energy()
        self.name_state("stopped")
        if isinstance(dynamics, Synchronous | Retrieval):
            steps = dynamics.steps
            if isinstance(dynamics, Synchronous) and dynamics.cycle:
                self.state = f"2-cycle after {steps} steps"
            elif self.state.startswith("recalled"):
                self.state += f" in {_plural(steps, 'step')}"
        return Change(NOTHING, self.state)

    def learn_from_use(self) -> Change:
        """After a recall: a memory the grid recalls gains ``use_boost`` of strength."""
        network = self.network
        verdict = classify(network)
        boost = network.use_boost
        if boost > 0 and verdict.kind is Kind.RECALLED and verdict.memory is not None:
            index = network.names.index(verdict.memory)
            try:
                network.reinforce(index, boost)
            except ModelError as error:
                return Change(NOTHING, self.state, str(error), "Not learned from use", "warning")
            self._energy = None
            strength = network.strengths[index]
            message = f"{verdict.memory} was used: strength {strength:g}."
            return Change(NOTHING, self.state, message, timeout=3)
        return Change(NOTHING, self.state)

    def recall_summary(self, dynamics: Dynamics, flips: int) -> str:
        """``12 flips, 2 sweeps`` or ``340 flips, 3 steps``."""
        if isinstance(dynamics, Asynchronous):
            return f"{_plural(flips, 'flip')}, {_plural(dynamics.sweeps, 'sweep')}"
        return f"{_plural(flips, 'flip')}, {_plural(dynamics.steps, 'step')}"

    def energy(self) -> float:
        """The energy shown: the modern network's own after its retrieval, else the grid's."""
        return self._energy if self._energy is not None else self.network.energy()

    # -- overload -------------------------------------------------------------

    def overload_limit(self) -> int:
        """The most memories the overload may hold on this grid (``OVERLOAD_BYTES``)."""
        return OVERLOAD_BYTES // (2 * self.network.n)

    def plan_overload(self, load: float) -> tuple[int, Change | None]:
        """How many random memories reach ``load``, or why none are added."""
        network = self.network
        target = round(load * network.n)
        most = self.overload_limit()
        if target > most:
            message = (
                f"A load of {load:g} is {target:,} memories of {network.n:,} spins"
                f" ({2 * target * network.n / 2**30:.1f} GiB). This grid holds at most"
                f" {most:,} (a load of {most / network.n:.3f})."
            )
            return 0, Change(NOTHING, self.state, message, "Overload", "error", 8)
        added = max(0, target - network.count)
        if not added:
            message = f"The load is already {network.load:.3f}."
            return 0, Change(NOTHING, self.state, message, "Overload")
        return added, None


def overloaded(
    network: Network, state: np.ndarray, added: int, seed: int, cancelled: Check
) -> tuple[Network, Verdict] | None:
    """A copy of ``network`` with ``added`` random memories (seeded), its grid ``state``.

    Its landscape and caches are learned too, so showing it costs nothing.
    Return None when ``cancelled()`` said stop.
    """
    copy = network.copy()
    copy.set_state(state)
    total = network.count + added
    copy.reserve(total + total // 8)  # room to imprint more without a copy
    names = copy.unique_names("random", added)
    rng = np.random.default_rng(seed)
    for first in range(0, added, OVERLOAD_BLOCK):
        if cancelled():
            return None
        last = min(first + OVERLOAD_BLOCK, added)
        copy.imprint_many(random_patterns(last - first, network.n, rng), names[first:last])
    landscape = copy.landscape
    if landscape is not None and not cancelled():
        landscape.packed()
        landscape.floats()
    return copy, classify(copy)

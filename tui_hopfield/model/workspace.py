"""The session as one object: the network, its settings, the named state, the unsaved flag.

``Workspace`` knows no screen. Every edit is one call that returns a
``Change``: which spins changed, the state the status bar names, and a message
to show. ``snapshot()`` gives the few numbers a screen shows as one frozen
value. The UI maps events to these calls and the results to its widgets; the
headless tests drive the same calls without Textual.

Its recall (``workspace_recall.RecallMixin``: start, run, end, what it ended as) and
its replay (``workspace_replay.ReplayMixin``: stepping through a kept recall) are
parts of the class in modules of their own; this one holds the state they share.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np

from tui_hopfield.model.analysis import Kind, Verdict, classify
from tui_hopfield.model.boltzmann import Boltzmann
from tui_hopfield.model.changes import (
    DEFAULT_SPEED,
    MODES,
    NOTHING,
    SPEEDS,
    Change,
    SavePoint,
    Snapshot,
    clamp_temperature,
    plural,
)
from tui_hopfield.model.history import (
    GridMemento,
    History,
    LearningMemento,
    Memento,
    MemoriesMemento,
    PinsMemento,
    Step,
)
from tui_hopfield.model.melting import has_temperature, temperature_limit, temperature_note
from tui_hopfield.model.names import clean_name
from tui_hopfield.model.network import CAPACITY, ModelError, Network
from tui_hopfield.model.patterns import (
    BREAKS,
    Picture,
    break_spins,
    flip_fraction,
    library,
    random_spins,
)
from tui_hopfield.model.recording import KEPT, Cursor, Recording
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.steps import Retrieval
from tui_hopfield.model.store import Session
from tui_hopfield.model.workspace_recall import BoltzmannRun, Dynamics, RecallMixin, RecallOutcome
from tui_hopfield.model.workspace_replay import ReplayMixin

__all__ = ["BoltzmannRun", "Dynamics", "RecallOutcome", "Workspace"]


class Workspace(RecallMixin, ReplayMixin):
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
        self.history = History()
        """The steps to undo and redo (``undo``, ``redo``)."""
        self.recordings: deque[Recording] = deque(maxlen=KEPT)
        """The last recalls, recorded, the newest last."""
        self.replay: Cursor | None = None
        """Where the grid is in the last recording, while it is replayed."""
        self.picked: Recording | None = None
        """The older recording picked to replay and export (``pick_recording``), or None."""
        self.boltzmann: Boltzmann | None = None
        """The restricted Boltzmann machine trained on the memories, if any."""
        self.boltzmann_run: BoltzmannRun | None = None
        """The machine's last recall or dream that ran to its end (``note_boltzmann_run``)."""
        self._branch: str | None = None  # said by the next edit: it left a past point
        self._energy: float | None = None  # the modern network's energy after its retrieval
        self._recall_start: Step | None = None  # the grid and memories before the last recall
        self.last_recalled: str | None = None
        """The memory the last recall ended on (links learned from use start there)."""
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
            temperature_limit=self.temperature_limit,
            temperature_note=temperature_note(rule, network.strengths),
            has_temperature=has_temperature(rule),
            mode=self.mode,
            rule=rule.label,
            speed=self.speed_index,
            job=self.job,
            learning=self.learning_label(),
            # Counted by strength: with decay, faded memories add less cross-talk.
            over_capacity=network.effective_load > CAPACITY
            and rule.label in ("hebbian", "dense n=2"),
            effective_load=network.effective_load,
            pinned=network.pin_count,
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
        if network.links.strength:
            parts.append(f"links \u03bb {network.links.strength:g}")
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

    def unsaved_title(self) -> str:
        """What has not been saved, in words: the memories, or only named settings."""
        count = self.network.count
        memories = f"{count} {'memory' if count == 1 else 'memories'}"
        saved, now = self._saved, self.save_point()
        if saved is None or saved.network is not now.network or saved.revision != now.revision:
            return f"Changes to {memories} have not been saved."
        settings = [
            what
            for what, before, after in (
                ("the update mode", saved.mode, now.mode),
                ("the temperature", saved.temperature, now.temperature),
                ("the decay", saved.decay, now.decay),
                ("learning from use", saved.use_boost, now.use_boost),
            )
            if before != after
        ]
        if len(settings) > 1:
            settings[-2:] = [f"{settings[-2]} and {settings[-1]}"]
        changed = ", ".join(settings) or "the settings"
        return (
            f"{changed[0].upper()}{changed[1:]} changed since the last save; the memories did not."
        )

    def session(self) -> Session:
        """The whole session, to save."""
        session = Session.of(self.network, self.temperature, self.mode)
        machine = self.boltzmann
        if machine is not None and machine.visible == self.network.n:
            session.boltzmann = machine
        return session

    # -- naming the state -----------------------------------------------------

    def name_state(self, unsettled: str) -> str:
        """Name the state from what the grid is, or ``unsettled`` if it is near nothing."""
        hot = self.recalling and has_temperature(self.network.rule)  # modern: none
        verdict = classify(self.network, self.temperature if hot else 0.0)
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
        return Change(changed, self.state, self._branched(message), **note)

    def _named(self, unsettled: str = "drawing", message: str | None = None, **note) -> Change:
        self._energy = None
        return Change(NOTHING, self.name_state(unsettled), self._branched(message), **note)

    def _branched(self, message: str | None) -> str | None:
        """``message``, after the news that an edit left a past point of a replay."""
        branch, self._branch = self._branch, None
        if branch is None:
            return message
        return branch if message is None else f"{branch} {message}"

    def _grid(self, spins: np.ndarray, label: str | None = None) -> np.ndarray | None:
        """Set the whole grid to ``spins``; return the indices that changed.

        ``label`` names the step to undo it (None: the caller records it).
        """
        memento = None if label is None else GridMemento.of(self.network)
        before = self.network.state.copy()
        self.network.set_state(spins)
        changed = np.flatnonzero(before != self.network.state)
        if label is not None and memento is not None and len(changed):
            self._record(label, [memento])
        return changed

    # -- undo and redo --------------------------------------------------------

    def _begin(self) -> None:
        """Before an edit: stop the recall, and keep what the last one changed as a step."""
        self.stop_recall()
        self._too_large = None
        start, self._recall_start = self._recall_start, None
        if start is None:
            return
        grid, memories, learning = start.mementos
        network = self.network
        kept: list[Memento] = []
        if not np.array_equal(grid.spins(), network.state):
            kept.append(grid)
        if not np.array_equal(memories.strengths, network.strengths):
            kept.append(memories)  # learning from use reinforced the memory recalled
        if learning.links != network.links:
            kept.append(learning)  # a link learned from use
        if kept and not self.history.push(Step("recall", kept, state=start.state)):
            self._too_large = "recall"

    def _record(
        self,
        label: str,
        mementos: list[Memento],
        key: object = None,
        state: str | Literal["now"] | None = "now",
    ) -> None:
        """Keep a step to undo; one too large for the history is not kept (the note says).

        Called before the edit names the state: the step keeps the name before it
        (or ``state``, the name taken before an edit that has named it already).
        """
        before = self._state_now() if state == "now" else state
        if not self.history.push(Step(label, mementos, key, before)):
            self._too_large = label

    def _state_now(self) -> str | None:
        """The named state, for a step to restore; None while it is a recall's (name it then)."""
        return None if self.state == "recalling" else self.state

    _too_large: str | None = None

    def _take_note(self, message: str | None) -> str | None:
        """``message`` with a word on a step too large to undo, if the last edit made one."""
        label, self._too_large = self._too_large, None
        if label is None:
            return message
        megabytes = self.history.max_bytes // 2**20
        note = f"It cannot be undone: more than the undo history holds ({megabytes} MiB)."
        return note if message is None else f"{message} {note}"

    def peek(self, redo: bool = False) -> Step | None:
        """The next step to undo (``redo``: to redo), after keeping the last recall's."""
        self._begin()
        return self.history.peek(redo)

    def preview(self, network: Network, redo: bool = False, step: Step | None = None) -> None:
        """Make the next undo (or redo), or ``step``, on ``network``: a copy, to learn it.

        How a heavy undo is learned in a worker: ``network`` then has the
        memories the undo will leave, and ``undo(learned=network)`` takes its landscape.
        """
        step = step if step is not None else self.history.peek(redo)
        if step is not None:
            step.restore(_Holder(network, self.mode))

    def undo(self, learned: Network | None = None) -> Change:
        """Take back the last step (``learned``: a copy that made it and learned it)."""
        self._begin()
        done = self.history.undo(self, self._state_now())
        if done is None:
            return Change(NOTHING, self.state, "Nothing to undo.", timeout=3)
        step, kept = done
        message = f"Undid: {step.label}."
        if not kept:
            message += " It cannot be redone: more than the undo history holds."
        return self._restored(step, learned, message)

    def redo(self, learned: Network | None = None) -> Change:
        """Make the last step undone again (``learned``: as for ``undo``)."""
        self._begin()
        step = self.history.redo(self, self._state_now())
        if step is None:
            return Change(NOTHING, self.state, "Nothing to redo.", timeout=3)
        return self._restored(step, learned, f"Redid: {step.label}.")

    def _restored(self, step: Step, learned: Network | None, message: str) -> Change:
        """After ``step`` was restored: take what a copy learned, name the state as it was."""
        if learned is not None:
            self.network.adopt_learned(learned)
        self._energy = None
        if step.state is None:
            self.name_state("drawing")
        else:
            self.state = step.state if self.network.count else "empty"
        return Change(None, self.state, message, timeout=3)

    def learning_point(self) -> LearningMemento:
        """The learning now (rule, mode, decay, use), to record a change of it later, with
        the named state now (the landing of a new rule names the state again)."""
        return dataclasses.replace(LearningMemento.of(self), state=self._state_now())

    def record_learning(self, before: LearningMemento, key: object = None) -> None:
        """Keep a change of the learning since ``before`` as a step to undo (if any changed)."""
        now = self.learning_point()
        if now != before:
            self._record(f"learning {self.learning_label()}", [before], key, state=before.state)

    # -- the grid -------------------------------------------------------------

    def paint(
        self, indices: Sequence[int], value: int, stroke: object = None, label: str = "brush stroke"
    ) -> Change:
        """Set the spins at ``indices`` to ``value`` (the brush).

        Paints with the same ``stroke`` (not None) in a row are one step to
        undo, called ``label`` (a toggle, a brush stroke).
        """
        self._begin()
        key = None if stroke is None else ("stroke", stroke)
        before = None if self.history.joins(key) else GridMemento.of(self.network)
        changed = [i for i in indices if self.network.set_spin(i, value)]
        if changed:
            self._record(label, [before] if before is not None else [], key)
        return self._edited("drawing", np.asarray(changed, dtype=np.intp))

    def clear(self) -> Change:
        """Every spin south."""
        self._begin()
        return self._edited("drawing", self._grid(-np.ones(self.network.n, dtype=np.int8), "clear"))

    def randomize(self) -> Change:
        """Every spin random."""
        self._begin()
        return self._edited("drawing", self._grid(random_spins(self.network.n, self.rng), "random"))

    def break_grid(self, how: str, fraction: float = 0.2) -> Change:
        """Break the grid's picture: ``scramble``, ``flip`` (a fraction), ``wipe``, ``invert``.

        Pinned magnets keep their values: they are the part of the cue the user trusts.
        """
        if how != "flip" and how not in BREAKS:
            raise ModelError(f"no break called {how}")
        self._begin()
        spins = self.network.grid()
        if how == "flip":
            broken = flip_fraction(spins, fraction, self.rng)
        else:
            broken = break_spins(spins, how, self.rng)
        pinned = self.network.pinned.reshape(spins.shape)
        broken[pinned] = spins[pinned]  # a break spares what the user pinned as known
        described = f"flip {fraction:.0%} of the spins" if how == "flip" else BREAKS[how]
        label = f"flip {fraction:.0%}" if how == "flip" else how
        changed = self._grid(broken, f"break: {label}")
        return self._edited(
            "broken", changed, f"Broken: {described}. Press r to recall.", timeout=3
        )

    # -- pins -----------------------------------------------------------------

    def pin(
        self, indices: Sequence[int], pinned: bool | None = None, stroke: object = None
    ) -> Change:
        """Pin the magnets at ``indices`` (``pinned`` False: unpin them; None: toggle the first).

        Pins with the same ``stroke`` (not None) in a row are one step to undo.
        Recall never turns a pinned magnet over; painting one keeps it pinned.
        """
        self._begin()
        network = self.network
        if not len(indices):
            return Change(NOTHING, self.state)
        if pinned is None:
            pinned = not bool(network.pinned[indices[0]])
        key = None if stroke is None else ("pins", stroke)
        before = None if self.history.joins(key) else PinsMemento.of(network)
        changed = network.pin(indices, pinned)
        if len(changed):
            label = "pin" if pinned else "unpin"
            self._record(label, [before] if before is not None else [], key)
        return Change(changed, self.state, self.pins_message(), timeout=2)

    def unpin_all(self) -> Change:
        """Unpin every magnet."""
        self._begin()
        network = self.network
        count = network.pin_count
        if not count:
            return Change(NOTHING, self.state, "No magnet is pinned.", timeout=2)
        before = PinsMemento.of(network)
        changed = network.pin(np.flatnonzero(network.pinned), False)
        self._record(f"unpin all {count:,}", [before])
        message = f"Unpinned {plural(count, 'magnet')}: recall may change every one."
        return Change(changed, self.state, message, timeout=3)

    def pins_message(self) -> str:
        """``12 magnets pinned: recall keeps them.`` or ``No magnet pinned.``"""
        count = self.network.pin_count
        if not count:
            return "No magnet pinned."
        return f"{plural(count, 'magnet')} pinned: recall keeps them as they are."

    # -- memories -------------------------------------------------------------

    def imprint(
        self, spins: np.ndarray, stem: str, show: bool = False, store: bool = True
    ) -> Change:
        """Imprint ``spins`` as a memory named after ``stem`` (made unique).

        ``show`` first puts them on the grid; ``store`` False only shows them
        (the memories are busy elsewhere).
        """
        self._begin()
        network = self.network
        grid = GridMemento.of(network)
        changed = self._grid(spins) if show else NOTHING
        shown = [grid] if show and len(changed) else []
        if not store:
            if shown:
                self._record(f"show {clean_name(stem) or 'picture'}", shown)
            return Change(changed, self._named().state)
        index = network.index_of(spins)
        if index is not None:
            if shown:
                self._record(f"show {network.names[index]}", shown)
            message = f"{network.names[index]} is already a memory."
            return Change(changed, self._named().state, message, timeout=3)
        memories = MemoriesMemento.of(network, ("truncate", network.count))
        index = network.imprint(spins, network.unique_name(stem))
        self._record(f"imprint {network.names[index]}", [*shown, memories])
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

    def _memory_edit(self, index: int, edit, label: str, rows=("keep",), grid=False) -> Change:
        """Make ``edit`` of memory ``index``, kept as the step ``label`` and its name.

        ``rows`` takes back the edit's change of the patterns; ``grid``: the
        edit changes the grid only.
        """
        network = self.network
        name = network.names[index]
        before: Memento = GridMemento.of(network) if grid else MemoriesMemento.of(network, rows)
        try:
            changed, message = edit(name)
        except ModelError as error:
            return Change(NOTHING, self.state, str(error), "Not done", "error")
        if not grid or changed is None or len(changed):
            self._record(f"{label} {name}", [before])
        self._energy = None
        return Change(changed, self.name_state("drawing"), message, timeout=3)

    def reinforce(self, index: int, times: float = 1.0, learned: Network | None = None) -> Change:
        """Add ``times`` to memory ``index``'s strength.

        ``learned``: a copy that made the same edit and learned it in a worker;
        its landscape is taken (``Network.adopt_learned``), so nothing is learned here.
        """

        def edit(name: str) -> tuple[np.ndarray, str]:
            self.network.reinforce(index, times)
            if learned is not None:
                self.network.adopt_learned(learned)
            strength = self.network.strengths[index]
            return NOTHING, f"Reinforced {name} {times:g}\u00d7: strength {strength:g}."

        self._begin()
        return self._memory_edit(index, edit, "reinforce")

    def forget(self, index: int, learned: Network | None = None) -> Change:
        """Remove memory ``index`` (``learned``: as for ``reinforce``)."""

        def edit(name: str) -> tuple[np.ndarray, str]:
            self.network.forget(index)
            if learned is not None:
                self.network.adopt_learned(learned)
            return NOTHING, f"Forgot {name}."

        self._begin()
        if not 0 <= index < self.network.count:
            return Change(NOTHING, self.state, f"There is no memory number {index + 1}.")
        row = self.network.patterns[index].copy()
        return self._memory_edit(index, edit, "forget", ("insert", index, row))

    def rename(self, index: int, name: str) -> Change:
        """Call memory ``index`` ``name`` (cleaned)."""

        def edit(old: str) -> tuple[np.ndarray, str]:
            self.network.rename(index, name)
            return NOTHING, f"Renamed {old} to {self.network.names[index]}."

        self._begin()
        return self._memory_edit(index, edit, "rename")

    def link(self, index: int, target: str, strength: float) -> Change:
        """Link memory ``index`` to ``target`` with ``strength`` (0 removes the link)."""
        network = self.network
        if not 0 <= index < network.count:
            return Change(NOTHING, self.state, f"There is no memory number {index + 1}.")
        source = network.names[index]
        self._begin()
        before = self.learning_point()
        if strength == 0:
            if network.unlink(source, target):
                self._record(f"unlink {source} \u2192 {target}", [before], state=before.state)
                return Change(NOTHING, self.state, f"Unlinked {source} \u2192 {target}.")
            return Change(NOTHING, self.state, f"{source} had no link to {target}.")
        try:
            network.link(source, target, strength)
        except ModelError as error:
            return Change(NOTHING, self.state, str(error), "Not linked", "warning")
        self._record(f"link {source} \u2192 {target}", [before], state=before.state)
        message = f"Linked {source} \u2192 {target} {strength:g}."
        if not network.links.active():
            message += (
                " Set the links' lambda in the learning settings (l) for recall to follow it."
            )
        return Change(NOTHING, self.state, message)

    def configure_links(
        self, strength: float, hops: int, hop_factor: float, learn_step: float
    ) -> Change:
        """Set the links' lambda, hops, hop factor and the step learned from use."""
        self.network.configure_links(strength, hops, hop_factor, learn_step)
        return Change(state=self.state)

    def show(self, index: int) -> Change:
        """Put memory ``index`` on the grid."""

        def edit(name: str) -> tuple[np.ndarray | None, str]:
            return self._grid(self.network.memory(index).pattern), f"Showing {name}."

        self._begin()
        return self._memory_edit(index, edit, "show", grid=True)

    def forget_all(self) -> Change:
        """Remove every memory; the grid stays."""
        self._begin()
        network = self.network
        if self.history.fits(network.patterns.nbytes):
            memories = MemoriesMemento.of(network, ("append", network.patterns.copy()))
            self._record(f"forget all {network.count}", [memories])
        else:
            self.history.clear()
            self._too_large = "forget all"
        network.forget_all()
        self._energy = None
        self.state = "empty"
        return Change(NOTHING, "empty", self._take_note("Every memory forgotten."), timeout=3)

    # -- settings -------------------------------------------------------------

    @property
    def temperature_limit(self) -> float:
        """The hottest the slider goes: past the melting point of the strongest memory."""
        network = self.network
        return temperature_limit(network.rule, network.strengths)

    def set_temperature(self, temperature: float) -> Change:
        """Set the temperature of recall (brought into range and onto a step).

        The range ends at ``temperature_limit``, or at the temperature already set
        if that is hotter (a strong memory forgotten since leaves it as it was).
        """
        limit = max(self.temperature_limit, self.temperature)
        self.temperature = clamp_temperature(temperature, limit)
        if self.dynamics is not None and not isinstance(self.dynamics, Retrieval):
            self.dynamics.temperature = self.temperature
        if not has_temperature(self.network.rule):
            return Change(
                state=self.state,
                message="The modern rule has no temperature: its recall is the softmax step,"
                " and beta is the softmax's inverse temperature.",
            )
        return Change(state=self.state)

    def set_mode(self, mode: str, record: bool = True) -> Change:
        """Recall one spin at a time (``async``) or the whole grid at once (``sync``).

        ``record`` False leaves it to the caller to keep the step (``record_learning``).
        """
        if mode not in MODES:
            raise ModelError(f"the update mode is async or sync, not {mode}")
        before = self.learning_point()
        self.mode = mode
        if record:
            self.record_learning(before)
        return Change(state=self.state)

    def set_speed(self, index: int) -> Change:
        """Set the recall speed, an index into ``SPEEDS`` (brought into range)."""
        self.speed_index = min(max(int(index), 0), len(SPEEDS) - 1)
        return Change(state=self.state)

    def set_plasticity(self, decay: float, use_boost: float, record: bool = True) -> Change:
        """Set the decay of every imprint and the strength gained by each use."""
        before = self.learning_point()
        self.network.decay = decay
        self.network.use_boost = use_boost
        if record:
            self.record_learning(before)
        return Change(state=self.state)

    def set_rule(self, rule: Rule, record: bool = True) -> Change:
        """Use ``rule`` now (learning it on the event loop: for no memories, or tests)."""
        self._begin()
        before = self.learning_point()
        self.network.rule = rule
        if record:
            self.record_learning(before)
        return self._named()

    def replace(
        self,
        network: Network,
        verdict: Verdict | None = None,
        *,
        kept: bool = False,
        grew_from: Network | None = None,
    ) -> Change:
        """Work on ``network`` from now on (opened, re-learned, overloaded).

        ``verdict`` is its state's name when it was found already (``classify``
        costs O(N P) on an unsettled grid). The history of undo goes, unless
        ``kept`` (the same memories re-learned: the caller keeps the step) or
        ``grew_from`` (``network`` is that one with memories added, an
        overload: undoing it takes them off again).
        """
        self._begin()
        if grew_from is not None:
            before = MemoriesMemento.of(grew_from, ("truncate", grew_from.count))
            added = network.count - grew_from.count
            self._record(f"overload {added:,} random memories", [before])
        elif not kept:
            self.history.clear()
        self.recordings.clear()  # they ran on the network replaced
        self.last_recalled = None  # a co-use is two recalls on the same memories
        self._branch = None
        if (network.rows, network.cols) != (self.network.rows, self.network.cols):
            self.pictures = library(network.rows, network.cols)
        self.network = network
        self._energy = None
        self.picked = None
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
        self.boltzmann = session.boltzmann
        self.mark_saved()
        return change


class _Holder:
    """A network and an update mode for a step to be made on (a copy, in a worker)."""

    def __init__(self, network: Network, mode: str) -> None:
        self.network = network
        self.mode = mode

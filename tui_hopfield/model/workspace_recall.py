"""The workspace's recall: starting, running and ending one, and what it ended as.

``RecallMixin`` is the recall part of ``workspace.Workspace`` (which holds the
state it reads: the network, the dynamics, the recordings, the named state).
Each call returns a ``Change`` as the workspace's others do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from tui_hopfield.model.analysis import Kind, classify
from tui_hopfield.model.anatomy import anatomy
from tui_hopfield.model.boltzmann import Boltzmann
from tui_hopfield.model.chain import Chain
from tui_hopfield.model.changes import NOTHING, Change, plural
from tui_hopfield.model.dynamics import Asynchronous, Event, Flips
from tui_hopfield.model.history import GridMemento, LearningMemento, MemoriesMemento, Step
from tui_hopfield.model.network import ModelError
from tui_hopfield.model.recording import Recording, record_flips, recorded
from tui_hopfield.model.steps import Retrieval, Synchronous

Dynamics = Asynchronous | Synchronous | Retrieval
"""The dynamics a recall runs: one spin at a time, the whole grid, or the modern retrieval."""


@dataclasses.dataclass(frozen=True)
class RecallOutcome:
    """How the last recall on the grid went, as its recording kept it (``last_recall``)."""

    ended: str
    """The named state it ended in (``recalled smile``); empty while it runs, or when an
    edit stopped it."""
    start_energy: float
    """The energy shown when it started."""
    end_energy: float
    """The energy shown at its end (or now, while it runs)."""
    rule: str
    """The rule's label it ran under (``hebbian``)."""
    recording: Recording
    """The recording itself: a new recall is a new one (compare by identity)."""

    @property
    def recalled(self) -> str | None:
        """The memory it ended on (``recalled smile in 2 steps``: smile), else None."""
        ended = self.ended
        if not ended.startswith("recalled ") or ended.startswith("recalled inverse of "):
            return None
        return ended.removeprefix("recalled ").split(" in ")[0]


@dataclasses.dataclass(frozen=True)
class BoltzmannRun:
    """A recall or a dream of the Boltzmann machine that ran to its end."""

    what: str
    """``recall`` or ``dream``."""
    verdict: str
    """What a recall ended as (``recalled smile``); empty for a dream."""
    temperature: float
    """The temperature it sampled at."""
    grid_state: str
    """The main grid's named state then (``broken``): what a recall started from."""
    machine: Boltzmann
    """The machine that sampled."""
    number: int
    """Its number among the session's runs, from 1."""


class RecallMixin:
    """Recall on the workspace's grid (a part of ``Workspace``)."""

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
        self._begin()
        start = [GridMemento.of(network), MemoriesMemento.of(network), LearningMemento.of(self)]
        self._recall_start = Step("recall", start, state=self._state_now())
        if network.rule.continuous:
            self.dynamics = Retrieval(network)
        elif self.mode == "sync":
            self.dynamics = Synchronous(network, self.rng, self.temperature)
        elif network.links.active():
            self.dynamics = Chain(network, self.rng, self.temperature)
        else:
            self.dynamics = Asynchronous(network, self.rng, self.temperature)
        self._energy = self.dynamics.energy() if self.modern else None
        self.picked = None  # the new recall is the one replayed
        self.recordings.append(
            Recording(
                network.state,
                network.rows,
                network.cols,
                self.energy(),
                "flip" if isinstance(self.dynamics, Asynchronous) else "step",
                names=network.names,
                rule=network.rule.label,
                mode="modern" if self.modern else self.mode,
                revision=network.revision,
                packed=network.landscape.packed(),  # built by prepare, in a worker
            )
        )
        self.state = "recalling"
        note = None
        if network.links.active() and not isinstance(self.dynamics, Chain):
            note = (
                "The links push only one-spin-at-a-time recall (m: async; not the modern"
                " rule): this recall ignores them."
            )
        return Change(state=self.state, message=self._branched(note))

    def recall_events(self, dynamics: Dynamics) -> Iterator[Event]:
        """The events of ``dynamics`` (just started), recorded in ``recordings[-1]``."""
        return recorded(dynamics.events(), self.recordings[-1], self.network)

    def recall_flips(
        self, dynamics: Asynchronous, max_flips: int | None, deadline: float | None
    ) -> Flips:
        """The next flips of ``dynamics`` (asynchronous), in bulk, recorded in the last recording.

        Up to ``max_flips`` flips, a sweep's end or the ``deadline`` (``time.monotonic``).
        """
        return record_flips(dynamics, self.recordings[-1], max_flips, deadline)

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
        if isinstance(dynamics, Chain) and dynamics.chain:
            self.state = f"recalling {dynamics.describe()}"
        return self.state

    def stop_recall(self) -> bool:
        """Stop the recall running (if any); return whether one was."""
        was = self.dynamics is not None
        self.dynamics = None
        if was and self.recordings:
            self.recordings[-1].close(self.network.state)
        self._end_replay()
        return was

    def stopped(self) -> Change:
        """Name the state after a recall stopped by hand."""
        self.stop_recall()
        self.name_state("stopped")
        if self.recordings:
            self.recordings[-1].state = self.state
        return Change(state=self.state)

    def finish_recall(self, dynamics: Dynamics) -> Change:
        """After ``dynamics`` ran to its end: name the state (a 2-cycle, the steps taken)."""
        if self.dynamics is dynamics:
            self.dynamics = None
        if isinstance(dynamics, Retrieval):
            self._energy = dynamics.energy()
        self.name_state("stopped")
        message = None
        if self.state == Kind.SPURIOUS.value:  # what it is made of: its best odd mixture
            found = anatomy(self.network)
            self.state = f"spurious: {found.label}"
            message = found.detail
        if isinstance(dynamics, Synchronous | Retrieval):
            steps = dynamics.steps
            if isinstance(dynamics, Synchronous) and dynamics.cycle:
                self.state = f"2-cycle after {plural(steps, 'step')}"
            elif self.state.startswith("recalled"):
                self.state += f" in {plural(steps, 'step')}"
        if isinstance(dynamics, Chain) and len(dynamics.chain) > 1:
            self.state = f"{dynamics.describe()} · {self.state}"
            said = f"The chain {dynamics.describe()} ({dynamics.ended})."
            message = said if message is None else f"{said} {message}"
            if dynamics.climbed > 0:
                message += (
                    f" The hops raised the energy shown by {dynamics.climbed:.0f} on the way"
                    " over the ridges between valleys: it is the symmetric part's, and the"
                    " links' push is asymmetric, with no energy of its own."
                )
        if self.recordings:
            self.recordings[-1].close(self.network.state)
            self.recordings[-1].state = self.state
        return Change(NOTHING, self.state, message)

    def learn_from_use(self) -> Change:
        """After a recall: a memory the grid recalls gains ``use_boost`` of strength.

        With links learned from use, a recall that ends on B right after one
        that ended on A strengthens the link A -> B by ``links.learn_step``.
        """
        network = self.network
        verdict = classify(network)
        landed = verdict.memory if verdict.kind is Kind.RECALLED else None
        before, self.last_recalled = self.last_recalled, landed
        step = network.links.learn_step
        if step > 0 and landed is not None and before in network.names and before != landed:
            grown = network.strengthen_link(before, landed, step)
            message = f"{before} → {landed} used together: link {grown:g}."
            return Change(NOTHING, self.state, message, timeout=3)
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
            return f"{plural(flips, 'flip')}, {plural(dynamics.sweeps, 'sweep')}"
        return f"{plural(flips, 'flip')}, {plural(dynamics.steps, 'step')}"

    def energy(self) -> float:
        """The energy shown: the modern network's own after its retrieval, else the grid's."""
        return self._energy if self._energy is not None else self.network.energy()

    @property
    def last_recall(self) -> RecallOutcome | None:
        """The last recall on the grid, as recorded: how it ended and its energy before
        and after (None before the first, or once the network was replaced)."""
        if not self.recordings:
            return None
        recording = self.recordings[-1]
        return RecallOutcome(
            recording.state if recording.closed else "",
            recording.energy_at(0),
            recording.energy_at(len(recording)),
            recording.rule,
            recording,
        )

    def note_boltzmann_run(self, what: str, verdict: str, temperature: float) -> BoltzmannRun:
        """Keep that the Boltzmann machine's ``what`` (recall, dream) ran to its end."""
        machine = self.boltzmann
        if machine is None:
            raise ModelError("there is no Boltzmann machine to have sampled")
        last = self.boltzmann_run
        run = BoltzmannRun(
            what, verdict, temperature, self.state, machine, 1 if last is None else last.number + 1
        )
        self.boltzmann_run = run
        return run

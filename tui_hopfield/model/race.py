"""A recall race: one cue recalled side by side by several rules or update modes.

Each racer is a copy of the workspace's network (its memories, strengths,
pins and grid) with a rule of its own, learned on the copy (``Racer.prepare``,
the heavy part, for a worker). Every racer gets a fresh generator from the
same seed, so racers that visit spins one at a time visit them in the same
order (``Asynchronous`` draws each sweep's order from its generator) until
their states part. ``Race.advance`` moves every racer by the same budget of
flips (a synchronous or modern step counts as one move), so that the grids
animate at one pace; each racer ends with its steps, flips, energy and the
name of its state (``analysis.classify``, and ``anatomy`` for a spurious one).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from time import monotonic

import numpy as np

from tui_hopfield.model.analysis import Kind, classify
from tui_hopfield.model.anatomy import anatomy
from tui_hopfield.model.changes import MODES, plural
from tui_hopfield.model.dynamics import Asynchronous, Event, Flip, Progress, Step
from tui_hopfield.model.errors import Check, ModelError, Report
from tui_hopfield.model.network import Network
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.steps import Retrieval, Synchronous

MIN_RACERS, MAX_RACERS = 2, 4
"""How many racers a race has."""


@dataclass(frozen=True)
class Entrant:
    """What one racer recalls with: a rule and an update mode."""

    rule: Rule
    """The learning rule (with its degree or beta)."""
    mode: str = "async"
    """``async`` or ``sync``; the modern rule always takes its retrieval steps."""

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ModelError(f"the update mode is async or sync, not {self.mode}")

    @property
    def label(self) -> str:
        """``hebbian · async``, ``dense n=3 · sync``, ``modern β=40``."""
        if self.rule.continuous:
            return self.rule.label
        return f"{self.rule.label} \u00b7 {self.mode}"


@dataclass(frozen=True)
class Result:
    """How a racer ended."""

    steps: int
    """Sweeps (async) or steps (sync, modern) taken."""
    flips: int
    """Spins that changed sign."""
    energy: float
    """The energy at the end, in the racer's own rule."""
    state: str
    """The name of the state: ``recalled smile``, ``spurious: smile + house - cat, ...``."""
    unit: str
    """``sweep`` or ``step``."""

    @property
    def summary(self) -> str:
        """``3 sweeps, 120 flips, energy -410``."""
        return (
            f"{plural(self.steps, self.unit)}, {plural(self.flips, 'flip')},"
            f" energy {self.energy:.0f}"
        )


class Racer:
    """One network of the race and its dynamics.

    Its network shares the stored patterns of ``network`` (which must not change
    while the racer lives: ``Race`` hands it a copy of its own).
    """

    def __init__(self, network: Network, entrant: Entrant, seed: int) -> None:
        self.entrant = entrant
        """The rule and the mode."""
        copy = network.copy(share_patterns=True)
        copy.rule = entrant.rule  # checks the size (Storkey's N x N may be refused)
        self.network = copy
        """The racer's own copy of the network, with the entrant's rule."""
        self.seed = seed
        """The seed of its generator."""
        self.flips = 0
        """Spins that changed sign so far."""
        self.result: Result | None = None
        """How it ended, once it has."""
        self.dynamics: Asynchronous | Synchronous | Retrieval | None = None
        self._events: Iterator[Event] | None = None

    def prepare(self, report: Report | None = None, cancelled: Check | None = None) -> None:
        """Learn the rule on the copy (the heavy part) and start the dynamics."""
        network = self.network
        network.prepare(report, cancelled)
        rng = np.random.default_rng(self.seed)
        if network.rule.continuous:
            self.dynamics = Retrieval(network)
        elif self.entrant.mode == "sync":
            self.dynamics = Synchronous(network, rng)
        else:
            self.dynamics = Asynchronous(network, rng)
        self._events = self.dynamics.events()

    @property
    def done(self) -> bool:
        """Whether the racer has ended."""
        return self.result is not None

    def advance(self, budget: int, until: float | None = None) -> list[int]:
        """Move by up to ``budget`` flips, or one step; return the spins that changed.

        ``until`` (a ``time.monotonic`` time) ends the move early when a long
        stretch without flips (``Progress``) runs past it, as the main recall does.
        """
        if self._events is None:
            raise ModelError("prepare the racer before it races")
        changed: list[int] = []
        if self.done:
            return changed
        moved = 0
        while moved < budget:
            try:
                event = next(self._events)
            except StopIteration:
                self.result = self._finish()
                break
            if isinstance(event, Flip):
                changed.append(event.index)
                self.flips += 1
                moved += 1
            elif isinstance(event, Step):
                changed.extend(event.changed.tolist())
                self.flips += len(event.changed)
                break
            elif isinstance(event, Progress) and until is not None and monotonic() > until:
                break
        return changed

    def energy(self) -> float:
        """The energy now, in the racer's rule (the modern network's own)."""
        if isinstance(self.dynamics, Retrieval):
            return self.dynamics.energy()
        return self.network.energy()

    def _finish(self) -> Result:
        network, dynamics = self.network, self.dynamics
        verdict = classify(network)
        state = verdict.label
        if verdict.kind is Kind.SPURIOUS:
            state = f"spurious: {anatomy(network).label}"
        if isinstance(dynamics, Asynchronous):
            steps, unit = dynamics.sweeps, "sweep"
        else:
            steps, unit = dynamics.steps, "step"
            if isinstance(dynamics, Synchronous) and dynamics.cycle:
                state = f"2-cycle ({state})"
        return Result(steps, self.flips, self.energy(), state, unit)


class Race:
    """Two to four racers from one network and one seed, stepped in lockstep."""

    def __init__(self, network: Network, entrants: Sequence[Entrant], seed: int) -> None:
        if not MIN_RACERS <= len(entrants) <= MAX_RACERS:
            raise ModelError(f"a race has {MIN_RACERS} to {MAX_RACERS} racers, not {len(entrants)}")
        if not network.count:
            raise ModelError("Imprint a picture first: with no memories there is nothing to race.")
        self.seed = seed
        """The seed every racer's generator starts from."""
        self.cue = network.copy()
        """The network raced from, copied once: the racers share its patterns."""
        self.racers = [Racer(self.cue, entrant, seed) for entrant in entrants]
        """The racers, in the order given."""

    def prepare(self, report: Report | None = None, cancelled: Check | None = None) -> None:
        """Learn every racer's rule (for a worker), reporting the fraction done overall."""
        count = len(self.racers)
        for number, racer in enumerate(self.racers):

            def part(fraction: float, number: int = number) -> None:
                if report is not None:
                    report((number + fraction) / count)

            racer.prepare(part, cancelled)

    @property
    def done(self) -> bool:
        """Whether every racer has ended."""
        return all(racer.done for racer in self.racers)

    def advance(self, budget: int) -> list[list[int]]:
        """Move every racer by ``budget`` flips (or one step); the spins each changed."""
        return [racer.advance(budget) for racer in self.racers]

    def run(self, budget: int = 1_000_000) -> list[Result]:
        """Run the race to its end (no screen) and return each racer's result."""
        while not self.done:
            self.advance(budget)
        return [racer.result for racer in self.racers if racer.result is not None]

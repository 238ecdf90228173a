"""Undo and redo: a bounded history of steps, each holding what restores the session before it.

A ``Step`` is one thing the user did (a toggle, a brush stroke, a break, an
imprint, a forget, a change of the learning), labelled as the message says it
(``imprint smile``). It holds *mementos*: each restores one part of the session
exactly and hands back the memento that restores the part as it was, so the
same call undoes and redoes. Only what the step changed is kept:

- ``GridMemento``: the grid, packed to one bit a spin (8 KiB at 256x256), and
  the modern network's continuous state when there is one;
- ``MemoriesMemento``: the names and strengths (P of each) and one edit of the
  stored patterns (nothing for an imprint's undo: the new rows are cut off;
  one row for a forget's; every row only for forgetting them all);
- ``LearningMemento``: the rule, the update mode, decay and learning from use;
- ``PinsMemento``: which magnets are pinned, one bit each.

The learned landscape itself is never kept: restoring memories marks the
network to learn again, and ``Step.learning_cost`` says how much work that is,
so that a screen can do it in a worker (on a copy, whose landscape the network
then takes) when it is heavy.

``History`` keeps at most ``HISTORY_STEPS`` steps and ``HISTORY_BYTES`` bytes
(undo and redo together): the oldest steps go first. A step larger than the
whole budget is not kept (the history before it is dropped, and the step says
so). A new step drops the redo branch.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from tui_hopfield.model.links import Links
from tui_hopfield.model.network import Network, RowEdit
from tui_hopfield.model.rules import Rule

HISTORY_BYTES = 64 * 2**20
"""The most memory the undo history (undo and redo together) holds."""
HISTORY_STEPS = 1000
"""The most steps it holds."""


class Holder(Protocol):
    """What a memento restores: a network and the update mode (a ``Workspace``)."""

    network: Network
    mode: str


class Memento(Protocol):
    """One part of the session as it was; ``restore`` puts it back."""

    @property
    def nbytes(self) -> int:
        """About how many bytes it holds."""

    def restore(self, holder: Holder, limit: int | None = None) -> Memento:
        """Put this part back on ``holder``; return the memento of it as it was just now.

        ``limit``: the most bytes that memento may hold (one that would hold more
        holds nothing and says ``nbytes`` is more than any limit).
        """

    def learning_cost(self, network: Network) -> float:
        """The multiply-adds ``network`` learns after ``restore`` (0: it keeps its landscape)."""


@dataclass(frozen=True, eq=False)
class GridMemento:
    """The grid as it was: its spins, one bit each, and the continuous state if any."""

    bits: np.ndarray
    """``np.packbits`` of the spins (north = 1)."""
    n: int
    """The number of spins."""
    values: np.ndarray | None = None
    """The modern network's continuous state (float32, N), or None."""

    @classmethod
    def of(cls, network: Network) -> GridMemento:
        """The grid of ``network`` now."""
        values = None if network.values is None else network.values.copy()
        return cls(np.packbits(network.state > 0), network.n, values)

    def spins(self) -> np.ndarray:
        """The spins, int8 (N,)."""
        bits = np.unpackbits(self.bits, count=self.n)
        return (2 * bits.astype(np.int8) - 1).astype(np.int8)

    @property
    def nbytes(self) -> int:
        """Bytes held: the bits, and the values when there are some."""
        return self.bits.nbytes + (0 if self.values is None else self.values.nbytes) + 64

    def restore(self, holder: Holder, limit: int | None = None) -> GridMemento:
        """Set the grid back."""
        network = holder.network
        now = GridMemento.of(network)
        network.set_state(self.spins())
        if self.values is not None:
            network.values = self.values.copy()
        return now

    def learning_cost(self, network: Network) -> float:
        """A grid learns nothing."""
        return 0.0


@dataclass(frozen=True, eq=False)
class PinsMemento:
    """The pins as they were: one bit a spin (pinned = 1)."""

    bits: np.ndarray
    """``np.packbits`` of ``Network.pinned``."""
    n: int
    """The number of spins."""

    @classmethod
    def of(cls, network: Network) -> PinsMemento:
        """The pins of ``network`` now."""
        return cls(np.packbits(network.pinned), network.n)

    @property
    def nbytes(self) -> int:
        """Bytes held: the bits."""
        return self.bits.nbytes + 64

    def restore(self, holder: Holder, limit: int | None = None) -> PinsMemento:
        """Set the pins back."""
        network = holder.network
        now = PinsMemento.of(network)
        network.set_pins(np.unpackbits(self.bits, count=self.n).astype(bool))
        return now

    def learning_cost(self, network: Network) -> float:
        """Pins learn nothing."""
        return 0.0


def _names_bytes(names: Sequence[str]) -> int:
    return sys.getsizeof(names) + sum(sys.getsizeof(name) for name in names)


@dataclass(frozen=True, eq=False)
class MemoriesMemento:
    """The memories as they were: an edit of the patterns, then every name and strength."""

    rows: RowEdit
    """The edit that brings the patterns back (``Network.restore_memories``)."""
    names: tuple[str, ...]
    """Every memory's name, as it was."""
    strengths: np.ndarray
    """Every memory's strength, as it was."""

    @classmethod
    def of(cls, network: Network, rows: RowEdit = ("keep",)) -> MemoriesMemento:
        """The names and strengths of ``network`` now, with ``rows`` to undo a pattern edit."""
        return cls(rows, network.names, network.strengths.copy())

    @property
    def nbytes(self) -> int:
        """Bytes held: the patterns in the edit, the strengths and the names."""
        if self.rows[0] == "lost":
            return sys.maxsize  # too many patterns to keep: restores nothing
        patterns = sum(part.nbytes for part in self.rows[1:] if isinstance(part, np.ndarray))
        return patterns + self.strengths.nbytes + _names_bytes(self.names) + 64

    def restore(self, holder: Holder, limit: int | None = None) -> MemoriesMemento:
        """Put the patterns, names and strengths back."""
        network = holder.network
        names, strengths = network.names, network.strengths.copy()
        back = network.restore_memories(self.rows, self.names, self.strengths, limit)
        return MemoriesMemento(back, names, strengths)

    def learning_cost(self, network: Network) -> float:
        """Learning them all again, unless only names change."""
        if self.rows[0] == "keep" and np.array_equal(self.strengths, network.strengths):
            return 0.0
        return network.rule.learning_cost(network.n, len(self.names))


@dataclass(frozen=True)
class LearningMemento:
    """The learning as it was: the rule, the update mode, decay and learning from use."""

    rule: Rule
    """The learning rule (with its degree and beta)."""
    mode: str
    """The update mode of recall."""
    decay: float
    """The decay of every imprint."""
    use_boost: float
    """The strength gained by each use."""
    links: Links | None = field(default=None, hash=False)
    """The links between memories and their settings (a copy); None: left as they are."""
    state: str | None = field(default=None, compare=False)
    """The named state when it was taken (a learning step restores it): not part of the
    learning, so two mementos of the same learning are equal whatever the grid showed."""

    @classmethod
    def of(cls, holder: Holder) -> LearningMemento:
        """The learning of ``holder`` now."""
        network = holder.network
        links = network.links.copy()
        return cls(network.rule, holder.mode, network.decay, network.use_boost, links)

    @property
    def nbytes(self) -> int:
        """A few numbers, and the links."""
        return 128 + 64 * len(self.links or ())

    def restore(self, holder: Holder, limit: int | None = None) -> LearningMemento:
        """Put the learning back (a rule changed learns the memories again when next asked)."""
        now = LearningMemento.of(holder)
        network = holder.network
        network.rule = self.rule
        network.decay, network.use_boost = self.decay, self.use_boost
        if self.links is not None and self.links != network.links:
            network.links = self.links.copy()
            network.links.keep_only(network.names)
            network.revision += 1  # the landscape stays as it is
        holder.mode = self.mode
        return now

    def learning_cost(self, network: Network) -> float:
        """Learning every memory with the rule, when the rule changes."""
        if self.rule == network.rule or not network.count:
            return 0.0
        return self.rule.learning_cost(network.n, network.count)


@dataclass(eq=False)
class Step:
    """One undoable thing the user did: its label and the mementos that take it back."""

    label: str
    """What it was, as the message says it: ``imprint smile``, ``brush stroke``."""
    mementos: list[Memento]
    """What restores the session as it was before it (restored last to first)."""
    key: object = None
    """Steps in a row with the same key (not None) are one: a stroke, a slider's moves."""
    state: str | None = None
    """The named state before it (``broken``, ``recalled smile``), or None: name it again."""
    nbytes: int = field(init=False)
    """About how many bytes it holds."""

    def __post_init__(self) -> None:
        self.nbytes = sum(memento.nbytes for memento in self.mementos) + 200

    def restore(self, holder: Holder, state: str | None = None, limit: int | None = None) -> Step:
        """Take it back on ``holder``; return the step that does it again.

        ``state`` is the named state now, which that step then restores;
        ``limit`` bounds the bytes its mementos keep (``Memento.restore``).
        """
        back = [memento.restore(holder, limit) for memento in reversed(self.mementos)]
        return Step(self.label, back[::-1], state=state)

    def learning_cost(self, network: Network) -> float:
        """The multiply-adds ``network`` learns after ``restore``."""
        return max((memento.learning_cost(network) for memento in self.mementos), default=0.0)


class History:
    """The steps to undo and to redo, within ``max_bytes`` and ``max_steps``."""

    def __init__(self, max_bytes: int = HISTORY_BYTES, max_steps: int = HISTORY_STEPS) -> None:
        self.max_bytes = max_bytes
        """The most bytes it holds, undo and redo together."""
        self.max_steps = max_steps
        """The most steps it holds, undo and redo together."""
        self.undo_steps: list[Step] = []
        """Steps to undo, oldest first."""
        self.redo_steps: list[Step] = []
        """Steps undone, to redo: the next to redo last."""

    @property
    def nbytes(self) -> int:
        """The bytes held."""
        return sum(step.nbytes for step in self.undo_steps + self.redo_steps)

    def fits(self, nbytes: int) -> bool:
        """Whether a step of ``nbytes`` can be kept at all."""
        return nbytes <= self.max_bytes

    def push(self, step: Step) -> bool:
        """Keep ``step`` as the next to undo; the redo branch goes.

        A step with the key of the last one joins it (the last keeps its
        mementos: they restore the session before both). Return False when
        the step is larger than the whole budget and was not kept (the steps
        before it then go too: they no longer lead back from here).
        """
        self.redo_steps.clear()
        last = self.undo_steps[-1] if self.undo_steps else None
        if step.key is not None and last is not None and last.key == step.key:
            return True
        if not self.fits(step.nbytes):
            self.undo_steps.clear()
            return False
        self.undo_steps.append(step)
        self._trim()
        return True

    def joins(self, key: object) -> bool:
        """Whether a step with ``key`` would join the last one (and needs no mementos)."""
        return key is not None and bool(self.undo_steps) and self.undo_steps[-1].key == key

    def clear(self) -> None:
        """Forget every step (a session opened)."""
        self.undo_steps.clear()
        self.redo_steps.clear()

    def peek(self, redo: bool = False) -> Step | None:
        """The next step to undo (or redo), or None."""
        steps = self.redo_steps if redo else self.undo_steps
        return steps[-1] if steps else None

    def undo(self, holder: Holder, state: str | None = None) -> tuple[Step, bool] | None:
        """Undo the last step on ``holder``: (it, whether it can be redone), or None.

        ``state`` is the named state now (the redo's to restore).
        """
        if not self.undo_steps:
            return None
        step = self.undo_steps.pop()
        back = step.restore(holder, state, self.max_bytes)
        kept = self.fits(back.nbytes)
        if kept:
            self.redo_steps.append(back)
            self._trim()
        return step, kept

    def redo(self, holder: Holder, state: str | None = None) -> Step | None:
        """Redo the last step undone on ``holder``; return it, or None (``state``: as for undo)."""
        if not self.redo_steps:
            return None
        step = self.redo_steps.pop()
        back = step.restore(holder, state, self.max_bytes)  # joined by nothing: no key
        if self.fits(back.nbytes):
            self.undo_steps.append(back)
            self._trim()
        else:
            self.undo_steps.clear()
        return step

    def _trim(self) -> None:
        """Drop the oldest steps (to undo first, then the farthest to redo) until it fits."""
        total = self.nbytes
        while total > self.max_bytes or len(self.undo_steps) + len(self.redo_steps) > (
            self.max_steps
        ):
            steps = self.undo_steps if self.undo_steps else self.redo_steps
            total -= steps.pop(0).nbytes

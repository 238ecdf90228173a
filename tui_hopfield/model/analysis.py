"""Which memory is this? Naming the state of a network from its overlaps."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from tui_hopfield.model.network import Network

RECALL_OVERLAP = 0.95
"""An overlap at least this large (in absolute value) counts as recalling a memory."""


class Kind(Enum):
    """What the grid is, as far as the memories can tell."""

    EMPTY = "empty"
    """No memories are stored."""
    RECALLED = "recalled"
    """The grid is (nearly) a stored picture."""
    INVERSE = "inverse"
    """The grid is (nearly) a stored picture turned over: also a valley."""
    SPURIOUS = "spurious"
    """A fixed point near no memory: a valley nobody stored."""
    MELTING = "melting"
    """T > 0 and near no memory."""
    UNSETTLED = "unsettled"
    """Near no memory and not a fixed point: drawn or broken, not recalled yet."""


@dataclass(frozen=True)
class Verdict:
    """The name of a state."""

    kind: Kind
    """What kind of state it is."""
    memory: str | None = None
    """The memory it is closest to, if any."""
    overlap: float = 0.0
    """The overlap with that memory."""

    @property
    def label(self) -> str:
        """The words the status bar shows."""
        if self.kind is Kind.RECALLED:
            return f"recalled {self.memory}"
        if self.kind is Kind.INVERSE:
            return f"recalled inverse of {self.memory}"
        return self.kind.value


def classify(network: Network, temperature: float = 0.0) -> Verdict:
    """Name the network's current state from its overlaps with the memories."""
    if network.count == 0:
        return Verdict(Kind.EMPTY)
    overlaps = network.overlaps()
    best = int(abs(overlaps).argmax())
    overlap = float(overlaps[best])
    name = network.names[best]
    if overlap >= RECALL_OVERLAP:
        return Verdict(Kind.RECALLED, name, overlap)
    if overlap <= -RECALL_OVERLAP:
        return Verdict(Kind.INVERSE, name, overlap)
    if temperature > 0:
        return Verdict(Kind.MELTING, name, overlap)
    if network.settled():
        return Verdict(Kind.SPURIOUS, name, overlap)
    return Verdict(Kind.UNSETTLED, name, overlap)

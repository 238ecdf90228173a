"""The recall that spreads: settle in a memory, then hop along its links (``links``)."""

from __future__ import annotations

import numpy as np

from tui_hopfield.model.dynamics import Asynchronous, Flips
from tui_hopfield.model.links import LANDED, Links, chain_text, hetero_field
from tui_hopfield.model.network import Network


def landed_on(overlaps: np.ndarray) -> int | None:
    """The memory the state is on (overlap at least ``LANDED``), or None."""
    if not len(overlaps):
        return None
    best = int(np.argmax(overlaps))
    return best if overlaps[best] >= LANDED else None


class Chain(Asynchronous):
    """Asynchronous recall that settles in a memory, then hops along its links.

    The symmetric dynamics run first, as without links. Each time a sweep
    flips nothing, the overlaps of that settled state become the delayed m of
    the push (``hetero_field``), which stays fixed until the state settles
    again: in the next memory, or where it was if the push is too weak. The
    flips' energies are the symmetric part's. ``chain`` names the memories
    visited, in order; ``ended`` says why the chain stopped.
    """

    def __init__(
        self,
        network: Network,
        rng: np.random.Generator,
        temperature: float = 0.0,
        links: Links | None = None,
    ) -> None:
        super().__init__(network, rng, temperature)
        self.links = links if links is not None else network.links
        """The links and the chain's settings."""
        self.chain: list[str] = []
        """The names of the memories visited, in order."""
        self.hops_made = 0
        """Hops made so far."""
        self.ended = ""
        """Why the chain stopped (empty while it goes on)."""
        self._at: int | None = None
        self._visited: set[int] = set()
        self._done = False
        self._arrays = self.links.arrays(network.names)
        self.climbed = 0.0
        """How much the flips raised the symmetric energy in all (the pushes' doing)."""

    def run(
        self,
        max_flips: int | None = None,
        max_visits: int | None = None,
        deadline: float | None = None,
    ) -> Flips:
        """``Asynchronous.run``, the hops made between sweeps, the climbs summed."""
        batch = super().run(max_flips, max_visits, deadline)
        for delta in batch.delta_energies[batch.delta_energies > 0].tolist():
            self.climbed += delta
        return batch

    def _settled(self) -> bool:
        """A sweep flipped nothing: hop on (True, the run goes on) or end (False)."""
        if self._done or not self.links.active():
            return False  # with lambda = 0, plain asynchronous recall
        network = self.network
        names = network.names
        landed = landed_on(network.overlaps())
        if self.push is not None:  # the state settled under a push
            self.push = None
            if landed is None or landed == self._at:
                self._end("the push was too weak to move on" if landed == self._at else
                          "the hop landed on no memory")  # fmt: skip
                return True  # settle once more without the push
            self.hops_made += 1
            self.chain.append(names[landed])
            if landed in self._visited:
                self._end(f"back at {names[landed]}")
                return True
            if self.hops_made >= self.links.hops:
                self._end(f"{self.hops_made} hops made")
                return True
            self._visited.add(landed)
            self._at = landed
        else:
            if landed is None:
                self._end("the recall landed on no memory")
                return False
            self._at = landed
            self._visited = {landed}
            self.chain = [names[landed]]
        sources, targets, weights = self._arrays
        outgoing = np.flatnonzero(sources == self._at)
        if not len(outgoing):
            self._end(f"{names[self._at]} links nowhere")
            return False
        scale = self.links.strength * self.links.hop_factor**self.hops_made
        self.push = hetero_field(
            network.patterns, sources, targets, weights, network.overlaps(), scale
        )
        return True

    def _end(self, why: str) -> None:
        self._done = True
        self.ended = why

    def describe(self) -> str:
        """``smile → heart → star``: the memories visited so far."""
        return chain_text(self.chain)

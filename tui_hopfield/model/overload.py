"""The overload: random memories up to a load, planned and built on a copy."""

from __future__ import annotations

import numpy as np

from tui_hopfield.model.analysis import Verdict, classify
from tui_hopfield.model.changes import NOTHING, Change
from tui_hopfield.model.errors import Check
from tui_hopfield.model.network import Network
from tui_hopfield.model.patterns import random_patterns

OVERLOAD_BYTES = 2 * 2**30
"""The most memory the overload's patterns may take (int8, kept as rows and as columns):
a 256x256 grid takes up to 16,384 of them, a load of 0.25."""
OVERLOAD_BLOCK = 512
"""Random patterns drawn and imprinted at a time, between checks that the work goes on."""


def most_memories(network: Network) -> int:
    """The most memories the overload may hold on this grid (``OVERLOAD_BYTES``)."""
    return OVERLOAD_BYTES // (2 * network.n)


def plan(network: Network, load: float, state: str) -> tuple[int, Change | None]:
    """How many random memories reach ``load``, or (as a change that keeps ``state``) why
    none are added: an error past what the grid holds, a note when it is there already."""
    target = round(load * network.n)
    most = most_memories(network)
    if target > most:
        message = (
            f"A load of {load:g} is {target:,} memories of {network.n:,} spins"
            f" ({2 * target * network.n / 2**30:.1f} GiB). This grid holds at most"
            f" {most:,} (a load of {most / network.n:.3f})."
        )
        return 0, Change(NOTHING, state, message, "Overload", "error", 8)
    added = max(0, target - network.count)
    if not added:
        return 0, Change(NOTHING, state, f"The load is already {network.load:.3f}.", "Overload")
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

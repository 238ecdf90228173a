"""What the memory panel shows of each memory, taken from a network without Textual.

``RowSummary`` turns a network into ``MemoryRows``: one ``MemoryRow`` per
memory, made only when asked, with its picture (``Pictures``) and valley
depth (``Valleys``) computed when first needed and kept. The panel
(``memory_list``) draws them; its menu (``memory_menu``) shows one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from tui_hopfield.model.network import Network


@dataclass(frozen=True, eq=False)
class MemoryRow:
    """What the panel shows of one memory.

    Two rows are equal when their numbers are and they hold the very same
    pattern array: thumbnails are cached by the pattern's identity, so a row
    that keeps its pattern object costs no new picture.
    """

    name: str
    """The memory's name."""
    strength: float
    """Its strength c in the learning rule."""
    valley: float
    """The energy of its own picture: how deep its valley is."""
    overlap: float
    """Its overlap with the grid, in [-1, 1] (-1: the grid is its inverse)."""
    pattern: np.ndarray
    """Its spins, int8 (rows, cols); never written into."""
    links: str = ""
    """Its links to other memories as shown: ``→ heart 0.5 · → star 1`` (empty: none)."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MemoryRow):
            return NotImplemented
        return self.pattern is other.pattern and (
            self.name,
            self.strength,
            self.valley,
            self.overlap,
            self.links,
        ) == (other.name, other.strength, other.valley, other.overlap, other.links)

    def __hash__(self) -> int:
        return hash(
            (self.name, self.strength, self.valley, self.overlap, id(self.pattern), self.links)
        )


EAGER_VALLEYS = 256
"""Up to this many memories, every valley is asked for at once (one batched product);
past it, only those of the rows on show, when first drawn."""
INLINE_VALLEY_WORK = 2**23
"""Multiply-adds of valleys the panel computes while it draws (a few milliseconds);
anything larger is computed in a worker, and the panel draws "…" until it lands."""
VALLEY_BATCH = 16
"""Valleys a worker computes between two deliveries to the panel."""


class Valleys:
    """Each memory's valley depth (the energy of its own picture), computed when needed.

    A valley costs O(N P) (O(N^2) for Storkey's dense W): all of them at once
    is O(N P^2), minutes for an overloaded big grid. Up to ``EAGER_VALLEYS``
    memories all are asked for at once, past it each when its row is first
    drawn. What is cheap (``INLINE_VALLEY_WORK``) is computed on the spot; the
    rest is left ``wanted``, for the panel to compute in a worker (``take``,
    then ``fill``), NaN meanwhile.
    """

    def __init__(self, network: Network) -> None:
        self.network = network
        """The network whose memories these are."""
        self.revision = network.revision
        """Its revision when they were taken: a later one makes them unknown."""
        self.values = np.full(network.count, np.nan)
        """The valleys found so far (NaN: not yet)."""
        self.wanted: set[int] = set()
        """Valleys asked for and too costly to compute while drawing."""
        self._pending: set[int] = set()
        count = network.count
        if 0 < count <= EAGER_VALLEYS:
            if self.cost(count) <= INLINE_VALLEY_WORK:
                self.values[:] = network.valleys()
            else:
                self.wanted.update(range(count))

    @property
    def current(self) -> bool:
        """Whether the memories are still those these valleys belong to."""
        return self.network.revision == self.revision

    def cost(self, rows: int) -> int:
        """Roughly the multiply-adds ``rows`` valleys take."""
        network = self.network
        per_row = network.n if network.rule.name == "storkey" else network.count
        return rows * network.n * max(1, per_row)

    def __getitem__(self, index: int) -> float:
        value = self.values[index]
        if np.isnan(value) and self.current and index not in self._pending:
            if self.cost(1) <= INLINE_VALLEY_WORK:
                value = self.values[index] = self.network.valleys([index])[0]
            else:
                self.wanted.add(index)
        return float(value)

    def take(self) -> list[int]:
        """The wanted valleys, now handed to a worker (asked for no more meanwhile)."""
        taken = sorted(self.wanted)
        self._pending.update(taken)
        self.wanted.clear()
        return taken

    def fill(self, indices: Sequence[int], values: np.ndarray) -> bool:
        """Keep what a worker found; whether it still belongs to these memories."""
        self._pending.difference_update(indices)
        if not self.current:
            return False
        self.values[list(indices)] = values
        return True


class Pictures:
    """Each memory's pattern, copied out of the network when first needed, and kept.

    The copies are read-only and stay the same objects while the memories do,
    so the panel can keep thumbnails by identity.
    """

    def __init__(self, network: Network) -> None:
        self.network = network
        """The network whose memories these are."""
        self.revision = network.revision
        """Its revision when they were taken."""
        self.shape = (network.rows, network.cols)
        """The shape of every pattern."""
        self._copies: dict[int, np.ndarray] = {}

    def __getitem__(self, index: int) -> np.ndarray:
        pattern = self._copies.get(index)
        if pattern is None:
            if self.network.revision != self.revision:
                return np.zeros(self.shape, dtype=np.int8)  # gone: a blank picture
            pattern = self.network.memory(index).pattern
            pattern.flags.writeable = False
            self._copies[index] = pattern
        return pattern


class MemoryRows(Sequence[MemoryRow]):
    """Every memory's row, made on demand from a few arrays.

    A panel of thousands of memories gets new overlaps every frame of a
    recall; only the rows on screen become ``MemoryRow`` objects, with their
    pictures and valleys. Two ``MemoryRows`` are equal when they hold the same
    memories (the same ``names`` list) and equal overlaps.
    """

    def __init__(
        self,
        names: Sequence[str] = (),
        strengths: Sequence[float] = (),
        overlaps: np.ndarray | None = None,
        pictures: Pictures | None = None,
        valleys: Valleys | None = None,
        links: dict[str, str] | None = None,
        outgoing: dict[str, list[tuple[str, float]]] | None = None,
    ) -> None:
        self.names = names
        """Every memory's name, in order."""
        self.strengths = strengths
        """Every memory's strength."""
        self.overlaps = np.zeros(len(names)) if overlaps is None else overlaps
        """Each memory's overlap with the grid, float (P,)."""
        self.pictures = pictures
        """Each memory's pattern."""
        self.valleys = valleys
        """Each memory's valley depth."""
        self.links = links or {}
        """The links shown under each memory that has some, by name."""
        self.outgoing = outgoing or {}
        """Each linking memory's links as ``(target, strength)``, strongest first."""

    def __len__(self) -> int:
        return len(self.names)

    def __getitem__(self, index: int) -> MemoryRow:  # type: ignore[override]
        assert self.pictures is not None and self.valleys is not None
        return MemoryRow(
            self.names[index],
            float(self.strengths[index]),
            self.valleys[index],
            float(self.overlaps[index]),
            self.pictures[index],
            self.links.get(self.names[index], ""),
        )

    def __iter__(self) -> Iterator[MemoryRow]:
        return (self[index] for index in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MemoryRows):
            return NotImplemented
        return self.names is other.names and np.array_equal(self.overlaps, other.overlaps)

    __hash__ = None  # type: ignore[assignment]

    @property
    def shape(self) -> tuple[int, int] | None:
        """The (rows, cols) of the memories' pictures, None without memories."""
        return self.pictures.shape if self.pictures is not None and len(self) else None

    @cached_property
    def best(self) -> int | None:
        """Index of the memory with the largest |overlap|, None without memories.

        Found once: every drawn line asks, and a search is O(P).
        """
        return int(np.argmax(np.abs(self.overlaps))) if len(self) else None


class RowSummary:
    """Builds ``MemoryRows`` from a network, cheaply enough for every frame.

    The names and strengths (and the lazy ``Pictures`` and ``Valleys``) are
    taken again only when the memories change (the network's ``revision``);
    the overlaps are read on every call.
    """

    def __init__(self) -> None:
        self._key: tuple[int, int, int] | None = None
        self._rows = MemoryRows()

    def rows(self, network: Network) -> MemoryRows:
        """One row per memory of ``network``, in its order."""
        key = (id(network), network.revision, network.count)
        if key != self._key:
            self._key = key
            self._rows = MemoryRows(
                list(network.names),
                network.strengths.tolist(),
                pictures=Pictures(network),
                valleys=Valleys(network),
                links=links_shown(network),
                outgoing={name: network.links.outgoing(name) for name in links_shown(network)},
            )
        old = self._rows
        overlaps = np.asarray(network.overlaps(), dtype=np.float64)
        return MemoryRows(
            old.names, old.strengths, overlaps, old.pictures, old.valleys, old.links, old.outgoing
        )


def links_shown(network: Network) -> dict[str, str]:
    """Each linking memory's line of links, ``→ heart 0.5 · → star 1``, by name."""
    shown: dict[str, str] = {}
    for source in dict.fromkeys(source for source, _, _ in network.links.items()):
        shown[source] = " \u00b7 ".join(
            f"\u2192 {target} {strength:.3g}" for target, strength in network.links.outgoing(source)
        )
    return shown

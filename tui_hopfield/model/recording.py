"""Every recall recorded as it runs: the starting grid and each flip, in O(flips) memory.

A ``Recording`` holds the grid a recall started from, the memories it ran
against (packed, one bit a spin) and, in growable numpy arrays, one int32 code
per flip (the spin's index, or its bitwise complement when the spin turned
south) and one float64 energy per *position*. A position is a flip for
asynchronous dynamics and a step (every spin at once) for synchronous and modern
ones; ``len(recording)`` positions follow the start, position 0.

Every ``CHECKPOINT_FLIPS`` flips the grid is kept packed (N / 8 bytes) with the
exact energy there (the energies between two checkpoints are the exact one plus
the flips' own energy changes), so ``grid_at`` reaches any position from the
nearest checkpoint, forwards or backwards (undoing flips), in at most
``CHECKPOINT_FLIPS / 2`` flips applied at once with numpy.

``recorded`` wraps the events of a dynamics and records them on their way to
the consumer; ``Cursor`` walks a recording one position at a time, keeping the
overlaps with every memory in O(P) per flip.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from tui_hopfield.model.dynamics import Asynchronous, Event, Flip, Flips, Step, SweepDone
from tui_hopfield.model.errors import ModelError

CHECKPOINT_FLIPS = 4096
"""Flips between two kept grids: a seek applies at most half as many."""

MAX_FLIPS = 1_000_000
"""A recording keeps at most this many flips (about 12 MB); a hot recall past it
stops being recorded there (``truncated``)."""

KEPT = 5
"""Recordings a workspace keeps: the last recalls of a session."""


class Grow:
    """A growable 1-D numpy array: amortised O(1) appends, a view of what was added."""

    def __init__(self, dtype: type | np.dtype, capacity: int = 1024) -> None:
        self._data = np.empty(capacity, dtype=dtype)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def _reserve(self, size: int) -> None:
        if size > len(self._data):
            data = np.empty(max(size, 2 * len(self._data)), dtype=self._data.dtype)
            data[: self._size] = self._data[: self._size]
            self._data = data

    def append(self, value: float | int) -> None:
        """Add one value."""
        self._reserve(self._size + 1)
        self._data[self._size] = value
        self._size += 1

    def extend(self, values: np.ndarray) -> None:
        """Add many values."""
        self._reserve(self._size + len(values))
        self._data[self._size : self._size + len(values)] = values
        self._size += len(values)

    def trim(self) -> None:
        """Give back the spare room: nothing more will be added."""
        self._data = self._data[: self._size].copy()

    @property
    def values(self) -> np.ndarray:
        """What was added, as a view (valid until the next append)."""
        return self._data[: self._size]

    @property
    def nbytes(self) -> int:
        """Bytes of the buffer, spare room included."""
        return self._data.nbytes


def encode(indices: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Flip codes: the index for a spin that turned north, ``~index`` for south."""
    indices = np.asarray(indices, dtype=np.int32)
    return np.where(np.asarray(values) > 0, indices, ~indices).astype(np.int32)


def decode(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The spin indices and new values (+-1, int8) of flip codes."""
    codes = np.asarray(codes, dtype=np.int32)
    north = codes >= 0
    return np.where(north, codes, ~codes), np.where(north, 1, -1).astype(np.int8)


def apply_forward(state: np.ndarray, codes: np.ndarray) -> None:
    """Apply flips in order to ``state`` in place: each spin takes its last new value."""
    if not len(codes):
        return
    indices, values = decode(codes[::-1])
    unique, last = np.unique(indices, return_index=True)
    state[unique] = values[last]


def apply_backward(state: np.ndarray, codes: np.ndarray) -> None:
    """Undo flips (given in the order they were made) on ``state`` in place.

    Each spin they touched takes the value it had before the first of them.
    """
    if not len(codes):
        return
    indices, values = decode(codes)
    unique, first = np.unique(indices, return_index=True)
    state[unique] = -values[first]


@dataclass(frozen=True)
class Checkpoint:
    """A kept grid: after ``flips`` flips, at ``position``."""

    position: int
    """The position (a flip or a step) it is at."""
    flips: int
    """Flips made up to it."""
    packed: np.ndarray
    """The grid, one bit a spin (``np.packbits`` of north)."""
    energy: float
    """The exact energy there."""


def _pack(state: np.ndarray) -> np.ndarray:
    return np.packbits(state > 0)


def _unpack(packed: np.ndarray, n: int) -> np.ndarray:
    return np.where(np.unpackbits(packed, count=n) > 0, 1, -1).astype(np.int8)


class Recording:
    """One recall: its start, its flips (or steps) and their energies.

    ``unit`` is ``flip`` (asynchronous: a position per flip) or ``step``
    (synchronous or modern: a position per step, any number of flips each).
    """

    def __init__(
        self,
        start: np.ndarray,
        rows: int,
        cols: int,
        energy: float,
        unit: str = "flip",
        patterns: np.ndarray | None = None,
        names: tuple[str, ...] = (),
        rule: str = "",
        mode: str = "async",
        revision: int = 0,
        packed: np.ndarray | None = None,
    ) -> None:
        """``patterns`` are the memories as int8 rows of +-1, or ``packed`` the same as
        bits (north = 1), rows of whole bytes or words (a landscape's ``packed()``: shared,
        not copied, so that a recall at 256x256 does not pack 9,833 memories again)."""
        if unit not in ("flip", "step"):
            raise ModelError(f"a recording counts flips or steps, not {unit}")
        start = np.asarray(start, dtype=np.int8).reshape(-1).copy()
        if start.size != rows * cols:
            raise ModelError(f"a {rows}x{cols} recording needs {rows * cols} spins")
        self.rows = rows
        """Rows of the grid."""
        self.cols = cols
        """Columns of the grid."""
        self.unit = unit
        """``flip`` or ``step``: what one position is."""
        self.rule = rule
        """The rule's label when it ran (``hebbian``)."""
        self.mode = mode
        """The update mode: ``async``, ``sync`` or ``modern``."""
        self.revision = revision
        """The network's revision (its memories and rule) when it ran."""
        self.names = tuple(names)
        """The names of the memories it ran against."""
        self.truncated = False
        """Whether it stopped being recorded before the recall ended (``MAX_FLIPS``)."""
        self.closed = False
        """Whether the recall is over (no more flips come)."""
        self.state = ""
        """The named state it ended in (set by whoever ran it)."""
        self.sweeps: list[int] = []
        """Positions at the end of each asynchronous sweep."""
        self._start = start
        self._start.flags.writeable = False
        if packed is not None:
            packed = np.asarray(packed).view(np.uint8)
            if packed.ndim != 2 or 8 * packed.shape[1] < start.size:
                raise ModelError(f"packed memories need {start.size} bits a row")
            packed = packed.view()
            packed.flags.writeable = False
            self._patterns = packed
        else:
            if patterns is None:
                patterns = np.zeros((0, start.size), dtype=np.int8)
            self._patterns = np.packbits(np.asarray(patterns) > 0, axis=1)
        self._codes = Grow(np.int32)
        self._energies = Grow(np.float64)
        self._ends = Grow(np.int64) if unit == "step" else None
        self._checkpoints = [Checkpoint(0, 0, _pack(start), float(energy))]
        self._final: Checkpoint | None = None
        self._energy = float(energy)

    # -- recording ----------------------------------------------------------

    def __len__(self) -> int:
        """Positions after the start: flips, or steps."""
        return len(self._energies)

    @property
    def n(self) -> int:
        """Spins in the grid."""
        return self.rows * self.cols

    @property
    def flips(self) -> int:
        """Flips recorded (over every step, for steps)."""
        return len(self._codes)

    def add_flip(self, index: int, value: int, delta_energy: float) -> None:
        """Record one flip: spin ``index`` turned to ``value``, the energy moved by ``delta``."""
        if self.closed:
            raise ModelError("this recording is closed")
        self._codes.append(index if value > 0 else ~index)
        self._energy += delta_energy
        self._energies.append(self._energy)

    def add_flips(
        self, indices: np.ndarray, values: np.ndarray, delta_energies: np.ndarray
    ) -> None:
        """Record flips in order at once: the same as ``add_flip`` for each in turn."""
        if self.closed:
            raise ModelError("this recording is closed")
        if not len(indices):
            return
        self._codes.extend(encode(indices, values))
        # A running sum, left to right: the very numbers add_flip would make.
        energies = np.cumsum(np.concatenate(([self._energy], delta_energies)))[1:]
        self._energies.extend(energies)
        self._energy = float(energies[-1])

    def add_step(self, changed: np.ndarray, values: np.ndarray, delta_energy: float) -> None:
        """Record one step: the spins ``changed`` took ``values`` all at once."""
        if self.closed:
            raise ModelError("this recording is closed")
        if self._ends is None:
            raise ModelError("an asynchronous recording records flips, not steps")
        self._codes.extend(encode(changed, values))
        self._ends.append(len(self._codes))
        self._energy += delta_energy
        self._energies.append(self._energy)

    def mark_sweep(self) -> None:
        """An asynchronous sweep ended here."""
        self.sweeps.append(len(self))

    @property
    def checkpoint_due(self) -> bool:
        """Whether enough flips passed since the last kept grid to keep another."""
        return self.flips - self._checkpoints[-1].flips >= CHECKPOINT_FLIPS

    def checkpoint(self, state: np.ndarray, energy: float) -> None:
        """Keep the grid ``state`` (the recall's, now) and its exact ``energy``."""
        self._energy = float(energy)
        if len(self):
            self._energies.values[-1] = self._energy
        self._checkpoints.append(Checkpoint(len(self), self.flips, _pack(state), self._energy))

    def close(self, state: np.ndarray | None = None) -> None:
        """No more flips come; ``state`` is the grid at the end (kept, for backward seeks)."""
        if self.closed:
            return
        self.closed = True
        for array in (self._codes, self._energies, self._ends):
            if array is not None:
                array.trim()
        if state is not None:
            self._final = Checkpoint(len(self), self.flips, _pack(state), self.energy_at(len(self)))

    # -- reading ------------------------------------------------------------

    @property
    def start(self) -> np.ndarray:
        """The grid the recall started from, int8 (N,), read only."""
        return self._start

    @property
    def codes(self) -> np.ndarray:
        """Every flip's code (``encode``), in order."""
        return self._codes.values

    @property
    def patterns(self) -> np.ndarray:
        """The memories it ran against, int8 (P, N) of +-1."""
        bits = np.unpackbits(self._patterns, axis=1, count=self.n)
        return np.where(bits > 0, 1, -1).astype(np.int8)

    @property
    def nbytes(self) -> int:
        """Bytes held: the arrays, the kept grids and the packed memories."""
        kept = sum(point.packed.nbytes for point in self._checkpoints)
        ends = self._ends.nbytes if self._ends is not None else 0
        final = self._final.packed.nbytes if self._final is not None else 0
        return (
            self._codes.nbytes
            + self._energies.nbytes
            + ends
            + kept
            + final
            + self._start.nbytes
            + self._patterns.nbytes
        )

    def flips_at(self, position: int) -> int:
        """Flips made up to ``position``."""
        position = self._check(position)
        if self._ends is None or position == 0:
            return position
        return int(self._ends.values[position - 1])

    def energy_at(self, position: int) -> float:
        """The energy at ``position`` (0: the start)."""
        position = self._check(position)
        if position == 0:
            return self._checkpoints[0].energy
        return float(self._energies.values[position - 1])

    def energies(self) -> np.ndarray:
        """The energy at every position, float64 (len + 1,)."""
        return np.concatenate(([self._checkpoints[0].energy], self._energies.values))

    def changes(self, position: int) -> np.ndarray:
        """The codes of the flips that lead from ``position - 1`` to ``position``."""
        position = self._check(position)
        if position == 0:
            return self.codes[:0]
        return self.codes[self.flips_at(position - 1) : self.flips_at(position)]

    def grid_at(self, position: int) -> np.ndarray:
        """The grid at ``position``, int8 (N,): from the nearest kept grid, either way."""
        flips = self.flips_at(position)
        points = list(self._checkpoints)
        if self._final is not None:
            points.append(self._final)
        point = min(points, key=lambda kept: abs(kept.flips - flips))
        state = _unpack(point.packed, self.n)
        if point.flips <= flips:
            apply_forward(state, self.codes[point.flips : flips])
        else:
            apply_backward(state, self.codes[flips : point.flips])
        return state

    def marks(self) -> list[int]:
        """The positions a jump stops at: the start, each sweep's end (or each step), the end."""
        if self.unit == "step":
            return list(range(len(self) + 1))
        return sorted({0, *self.sweeps, len(self)})

    def _check(self, position: int) -> int:
        position = int(position)
        if not 0 <= position <= len(self):
            raise ModelError(f"position {position} is outside this recall (0 to {len(self)})")
        return position


def recorded(events: Iterator[Event], recording: Recording, network) -> Iterator[Event]:
    """Yield ``events`` of a dynamics on ``network`` as they come, recording each.

    A ``Flip`` or a ``Step`` is recorded when it is yielded (the network has
    made it). Past ``MAX_FLIPS`` the recording is closed there and the events
    go on unrecorded. When the events end, the recording is closed with the grid.
    """
    for event in events:
        if not recording.closed:
            if isinstance(event, Flip):
                recording.add_flip(event.index, event.spin, event.delta_energy)
            elif isinstance(event, Step):
                changed = event.changed
                recording.add_step(changed, network.state[changed], event.delta_energy)
            elif isinstance(event, SweepDone):
                recording.mark_sweep()
            if recording.checkpoint_due and recording.unit == "flip":
                recording.checkpoint(network.state, network.energy())
            elif recording.checkpoint_due and isinstance(event, Step):
                recording.checkpoint(network.state, recording.energy_at(len(recording)))
            if recording.flips >= MAX_FLIPS:
                recording.truncated = True
                recording.close(network.state)
        yield event
    recording.close(network.state)


def record_flips(
    dynamics: Asynchronous,
    recording: Recording,
    max_flips: int | None = None,
    deadline: float | None = None,
) -> Flips:
    """``dynamics.run`` in bulk, its flips recorded: what ``recorded`` does for events.

    A call ends at the flip where the next grid is due to be kept (or where
    ``MAX_FLIPS`` stops the recording), so the recording is the one the events
    would make; it is closed with the grid when the dynamics end.
    """
    network = dynamics.network
    if not recording.closed:
        kept = recording._checkpoints[-1].flips
        room = min(CHECKPOINT_FLIPS - (recording.flips - kept), MAX_FLIPS - recording.flips)
        max_flips = room if max_flips is None else min(max_flips, room)
    batch = dynamics.run(max_flips, None, deadline)
    if not recording.closed:
        recording.add_flips(batch.indices, batch.spins, batch.delta_energies)
        if batch.sweep is not None:
            recording.mark_sweep()
        if recording.checkpoint_due:
            recording.checkpoint(network.state, network.energy())
        if recording.flips >= MAX_FLIPS:
            recording.truncated = True
            recording.close(network.state)
    if batch.done:
        recording.close(network.state)
    return batch


class Cursor:
    """A position in a recording, with its grid and its overlaps, moved a position at a time.

    A step forward or back costs O(flips of that position x P); ``seek`` goes
    through ``Recording.grid_at``.
    """

    def __init__(self, recording: Recording, position: int = 0) -> None:
        self.recording = recording
        """The recording walked."""
        patterns = recording.patterns
        self._columns = np.ascontiguousarray(patterns.T.astype(np.float64))  # (N, P)
        self._patterns = patterns
        self.position = 0
        """Where it is."""
        self.state = recording.start.copy()
        """The grid here, int8 (N,)."""
        self.dots = patterns.astype(np.float64) @ self.state.astype(np.float64)
        """The raw overlaps ``xi s`` with each memory (P,)."""
        if position:
            self.seek(position)

    @property
    def energy(self) -> float:
        """The recorded energy here."""
        return self.recording.energy_at(self.position)

    @property
    def overlaps(self) -> np.ndarray:
        """The overlap with each memory here, in [-1, 1]."""
        return self.dots / self.recording.n

    def forward(self) -> np.ndarray:
        """Move one position on; return the indices of the spins it turned over."""
        if self.position >= len(self.recording):
            return np.empty(0, dtype=np.int32)
        codes = self.recording.changes(self.position + 1)
        indices, values = decode(codes)  # a spin turns at most once a position
        self.state[indices] = values
        self.dots += 2.0 * (values.astype(np.float64) @ self._columns[indices])
        self.position += 1
        return indices

    def back(self) -> np.ndarray:
        """Move one position back; return the indices of the spins it turned over."""
        if self.position <= 0:
            return np.empty(0, dtype=np.int32)
        codes = self.recording.changes(self.position)
        indices, values = decode(codes)
        self.state[indices] = -values
        self.dots -= 2.0 * (values.astype(np.float64) @ self._columns[indices])
        self.position -= 1
        return indices

    def seek(self, position: int) -> np.ndarray:
        """Go to ``position``; return the indices of the spins that changed."""
        state = self.recording.grid_at(position)
        changed = np.flatnonzero(state != self.state)
        self.state = state
        self.dots = self._patterns.astype(np.float64) @ state.astype(np.float64)
        self.position = int(position)
        return changed

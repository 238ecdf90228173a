"""The memory: stored patterns, their strengths, the learning rule and the spin state.

The network keeps the stored patterns ``xi`` (P x N, int8), their strengths
``c`` and the raw overlaps ``d = xi s`` (P,) of the state, updated one flip at
a time (``d -= 2 s_i xi[:, i]``, O(P)). The learning rule (``rules.Rule``)
turns the patterns into a ``Landscape`` when the memories change; fields and
energies come from it. For Hebb's rule, the default:

- field      ``h = xi^T (c * d) / N - (sum c / N) s``       (O(N P), one spin O(P))
- energy     ``E = -1/2 s^T W s = -sum_mu c_mu d_mu^2 / (2N) + sum c / 2``

and ``W = sum_mu c_mu xi_mu xi_mu^T / N`` (zero diagonal) is never built.
For rules that are not quadratic the *effective field* ``h_i = s_i dE_i / 2``
stands in, so that a flip changes the energy by ``2 s_i h_i`` for every rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tui_hopfield.model.errors import Check, ModelError, Report, checkpoint
from tui_hopfield.model.imprints import (
    MAX_STRENGTH,
    check_strengths,
    checked_patterns,
    checked_spins,
    checked_strengths,
    faded,
    named,
    new_names,
)
from tui_hopfield.model.links import Links
from tui_hopfield.model.names import unique_names
from tui_hopfield.model.pattern_store import PatternStore
from tui_hopfield.model.rules import Landscape, Rule
from tui_hopfield.model.rules.kernels import CHUNK_BYTES, batches, chunks

RowEdit = tuple
"""An edit of the stored patterns that ``Network.restore_memories`` makes (an undo's)."""

CAPACITY = 0.138
"""Amit, Gutfreund & Sompolinsky (1985): past about 0.138 N patterns, recall fails."""

__all__ = ["CAPACITY", "CHUNK_BYTES", "MAX_STRENGTH", "Memory", "ModelError", "Network"]


@dataclass(frozen=True)
class Memory:
    """A read-only view of one stored memory."""

    index: int
    """Position in the network's list of memories."""
    name: str
    """The name shown to the user (a picture's name, or "drawing 2")."""
    strength: float
    """The memory's weight c in the learning rule."""
    pattern: np.ndarray
    """The stored spins, int8 of shape (rows, cols)."""


class Network:
    """A Hopfield network of ``rows x cols`` spins, its memories and its learning rule.

    The state ``s`` is an int8 vector of +1 (north) and -1 (south). Only
    Storkey's rule holds an N x N weight matrix: the others compute fields and
    energies from the stored patterns and their overlaps with the state.
    """

    def __init__(self, rows: int, cols: int, rule: Rule | None = None) -> None:
        if rows < 1 or cols < 1:
            raise ModelError(f"a grid needs at least one row and column, not {rows}x{cols}")
        rule = rule or Rule()
        rule.check_size(rows * cols)
        self.rows = rows
        """Number of rows of the grid."""
        self.cols = cols
        """Number of columns of the grid."""
        self.n = rows * cols
        """Number of spins N."""
        self.state = -np.ones(self.n, dtype=np.int8)
        """The spins, flat, int8 in {-1, +1}; the same array for the network's life.

        Read it freely (views of it stay live); change it only through the methods.
        """
        self.revision = 0
        """Counts changes to the memories and the rule; the state does not count."""
        self.decay = 1.0
        """Each new imprint first multiplies every strength by this (1 keeps them)."""
        self.use_boost = 0.0
        """Strength a memory gains each time a recall ends on it (0: no learning from use)."""
        self.values: np.ndarray | None = None
        """The modern network's continuous state (float32, N) after a retrieval, else None.

        ``state`` is then its sign; any change to the spins clears it.
        """
        self.pinned = np.zeros(self.n, dtype=bool)
        """The pinned (clamped) spins, bool (N,): no recall ever turns them over.

        The user's own edits of the grid still may (a pinned spin painted stays
        pinned, with its new value). Change it through ``pin`` and ``set_pins``.
        """
        self.links = Links()
        """The links between the memories and the settings of recall along them."""
        self._rule = rule
        self._landscape: Landscape | None = None
        self._stale = True
        self._names: list[str] = []
        self._store = PatternStore(self.n)  # xi as rows and as columns
        self._strengths = np.empty(0, dtype=np.float64)
        self._dots = np.empty(0, dtype=np.float64)  # d = xi s
        self._step: np.ndarray | None = None  # the change of d in a flip (P,)

    def copy(self, share_patterns: bool = False) -> Network:
        """An independent copy: the same memories, rule, settings, state and revision.

        ``share_patterns`` shares the stored patterns instead of copying them: for a
        copy that never edits its memories while this network does not either (the
        racers of ``race.Race``).
        """
        other = Network(self.rows, self.cols, self._rule)
        other.decay, other.use_boost, other.revision = self.decay, self.use_boost, self.revision
        other.state[:] = self.state
        other.pinned[:] = self.pinned
        other.values = None if self.values is None else self.values.copy()
        other.links = self.links.copy()
        other._names = list(self._names)
        other._store = self._store if share_patterns else self._store.copy()
        other._strengths = self._strengths.copy()
        other._dots = self._dots.copy()
        return other

    # -- the rule -------------------------------------------------------------

    @property
    def rule(self) -> Rule:
        """The learning rule; setting it re-learns the stored patterns with the new rule."""
        return self._rule

    @rule.setter
    def rule(self, rule: Rule) -> None:
        rule.check_size(self.n)
        if rule != self._rule:
            self._rule = rule
            self._landscape = None
            self._changed()

    @property
    def landscape(self) -> Landscape | None:
        """The energy landscape learned from the memories (None when there are none)."""
        return self.learn()

    def learn(
        self, report: Report | None = None, cancelled: Check | None = None
    ) -> Landscape | None:
        """Learn the landscape now if the memories or the rule changed, and return it.

        ``report`` is told the fraction done and ``cancelled`` asked between
        steps (see ``Rule.learn``); a True answer raises ``Cancelled`` and
        leaves the network as it was (to be learned again when next asked).
        """
        if not self.count:
            return None
        if self._stale or self._landscape is None:
            self._landscape = self._rule.learn(
                self._patterns,
                self._strengths.copy(),
                self._columns,
                self._landscape,
                report,
                cancelled,
            )
            self._landscape.reset(self.state, self._dots)
            self._stale = False
        return self._landscape

    def adopt_learned(self, other: Network) -> bool:
        """Take ``other``'s learned landscape if it learned exactly these memories.

        How work done on a copy in a worker lands: ``other`` is a copy that made
        the same edits and learned them. It must have the same revision, rule,
        memories and strengths; the landscape is then reset to this grid.
        Return whether it was taken (if not, this network learns when asked).
        """
        learned = other._landscape
        if (
            learned is None
            or other._stale
            or other.revision != self.revision
            or other._rule != self._rule
            or other.count != self.count
            or not np.array_equal(other._strengths, self._strengths)
            or not np.array_equal(other._patterns, self._patterns)
        ):
            return False
        self._landscape = learned
        self._landscape.reset(self.state, self._dots)
        self._stale = False
        return True

    def prepare(self, report: Report | None = None, cancelled: Check | None = None) -> None:
        """Learn the landscape and build the caches that recall and the panel use.

        What a worker does to a network before the screen shows it, so that
        the first frame finds nothing left to compute.
        """
        landscape = self.learn(report, cancelled)
        if landscape is not None:
            checkpoint(1.0, None, cancelled)
            landscape.packed()
            landscape.floats()

    # -- memories -----------------------------------------------------------

    @property
    def count(self) -> int:
        """Number of stored memories P."""
        return len(self._names)

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the stored memories, in order."""
        return tuple(self._names)

    @property
    def patterns(self) -> np.ndarray:
        """The stored patterns, int8 (P, N), read-only."""
        return _read_only(self._patterns)

    @property
    def strengths(self) -> np.ndarray:
        """The strength c of each memory, float (P,), read-only."""
        return _read_only(self._strengths)

    @property
    def dots(self) -> np.ndarray:
        """The raw overlaps ``xi s`` of the state with every memory, float (P,), read-only."""
        return _read_only(self._dots)

    @property
    def load(self) -> float:
        """The load P / N (classic capacity is about 0.138)."""
        return self.count / self.n

    @property
    def effective_load(self) -> float:
        """The load counted by strength: ``sum((c / c_max) ** 2) / N``.

        Under Hebb's rule a memory of strength c adds cross-talk of variance
        ``(c / c_ref) ** 2 / N`` to the field of a memory of strength ``c_ref``,
        against that memory's signal of 1: the load the strongest (with decay,
        the freshest) memory meets. With equal strengths it is P / N; with decay
        L the faded ones count ``L ** (2 k)``, so the sum stays below
        ``1 / (1 - L ** 2)`` memories however many are imprinted (a palimpsest).
        """
        if not self.count:
            return 0.0
        relative = self._strengths / self._strengths.max()
        return float(np.dot(relative, relative)) / self.n

    def memory(self, index: int) -> Memory:
        """The memory at ``index``."""
        return Memory(
            index,
            self._names[index],
            float(self._strengths[index]),
            self._patterns[index].reshape(self.rows, self.cols).copy(),
        )

    def imprint(self, pattern: np.ndarray, name: str, strength: float = 1.0) -> int:
        """Store ``pattern`` (any shape with N entries of +-1) and return its index.

        Hebbian learning adds ``c xi xi^T / N`` to the weights; the other
        memories are untouched, unless ``decay`` < 1 fades them first. The
        name is stored cleaned (``names.clean_name``: one line, no controls).
        """
        name = named(name)
        xi = self._check_spins(pattern)
        check_strengths(np.asarray([strength], dtype=np.float64))
        if self.decay != 1.0 and self.count:
            self._strengths = faded(self._strengths, self.decay)
            self.links.decay(self.decay)
        self._store.append(xi)
        self._names.append(name)
        self._strengths = np.append(self._strengths, float(strength))
        self._dots = np.append(self._dots, float(xi.astype(np.int64) @ self.state))
        self._changed()
        return self.count - 1

    def imprint_many(
        self,
        patterns: np.ndarray,
        names: Sequence[str],
        strength: float | np.ndarray = 1.0,
    ) -> None:
        """Store the rows of ``patterns`` (K, N) as K imprints in a row, in one copy.

        The same as calling ``imprint`` for each in turn (``decay`` included),
        without K growing copies: how the app overloads a network with
        thousands of random memories, and how a session opens. ``strength`` is
        one for all or one each (K,). Nothing changes if anything is wrong.
        The names are stored cleaned, as by ``imprint``.
        """
        xi = checked_patterns(patterns, self.rows, self.cols)
        strengths = checked_strengths(strength, len(xi))
        names = new_names(names, len(xi), self._names)
        added = len(xi)
        if not added:
            return
        # K imprints in turn: the old memories decay K times, the j-th new one K - 1 - j.
        new = np.broadcast_to(strengths, (added,)).astype(np.float64)
        if self.decay != 1.0:
            new = faded(strengths, self.decay ** np.arange(added - 1, -1, -1, dtype=np.float64))
            self._strengths = faded(self._strengths, self.decay**added)
            self.links.decay(self.decay**added)
        new_rows = self._store.extend(xi)
        # xi . s in integers, compiled (numba, imported here only): each new row read once,
        # exact; packing the rows into bits first took 0.23 s at 256x256 with 3,277.
        from tui_hopfield.model.compiled import patterns_dot

        counts = np.empty(added, dtype=np.int64)
        patterns_dot(new_rows, self.state, counts)
        dots = counts.astype(np.float64)
        self._names.extend(names)
        self._strengths = np.concatenate([self._strengths, new])
        self._dots = np.concatenate([self._dots, dots])
        self._changed()

    def index_of(self, spins: np.ndarray) -> int | None:
        """The index of a memory equal to ``spins``, or None.

        Only the memories that agree on the first spins are compared whole, so
        thousands of random memories cost a glance each.
        """
        return self._store.index_of(self._check_spins(spins))

    def reserve(self, count: int) -> None:
        """Make room for ``count`` memories in all: imprinting up to them copies nothing."""
        self._store.reserve(count)

    def reinforce(self, index: int, times: float = 1.0) -> None:
        """Imprint memory ``index`` again, ``times`` over: its strength grows by ``times``.

        Its valley deepens; the other memories are untouched.
        """
        if not np.isfinite(times) or times <= 0:
            raise ModelError(f"a memory is reinforced a positive number of times, not {times}")
        self._check_index(index)
        grown = self._strengths[index] + float(times)
        if grown > MAX_STRENGTH:
            raise ModelError(
                f"{self._names[index]} would reach strength {grown:g};"
                f" a memory's strength is at most {MAX_STRENGTH:g}"
            )
        self._strengths[index] = grown
        self._changed()

    def decay_all(self, factor: float) -> None:
        """Multiply every strength by ``factor`` in (0, 1]: old memories fade."""
        if not (0 < factor <= 1):
            raise ModelError(f"a decay factor lies in (0, 1], not {factor}")
        if factor != 1.0 and self.count:
            self._strengths = faded(self._strengths, factor)
            self.links.decay(factor)
            self._changed()

    def rename(self, index: int, name: str) -> None:
        """Give memory ``index`` a new name (not empty, not another memory's), cleaned."""
        self._check_index(index)
        name = named(name)
        if name in self._names and self._names.index(name) != index:
            raise ModelError(f"another memory is already called {name!r}")
        self.links.rename(self._names[index], name)
        self._names[index] = name
        self.revision += 1  # the landscape stays as it is

    def forget(self, index: int) -> None:
        """Remove the memory at ``index``."""
        self._store.remove(index)
        del self._names[index]
        self.links.keep_only(self._names)
        self._strengths = np.delete(self._strengths, index)
        self._dots = np.delete(self._dots, index)
        self._landscape = None  # nothing to extend: learn again from the start
        self._changed()

    def forget_all(self) -> None:
        """Remove every memory."""
        for index in reversed(range(self.count)):
            self.forget(index)

    def restore_memories(
        self,
        rows: RowEdit,
        names: Sequence[str],
        strengths: np.ndarray,
        limit: int | None = None,
    ) -> RowEdit:
        """Edit the stored patterns by ``rows``, then set every name and strength: an undo.

        ``rows`` is ``("keep",)``, ``("truncate", count)``, ``("append", patterns)``,
        ``("delete", index)`` or ``("insert", index, pattern)``; the edit that
        takes it back is returned (the patterns it removes are copied into it,
        unless they pass ``limit`` bytes: it is then ``("lost",)``).
        ``names`` and ``strengths`` are then the whole list, as they were. The
        landscape is learned again when next asked, unless only names changed.
        """
        count = self.count
        kind = rows[0]
        store = self._store
        if kind == "keep":
            back: RowEdit = ("keep",)
        elif kind == "truncate":
            kept = int(rows[1])
            removed = store.rows[kept:]
            too_many = limit is not None and removed.nbytes > limit
            back = ("lost",) if too_many else ("append", removed.copy())
            store.truncate(kept)
            self._dots = self._dots[:kept].copy()
        elif kind == "append":
            added = np.asarray(rows[1], dtype=np.int8)
            store.extend(added)
            dots = added.astype(np.int64) @ self.state.astype(np.int64)
            self._dots = np.concatenate([self._dots, dots.astype(np.float64)])
            back = ("truncate", count)
        elif kind == "delete":
            index = int(rows[1])
            back = ("insert", index, store.rows[index].copy())
            store.remove(index)
            self._dots = np.delete(self._dots, index)
        elif kind == "insert":
            index, pattern = int(rows[1]), np.asarray(rows[2], dtype=np.int8)
            store.insert(index, pattern)
            dot = float(pattern.astype(np.int64) @ self.state.astype(np.int64))
            self._dots = np.insert(self._dots, index, dot)
            back = ("delete", index)
        else:
            raise ModelError(f"no edit of the patterns called {kind!r}")
        strengths = np.asarray(strengths, dtype=np.float64)
        if len(names) != store.count or strengths.shape != (store.count,):
            raise ModelError("the names and strengths do not match the patterns")
        same = kind == "keep" and np.array_equal(strengths, self._strengths)
        self._names = list(names)
        self._strengths = strengths.copy()
        self.links.keep_only(self._names)
        if same:
            self.revision += 1  # names only: the landscape stays as it is
            return back
        if kind not in ("keep", "append"):
            self._landscape = None  # nothing to extend: learn again from the start
        self._changed()
        return back

    # -- links ----------------------------------------------------------------

    def link(self, source: str, target: str, strength: float) -> None:
        """Make or set the link ``source -> target`` between two stored memories."""
        for name in (source, target):
            if name not in self._names:
                raise ModelError(f"there is no memory called {name!r} to link")
        self.links.link(source, target, strength)
        self.revision += 1  # the landscape stays as it is

    def unlink(self, source: str, target: str) -> bool:
        """Remove the link ``source -> target``; return whether there was one."""
        removed = self.links.unlink(source, target)
        if removed:
            self.revision += 1
        return removed

    def strengthen_link(self, source: str, target: str, step: float) -> float:
        """Add ``step`` to the link ``source -> target`` (a co-use); return its strength."""
        for name in (source, target):
            if name not in self._names:
                raise ModelError(f"there is no memory called {name!r} to link")
        grown = self.links.strengthen(source, target, step)
        self.revision += 1
        return grown

    def configure_links(
        self, strength: float, hops: int, hop_factor: float, learn_step: float
    ) -> None:
        """Set the links' lambda, the hops, the hop factor and the step learned from use."""
        if (strength, hops, hop_factor, learn_step) != self.links.settings():
            self.links.configure(strength, hops, hop_factor, learn_step)
            self.revision += 1

    def unique_name(self, stem: str) -> str:
        """``stem``, or ``stem 2``, ``stem 3``... whichever is not taken yet."""
        return self.unique_names(stem, 1)[0]

    def unique_names(self, stem: str, count: int) -> list[str]:
        """``count`` names not taken yet nor repeated: ``stem``, ``stem 2``, ``stem 3``...

        The stem is cleaned first (an empty one is ``memory``) and cut so that
        a numbered name is no longer than a name may be.
        """
        return unique_names(stem, self._names, count)

    # -- the state ----------------------------------------------------------

    def set_state(self, spins: np.ndarray) -> None:
        """Replace the whole state (any shape with N entries of +-1)."""
        self.state[:] = self._check_spins(spins)
        self.values = None
        self._dots = self._dots_of(self.state)
        if not self._stale and self._landscape is not None:
            self._landscape.reset(self.state, self._dots)

    def pin(self, indices: Sequence[int] | np.ndarray, pinned: bool = True) -> np.ndarray:
        """Pin (or unpin) the spins at ``indices``; return the flat indices that changed."""
        indices = np.unique(np.asarray(indices, dtype=np.intp).reshape(-1))
        if len(indices) and (indices.min() < 0 or indices.max() >= self.n):
            raise ModelError(f"a spin index is between 0 and {self.n - 1}")
        changed = indices[self.pinned[indices] != pinned]
        self.pinned[changed] = pinned
        return changed

    def set_pins(self, mask: np.ndarray) -> None:
        """Replace every pin with ``mask``: N booleans (any shape), True where pinned."""
        mask = np.asarray(mask)
        if mask.size != self.n or mask.dtype != bool:
            raise ModelError(f"the pins are {self.n} booleans, not {mask.dtype} of {mask.size}")
        self.pinned[:] = mask.reshape(-1)

    @property
    def pin_count(self) -> int:
        """How many spins are pinned."""
        return int(np.count_nonzero(self.pinned))

    def set_values(self, values: np.ndarray) -> None:
        """Take a continuous state (the modern network's): the spins become its signs.

        A value of exactly 0 keeps the spin as it was.
        """
        values = np.asarray(values, dtype=np.float32).reshape(-1)
        if values.size != self.n or not np.all(np.isfinite(values)):
            raise ModelError(f"a continuous state needs {self.n} finite values")
        spins = np.where(values > 0, 1, np.where(values < 0, -1, self.state)).astype(np.int8)
        self.set_state(spins)
        self.values = values.copy()

    def set_spin(self, index: int, value: int) -> bool:
        """Set one spin to ``value`` (+1 or -1); return whether it changed."""
        if value not in (1, -1):
            raise ModelError(f"a spin is +1 or -1, not {value}")
        if self.state[index] == value:
            return False
        self.flip(index)
        return True

    def flip(self, index: int, field: float | None = None) -> float:
        """Flip spin ``index`` and return the change in energy (``2 s_i h_i``).

        ``field`` is h_i when the caller has just computed it (it saves an O(P) dot).
        """
        state = self.state
        old = int(state[index])
        delta = 2.0 * old * (self.field(index) if field is None else field)
        state[index] = -old
        self.values = None
        dots = self._dots
        if len(dots):
            # d -= 2 s_i xi[:, i] through a kept buffer: no fresh temporary per flip (the
            # overlaps are whole numbers, so the result is the same whichever way).
            step = self._step
            if step is None or len(step) != len(dots):
                step = self._step = np.empty(len(dots))
            np.multiply(self._store.columns[index], 2.0 * old, out=step)
            np.subtract(dots, step, out=dots)
            landscape = self._landscape
            if landscape is not None and not self._stale:
                landscape.flipped(index, old, state, dots)
        return delta

    def live_overlaps(self) -> np.ndarray:
        """The raw overlaps ``xi s``, writable: for a compiled loop that turns spins over.

        The loop (``compiled_visits``) turns spins of ``state`` in place and keeps
        these up to date as ``flip`` would; it then calls ``turned_in_place``.
        """
        return self._dots

    def turned_in_place(self) -> None:
        """Spins were turned over in place with the overlaps kept: drop what they made."""
        self.values = None

    # -- fields, energy, overlaps ------------------------------------------

    def field(self, index: int) -> float:
        """The local field h_i on one spin (effective field for non-quadratic rules)."""
        landscape = self.landscape
        if landscape is None:
            return 0.0
        s = int(self.state[index])
        return s * landscape.flip_energy(index, self.state) / 2

    def flip_energy(self, index: int) -> float:
        """The change in energy if spin ``index`` alone turned over (``2 s_i h_i``)."""
        landscape = self.landscape
        return 0.0 if landscape is None else landscape.flip_energy(index, self.state)

    def fields(self) -> np.ndarray:
        """All local fields h, float (N,), in O(N P) (O(N^2) for Storkey)."""
        landscape = self.landscape
        if landscape is None:
            return np.zeros(self.n)
        return self.state * landscape.flip_energies(self.state[None, :], self._dots[None, :])[0] / 2

    def energy(self) -> float:
        """The energy of the current state under the current rule."""
        landscape = self.landscape
        return 0.0 if landscape is None else landscape.energy(self.state, self._dots)

    def energy_of(self, spins: np.ndarray) -> float:
        """The energy of any state, without changing the network."""
        landscape = self.landscape
        spins = self._check_spins(spins)
        return 0.0 if landscape is None else float(landscape.energies(spins[None, :])[0])

    def valleys(self, indices: Sequence[int] | None = None) -> np.ndarray:
        """The energy of every stored pattern, or of those at ``indices``, float.

        How deep each memory's valley is: one batched product, O(N P) per pattern.
        """
        landscape = self.landscape
        chosen = np.arange(self.count) if indices is None else np.asarray(indices, dtype=int)
        if landscape is None or not len(chosen):
            return np.zeros(len(chosen))
        return np.concatenate(
            [landscape.energies(self._patterns[chosen[part]]) for part in batches(len(chosen))]
        )

    def overlaps(self) -> np.ndarray:
        """The overlap m_mu = xi_mu . s / N with every memory, in [-1, 1]."""
        return self._dots / self.n

    def unstable(self) -> np.ndarray:
        """Indices of the free spins a zero-temperature update would flip (s_i h_i < 0)."""
        return np.flatnonzero((self.state * self.fields() < 0) & ~self.pinned)

    def settled(self) -> bool:
        """Whether no free spin would flip at zero temperature: ``unstable()`` is empty.

        It looks a block of spins at a time and stops at the first that would
        flip, so an unsettled grid is told in a fraction of the O(N P) it costs
        to compute every field.
        """
        landscape = self.landscape
        if landscape is None:
            return True
        width = max(64, CHUNK_BYTES // (8 * max(1, self.count)))
        for start in range(0, self.n, width):
            part = slice(start, min(start + width, self.n))
            wants = landscape.flip_energies_at(self.state, self._dots, part) < 0
            if np.any(wants & ~self.pinned[part]):  # a pinned spin never turns over
                return False
        return True

    def grid(self) -> np.ndarray:
        """The state as a (rows, cols) view."""
        return self.state.reshape(self.rows, self.cols)

    # -- helpers ------------------------------------------------------------

    @property
    def _patterns(self) -> np.ndarray:
        """xi, int8 (P, N)."""
        return self._store.rows

    @property
    def _columns(self) -> np.ndarray:
        """xi^T, int8 (N, P); each spin's row of P entries is contiguous."""
        return self._store.columns

    def _changed(self) -> None:
        """The memories or the rule changed: learn again when next asked."""
        self._stale = True
        self.revision += 1

    def _dots_of(self, spins: np.ndarray) -> np.ndarray:
        """The raw overlaps ``xi s`` (P,), exact, without an N x P float temporary."""
        if not self._stale and self._landscape is not None:
            return self._landscape.dots_of(spins)  # popcount over its packed patterns
        dots = np.zeros(self.count)
        values = spins.astype(np.float32)
        for part in chunks(self.n, 4 * self.count):
            # float32 sums of at most 2**24 values of +-1 are exact integers.
            dots += self._patterns[:, part].astype(np.float32) @ values[part]
        return dots

    def _check_index(self, index: int) -> None:
        if not 0 <= index < self.count:
            raise ModelError(f"there is no memory number {index + 1}")

    def _check_spins(self, spins: np.ndarray) -> np.ndarray:
        return checked_spins(spins, self.rows, self.cols)


def _read_only(array: np.ndarray) -> np.ndarray:
    """A view of ``array`` that cannot be written through."""
    view = array.view()
    view.flags.writeable = False
    return view

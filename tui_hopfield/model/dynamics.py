"""Update schedules as generators of events.

Every schedule asks the network for ``dE_i``, the change in energy if spin i
alone turned over (``2 s_i h_i``), so it works for every learning rule.

Asynchronous dynamics visit the spins one at a time, in a fresh random order
each sweep. At temperature T = 0 a spin flips only when ``s_i h_i < 0`` (a
zero field keeps it), and each flip lowers the energy by exactly ``2 |h_i|``;
the run has converged when a whole sweep flips nothing. At T > 0 the spin is
redrawn by Glauber's rule ``P(s_i = +1) = 1 / (1 + exp(-2 h_i / T))`` and the
run goes on until its consumer stops.

``Asynchronous.run`` visits the spins a block at a time and hands over its
flips in bulk (``Flips``: indices, new values and energy changes as arrays),
exactly as if they had been visited one by one: the same flips, energies and
draws from the generator (see ``Asynchronous``; on Hebb's rule the visits run
in compiled code, ``compiled_visits``); ``events`` is ``run`` one flip at a time.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from time import monotonic

import numpy as np

from tui_hopfield.model.network import ModelError, Network
from tui_hopfield.model.rules import Landscape, Linear

MAX_TEMPERATURE = 50.0
"""The hottest temperature a session may hold. A memory of strength c melts near
T = c under the quadratic rules (0.58 c for dense n = 3, never for dense exp), so
the slider's own end follows the strongest memory (``melting.temperature_limit``)."""


@dataclass(frozen=True)
class Flip:
    """One spin changed sign."""

    index: int
    """The flat index of the spin."""
    spin: int
    """Its new value, +1 or -1."""
    delta_energy: float
    """The change in energy the flip caused (negative at T = 0)."""


@dataclass(frozen=True)
class SweepDone:
    """Every spin was visited once."""

    sweep: int
    """The number of sweeps completed so far, from 1."""
    flips: int
    """How many spins flipped in this sweep."""


@dataclass(frozen=True)
class Progress:
    """Many spins were visited without a flip; lets a consumer keep to its frame budget."""

    visited: int
    """Spins visited so far in this sweep."""


PROGRESS_EVERY = 1024
"""Spins visited between two ``Progress`` events."""


@dataclass(frozen=True)
class Step:
    """A synchronous step (every spin at once) or a modern retrieval step was taken."""

    step: int
    """Steps taken so far, from 1."""
    changed: np.ndarray
    """Flat indices of the spins whose sign changed in this step."""
    delta_energy: float
    """The change in energy over the step (it may rise in synchronous mode)."""


Event = Flip | SweepDone | Progress | Step

TIE = 1e-9
"""A whole-grid dE this small, relative to the largest, counts as zero (a tie keeps the spin)."""


@dataclass(frozen=True)
class Flips:
    """What one call of ``Asynchronous.run`` did: its flips in order, as arrays."""

    indices: np.ndarray
    """The flat index of each spin that turned over (intp)."""
    spins: np.ndarray
    """Each one's new value, +1 or -1 (int8)."""
    delta_energies: np.ndarray
    """The change in energy each flip caused (float64), the symmetric part's."""
    visits: int
    """Spins visited (pinned ones included), as ``Progress`` counts them."""
    sweep: SweepDone | None
    """The sweep that ended with the last visit, or None."""
    done: bool
    """True once the dynamics have ended (a quiet sweep at T = 0): nothing more comes."""

    def __len__(self) -> int:
        return len(self.indices)


MIN_BLOCK = 4
"""The fewest spins visited with one product (see ``Asynchronous.run``)."""
MAX_BLOCK = 4096
"""The most spins visited with one product."""
BLOCK_BYTES = 2**21
"""The largest float32 block of patterns one product reads."""
RECHECKS = 4
"""Exact checks that found no flip after which a block is computed afresh."""
GROWTH = 1.5
"""The next block covers this many times the visits the last one made (up to its flip)."""
HISTORY_BYTES = 2**22
"""The most bytes of coefficients the compiled visits keep for numpy's energy changes."""
CHUNK_WORK = 2**22
"""Pattern entries one call of the compiled visits reads at most per visit: a few ms."""
MIN_CHUNK = 64
"""The fewest visits one call of the compiled visits covers."""
COINS_PER_FLIP = 16
"""At T > 0 with a few flips wanted, a chunk draws this many coins per flip wanted."""
_NO_PINS = np.zeros(0, dtype=bool)
_NO_PUSH = np.zeros(0, dtype=np.float64)
_NO_COINS = np.zeros(0, dtype=np.float64)
_NO_UNITS = np.zeros(0, dtype=np.int16)
_NO_WIDE = np.zeros(0, dtype=np.int64)


class Asynchronous:
    """Asynchronous updates of a network, one spin at a time.

    ``temperature`` may be changed between events (the app's slider does);
    the next spin visited uses the new value.

    The spins are visited a block at a time (``run``) and the result is exactly
    that of visiting them one by one: one product gives every visited spin's dE
    within a proven bound (``Landscape.flip_energies_near``); a spin that the
    bound shows would keep its sign is passed over, and the others are checked
    with the exact one-spin dE, in visiting order, each just before its visit.
    After a flip the rest of the block stays valid, its bound widened by the
    flip's drift (``Landscape.flip_drift``). At T > 0 the block's Glauber coins
    are drawn at once, and the generator is wound back to the visits made, so
    it gives the same numbers in the same order as one draw per visit.

    On Hebb's rule (``Landscape.visit_terms``) a chunk of visits is one call of
    compiled code instead (``compiled_visits.visit_hebbian``), which computes each
    visited spin's dE in full; it turns spins over itself where its sums are
    provably numpy's to the last bit (``linear.exact_sums``: strength 1 on 2^k
    spins, say) and otherwise hands every visit that it cannot prove keeps its
    sign to the same exact check as the blocks (``_turn_if``).
    """

    def __init__(
        self, network: Network, rng: np.random.Generator, temperature: float = 0.0
    ) -> None:
        self.network = network
        """The network whose state is updated in place."""
        self.rng = rng
        """The source of the visiting order and of Glauber's coin flips."""
        self.temperature = temperature
        """The temperature T >= 0 used for the next spin."""
        self.sweeps = 0
        """Sweeps completed so far."""
        self.converged = False
        """True once a whole sweep at T = 0 flipped nothing."""
        self.push: np.ndarray | None = None
        """A field added to each spin's (float, N), or None: the links' (``links.Chain``)."""
        self._order: np.ndarray | None = None  # this sweep's visiting order
        self._position = 0  # spins of it visited
        self._sweep_flips = 0
        self._hot = False  # a spin of this sweep was visited at T > 0
        self._pins: np.ndarray | None = None
        self._ended = False  # a sweep ended: see whether to go on at the next call
        self._over = False
        self._block = 64
        self._progress = (-1, 0)
        self._kept: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None

    @property
    def temperature(self) -> float:
        """The temperature T >= 0 used for the next spin."""
        return self._temperature

    @temperature.setter
    def temperature(self, value: float) -> None:
        if not (value >= 0 and math.isfinite(value)):
            raise ModelError(f"the temperature must be a number >= 0, not {value}")
        self._temperature = float(value)

    @property
    def visited(self) -> int:
        """Spins visited so far in the current sweep."""
        return 0 if self._order is None else self._position

    def events(self) -> Iterator[Event]:
        """Yield a ``Flip`` per changed spin and a ``SweepDone`` per sweep.

        A ``Progress`` comes every ``PROGRESS_EVERY`` spins visited, so that a
        long stretch without flips (the last sweep of a large grid) never keeps
        the consumer waiting. At T = 0 it returns after the first sweep that
        flips nothing. The network holds each flip when its event comes: this
        is ``run`` one flip at a time.
        """
        n = self.network.n
        while True:
            upcoming = self.visited + 1
            phase = upcoming % PROGRESS_EVERY
            if phase == 0 and upcoming <= n and self._progress != (self.sweeps, upcoming):
                self._progress = (self.sweeps, upcoming)
                yield Progress(upcoming)
            batch = self.run(1, PROGRESS_EVERY - phase if phase else PROGRESS_EVERY)
            for index, spin, delta in zip(
                batch.indices.tolist(),
                batch.spins.tolist(),
                batch.delta_energies.tolist(),
                strict=True,
            ):
                yield Flip(index, spin, delta)
            if batch.sweep is not None:
                yield batch.sweep
            if batch.done:
                return

    def run(
        self,
        max_flips: int | None = None,
        max_visits: int | None = None,
        deadline: float | None = None,
    ) -> Flips:
        """Visit spins until ``max_flips`` flips, ``max_visits`` visits or a sweep's end.

        ``deadline`` (a ``time.monotonic`` time) ends the call early too: it is
        looked at between blocks and after each flip. The network holds every
        flip returned; the generator has drawn exactly what the visits made
        used, so calls of any sizes make the same recall as ``events``.
        """
        indices: list[int] = []
        spins: list[int] = []
        deltas: list[float] = []
        visits = 0
        sweep = None
        if self._ended:
            self._ended = False
            quiet = not self._sweep_flips and not self._hot and self._temperature == 0.0
            if quiet and not self._settled():
                self.converged = True
                self._over = True
        while not self._over:
            if self._order is None:
                network = self.network
                self._order = self.rng.permutation(network.n)
                self._position = self._sweep_flips = 0
                self._hot = False
                # No edit (and so no pin) comes while a recall runs.
                self._pins = network.pinned.copy() if network.pinned.any() else None
            room = len(self._order) - self._position
            if max_visits is not None:
                room = min(room, max_visits - visits)
            wanted = None if max_flips is None else max_flips - len(indices)
            if room <= 0 or wanted == 0:
                break
            visits += self._visit(room, wanted, deadline, indices, spins, deltas)
            if self._position == len(self._order):
                self.sweeps += 1
                sweep = SweepDone(self.sweeps, self._sweep_flips)
                self._order = None
                self._ended = True
                break
            if deadline is not None and monotonic() > deadline:
                break
        return Flips(
            np.array(indices, dtype=np.intp),
            np.array(spins, dtype=np.int8),
            np.array(deltas, dtype=np.float64),
            visits,
            sweep,
            self._over,
        )

    def _visit(
        self,
        room: int,
        wanted: int | None,
        deadline: float | None,
        indices: list[int],
        spins: list[int],
        deltas: list[float],
    ) -> int:
        """Visit up to ``room`` spins of this sweep, making up to ``wanted`` flips.

        Return the visits made; the flips are appended to the lists.
        """
        network = self.network
        landscape = network.landscape
        terms = None if landscape is None else landscape.visit_terms()
        if terms is not None:
            return self._visit_compiled(
                landscape, terms, room, wanted, deadline, indices, spins, deltas
            )
        order, pins, push = self._order, self._pins, self.push
        temperature = self._temperature
        hot = temperature > 0.0
        rng = self.rng
        start = position = self._position
        stop = start + room
        made = 0
        while position < stop:
            landscape = network.landscape
            count = 1 if landscape is None else max(1, landscape.count)
            size = min(self._block, max(MIN_BLOCK, BLOCK_BYTES // (4 * count)), stop - position)
            block = order[position : position + size]
            saved = rng.bit_generator.state if hot else None
            key, used = self._keys(landscape, block, pins, push, temperature)
            # A spin can flip only where its key is at most the drift of the flips made
            # since the block's product; each such spin is checked exactly, in order.
            slack = 0.0
            first = 0  # the block's next spin to visit
            rechecks = 0
            stopped = False
            while first < size:
                at = first
                while at < size and key[at] > slack:
                    at += 1
                if at == size:
                    first = size
                    break
                first = at + 1
                coin = used[1][at] if hot else 0.0
                if not self._turn_if(landscape, int(block[at]), coin, indices, spins, deltas):
                    rechecks += 1
                    if rechecks >= RECHECKS and first < size:
                        break  # the bound has grown loose: a fresh product
                    continue
                made += 1
                if (wanted is not None and made >= wanted) or (
                    deadline is not None and monotonic() > deadline
                ):
                    stopped = True
                    break
                drift = 0.0 if landscape is None else landscape.flip_drift()
                if not math.isfinite(drift):
                    break
                slack += drift / 2
            if hot:
                self._hot = self._hot or used[0][-1] > 0
                if first < size:  # wind the generator back to the coins used
                    rng.bit_generator.state = saved
                    taken = int(used[0][first - 1]) if first else 0
                    if taken:
                        rng.random(taken)
            position += first
            # The next block: a little more than this one covered (all of it, or up to a flip).
            self._block = min(MAX_BLOCK, max(MIN_BLOCK, int(GROWTH * first)))
            self._position = position
            if stopped:
                break
        return position - start

    def _turn_if(
        self,
        landscape: Landscape | None,
        index: int,
        coin: float,
        indices: list[int],
        spins: list[int],
        deltas: list[float],
    ) -> bool:
        """Visit spin ``index`` exactly, as one spin at a time; turn it over if it flips.

        ``coin`` is its Glauber coin at T > 0. A flip is appended to the lists.
        """
        network = self.network
        state = network.state
        spin = int(state[index])
        # Network.field's numbers: h = s dE / 2, then the push.
        h = 0.0 if landscape is None else spin * landscape.flip_energy(index, state) / 2
        total = h if self.push is None else h + float(self.push[index])
        if self._temperature > 0.0:
            flip = coin < glauber_flip_probability(spin, total, self._temperature)
        else:
            flip = spin * total < 0
        if flip:
            delta = network.flip(index, h)  # the symmetric part's energy
            self._sweep_flips += 1
            indices.append(index)
            spins.append(-spin)
            deltas.append(delta)
        return flip

    def _visit_compiled(
        self,
        landscape: Linear,
        terms: tuple[np.ndarray, np.ndarray, float, bool],
        room: int,
        wanted: int | None,
        deadline: float | None,
        indices: list[int],
        spins: list[int],
        deltas: list[float],
    ) -> int:
        """``_visit`` on Hebb's rule: the visits in compiled code (``visit_hebbian``).

        A chunk of visits is one call, sized so that it takes a few milliseconds
        (``CHUNK_WORK``), with its coins drawn at once at T > 0; the visits it hands
        back are made here, exactly (``_turn_if``). A chunk cut short by the flips
        wanted or the deadline winds the generator back to the coins used.
        """
        from tui_hopfield.model import compiled_visits
        from tui_hopfield.model.compiled_visits import CHECK, LIMIT, visit_hebbian

        network = self.network
        a, scale, k, exact = terms
        columns = landscape.columns
        state, dots = network.state, network.live_overlaps()
        units, wide, wide_count, limit = _NO_UNITS, _NO_WIDE, np.zeros(1, np.int64), 0
        if exact and len(scale) and bool(np.all(scale == scale[0])):  # whole sums
            limit = compiled_visits.NARROW
            units, wide = np.empty(len(dots), np.int16), np.empty(len(dots), np.int64)
            wide_count[0] = compiled_visits.narrow_units(dots, units, wide, limit)
        order = self._order
        pins = _NO_PINS if self._pins is None else self._pins
        push = _NO_PUSH if self.push is None else np.asarray(self.push, dtype=np.float64)
        temperature = self._temperature
        hot = temperature > 0.0
        rng = self.rng
        start = position = self._position
        stop = start + room
        chunk = max(MIN_CHUNK, CHUNK_WORK // max(1, landscape.count))
        made = 0
        stopped = False
        while position < stop and not stopped:
            span = chunk
            if hot and wanted is not None:  # no more coins drawn than a few flips' worth
                span = min(chunk, max(MIN_CHUNK, COINS_PER_FLIP * (wanted - made)))
            end = min(stop, position + span)
            coins, saved = _NO_COINS, None
            if hot:
                saved = rng.bit_generator.state
                free = end - position
                if self._pins is not None:
                    free -= int(np.count_nonzero(pins[order[position:end]]))
                coins = rng.random(free)
            used = 0
            size = end - position if wanted is None else min(end - position, wanted - made)
            if not exact:  # the a before each turn, for numpy's energy change
                size = min(size, max(1, HISTORY_BYTES // (8 * len(a))))
            out_index, out_spin, out_delta, history = self._outputs(size, 0 if exact else len(a))
            while position < end:
                most = size if wanted is None else min(size, wanted - made)
                position, count, used, why = visit_hebbian(
                    order, position, end, state, dots, a, columns, scale, k, exact, push,
                    pins, coins, used, temperature, most, out_index, out_spin, out_delta, history,
                    units, wide, wide_count, limit,
                )  # fmt: skip
                if count:
                    network.turned_in_place()
                    landscape.turned()
                    self._sweep_flips += count
                    turned, news = out_index[:count].tolist(), out_spin[:count].tolist()
                    indices.extend(turned)
                    spins.extend(news)
                    if exact:
                        deltas.extend(out_delta[:count].tolist())
                    else:  # Linear.flip_energy's numbers (its dot), and Network.flip's 2 s h
                        rows = columns[out_index[:count]].astype(np.float64)
                        for row, new, before in zip(rows, news, history, strict=False):
                            old = -new
                            energy = k + old * float(row @ before)
                            deltas.append(2.0 * old * (old * energy / 2))
                    made += count
                if why == LIMIT:
                    if wanted is not None and made >= wanted:
                        stopped = True
                        break
                    continue
                if why == CHECK:
                    coin = float(coins[used]) if hot else 0.0
                    used += hot
                    flipped = self._turn_if(
                        landscape, int(order[position]), coin, indices, spins, deltas
                    )
                    position += 1
                    if flipped:
                        made += 1
                        if (wanted is not None and made >= wanted) or (
                            deadline is not None and monotonic() > deadline
                        ):
                            stopped = True
                            break
            if hot:
                self._hot = self._hot or used > 0
                if used < len(coins):  # wind the generator back to the coins used
                    rng.bit_generator.state = saved
                    if used:
                        rng.random(used)
            self._position = position
            if deadline is not None and monotonic() > deadline:
                break
        return position - start

    def _outputs(
        self, size: int, count: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The compiled visits' output arrays for ``size`` flips, with ``count`` coefficients.

        Kept from call to call (a fresh history of a few MiB a chunk costs its page
        faults at every flip), grown when too small.
        """
        kept = self._kept
        if kept is None or len(kept[0]) < size or kept[3].shape[1] != count:
            rows = size if kept is None else max(size, len(kept[0]))
            kept = self._kept = (
                np.empty(rows, dtype=np.intp),
                np.empty(rows, dtype=np.int8),
                np.empty(rows, dtype=np.float64),
                np.empty((rows if count else 0, count)),
            )
        return kept

    def _keys(
        self,
        landscape,
        block: np.ndarray,
        pins: np.ndarray | None,
        push: np.ndarray | None,
        temperature: float,
    ) -> tuple[list[float], tuple[np.ndarray, list[float]] | None]:
        """For each spin of ``block``: a key, at most the slack where it could flip.

        At T = 0 a spin flips when ``s (h + push) < 0``; its key is the lowest value
        that this can have given the bound. At T > 0 its coin is drawn (a pinned spin
        draws none) and the key is how far the bound's most favourable ``s (h + push)``
        lies past the value where Glauber's chance equals the coin. Pinned spins get
        an infinite key. Also returns, at T > 0, the coins drawn up to each spin and
        the coins themselves.
        """
        size = len(block)
        state = self.network.state
        if landscape is None:
            approx, bound = np.zeros(size), 0.0
        else:
            approx, bound = landscape.flip_energies_near(block, state)
        s = state[block]
        # The one-spin path's numbers, element by element: h = s dE / 2, then the push.
        total = s * approx / 2
        if push is not None:
            total += push[block]
        key = s * total  # < 0: the spin flips at T = 0
        key -= np.abs(bound) / 2 + 1e-12 * (np.abs(total) + 1e-300)
        used = None
        free = None if pins is None else ~pins[block]
        if temperature > 0.0:
            coins = np.full(size, 0.5)
            if free is None:
                coins[:] = self.rng.random(size)
                drawn = np.arange(1, size + 1)
            else:
                coins[free] = self.rng.random(int(np.count_nonzero(free)))
                drawn = np.cumsum(free)
            # coin < 1 / (1 + exp(2 x / T))  <=>  x < (T / 2) log(1 / coin - 1).
            with np.errstate(divide="ignore"):
                edge = (temperature / 2) * np.log(1.0 / coins - 1.0)
            key -= edge
            key -= 1e-9 * (np.abs(edge) + np.abs(total) + 1.0)
            np.nan_to_num(key, copy=False, nan=-np.inf)
            used = (drawn, coins.tolist())
        if free is not None:
            key[~free] = np.inf
        return key.tolist(), used

    def _settled(self) -> bool:
        """A sweep at T = 0 flipped nothing: return True to go on (``links.Chain`` hops)."""
        return False


def glauber_flip_probability(spin: int, field: float, temperature: float) -> float:
    """The chance that Glauber's rule turns ``spin`` over in ``field`` at ``temperature``.

    The new value is +1 with probability ``1 / (1 + exp(-2 h / T))``; the spin
    flips when the new value differs from the old one.
    """
    x = -2.0 * spin * field / temperature
    # P(new = -spin) = 1 / (1 + exp(2 s h / T)), written to never overflow.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)

"""The chain sweep: when does recall hop along links, against lambda and the load?

For each load alpha = P / N and each link strength lambda the sweep stores P
random patterns of N spins (Hebb's rule), links the first three in a ring
(0 -> 1 -> 2 -> 0, each link 1), starts asynchronous recall at T = 0 from
pattern 0 with a fraction of its spins flipped, and lets the chain run
(``model.chain.Chain``, at most three hops, weaker by ``hop_factor`` each).
It measures the share of trials whose first hop lands on pattern 1, and the
share that go round the whole ring (0, 1, 2, 0) in order. The known result
(Sompolinsky and Kanter 1986): the sequence is recalled when lambda is large
enough against the symmetric term (about 1, the pull of the memory the state is
in) and the load is low; as the load grows the cross-talk blurs the hops.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from concurrent.futures import Executor
from dataclasses import asdict, dataclass

import numpy as np

from tui_hopfield.experiments.checks import check_size
from tui_hopfield.experiments.progress import Progress, Stop
from tui_hopfield.experiments.rows import Row
from tui_hopfield.experiments.trials import run_trials, trial_seeds
from tui_hopfield.model.chain import Chain
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.links import MAX_LAMBDA
from tui_hopfield.model.network import Network
from tui_hopfield.model.patterns import random_patterns

MIN_N, MAX_N = 16, 2048
"""The sizes a sweep accepts (asynchronous recall visits one spin at a time)."""
MAX_ALPHA = 0.5
"""The largest load a sweep accepts."""
MAX_VALUES = 50
"""The most loads, and the most lambdas, one sweep takes."""
DEFAULT_ALPHAS = (0.01, 0.05, 0.1, 0.15)
"""The loads measured by default."""
DEFAULT_LAMBDAS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
"""The link strengths measured by default."""
RING = 3
"""Patterns in the ring: 0 -> 1 -> 2 -> 0."""


def parse_values(text: str, what: str, low: float, high: float) -> tuple[float, ...]:
    """Values written ``START:STOP:STEP`` (STOP included) or as a list ``0.5,1,2``.

    Each must lie in (``low``, ``high``]; raises ``ModelError`` saying what is wrong.
    """
    try:
        if ":" in text:
            start, stop, step = (float(part) for part in text.split(":"))
            if not step > 0 or not stop >= start:
                raise ValueError
            count = round((stop - start) / step) + 1
            if count > MAX_VALUES:
                raise ModelError(f"{text!r} makes {count} {what}; {MAX_VALUES} at most")
            values = tuple(round(start + k * step, 10) for k in range(count))
        else:
            values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise ModelError(
            f"{text!r} is not START:STOP:STEP (e.g. 0.5:3:0.5) or a list (0.5,1,2)"
        ) from None
    if len(values) > MAX_VALUES:
        raise ModelError(f"{text!r} gives {len(values)} {what}; {MAX_VALUES} at most")
    if not all(low < value <= high for value in values):
        raise ModelError(f"{text!r}: every one of the {what} lies in ({low:g}, {high:g}]")
    return values


@dataclass(frozen=True)
class ChainSettings:
    """What a chain sweep does; the constructor checks every value (``ModelError``)."""

    n: int = 400
    """Number of spins N."""
    alphas: tuple[float, ...] = DEFAULT_ALPHAS
    """The loads P / N (each rounds to a whole number of patterns, at least 3)."""
    lambdas: tuple[float, ...] = DEFAULT_LAMBDAS
    """The link strengths lambda."""
    trials: int = 5
    """Independent sets of patterns per point."""
    flip: float = 0.1
    """The fraction of the first pattern's spins flipped in the cue."""
    hop_factor: float = 1.0
    """Each hop pushes this much less than the one before."""
    seed: int | None = None
    """Seed of the patterns, cues and visiting orders (None: a fresh one)."""

    def __post_init__(self) -> None:
        check_size(self.n, MIN_N, MAX_N)
        if not self.alphas or not self.lambdas:
            raise ModelError("give at least one load and one lambda")
        if not all(0 < alpha <= MAX_ALPHA for alpha in self.alphas):
            raise ModelError(f"a load alpha lies in (0, {MAX_ALPHA:g}]")
        if not all(0 < value <= MAX_LAMBDA for value in self.lambdas):
            raise ModelError(f"a lambda lies in (0, {MAX_LAMBDA:g}]")
        if not 1 <= self.trials <= 1000:
            raise ModelError(f"trials are from 1 to 1000, not {self.trials}")
        if not 0.0 <= self.flip <= 0.5:
            raise ModelError(f"the fraction flipped is from 0 to 0.5, not {self.flip:g}")
        if not 0 < self.hop_factor <= 1:
            raise ModelError(f"the hop factor lies in (0, 1], not {self.hop_factor:g}")

    def patterns(self, alpha: float) -> int:
        """The number of patterns P at load ``alpha`` (at least the ring's three)."""
        return max(RING, round(alpha * self.n))

    def to_dict(self) -> dict[str, object]:
        """The settings as plain values, for JSON."""
        return {
            "n": self.n,
            "alphas": list(self.alphas),
            "lambdas": list(self.lambdas),
            "trials": self.trials,
            "flip": self.flip,
            "hop_factor": self.hop_factor,
            "seed": self.seed,
        }


@dataclass(frozen=True)
class ChainPoint(Row):
    """What was measured at one load and lambda."""

    alpha: float
    """The load P / N asked for."""
    patterns: int
    """The number of stored patterns P."""
    strength: float
    """lambda."""
    trials: int
    """Trials averaged."""
    first_hop: float
    """Share of trials whose first hop landed on pattern 1."""
    ring: float
    """Share of trials that went 0, 1, 2, 0 in order."""

    COLUMNS = ("alpha", "patterns", "strength", "trials", "first_hop", "ring")
    """The field names, in table and CSV order."""


@dataclass(frozen=True)
class ChainResult:
    """A sweep's settings and what it measured."""

    settings: ChainSettings
    """What was asked."""
    points: tuple[ChainPoint, ...]
    """One per (load, lambda) with at least one trial done, by load then lambda."""
    complete: bool
    """False when the sweep was stopped before the end."""
    seconds: float
    """Wall-clock time of the sweep."""

    def to_dict(self) -> dict[str, object]:
        """Everything as plain values, for JSON."""
        return {
            "experiment": "chains",
            "settings": self.settings.to_dict(),
            "complete": self.complete,
            "seconds": round(self.seconds, 3),
            "points": [asdict(point) for point in self.points],
        }


def ring_trial(
    patterns: np.ndarray, strength: float, hop_factor: float, flip: float, seed: int
) -> list[int]:
    """Recall from pattern 0 flipped by ``flip`` along the ring; return the chain's indices."""
    network = Network(1, patterns.shape[1])
    network.imprint_many(patterns, [f"p{k}" for k in range(len(patterns))])
    for k in range(RING):
        network.link(f"p{k}", f"p{(k + 1) % RING}", 1.0)
    network.configure_links(strength, RING, hop_factor, 0.0)
    rng = np.random.default_rng(seed)
    cue = patterns[0].copy()
    cue[rng.choice(network.n, round(flip * network.n), replace=False)] *= -1
    network.set_state(cue)
    chain = Chain(network, rng)
    for _ in chain.events():
        pass
    return [int(name[1:]) for name in chain.chain]


def run_chains(
    settings: ChainSettings,
    progress: Progress | None = None,
    stop: Stop | None = None,
    *,
    jobs: int = 1,
    executor: Executor | None = None,
) -> ChainResult:
    """Sweep the loads and lambdas of ``settings``; see the module's docstring.

    Each trial is a task with a seed of its own (``trials.run_trials``): ``jobs`` worker
    processes run them (1: this process), or ``executor`` does; the counts do not depend on
    which.
    """
    started = time.perf_counter()
    keys = _keys(settings)
    outcome = run_trials(
        functools.partial(_trial, settings),
        trial_seeds(settings.seed, settings.trials),
        len(keys),
        jobs=jobs,
        executor=executor,
        progress=progress,
        stop=stop,
    )
    counts = {key: [0, 0, 0] for key in keys}  # trials, first hops, rings
    for finished in outcome.results:
        for key, (first_hop, ring) in zip(keys, finished, strict=False):
            tally = counts[key]
            tally[0] += 1
            tally[1] += first_hop
            tally[2] += ring
    points = tuple(
        ChainPoint(
            alpha,
            settings.patterns(alpha),
            strength,
            tally[0],
            tally[1] / tally[0],
            tally[2] / tally[0],
        )
        for (alpha, strength), tally in counts.items()
        if tally[0]
    )
    return ChainResult(settings, points, outcome.complete, time.perf_counter() - started)


def _keys(settings: ChainSettings) -> list[tuple[float, float]]:
    return [(alpha, strength) for alpha in settings.alphas for strength in settings.lambdas]


def _trial(settings: ChainSettings, seed: np.random.SeedSequence) -> Iterator[tuple[bool, bool]]:
    """One trial: patterns for the largest load, then (first hop, whole ring) per point."""
    rng = np.random.default_rng(seed)
    largest = max(settings.patterns(alpha) for alpha in settings.alphas)
    patterns = random_patterns(largest, settings.n, rng)
    for alpha, strength in _keys(settings):
        count = settings.patterns(alpha)
        chain = ring_trial(
            patterns[:count], strength, settings.hop_factor, settings.flip, int(rng.integers(2**63))
        )
        yield chain[:2] == [0, 1], chain == [0, 1, 2, 0]

"""The capacity sweep: how well a rule recalls as the load alpha = P / N grows.

For each load the sweep stores P random patterns of N spins and recalls from
every one of them at once (``batch.recall``, synchronous, T = 0): once from
the pattern itself, once from a cue with a fraction of its spins flipped. It
measures the mean final overlap ``m = s . xi / N`` of both and the fraction
of recalls that end exactly on the pattern.

Trials are the outer loop and the loads the inner one: a trial draws the
patterns for the largest load once and every load uses the first P of them.
The loads of one trial are then nested, so Storkey's rule, which learns one
pattern at a time, extends the previous landscape instead of starting again:
a whole trial costs it O(P_max N^2), not O(sum P N^2). Ctrl+C or ``stop``
keeps every (trial, load) already done; a point says over how many trials it
was averaged.

Each trial is a task with a seed of its own, spawned from the sweep's
(``trials.trial_seeds``), run in this process, in ``jobs`` processes or by
any ``concurrent.futures.Executor`` (``trials.run_trials``); the trials'
totals are added in trial order, so the same seed gives the same numbers
however many jobs ran them.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from concurrent.futures import Executor
from dataclasses import asdict, dataclass, field, fields

import numpy as np

from tui_hopfield.experiments.progress import Progress, Stop
from tui_hopfield.experiments.trials import run_trials, trial_seeds
from tui_hopfield.model.batch import recall
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.patterns import random_patterns
from tui_hopfield.model.rules import Landscape, Rule

MIN_N, MAX_N = 16, 4096
"""The sizes a sweep accepts."""
MAX_ALPHA = 1.0
"""The largest load a sweep accepts (P = N)."""
MAX_TRIALS = 1000
"""The most trials per load."""
BATCH = 512
"""Cues recalled in one batch at most, so that temporaries stay small."""
DEFAULT_ALPHAS = tuple(round(0.02 * k, 2) for k in range(1, 16))
"""0.02, 0.04, ... 0.30."""


MAX_LOADS = 200
"""The most loads one sweep takes."""


def parse_alphas(text: str) -> tuple[float, ...]:
    """Loads written ``START:STOP:STEP`` (STOP included) or as a list ``0.05,0.1,0.2``.

    Raises ``ModelError`` saying what is wrong.
    """
    try:
        if ":" in text:
            start, stop, step = (float(part) for part in text.split(":"))
            if not step > 0 or not stop >= start:
                raise ValueError
            count = round((stop - start) / step) + 1
            if count > MAX_LOADS:
                raise ModelError(f"{text!r} makes {count} loads; {MAX_LOADS} at most")
            values = tuple(round(start + k * step, 10) for k in range(count))
        else:
            values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise ModelError(
            f"{text!r} is not START:STOP:STEP (e.g. 0.02:0.3:0.02) or a list (0.05,0.1)"
        ) from None
    if not all(0 < value <= MAX_ALPHA for value in values):
        raise ModelError(f"{text!r}: every load alpha lies in (0, {MAX_ALPHA:g}]")
    return values


@dataclass(frozen=True)
class CapacitySettings:
    """What a sweep does; the constructor checks every value (``ModelError``)."""

    rule: Rule = field(default_factory=Rule)
    """The learning rule."""
    n: int = 1000
    """Number of spins N."""
    alphas: tuple[float, ...] = DEFAULT_ALPHAS
    """The loads P / N asked for (each rounds to a whole number of patterns)."""
    trials: int = 10
    """Independent sets of patterns per load."""
    flip: float = 0.1
    """The fraction of a cue's spins that are flipped."""
    seed: int | None = None
    """Seed of the random patterns and cues (None: a fresh one)."""
    max_steps: int = 50
    """Synchronous steps at most per recall."""

    def __post_init__(self) -> None:
        if not MIN_N <= self.n <= MAX_N:
            raise ModelError(f"the size N is from {MIN_N} to {MAX_N}, not {self.n}")
        if not self.alphas:
            raise ModelError("give at least one load alpha")
        for alpha in self.alphas:
            if not 0 < alpha <= MAX_ALPHA:
                raise ModelError(f"a load alpha lies in (0, {MAX_ALPHA:g}], not {alpha:g}")
        if not 1 <= self.trials <= MAX_TRIALS:
            raise ModelError(f"trials are from 1 to {MAX_TRIALS}, not {self.trials}")
        if not 0.0 <= self.flip <= 0.5:
            raise ModelError(f"the fraction flipped is from 0 to 0.5, not {self.flip:g}")
        if not 1 <= self.max_steps <= 1000:
            raise ModelError(f"steps per recall are from 1 to 1000, not {self.max_steps}")
        self.rule.check_size(self.n)

    @property
    def loads(self) -> tuple[int, ...]:
        """The numbers of patterns P, ascending, without repeats."""
        return tuple(sorted({max(1, round(alpha * self.n)) for alpha in self.alphas}))

    def to_dict(self) -> dict[str, object]:
        """The settings as plain values, for JSON."""
        return {
            "rule": self.rule.name,
            **self.rule.settings(),
            "n": self.n,
            "alphas": list(self.alphas),
            "trials": self.trials,
            "flip": self.flip,
            "seed": self.seed,
            "max_steps": self.max_steps,
        }


@dataclass(frozen=True)
class CapacityPoint:
    """What was measured at one load."""

    alpha: float
    """The load P / N."""
    patterns: int
    """The number of stored patterns P."""
    trials: int
    """Trials averaged."""
    overlap_stored: float
    """Mean final overlap when recall starts from a stored pattern itself."""
    overlap_cued: float
    """Mean final overlap when recall starts from a cue with ``flip`` of it flipped."""
    perfect_stored: float
    """Fraction of stored patterns that recall ends on exactly (fixed points)."""
    perfect_cued: float
    """Fraction of cues that recall ends exactly on their pattern."""

    COLUMNS = (
        "alpha",
        "patterns",
        "trials",
        "overlap_stored",
        "overlap_cued",
        "perfect_stored",
        "perfect_cued",
    )
    """The field names, in table and CSV order."""

    def values(self) -> tuple[float | int, ...]:
        """The fields in ``COLUMNS`` order."""
        return tuple(getattr(self, name) for name in self.COLUMNS)


@dataclass(frozen=True)
class CapacityResult:
    """A sweep's settings and what it measured."""

    settings: CapacitySettings
    """What was asked."""
    points: tuple[CapacityPoint, ...]
    """One per load that finished at least one trial, by load."""
    complete: bool
    """False when the sweep was stopped before every trial of every load was done."""
    seconds: float
    """Wall-clock time of the sweep."""

    def to_dict(self) -> dict[str, object]:
        """Everything as plain values, for JSON."""
        return {
            "experiment": "capacity",
            "settings": self.settings.to_dict(),
            "complete": self.complete,
            "seconds": round(self.seconds, 3),
            "points": [asdict(point) for point in self.points],
        }


@dataclass
class _Sums:
    """Running totals for one load."""

    trials: int = 0
    overlap_stored: float = 0.0
    overlap_cued: float = 0.0
    perfect_stored: float = 0.0
    perfect_cued: float = 0.0


def run_capacity(
    settings: CapacitySettings,
    progress: Progress | None = None,
    stop: Stop | None = None,
    *,
    jobs: int = 1,
    executor: Executor | None = None,
) -> CapacityResult:
    """Sweep the loads of ``settings``; see the module's docstring.

    ``jobs`` worker processes run the trials (1: this process), or ``executor`` does.
    """
    started = time.perf_counter()
    loads = settings.loads
    outcome = run_trials(
        functools.partial(_trial, settings),
        trial_seeds(settings.seed, settings.trials),
        len(loads),
        jobs=jobs,
        executor=executor,
        progress=progress,
        stop=stop,
    )
    sums = {count: _Sums() for count in loads}
    for finished in outcome.results:  # in trial order, whoever ran them
        for count, part in zip(loads, finished, strict=False):
            _add(sums[count], part)
    points = tuple(_point(count, settings.n, sums[count]) for count in loads if sums[count].trials)
    return CapacityResult(settings, points, outcome.complete, time.perf_counter() - started)


def _trial(settings: CapacitySettings, seed: np.random.SeedSequence) -> Iterator[_Sums]:
    """One trial: patterns for the largest load, then one ``_Sums`` per load, ascending."""
    rng = np.random.default_rng(seed)
    loads = settings.loads
    patterns = random_patterns(loads[-1], settings.n, rng)
    previous: Landscape | None = None
    for count in loads:
        previous = settings.rule.learn(patterns[:count], np.ones(count), previous=previous)
        sums = _Sums()
        _measure(settings, previous, patterns[:count], rng, sums)
        yield sums


def _add(total: _Sums, part: _Sums) -> None:
    """Add one trial's ``part`` to ``total``, field by field."""
    for name in (item.name for item in fields(total)):
        setattr(total, name, getattr(total, name) + getattr(part, name))


def flipped_cues(patterns: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Each pattern with exactly ``round(fraction * N)`` of its spins, chosen at random, flipped."""
    count, n = patterns.shape
    flips = round(fraction * n)
    cues = patterns.copy()
    if flips == 0:
        return cues
    chosen = np.argpartition(rng.random((count, n)), flips - 1, axis=1)[:, :flips]
    cues[np.arange(count)[:, None], chosen] *= -1
    return cues


def _measure(
    settings: CapacitySettings,
    landscape: Landscape,
    patterns: np.ndarray,
    rng: np.random.Generator,
    sums: _Sums,
) -> None:
    """Recall from the patterns and from flipped cues; add one trial to ``sums``."""
    stored = _final_overlaps(settings, landscape, patterns, patterns)
    cues = flipped_cues(patterns, settings.flip, rng)
    cued = _final_overlaps(settings, landscape, cues, patterns)
    sums.trials += 1
    sums.overlap_stored += float(stored.mean())
    sums.overlap_cued += float(cued.mean())
    sums.perfect_stored += float(np.mean(stored == 1.0))
    sums.perfect_cued += float(np.mean(cued == 1.0))


def _final_overlaps(
    settings: CapacitySettings, landscape: Landscape, cues: np.ndarray, patterns: np.ndarray
) -> np.ndarray:
    """The overlap of each cue's final state with its own pattern, float (P,)."""
    overlaps = np.empty(len(cues))
    for start in range(0, len(cues), BATCH):
        part = slice(start, start + BATCH)
        result = recall(
            landscape,
            cues[part],
            continuous=settings.rule.continuous,
            max_steps=settings.max_steps,
        )
        # Exact: sums of +-1 products in int32.
        dots = np.einsum("bi,bi->b", result.states, patterns[part], dtype=np.int32)
        overlaps[part] = dots / settings.n
    return overlaps


def _point(count: int, n: int, sums: _Sums) -> CapacityPoint:
    trials = sums.trials
    return CapacityPoint(
        alpha=count / n,
        patterns=count,
        trials=trials,
        overlap_stored=sums.overlap_stored / trials,
        overlap_cued=sums.overlap_cued / trials,
        perfect_stored=sums.perfect_stored / trials,
        perfect_cued=sums.perfect_cued / trials,
    )

"""The capacity sweep: how well a rule recalls as the load alpha = P / N grows.

For each load the sweep stores P random patterns of N spins and recalls from
every one of them at once (past N, from a random sample of ``MAX_CUES``): once
from the pattern itself, once from a cue with a fraction of its spins flipped.
Recall runs at T = 0, asynchronously by default
(``batch.recall_async``: random sequential order, each visited spin aligned
with its field, until a sweep turns nothing or ``max_steps`` sweeps) or
synchronously (``batch.recall``, every spin at once, which may end in a
2-cycle); the modern rule always runs its continuous update. It measures the
mean final overlap ``m = s . xi / N`` of both, the fraction of recalls that
end at a fixed point equal to the pattern ("exact": a 2-cycle through the
pattern is not), and how the cued recalls ended: at a fixed point, in a
2-cycle or cut off at the step cap.

Loads past N (alpha > 1) are for the rules that store them: dense memories of
degree 3 and more, and the exponential one (``MAX_ALPHA_DENSE``); the memory
the patterns take is checked against ``MEMORY_BUDGET`` before anything runs.

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

from tui_hopfield.experiments.checks import check_size
from tui_hopfield.experiments.progress import Progress, Stop
from tui_hopfield.experiments.recall import MODES
from tui_hopfield.experiments.rows import Row
from tui_hopfield.experiments.trials import run_trials, trial_seeds
from tui_hopfield.model.batch import Couplings, couplings, recall, recall_async
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.patterns import random_patterns
from tui_hopfield.model.rules import Hebbian, Landscape, PseudoInverse, Rule, Storkey

MIN_N, MAX_N = 16, 4096
"""The sizes a sweep accepts."""
MAX_ALPHA = 1.0
"""The largest load a sweep accepts for the rules that store at most N patterns (P = N)."""
MAX_ALPHA_DENSE = 100_000.0
"""The largest load for dense memories of degree 3 and more and the exponential one."""
MEMORY_BUDGET = 1 << 30
"""Bytes the patterns of the largest load and their copies may take (``memory_needed``)."""
MAX_CUES = 256
"""Past N patterns (alpha > 1), recall starts from a random sample of this many per trial."""
MAX_TRIALS = 1000
"""The most trials per load."""
BATCH = 512
"""Cues recalled in one batch at most, so that temporaries stay small."""
BATCH_BYTES = 64 << 20
"""A batch's overlaps (cues x P float64) stay under this: fewer cues per batch for large P."""
DEFAULT_ALPHAS = tuple(round(0.02 * k, 2) for k in range(1, 16))
"""0.02, 0.04, ... 0.30."""


MAX_LOADS = 200
"""The most loads one sweep takes."""


def parse_alphas(text: str) -> tuple[float, ...]:
    """Loads written ``START:STOP:STEP`` (STOP included) or as a list ``0.05,0.1,0.2``.

    Raises ``ModelError`` saying what is wrong.
    """
    try:
        if ":" in text and text.split(":")[-1].strip().startswith("x"):
            values = geometric(text)
        elif ":" in text:
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
    if not all(0 < value <= MAX_ALPHA_DENSE for value in values):
        raise ModelError(f"{text!r}: every load alpha lies in (0, {MAX_ALPHA_DENSE:g}]")
    return values


def geometric(text: str) -> tuple[float, ...] | None:
    """``START:STOP:xFACTOR`` (e.g. ``1:1000:x2``): START, START*FACTOR, ... up to STOP."""
    start_text, stop_text, factor_text = text.split(":")
    start, stop, factor = float(start_text), float(stop_text), float(factor_text[1:])
    if not (start > 0 and stop >= start and factor > 1):
        raise ValueError
    values = []
    value = start
    while value <= stop * (1 + 1e-9):
        values.append(float(f"{value:.6g}"))
        if len(values) > MAX_LOADS:
            raise ModelError(f"{text!r} makes more than {MAX_LOADS} loads")
        value *= factor
    return tuple(values)


def max_alpha(rule: Rule) -> float:
    """The largest load ``rule`` is swept to: past N only for dense n >= 3 and dense exp."""
    if rule.name == "dense" and (rule.degree is None or rule.degree >= 3):
        return MAX_ALPHA_DENSE
    return MAX_ALPHA


def memory_needed(n: int, patterns: int) -> int:
    """Bytes a landscape of ``patterns`` x ``n`` spins keeps (int8 twice, float32, bits)."""
    return patterns * n * 6 + patterns * 8 * (-(-n // 64))


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
    """Sweeps (async) or synchronous steps (sync) at most per recall."""
    mode: str = "async"
    """``async`` (exact asynchronous dynamics) or ``sync`` (every spin at once)."""

    def __post_init__(self) -> None:
        check_size(self.n, MIN_N, MAX_N)
        if not self.alphas:
            raise ModelError("give at least one load alpha")
        if self.mode not in MODES:
            raise ModelError(f"the mode is {' or '.join(MODES)}, not {self.mode!r}")
        top = max_alpha(self.rule)
        for alpha in self.alphas:
            if not 0 < alpha <= top:
                why = (
                    ""
                    if top > MAX_ALPHA
                    else f" ({self.rule.label} stores at most N patterns;"
                    " loads past N are for dense n >= 3 and dense exp)"
                )
                raise ModelError(f"a load alpha lies in (0, {top:g}], not {alpha:g}{why}")
        needed = memory_needed(self.n, max(self.loads))
        if needed > MEMORY_BUDGET:
            raise ModelError(
                f"P = {max(self.loads):,} patterns of {self.n} spins take about"
                f" {needed / 2**20:,.0f} MiB; the sweep's budget is"
                f" {MEMORY_BUDGET / 2**20:,.0f} MiB"
            )
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
            "mode": self.mode,
        }


@dataclass(frozen=True)
class CapacityPoint(Row):
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
    """Fraction of recalls from a stored pattern that end at a fixed point equal to it."""
    perfect_cued: float
    """Fraction of cues whose recall ends at a fixed point equal to their pattern."""
    fixed_cued: float = 0.0
    """Fraction of cued recalls that ended at a fixed point (any)."""
    cycled_cued: float = 0.0
    """Fraction of cued recalls that ended in a 2-cycle (sync only)."""
    cut_cued: float = 0.0
    """Fraction of cued recalls cut off at the step cap."""

    COLUMNS = (
        "alpha",
        "patterns",
        "trials",
        "overlap_stored",
        "overlap_cued",
        "perfect_stored",
        "perfect_cued",
        "fixed_cued",
        "cycled_cued",
        "cut_cued",
    )
    """The field names, in table and CSV order."""


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
    fixed_cued: float = 0.0
    cycled_cued: float = 0.0
    cut_cued: float = 0.0


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
    if len(patterns) > max(MAX_CUES, settings.n):
        patterns = patterns[np.sort(rng.choice(len(patterns), MAX_CUES, replace=False))]
    # The quadratic rules' W, built once for both sets of asynchronous recalls.
    quadratic = isinstance(landscape, Hebbian | PseudoInverse | Storkey)
    given = couplings(landscape) if quadratic and settings.mode == "async" else None
    stored = _recalls(settings, landscape, patterns, patterns, rng, given)
    cues = flipped_cues(patterns, settings.flip, rng)
    cued = _recalls(settings, landscape, cues, patterns, rng, given)
    sums.trials += 1
    sums.overlap_stored += float(stored.overlaps.mean())
    sums.overlap_cued += float(cued.overlaps.mean())
    sums.perfect_stored += float(np.mean(stored.exact))
    sums.perfect_cued += float(np.mean(cued.exact))
    sums.fixed_cued += float(np.mean(cued.converged))
    sums.cycled_cued += float(np.mean(cued.cycled))
    sums.cut_cued += float(np.mean(~cued.converged & ~cued.cycled))


@dataclass(frozen=True)
class Recalls:
    """How the recalls from a set of cues ended, one entry per cue."""

    overlaps: np.ndarray
    """float (B,): the final state's overlap with the cue's pattern."""
    converged: np.ndarray
    """bool (B,): recall ended at a fixed point."""
    cycled: np.ndarray
    """bool (B,): recall ended in a 2-cycle."""

    @property
    def exact(self) -> np.ndarray:
        """bool (B,): a fixed point equal to the pattern (a 2-cycle through it is not)."""
        return self.converged & (self.overlaps == 1.0)


def _recalls(
    settings: CapacitySettings,
    landscape: Landscape,
    cues: np.ndarray,
    patterns: np.ndarray,
    rng: np.random.Generator,
    given: Couplings | None = None,
) -> Recalls:
    """Recall from every cue; how each ended (``Recalls``). ``given``: the landscape's
    ``batch.couplings`` (a quadratic rule's, asynchronous recall), else None."""
    count = len(cues)
    overlaps = np.empty(count)
    converged = np.zeros(count, dtype=bool)
    cycled = np.zeros(count, dtype=bool)
    size = max(1, min(BATCH, BATCH_BYTES // (8 * max(landscape.count, landscape.n))))
    for start in range(0, count, size):
        part = slice(start, start + size)
        if settings.mode == "async" and not settings.rule.continuous:
            result = recall_async(
                landscape, cues[part], rng, max_sweeps=settings.max_steps, given=given
            )
        else:
            result = recall(
                landscape,
                cues[part],
                continuous=settings.rule.continuous,
                max_steps=settings.max_steps,
            )
        # Exact: sums of +-1 products in int32.
        dots = np.einsum("bi,bi->b", result.states, patterns[part], dtype=np.int32)
        overlaps[part] = dots / settings.n
        converged[part] = result.converged
        cycled[part] = result.cycled
    return Recalls(overlaps, converged, cycled)


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
        fixed_cued=sums.fixed_cued / trials,
        cycled_cued=sums.cycled_cued / trials,
        cut_cued=sums.cut_cued / trials,
    )

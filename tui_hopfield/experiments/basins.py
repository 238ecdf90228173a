"""Basin maps: how recall fares against the cue's noise and the load, and each memory's basin.

For each load alpha = P / N the study stores P random patterns (or the given
memories: a session's, the app's), cues some of them (``probes``) with a
fraction f of their spins flipped, ``cues`` different cues per pattern and per
noise level, and recalls from every cue (``recall.recall_cues``: exact
asynchronous dynamics by default, or synchronous). Each cell of the map,
(alpha, f), holds over all its recalls:

- the mean final overlap ``m = s . xi / N`` with the cued pattern;
- the share *exact*: the run ended at a fixed point equal to the pattern (a
  2-cycle through the pattern does not count);
- the shares of runs that ended at a fixed point, in a 2-cycle (sync), or at the
  step cap.

A pattern's *basin radius* is the largest noise level f of the grid such that,
at f and at every smaller level of the grid, at least half (``MAJORITY``) of
its ``cues`` cues recall it exactly; None when even the smallest level fails
(with 0 on the grid: the pattern is not a fixed point). Its resolution is the
grid's step: with cues 0, 0.05, ... 0.5, a pattern stored alone under Hebb's
rule has radius 0.45 or 0.5 (a cue flipped at fewer than N/2 spins still
overlaps it positively and falls back; at exactly N/2 it lies as close to the
pattern as to its negative, and recall falls into either, half the time each).

The patterns of a trial are drawn once for the largest load and every load
uses the first P of them, as in the capacity sweep; Storkey's rule extends
its landscape from one load to the next. A unit of progress is one (trial,
load); stop keeps every one done.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from tui_hopfield.experiments.capacity import MAX_ALPHA, flipped_cues
from tui_hopfield.experiments.checks import check_size
from tui_hopfield.experiments.progress import Progress, Stop, report, stopping
from tui_hopfield.experiments.recall import MODES, Recalled, dynamics_label, recall_cues
from tui_hopfield.experiments.rows import Row
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.patterns import random_patterns
from tui_hopfield.model.rules import Landscape, Rule

MIN_N, MAX_N = 16, 2048
"""The sizes a basin map accepts (asynchronous recall keeps W, N x N float64)."""
DEFAULT_ALPHAS = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3)
"""The loads of a map by default."""
DEFAULT_NOISES = tuple(round(0.05 * k, 2) for k in range(11))
"""0, 0.05, ... 0.5."""
MAX_NOISES = 51
"""The most noise levels a map takes."""
MAJORITY = 0.5
"""The share of a pattern's cues that must recall it exactly, for its basin radius."""

Recaller = type(recall_cues)
"""The signature of ``recall.recall_cues``; a study may be handed another (tests)."""


def parse_noises(text: str) -> tuple[float, ...]:
    """Noise levels ``START:STOP:STEP`` (STOP included) or a list ``0,0.1,0.2``, in [0, 0.5].

    Sorted, without repeats; raises ``ModelError`` saying what is wrong.
    """
    try:
        if ":" in text:
            start, stop, step = (float(part) for part in text.split(":"))
            if not step > 0 or not stop >= start:
                raise ValueError
            count = round((stop - start) / step) + 1
            if count > MAX_NOISES:
                raise ModelError(f"{text!r} makes {count} noise levels; {MAX_NOISES} at most")
            values = [round(start + k * step, 10) for k in range(count)]
        else:
            values = [float(part) for part in text.split(",")]
    except ValueError:
        raise ModelError(
            f"{text!r} is not START:STOP:STEP (e.g. 0:0.5:0.05) or a list (0,0.1,0.2)"
        ) from None
    if not all(0.0 <= value <= 0.5 for value in values):
        raise ModelError(f"{text!r}: every noise level (fraction flipped) lies in [0, 0.5]")
    unique = tuple(sorted(set(values)))
    if len(unique) > MAX_NOISES:
        raise ModelError(f"{text!r} gives {len(unique)} noise levels; {MAX_NOISES} at most")
    return unique


@dataclass(frozen=True)
class Memories:
    """Given memories to measure instead of random patterns: a session's or the app's."""

    names: tuple[str, ...]
    """Their names."""
    patterns: np.ndarray
    """int8 (P, N) of +-1."""
    strengths: np.ndarray
    """float (P,), positive."""
    source: str
    """Where they come from, for the output (a file name, ``the app's memories``)."""

    def __post_init__(self) -> None:
        if self.patterns.ndim != 2 or not len(self.patterns):
            raise ModelError("there are no memories to measure: imprint a picture first")
        if len(self.names) != len(self.patterns) or len(self.strengths) != len(self.patterns):
            raise ModelError("every memory needs a name and a strength")


@dataclass(frozen=True)
class BasinSettings:
    """What a basin map does; the constructor checks every value (``ModelError``)."""

    rule: Rule = field(default_factory=Rule)
    """The learning rule."""
    n: int = 256
    """Number of spins N (the memories' own when there are memories)."""
    alphas: tuple[float, ...] = DEFAULT_ALPHAS
    """The loads P / N (ignored with memories: their own load)."""
    noises: tuple[float, ...] = DEFAULT_NOISES
    """The fractions of a cue's spins flipped, ascending."""
    cues: int = 4
    """Cues per pattern and per noise level."""
    probes: int = 16
    """Patterns cued per load and trial (at most P; every memory when there are memories)."""
    trials: int = 2
    """Independent sets of patterns (of cues, with memories)."""
    seed: int | None = None
    """Seed of the patterns, the cues and the visiting orders (None: a fresh one)."""
    mode: str = "async"
    """``async`` (exact asynchronous) or ``sync``; the modern rule always its own update."""
    max_steps: int = 50
    """Sweeps (async) or steps (sync) per recall at most."""
    memories: Memories | None = None
    """Measure these instead of random patterns."""

    def __post_init__(self) -> None:
        if self.memories is not None:
            object.__setattr__(self, "n", int(self.memories.patterns.shape[1]))
            object.__setattr__(self, "alphas", (len(self.memories.names) / self.n,))
        check_size(self.n, MIN_N, MAX_N)
        if not self.alphas:
            raise ModelError("give at least one load alpha")
        for alpha in self.alphas:
            if not 0 < alpha <= MAX_ALPHA:
                raise ModelError(f"a load alpha lies in (0, {MAX_ALPHA:g}], not {alpha:g}")
        if not self.noises or not all(0.0 <= f <= 0.5 for f in self.noises):
            raise ModelError("give noise levels from 0 to 0.5")
        if list(self.noises) != sorted(set(self.noises)):
            raise ModelError("the noise levels must be ascending, without repeats")
        if not 1 <= self.cues <= 100:
            raise ModelError(f"cues per level are from 1 to 100, not {self.cues}")
        if not 1 <= self.probes <= 1000:
            raise ModelError(f"patterns cued are from 1 to 1000, not {self.probes}")
        if not 1 <= self.trials <= 100:
            raise ModelError(f"trials are from 1 to 100, not {self.trials}")
        if self.mode not in MODES:
            raise ModelError(f"the update mode is async or sync, not {self.mode!r}")
        if not 1 <= self.max_steps <= 1000:
            raise ModelError(f"steps per recall are from 1 to 1000, not {self.max_steps}")
        self.rule.check_size(self.n)

    @property
    def loads(self) -> tuple[int, ...]:
        """The numbers of patterns P, ascending, without repeats."""
        return tuple(sorted({max(1, round(alpha * self.n)) for alpha in self.alphas}))

    @property
    def dynamics(self) -> str:
        """What recall does, in words."""
        return dynamics_label(self.rule, self.mode)

    def to_dict(self) -> dict[str, object]:
        """The settings as plain values, for JSON."""
        memories = self.memories
        return {
            "rule": self.rule.name,
            **self.rule.settings(),
            "n": self.n,
            "alphas": list(self.alphas),
            "noises": list(self.noises),
            "cues": self.cues,
            "probes": self.probes,
            "trials": self.trials,
            "seed": self.seed,
            "mode": self.mode,
            "dynamics": self.dynamics,
            "max_steps": self.max_steps,
            "memories": None if memories is None else memories.source,
        }


@dataclass(frozen=True)
class BasinCell(Row):
    """What was measured at one load and one noise level."""

    alpha: float
    """The load P / N."""
    patterns: int
    """The number of stored patterns P."""
    noise: float
    """The fraction of each cue's spins flipped."""
    recalls: int
    """Recalls averaged (patterns cued x cues x trials)."""
    overlap: float
    """Mean final overlap with the cued pattern."""
    exact: float
    """Share of recalls that ended at a fixed point equal to the pattern."""
    fixed: float
    """Share that ended at a fixed point (any)."""
    cycled: float
    """Share that ended in a 2-cycle (synchronous only)."""
    cut: float
    """Share cut off by the step cap."""
    steps: float
    """Mean sweeps (async) or steps (sync) taken."""

    COLUMNS = (
        "alpha",
        "patterns",
        "noise",
        "recalls",
        "overlap",
        "exact",
        "fixed",
        "cycled",
        "cut",
        "steps",
    )
    """The field names, in table and CSV order."""


@dataclass(frozen=True)
class PatternRadius:
    """One cued pattern's basin: its share exact at each noise level, and its radius."""

    trial: int
    """The trial, from 0."""
    alpha: float
    """The load it was stored at."""
    index: int
    """Its index among the stored patterns."""
    name: str
    """Its name (``#index`` for a random pattern)."""
    strength: float
    """Its strength."""
    shares: tuple[float, ...]
    """Share of its cues recalled exactly, per noise level."""
    radius: float | None
    """The basin radius (see the module's docstring); None when the smallest level fails."""


@dataclass(frozen=True)
class RadiusSummary(Row):
    """The basin radii of the patterns cued at one load."""

    alpha: float
    patterns: int
    cued: int
    """Patterns cued (over all trials)."""
    mean: float | None
    """Mean radius of those that have one."""
    low: float | None
    """The smallest radius."""
    median: float | None
    high: float | None
    """The largest radius."""
    none: int
    """Patterns without a radius (not recalled even at the smallest noise)."""

    COLUMNS = ("alpha", "patterns", "cued", "mean", "low", "median", "high", "none")
    """The field names, in table order."""


@dataclass(frozen=True)
class BasinResult:
    """A basin map's settings and what it measured."""

    settings: BasinSettings
    cells: tuple[BasinCell, ...]
    """One per (load, noise) with at least one trial done, by load then noise."""
    radii: tuple[PatternRadius, ...]
    """Every cued pattern's basin, by trial and load."""
    complete: bool
    """False when the map was stopped before every trial of every load was done."""
    seconds: float
    """Wall-clock time."""

    @property
    def loads(self) -> tuple[float, ...]:
        """The loads measured, ascending."""
        return tuple(sorted({cell.alpha for cell in self.cells}))

    def cell(self, alpha: float, noise: float) -> BasinCell | None:
        """The cell at (alpha, noise), if measured."""
        return next((c for c in self.cells if c.alpha == alpha and c.noise == noise), None)

    def summaries(self) -> tuple[RadiusSummary, ...]:
        """The radii per load."""
        out = []
        for alpha in self.loads:
            radii = [r for r in self.radii if r.alpha == alpha]
            known = [r.radius for r in radii if r.radius is not None]
            patterns = next(c.patterns for c in self.cells if c.alpha == alpha)
            out.append(
                RadiusSummary(
                    alpha,
                    patterns,
                    len(radii),
                    float(np.mean(known)) if known else None,
                    min(known) if known else None,
                    float(np.median(known)) if known else None,
                    max(known) if known else None,
                    len(radii) - len(known),
                )
            )
        return tuple(out)

    def pictures(self) -> tuple[PatternRadius, ...]:
        """Each cued pattern of the largest load once, its shares averaged over the trials.

        With memories, these are the memories themselves; the radius is that of
        the averaged shares.
        """
        if not self.radii:
            return ()
        alpha = max(r.alpha for r in self.radii)
        merged = []
        for index in sorted({r.index for r in self.radii if r.alpha == alpha}):
            own = [r for r in self.radii if r.alpha == alpha and r.index == index]
            shares = np.mean([r.shares for r in own], axis=0)
            merged.append(
                PatternRadius(
                    -1,
                    alpha,
                    index,
                    own[0].name,
                    own[0].strength,
                    tuple(float(s) for s in shares),
                    basin_radius(self.settings.noises, shares),
                )
            )
        return tuple(merged)

    def to_dict(self) -> dict[str, object]:
        """Everything as plain values, for JSON."""
        return {
            "experiment": "basins",
            "settings": self.settings.to_dict(),
            "complete": self.complete,
            "seconds": round(self.seconds, 3),
            "cells": [dict(zip(BasinCell.COLUMNS, c.values(), strict=True)) for c in self.cells],
            "radii": [
                {
                    "trial": r.trial,
                    "alpha": r.alpha,
                    "index": r.index,
                    "name": r.name,
                    "strength": r.strength,
                    "shares": list(r.shares),
                    "radius": r.radius,
                }
                for r in self.radii
            ],
            "summaries": [
                dict(zip(RadiusSummary.COLUMNS, s.values(), strict=True)) for s in self.summaries()
            ],
        }


def basin_radius(noises: tuple[float, ...], shares: np.ndarray) -> float | None:
    """The largest level of ``noises`` (ascending) up to which every share is >= ``MAJORITY``."""
    radius = None
    for noise, share in zip(noises, shares, strict=True):
        if share < MAJORITY:
            break
        radius = noise
    return radius


class _Stopped(Exception):
    """``stop`` asked to end the map."""


@dataclass
class _Sums:
    recalls: int = 0
    overlap: float = 0.0
    exact: int = 0
    fixed: int = 0
    cycled: int = 0
    cut: int = 0
    steps: int = 0


def run_basins(
    settings: BasinSettings,
    progress: Progress | None = None,
    stop: Stop | None = None,
    recaller: Recaller = recall_cues,
) -> BasinResult:
    """Measure the map of ``settings``; see the module's docstring.

    ``recaller`` does the recalls (``recall.recall_cues`` by default).
    """
    started = time.perf_counter()
    rng = np.random.default_rng(settings.seed)
    loads = settings.loads
    noises = settings.noises
    sums = {(count, f): _Sums() for count in loads for f in noises}
    radii: list[PatternRadius] = []
    total = settings.trials * len(loads)
    done = 0
    complete = False
    memories = settings.memories
    report(progress, done, total)
    try:
        for trial in range(settings.trials):
            if memories is None:
                patterns = random_patterns(loads[-1], settings.n, rng)
                strengths = np.ones(loads[-1])
            else:
                patterns = np.asarray(memories.patterns, dtype=np.int8)
                strengths = np.asarray(memories.strengths, dtype=np.float64)
            previous: Landscape | None = None
            for count in loads:
                if stopping(stop):
                    raise _Stopped
                landscape = settings.rule.learn(
                    patterns[:count], strengths[:count], previous=previous
                )
                previous = landscape
                radii += _measure(
                    settings, landscape, patterns[:count], strengths, trial, rng, recaller, sums
                )
                done += 1
                report(progress, done, total)
        complete = True
    except (KeyboardInterrupt, _Stopped):
        pass
    cells = tuple(
        _cell(count, settings.n, f, sums[(count, f)])
        for count in loads
        for f in noises
        if sums[(count, f)].recalls
    )
    return BasinResult(settings, cells, tuple(radii), complete, time.perf_counter() - started)


def _measure(
    settings: BasinSettings,
    landscape: Landscape,
    patterns: np.ndarray,
    strengths: np.ndarray,
    trial: int,
    rng: np.random.Generator,
    recaller: Recaller,
    sums: dict[tuple[int, float], _Sums],
) -> list[PatternRadius]:
    """Cue the first ``probes`` patterns at every noise level; add to ``sums``; their radii."""
    count, n = patterns.shape
    cued = count if settings.memories is not None else min(count, settings.probes)
    targets = patterns[:cued]
    # Row order: noise level, then cue number, then pattern.
    repeated = np.tile(targets, (settings.cues, 1))
    cues = np.concatenate([flipped_cues(repeated, f, rng) for f in settings.noises])
    order_rng = np.random.default_rng(rng.integers(2**63))
    recalled: Recalled = recaller(
        landscape, settings.rule, cues, settings.mode, order_rng, settings.max_steps
    )
    expected = np.tile(repeated, (len(settings.noises), 1))
    dots = np.einsum("bi,bi->b", recalled.states, expected, dtype=np.int32)
    overlaps = dots / n
    exact = (dots == n) & recalled.fixed
    levels = len(settings.noises)
    per_level = settings.cues * cued
    for k, f in enumerate(settings.noises):
        part = slice(k * per_level, (k + 1) * per_level)
        total = sums[(count, f)]
        total.recalls += per_level
        total.overlap += float(overlaps[part].sum())
        total.exact += int(exact[part].sum())
        total.fixed += int(recalled.fixed[part].sum())
        total.cycled += int(recalled.cycled[part].sum())
        total.cut += int(recalled.cut[part].sum())
        total.steps += int(recalled.steps[part].sum())
    shares = exact.reshape(levels, settings.cues, cued).mean(axis=1)  # (levels, cued)
    names = settings.memories.names if settings.memories is not None else None
    return [
        PatternRadius(
            trial,
            count / n,
            index,
            names[index] if names is not None else f"#{index}",
            float(strengths[index]),
            tuple(float(s) for s in shares[:, index]),
            basin_radius(settings.noises, shares[:, index]),
        )
        for index in range(cued)
    ]


def _cell(count: int, n: int, noise: float, sums: _Sums) -> BasinCell:
    recalls = sums.recalls
    return BasinCell(
        alpha=count / n,
        patterns=count,
        noise=noise,
        recalls=recalls,
        overlap=sums.overlap / recalls,
        exact=sums.exact / recalls,
        fixed=sums.fixed / recalls,
        cycled=sums.cycled / recalls,
        cut=sums.cut / recalls,
        steps=sums.steps / recalls,
    )


def memories_of_session(path: str) -> tuple[Memories, Rule]:
    """The memories of a saved session file and its rule; ``ModelError`` if it cannot be read."""
    from pathlib import Path

    from tui_hopfield.model.store import load

    session = load(path)
    rule = Rule.from_settings(session.rule, session.settings)
    memories = Memories(
        tuple(session.names),
        np.asarray(session.patterns, dtype=np.int8),
        np.asarray(session.strengths, dtype=np.float64),
        f"session {Path(path).name}",
    )
    return memories, rule

"""The phase diagram, measured: the retrieval overlap over load alpha and temperature T.

For each trial the sweep draws random patterns of N spins; the load alpha uses
the first P = alpha N of them (Hebb's rule, strengths 1). At every (alpha, T)
of the grid and from each of the first ``cues`` patterns it starts a network
on that pattern and runs asynchronous Glauber dynamics, exactly: spins are
visited one at a time in a fresh random order each sweep, and spin i becomes +1
with probability ``1 / (1 + exp(-2 h_i / T))``, ``h = W s`` with W's diagonal
zero (at T = 0 it follows its field; a zero field keeps it). After ``sweeps``
sweeps, the overlap ``m = xi . s / N`` with the pattern it started on,
averaged over the second half of the sweeps, is the point's measure; a point
averages it over its runs (cues times trials).

Every network of a trial runs at once: the states of all loads, temperatures
and cues are the rows of one array, and visiting spin i updates column i of
all of them with two small matrix products, so the cost is one Python step per
spin per sweep, whatever the size of the grid. The lines of theory are
``ags``'s: the retrieval line T_M(alpha), ending at alpha_c = 0.138, and the
spin-glass line T_g = 1 + sqrt(alpha).
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass

import numpy as np

from tui_hopfield.experiments.ags import (
    retrieval_line,
    retrieval_temperature,
    spin_glass_temperature,
    theory_phase,
    zero_temperature_capacity,
)
from tui_hopfield.experiments.checks import check_size
from tui_hopfield.experiments.progress import Progress, Stop, report, stopping
from tui_hopfield.experiments.rows import Row
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.noise import random_patterns

MIN_N, MAX_N = 16, 2048
"""The sizes a sweep accepts."""
MAX_ALPHA = 0.5
"""The largest load a sweep accepts."""
MAX_T = 3.0
"""The hottest temperature a sweep accepts."""
MAX_VALUES = 50
"""The most loads, and the most temperatures, one sweep takes."""
MAX_REPLICAS = 20_000
"""The most networks one trial runs at once (loads x temperatures x cues)."""
DEFAULT_ALPHAS = tuple(round(0.01 * k, 2) for k in range(1, 21))
"""0.01, 0.02, ... 0.20."""
DEFAULT_TEMPERATURES = tuple(round(0.1 * k, 1) for k in range(16))
"""0, 0.1, ... 1.5."""
RETRIEVED = 0.5
"""A run whose overlap is at least this counts as retrieving its pattern."""


def parse_grid(text: str, what: str, low: float, high: float) -> tuple[float, ...]:
    """Values written ``START:STOP:STEP`` (STOP included) or as a list ``0,0.5,1``.

    Each must lie in [``low``, ``high``]; raises ``ModelError`` saying what is wrong.
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
            f"{text!r} is not START:STOP:STEP (e.g. 0:1.5:0.1) or a list (0,0.5,1)"
        ) from None
    if len(values) > MAX_VALUES:
        raise ModelError(f"{text!r} gives {len(values)} {what}; {MAX_VALUES} at most")
    if not all(low <= value <= high for value in values):
        raise ModelError(f"{text!r}: every one of the {what} lies in [{low:g}, {high:g}]")
    return tuple(sorted(set(values)))


@dataclass(frozen=True)
class PhaseSettings:
    """What a phase sweep does; the constructor checks every value (``ModelError``)."""

    n: int = 500
    """Number of spins N."""
    alphas: tuple[float, ...] = DEFAULT_ALPHAS
    """The loads P / N (each rounds to a whole number of patterns, at least 1)."""
    temperatures: tuple[float, ...] = DEFAULT_TEMPERATURES
    """The temperatures T."""
    trials: int = 1
    """Independent sets of patterns."""
    cues: int = 4
    """Runs per point and trial, each started on a different pattern."""
    sweeps: int = 20
    """Asynchronous sweeps per run; the overlap is averaged over the second half."""
    seed: int | None = None
    """Seed of the patterns, visiting orders and Glauber's coins (None: a fresh one)."""

    def __post_init__(self) -> None:
        check_size(self.n, MIN_N, MAX_N)
        if not self.alphas or not self.temperatures:
            raise ModelError("give at least one load and one temperature")
        if not all(0 < alpha <= MAX_ALPHA for alpha in self.alphas):
            raise ModelError(f"a load alpha lies in (0, {MAX_ALPHA:g}]")
        if not all(0 <= t <= MAX_T for t in self.temperatures):
            raise ModelError(f"a temperature lies in [0, {MAX_T:g}]")
        if not 1 <= self.trials <= 1000:
            raise ModelError(f"trials are from 1 to 1000, not {self.trials}")
        if not 1 <= self.cues <= 64:
            raise ModelError(f"cues are from 1 to 64, not {self.cues}")
        if not 2 <= self.sweeps <= 10_000:
            raise ModelError(f"sweeps are from 2 to 10000, not {self.sweeps}")
        replicas = len(self.alphas) * len(self.temperatures) * self.cues
        if replicas > MAX_REPLICAS:
            raise ModelError(
                f"{replicas:,} networks at once (loads x temperatures x cues);"
                f" {MAX_REPLICAS:,} at most"
            )

    def patterns(self, alpha: float) -> int:
        """The number of patterns P at load ``alpha`` (at least 1)."""
        return max(1, round(alpha * self.n))

    def to_dict(self) -> dict[str, object]:
        """The settings as plain values, for JSON."""
        return {
            "n": self.n,
            "alphas": list(self.alphas),
            "temperatures": list(self.temperatures),
            "trials": self.trials,
            "cues": self.cues,
            "sweeps": self.sweeps,
            "seed": self.seed,
        }


@dataclass(frozen=True)
class PhasePoint(Row):
    """What was measured at one load and temperature."""

    alpha: float
    """The load P / N asked for."""
    patterns: int
    """The number of stored patterns P."""
    temperature: float
    """T."""
    runs: int
    """Runs averaged (cues times trials done)."""
    overlap: float
    """The mean overlap with the pattern each run started on."""
    retrieved: float
    """The share of runs whose overlap stayed at least ``RETRIEVED``."""
    theory: str
    """The phase AGS put here: ``retrieval``, ``spin glass`` or ``paramagnet``."""

    COLUMNS = ("alpha", "patterns", "temperature", "runs", "overlap", "retrieved", "theory")
    """The field names, in table and CSV order."""


@dataclass(frozen=True)
class PhaseResult:
    """A sweep's settings and what it measured."""

    settings: PhaseSettings
    """What was asked."""
    points: tuple[PhasePoint, ...]
    """One per (load, temperature), by load then temperature; none if no trial finished."""
    complete: bool
    """False when the sweep was stopped before the end."""
    seconds: float
    """Wall-clock time of the sweep."""

    def overlap(self, alpha: float, temperature: float) -> float:
        """The measured overlap at a point of the grid (KeyError if it was not measured)."""
        for point in self.points:
            if point.alpha == alpha and point.temperature == temperature:
                return point.overlap
        raise KeyError((alpha, temperature))

    def to_dict(self) -> dict[str, object]:
        """Everything as plain values, for JSON: the points and the lines of theory."""
        alphas = np.linspace(0.0, max(self.settings.alphas), 41)
        return {
            "experiment": "phase",
            "settings": self.settings.to_dict(),
            "complete": self.complete,
            "seconds": round(self.seconds, 3),
            "points": [asdict(point) for point in self.points],
            "theory": {
                "alpha_c": round(zero_temperature_capacity(), 5),
                "retrieval_line": [[round(a, 5), round(t, 5)] for a, t in retrieval_line()],
                "spin_glass_line": [
                    [round(float(a), 5), round(float(spin_glass_temperature(a)), 5)] for a in alphas
                ],
            },
        }


def run_phase(
    settings: PhaseSettings, progress: Progress | None = None, stop: Stop | None = None
) -> PhaseResult:
    """Measure the overlap over the grid of ``settings``; see the module's docstring."""
    started = time.perf_counter()
    rng = np.random.default_rng(settings.seed)
    keys = [(alpha, t) for alpha in settings.alphas for t in settings.temperatures]
    sums = np.zeros(len(keys))
    hits = np.zeros(len(keys))
    trials_done = 0
    total = settings.trials * settings.sweeps
    report(progress, 0, total)
    complete = False
    try:
        for trial in range(settings.trials):
            overlaps = _trial(settings, rng, progress, stop, trial * settings.sweeps, total)
            sums += overlaps.sum(axis=1)
            hits += (overlaps >= RETRIEVED).sum(axis=1)
            trials_done += 1
        complete = True
    except KeyboardInterrupt:
        pass
    points: tuple[PhasePoint, ...] = ()
    if trials_done:
        runs = trials_done * settings.cues
        points = tuple(
            PhasePoint(
                alpha,
                settings.patterns(alpha),
                t,
                runs,
                float(sums[k] / runs),
                float(hits[k] / runs),
                theory_phase(alpha, t),
            )
            for k, (alpha, t) in enumerate(keys)
        )
    return PhaseResult(settings, points, complete, time.perf_counter() - started)


def _trial(
    settings: PhaseSettings,
    rng: np.random.Generator,
    progress: Progress | None,
    stop: Stop | None,
    done: int,
    total: int,
) -> np.ndarray:
    """One set of patterns: every network's mean overlap, (loads x temperatures, cues)."""
    n = settings.n
    counts = np.array([settings.patterns(alpha) for alpha in settings.alphas])
    largest = int(counts.max())
    xi = random_patterns(max(largest, settings.cues), n, rng).astype(np.float32)
    cues = settings.cues
    temps = np.array(settings.temperatures, dtype=np.float64)
    loads, heat = len(counts), len(temps)
    # One row per network: load-major, then temperature, then cue.
    load_of = np.repeat(np.arange(loads), heat * cues)
    temperature = np.tile(np.repeat(temps, cues), loads)
    start = np.tile(np.arange(cues), loads * heat)
    # A network at load alpha holds only the first P patterns: the others are masked.
    mask = (np.arange(largest)[None, :] < counts[load_of][:, None]).astype(np.float32)
    columns = np.ascontiguousarray(xi[:largest].T)  # (N, P): spin i's entries together
    # A cue beyond P (more cues than patterns) starts on a pattern the network did not
    # store: the overlap is measured with it all the same (it falls to noise).
    own = xi[start]  # (B, N): the pattern each run started on, for its overlap
    states = own.copy()
    dots = (states @ xi[:largest].T) * mask  # (B, P): xi . s for the patterns it holds
    self_coupling = (counts[load_of] / n).astype(np.float32)  # W_ii = P / N, removed
    cold = temperature == 0
    # -2 / T, and -inf at T = 0, where a spin follows its field.
    slope = np.where(cold, -np.inf, -2.0 / np.where(cold, 1.0, temperature)).astype(np.float32)
    measured = np.zeros(len(states))
    kept = 0
    for sweep in range(settings.sweeps):
        if stopping(stop):
            raise KeyboardInterrupt
        coins = rng.random((n, len(states)), dtype=np.float32)
        for i in rng.permutation(n).tolist():
            column = columns[i]
            old = states[:, i]
            field = dots @ column / n - self_coupling * old
            with np.errstate(invalid="ignore"):
                # Clipped: exp(+-30) is as good as 0 or infinity here, and no subnormal
                # result slows the exponential down. 0 * inf (a zero field at T = 0) is
                # NaN: the spin keeps its value.
                exponent = np.clip(slope * field, -30.0, 30.0)
            up = 1.0 / (1.0 + np.exp(exponent))
            ties = np.isnan(up)
            if ties.any():
                up[ties] = (old[ties] + 1) / 2
            change = np.where(coins[i] < up, np.float32(1), np.float32(-1)) - old
            moved = np.flatnonzero(change)
            if len(moved):
                dots[moved] += (change[moved, None] * column) * mask[moved]
                states[moved, i] += change[moved]
        if sweep >= settings.sweeps // 2:
            measured += np.einsum("bn,bn->b", states, own) / n
            kept += 1
        report(progress, done + sweep + 1, total)
    return (measured / kept).reshape(loads * heat, cues)


def describe_here(alpha: float, temperature: float) -> str:
    """Where (alpha, T) lies by AGS's lines, in words: the Lab's "you are here"."""
    phase = theory_phase(alpha, temperature)
    limit = retrieval_temperature(alpha)
    where = f"alpha = {alpha:.3f}, T = {temperature:.2f}: {phase}"
    if math.isnan(limit):
        return f"{where} (past alpha_c = {zero_temperature_capacity():.3f})"
    return f"{where} (retrieval up to T_M = {limit:.2f} at this load)"

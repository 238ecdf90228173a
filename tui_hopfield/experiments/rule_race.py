"""A rule race in numbers: the same cues recalled by two or more learning rules.

The app's race screen (``model.race``) runs one cue through a few rules and
shows it; this is its statistical version. For each trial the race draws P =
alpha N random patterns and, for each noise level, a cue of each of the first
``probes`` patterns with that fraction of its spins flipped; then every rule
learns the same patterns and recalls from the very same cues
(``recall.recall_cues``), its visiting orders drawn from a generator seeded
alike for every rule, as the race screen's racers are. Per rule and noise it
reports the mean final overlap, the share exact (a fixed point equal to the
pattern), the shares of fixed points, 2-cycles and runs cut off, the mean
steps (sweeps, async) and the spins changed from the cue to the end.

A unit of progress is one (trial, rule); stop keeps every trial all of whose
rules are done, so that the rules are always compared on the same cues.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from tui_hopfield.experiments.basins import DEFAULT_NOISES, MAX_N, MIN_N
from tui_hopfield.experiments.capacity import MAX_ALPHA, flipped_cues
from tui_hopfield.experiments.checks import check_size
from tui_hopfield.experiments.progress import Progress, Stop, report, stopping
from tui_hopfield.experiments.recall import MODES, Recalled, dynamics_label, recall_cues
from tui_hopfield.experiments.rows import Row
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.patterns import random_patterns
from tui_hopfield.model.rules import RULE_NAMES, Rule, parse_degree

__all__ = ["DEFAULT_NOISES", "RaceResult", "RaceRow", "RaceSettings", "parse_rules", "run_race"]

DEFAULT_RULES = ("hebbian", "storkey", "pseudo-inverse")
"""The rules raced by default."""
MAX_RULES = len(RULE_NAMES) + 4
"""The most rules one race takes (a rule may come twice, with other settings)."""

Recaller = Callable[..., Recalled]
"""Called as ``recall.recall_cues`` is."""


def parse_rules(text: str, degree: int | None = 3, beta: float = 40.0) -> tuple[Rule, ...]:
    """Rules named ``hebbian,storkey,dense``; each may carry its setting: ``dense:exp``,
    ``dense:4``, ``modern:20``. ``degree`` and ``beta`` are the defaults."""
    rules = []
    for part in (p.strip() for p in text.split(",")):
        name, _, setting = part.partition(":")
        if name not in RULE_NAMES:
            raise ModelError(
                f"unknown learning rule {name!r}; the rules are {', '.join(RULE_NAMES)}"
            )
        rule_degree, rule_beta = degree, beta
        if setting and name == "dense":
            rule_degree = parse_degree(setting)
        elif setting and name == "modern":
            try:
                rule_beta = float(setting)
            except ValueError:
                raise ModelError(f"modern:{setting}: beta must be a number") from None
        elif setting:
            raise ModelError(f"{part!r}: only dense (a degree) and modern (a beta) take a setting")
        rules.append(Rule(name, rule_degree, rule_beta))
    if not 2 <= len(rules) <= MAX_RULES:
        raise ModelError(f"a race has 2 to {MAX_RULES} rules, not {len(rules)}")
    return tuple(rules)


@dataclass(frozen=True)
class RaceSettings:
    """What a race does; the constructor checks every value (``ModelError``)."""

    rules: tuple[Rule, ...] = field(default_factory=lambda: tuple(Rule(r) for r in DEFAULT_RULES))
    """The rules raced, in order."""
    n: int = 256
    """Number of spins N."""
    alpha: float = 0.1
    """The load P / N."""
    noises: tuple[float, ...] = (0.1, 0.2, 0.3, 0.4)
    """The fractions of a cue's spins flipped, ascending."""
    probes: int = 32
    """Patterns cued per trial and noise level (at most P)."""
    trials: int = 5
    """Independent sets of patterns and cues."""
    seed: int | None = None
    """Seed of the patterns, the cues and the visiting orders (None: a fresh one)."""
    mode: str = "async"
    """``async`` (exact asynchronous) or ``sync``; the modern rule always its own update."""
    max_steps: int = 50
    """Sweeps (async) or steps (sync) per recall at most."""

    def __post_init__(self) -> None:
        if not 2 <= len(self.rules) <= MAX_RULES:
            raise ModelError(f"a race has 2 to {MAX_RULES} rules, not {len(self.rules)}")
        if len({rule.label for rule in self.rules}) != len(self.rules):
            raise ModelError("every rule of a race comes once (with its settings)")
        check_size(self.n, MIN_N, MAX_N)
        if not 0 < self.alpha <= MAX_ALPHA:
            raise ModelError(f"the load alpha lies in (0, {MAX_ALPHA:g}], not {self.alpha:g}")
        if not self.noises or list(self.noises) != sorted(set(self.noises)):
            raise ModelError("give noise levels, ascending, without repeats")
        if not all(0.0 <= f <= 0.5 for f in self.noises):
            raise ModelError("every noise level (fraction flipped) lies in [0, 0.5]")
        if not 1 <= self.probes <= 1000:
            raise ModelError(f"patterns cued are from 1 to 1000, not {self.probes}")
        if not 1 <= self.trials <= 1000:
            raise ModelError(f"trials are from 1 to 1000, not {self.trials}")
        if self.mode not in MODES:
            raise ModelError(f"the update mode is async or sync, not {self.mode!r}")
        if not 1 <= self.max_steps <= 1000:
            raise ModelError(f"steps per recall are from 1 to 1000, not {self.max_steps}")
        for rule in self.rules:
            rule.check_size(self.n)

    @property
    def patterns(self) -> int:
        """The number of stored patterns P."""
        return max(1, round(self.alpha * self.n))

    def to_dict(self) -> dict[str, object]:
        """The settings as plain values, for JSON."""
        return {
            "rules": [{"rule": rule.name, **rule.settings()} for rule in self.rules],
            "n": self.n,
            "alpha": self.alpha,
            "patterns": self.patterns,
            "noises": list(self.noises),
            "probes": self.probes,
            "trials": self.trials,
            "seed": self.seed,
            "mode": self.mode,
            "dynamics": {rule.label: dynamics_label(rule, self.mode) for rule in self.rules},
            "max_steps": self.max_steps,
        }


@dataclass(frozen=True)
class RaceRow(Row):
    """One rule at one noise level, over every trial done."""

    rule: str
    """The rule's label (``dense n=3``)."""
    noise: float
    recalls: int
    overlap: float
    """Mean final overlap with the cued pattern."""
    exact: float
    """Share ended at a fixed point equal to the pattern."""
    fixed: float
    """Share ended at a fixed point (any)."""
    cycled: float
    """Share ended in a 2-cycle."""
    cut: float
    """Share cut off by the step cap."""
    steps: float
    """Mean sweeps (async) or steps (sync)."""
    changed: float
    """Mean spins that differ between the cue and the end."""

    COLUMNS = (
        "rule",
        "noise",
        "recalls",
        "overlap",
        "exact",
        "fixed",
        "cycled",
        "cut",
        "steps",
        "changed",
    )
    """The field names, in table and CSV order."""


@dataclass(frozen=True)
class RaceResult:
    """A race's settings and what it measured."""

    settings: RaceSettings
    rows: tuple[RaceRow, ...]
    """Per rule (in order), per noise level."""
    trials: int
    """Trials done (every rule on each)."""
    complete: bool
    seconds: float

    def rows_of(self, label: str) -> tuple[RaceRow, ...]:
        """The rows of one rule, by noise."""
        return tuple(row for row in self.rows if row.rule == label)

    def to_dict(self) -> dict[str, object]:
        """Everything as plain values, for JSON."""
        return {
            "experiment": "rule-race",
            "settings": self.settings.to_dict(),
            "trials_done": self.trials,
            "complete": self.complete,
            "seconds": round(self.seconds, 3),
            "rows": [dict(zip(RaceRow.COLUMNS, row.values(), strict=True)) for row in self.rows],
        }


def race_cues(
    settings: RaceSettings, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, int]:
    """One trial's patterns (P, N), its cues (levels x cued, N) and the seed of its orders."""
    patterns = random_patterns(settings.patterns, settings.n, rng)
    cued = patterns[: min(settings.patterns, settings.probes)]
    cues = np.concatenate([flipped_cues(cued, f, rng) for f in settings.noises])
    return patterns, cues, int(rng.integers(2**63))


class _Stopped(Exception):
    """``stop`` asked to end the race."""


def run_race(
    settings: RaceSettings,
    progress: Progress | None = None,
    stop: Stop | None = None,
    recaller: Recaller = recall_cues,
) -> RaceResult:
    """Race the rules of ``settings``; see the module's docstring."""
    started = time.perf_counter()
    rng = np.random.default_rng(settings.seed)
    rules = settings.rules
    levels = len(settings.noises)
    # Per rule and level: recalls, overlap, exact, fixed, cycled, cut, steps, changed.
    sums = np.zeros((len(rules), levels, 8))
    total = settings.trials * len(rules)
    done = trials = 0
    complete = False
    report(progress, done, total)
    try:
        for _ in range(settings.trials):
            patterns, cues, order_seed = race_cues(settings, rng)
            cued = len(cues) // levels
            expected = np.tile(patterns[:cued], (levels, 1))
            trial = np.zeros_like(sums)
            for number, rule in enumerate(rules):
                if stopping(stop):
                    raise _Stopped
                landscape = rule.learn(patterns, np.ones(len(patterns)))
                recalled = recaller(
                    landscape,
                    rule,
                    cues,
                    settings.mode,
                    np.random.default_rng(order_seed),
                    settings.max_steps,
                )
                dots = np.einsum("bi,bi->b", recalled.states, expected, dtype=np.int32)
                changed = np.count_nonzero(recalled.states != cues, axis=1)
                columns = np.stack(
                    [
                        np.ones(len(cues)),
                        dots / settings.n,
                        (dots == settings.n) & recalled.fixed,
                        recalled.fixed,
                        recalled.cycled,
                        recalled.cut,
                        recalled.steps,
                        changed,
                    ],
                    axis=1,
                )
                trial[number] = columns.reshape(levels, cued, 8).sum(axis=1)
                done += 1
                report(progress, done, total)
            sums += trial
            trials += 1
        complete = True
    except (KeyboardInterrupt, _Stopped):
        pass
    rows = []
    for number, rule in enumerate(rules):
        for level, noise in enumerate(settings.noises):
            recalls, *rest = sums[number, level]
            if not recalls:
                continue
            means = [float(value / recalls) for value in rest]
            rows.append(RaceRow(rule.label, noise, int(recalls), *means))
    return RaceResult(settings, tuple(rows), trials, complete, time.perf_counter() - started)

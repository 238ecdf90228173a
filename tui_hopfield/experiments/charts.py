"""The experiments' charts: what the command line prints and the Lab screen shows."""

from __future__ import annotations

import itertools
import math

from tui_hopfield.experiments.capacity import CapacityResult
from tui_hopfield.experiments.chains import ChainResult
from tui_hopfield.experiments.plots import Chart
from tui_hopfield.experiments.reinforce import ReinforceResult
from tui_hopfield.model.network import CAPACITY


def capacity_chart(result: CapacityResult) -> Chart:
    """Overlaps and exact recalls against the load alpha."""
    settings = result.settings
    trials = f"{settings.trials} trial{'' if settings.trials == 1 else 's'}"
    title = (
        f"overlap after recall: {settings.rule.label}, N = {settings.n}, {trials},"
        f" cues {settings.flip:.0%} flipped"
    )
    points = result.points
    xs = [p.alpha for p in points]
    lowest = min([0.0, *(p.overlap_stored for p in points), *(p.overlap_cued for p in points)])
    references = ((CAPACITY, f"alpha_c = {CAPACITY}"),) if _classic(result) else ()
    references += paper_lines(result)
    log = bool(xs) and max(xs) > 1.0 and max(xs) / min(xs) >= 10
    chart = Chart(
        f"{title}, log alpha axis" if log else title,
        y_range=(lowest, 1.0),
        x_label="alpha = P/N (log)" if log else "alpha = P/N",
        references=references,
        x_log=log,
    )
    chart.add("from the pattern", xs, [p.overlap_stored for p in points], "o")
    chart.add("from a cue", xs, [p.overlap_cued for p in points], "+")
    chart.add("share exact (cue)", xs, [p.perfect_cued for p in points], "x")
    if len(xs) > 1:
        chart.add("share exact (pattern)", xs, [p.perfect_stored for p in points], "*")
    return chart


def double_factorial(k: int) -> int:
    """k!! = k (k - 2) (k - 4) ... down to 1 or 2 (1 for k <= 0)."""
    return math.prod(range(k, 0, -2))


def krotov_hopfield_capacity(n: int, degree: int) -> float:
    """Krotov & Hopfield (2016, NeurIPS): ``P_max = N^(n-1) / (2 (2n-3)!! ln N)``.

    Their estimate of how many random patterns a dense memory of degree n
    stores without errors (every stored pattern a fixed point, large N).
    """
    return n ** (degree - 1) / (2 * double_factorial(2 * degree - 3) * math.log(n))


def demircigil_capacity(n: int) -> float:
    """Demircigil et al. (2017, J. Stat. Phys. 168): ``exp(alpha N)`` patterns, alpha < ln(2) / 2.

    With ``F(x) = exp(x)`` and ``M = exp(alpha N)`` random patterns, alpha < ln 2 / 2,
    every pattern is a fixed point with probability tending to 1: the line drawn is
    the bound ``exp(N ln 2 / 2) = 2^(N/2)`` (a sufficient load, not where half fail).
    """
    return math.exp(n * math.log(2) / 2)


def measured_capacity(result: CapacityResult) -> float | None:
    """The load where the share of stored patterns that stay fixed falls through 1/2.

    Interpolated between the two loads around it (geometrically past N); None
    when no two measured loads bracket it.
    """
    points = result.points
    for low, high in itertools.pairwise(points):
        a, b = low.perfect_stored, high.perfect_stored
        if a >= 0.5 > b:
            t = (a - 0.5) / (a - b)
            if low.alpha > 0 and high.alpha > 1:
                return low.alpha * (high.alpha / low.alpha) ** t
            return low.alpha + t * (high.alpha - low.alpha)
    return None


def paper_lines(result: CapacityResult) -> tuple[tuple[float, str], ...]:
    """The papers' capacities of dense memories and the measured one, as loads alpha."""
    settings = result.settings
    rule, n = settings.rule, settings.n
    if rule.name != "dense" or rule.degree == 2:
        return ()
    if rule.degree is None:
        line = (demircigil_capacity(n) / n, "Demircigil 2017: 2^(N/2)")
    else:
        k = 2 * rule.degree - 3
        line = (
            krotov_hopfield_capacity(n, rule.degree) / n,
            f"Krotov-Hopfield 2016: N^{rule.degree - 1}/(2*{k}!! ln N)",
        )
    lines = [line]
    measured = measured_capacity(result)
    if measured is not None:
        lines.append((measured, f"measured: half fixed at alpha = {measured:.3g}"))
    return tuple(lines)


def chain_chart(result: ChainResult) -> Chart:
    """The share of whole rings recalled against lambda, one series per load."""
    settings = result.settings
    trials = f"{settings.trials} trial{'' if settings.trials == 1 else 's'}"
    title = f"ring 0 -> 1 -> 2 -> 0 recalled: N = {settings.n}, {trials}, hop factor" + (
        f" {settings.hop_factor:g}"
    )
    chart = Chart(title, y_range=(0.0, 1.0), x_label="lambda (link strength)")
    for alpha in settings.alphas:
        points = [p for p in result.points if p.alpha == alpha]
        if points:
            chart.add(
                f"alpha {alpha:g} (P = {points[0].patterns})",
                [p.strength for p in points],
                [p.ring for p in points],
            )
    return chart


def _classic(result: CapacityResult) -> bool:
    """Whether the classic capacity line belongs on the chart (Hebb's rule)."""
    rule = result.settings.rule
    return rule.name == "hebbian" or (rule.name == "dense" and rule.degree == 2)


def similarity_chart(result: ReinforceResult, scene: str) -> Chart:
    """One scene's similarity of the recall to the old and to the new memory, by round."""
    probes = result.probes_of(scene)
    rounds = [p.round for p in probes]
    summary = next((s for s in result.summaries if s.scene == scene), None)
    turning = summary.turning_point if summary else None
    references = ((float(turning), f"turning point, round {turning}"),) if turning else ()
    lowest = min([p.similarity_old for p in probes] + [p.similarity_new for p in probes] + [0.5])
    chart = Chart(
        f"{scene}: similarity of the recall",
        y_range=(math.floor(lowest * 4) / 4, 1.0),  # ticks on quarters
        x_label="round",
        references=references,
    )
    chart.add("old", rounds, [p.similarity_old for p in probes], "o")
    chart.add("new", rounds, [p.similarity_new for p in probes], "+")
    return chart


def energy_chart(result: ReinforceResult, scene: str) -> Chart:
    """One scene's two valley energies by round."""
    probes = result.probes_of(scene)
    rounds = [p.round for p in probes]
    chart = Chart(f"{scene}: energy of the valleys", x_label="round")
    chart.add("old", rounds, [p.energy_old for p in probes], "o")
    chart.add("new", rounds, [p.energy_new for p in probes], "+")
    return chart

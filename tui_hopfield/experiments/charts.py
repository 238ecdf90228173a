"""The experiments' charts: what the command line prints and the Lab screen shows."""

from __future__ import annotations

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
    references = ((CAPACITY, f"{CAPACITY} N"),) if _classic(result) else ()
    chart = Chart(title, y_range=(lowest, 1.0), x_label="alpha = P/N", references=references)
    chart.add("from the pattern", xs, [p.overlap_stored for p in points], "o")
    chart.add("from a cue", xs, [p.overlap_cued for p in points], "+")
    chart.add("share exact (cue)", xs, [p.perfect_cued for p in points], "x")
    return chart


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

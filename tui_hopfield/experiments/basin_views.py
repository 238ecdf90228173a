"""The basin maps' and the rule race's tables, CSV, character plots and PNG panels."""

from __future__ import annotations

import math

from tui_hopfield.experiments.basins import BasinCell, BasinResult, PatternRadius, RadiusSummary
from tui_hopfield.experiments.heatmap import HeatMap
from tui_hopfield.experiments.plots import Chart
from tui_hopfield.experiments.png import HeatPanel, LinePanel, heatmap_png, lines_png
from tui_hopfield.experiments.rule_race import RaceResult, RaceRow
from tui_hopfield.experiments.tables import Table, _csv, cell

BASINS_NOTE = (
    "exact: the share of recalls that ended at a fixed point equal to the cued pattern;\n"
    "m: the mean final overlap; radius: the largest noise up to which at least half of a\n"
    "pattern's cues recall it exactly, at every level of the grid (-: not even at the first)."
)
"""What the basin tables mean."""
RACE_NOTE = (
    "m: mean final overlap; exact: ended at a fixed point equal to the pattern;\n"
    "fixed, 2-cycle, cut: how the runs ended; steps: sweeps (async) or steps (sync, modern);\n"
    "changed: spins that differ between the cue and the end. Every rule recalled the same cues."
)
"""What the race table's columns mean."""


def _alpha(alpha: float) -> str:
    return f"{alpha:.3f}"


def _matrix(result: BasinResult, what: str) -> list[list[float]]:
    """``what`` of each cell, rows by noise and columns by load (NaN: not measured)."""
    out = []
    for noise in result.settings.noises:
        row = []
        for alpha in result.loads:
            found = result.cell(alpha, noise)
            row.append(getattr(found, what) if found else math.nan)
        out.append(row)
    return out


def basins_matrix_table(result: BasinResult, what: str = "exact") -> Table:
    """One row per noise level, one column per load: the share exact (or the overlap)."""
    headers = ("noise", *(f"a={_alpha(a)}" for a in result.loads))
    rows = [
        (f"{noise:.2f}", *(cell(v, 2) for v in values))
        for noise, values in zip(result.settings.noises, _matrix(result, what), strict=True)
    ]
    return headers, rows


RADIUS_HEADERS = ("alpha", "P", "cued", "radius mean", "min", "median", "max", "none")
"""The radius summary's headers, one per ``RadiusSummary.COLUMNS``."""


def radius_table(result: BasinResult) -> Table:
    """The basin radii per load."""
    rows = [tuple(cell(v, 3) for v in s.values()) for s in result.summaries()]
    return RADIUS_HEADERS, rows


def pictures_table(result: BasinResult) -> Table:
    """Each memory (or pattern cued at the largest load): strength, radius, share exact by level."""
    noises = result.settings.noises
    headers = ("picture", "strength", "radius", *(f"{f:.2f}" for f in noises))
    rows = [
        (p.name, cell(p.strength, 1), cell(p.radius, 2), *(cell(s, 2) for s in p.shares))
        for p in result.pictures()
    ]
    return headers, rows


def basins_csv(result: BasinResult) -> str:
    """Every cell as CSV, full precision."""
    return _csv(BasinCell.COLUMNS, [c.values() for c in result.cells])


def radii_csv(result: BasinResult) -> str:
    """Every cued pattern's radius as CSV (trial, load, index, name, strength, radius, shares)."""
    noises = result.settings.noises
    columns = (
        "trial",
        "alpha",
        "index",
        "name",
        "strength",
        "radius",
        *(f"exact_{f:g}" for f in noises),
    )
    rows = [_radius_row(r) for r in result.radii]
    return _csv(columns, rows)


def _radius_row(r: PatternRadius) -> tuple[object, ...]:
    radius = "" if r.radius is None else r.radius
    return (r.trial, r.alpha, r.index, r.name, r.strength, radius, *r.shares)


def basins_title(result: BasinResult) -> str:
    """What was measured, in one line."""
    s = result.settings
    trials = f"{s.trials} trial{'' if s.trials == 1 else 's'}"
    source = s.memories.source if s.memories is not None else f"random, {trials}"
    return f"{s.rule.label}, N = {s.n}, {source}, {s.mode}"


def basins_heatmap(result: BasinResult, what: str = "exact") -> HeatMap:
    """The share exact (or the mean overlap, clipped at 0) as a text heat map: noise by load."""
    values = _matrix(result, what)
    if what == "overlap":
        values = [[max(0.0, v) if math.isfinite(v) else v for v in row] for row in values]
    name = "share exact" if what == "exact" else "overlap m"
    return HeatMap(
        f"{name}: {result.settings.rule.label}, N = {result.settings.n}",
        [f"{a:.2f}" for a in result.loads],
        [f"{f:.2f}" for f in result.settings.noises],
        values,
        corner="noise\\a",
        what=name,
    )


def basins_png(result: BasinResult):
    """The two heat maps (share exact, overlap) as one PNG image."""
    columns = [f"{a:.2f}" for a in result.loads]
    rows = [f"{f:.2f}" for f in result.settings.noises]
    panels = [
        HeatPanel(
            f"{name}: {basins_title(result)}",
            columns,
            rows,
            [
                [max(0.0, v) if math.isfinite(v) else v for v in row]
                for row in _matrix(result, what)
            ],
            x_label="load alpha = P/N",
            y_label="noise (fraction flipped)",
        )
        for what, name in (("exact", "share exact"), ("overlap", "overlap m"))
    ]
    return heatmap_png(panels)


# -- the rule race --------------------------------------------------------------------------

RACE_HEADERS = (
    "rule",
    "noise",
    "recalls",
    "m",
    "exact",
    "fixed",
    "2-cycle",
    "cut",
    "steps",
    "changed",
)
"""The race table's headers, one per ``RaceRow.COLUMNS``."""


def race_table(result: RaceResult) -> Table:
    """One row per rule and noise level."""
    rows = []
    for row in result.rows:
        values = row.values()
        rows.append(
            (
                values[0],
                cell(values[1], 2),
                str(values[2]),
                *(cell(v, 3) for v in values[3:8]),
                *(cell(v, 1) for v in values[8:]),
            )
        )
    return RACE_HEADERS, rows


def race_csv(result: RaceResult) -> str:
    """The race's rows as CSV, full precision."""
    return _csv(RaceRow.COLUMNS, [row.values() for row in result.rows])


def _race_title(result: RaceResult, what: str) -> str:
    s = result.settings
    return f"{what}: N = {s.n}, P = {s.patterns}, {s.mode}"


def race_chart(result: RaceResult, what: str = "exact") -> Chart:
    """``what`` (``exact`` or ``overlap``) against the cue's noise, one series per rule."""
    name = "share exact" if what == "exact" else "overlap m"
    chart = Chart(_race_title(result, name), y_range=(0.0, 1.0), x_label="noise")
    for rule in result.settings.rules:
        rows = result.rows_of(rule.label)
        if rows:
            chart.add(
                rule.label, [r.noise for r in rows], [max(0.0, getattr(r, what)) for r in rows]
            )
    return chart


def race_png(result: RaceResult):
    """Share exact and overlap against the noise, per rule, as one PNG image."""
    panels = []
    for what, name in (("exact", "share exact"), ("overlap", "overlap m")):
        series = []
        for rule in result.settings.rules:
            rows = result.rows_of(rule.label)
            series.append(
                (rule.label, [r.noise for r in rows], [max(0.0, getattr(r, what)) for r in rows])
            )
        panels.append(LinePanel(_race_title(result, name), series, "noise (fraction flipped)"))
    return lines_png(panels)


__all__ = [
    "BASINS_NOTE",
    "RACE_NOTE",
    "RadiusSummary",
    "basins_csv",
    "basins_heatmap",
    "basins_matrix_table",
    "basins_png",
    "pictures_table",
    "race_chart",
    "race_csv",
    "race_png",
    "race_table",
    "radii_csv",
    "radius_table",
]

"""The experiments' results as tables, CSV and JSON.

A table is a list of column headers and rows of plain values; ``format_table``
lines it up for the terminal, ``write_csv`` and ``write_json`` save results
atomically (``model.files.write_atomically``).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from pathlib import Path

from tui_hopfield.experiments.capacity import CapacityPoint, CapacityResult
from tui_hopfield.experiments.chains import ChainPoint, ChainResult
from tui_hopfield.experiments.reinforce import Probe, ReinforceResult
from tui_hopfield.model.files import write_atomically

Table = tuple[tuple[str, ...], list[tuple[str, ...]]]
"""Column headers and rows of text."""

CAPACITY_HEADERS = (
    "alpha",
    "P",
    "trials",
    "m pattern",
    "m cue",
    "exact pattern",
    "exact cue",
    "fixed",
    "2-cycle",
    "cut off",
)
"""The capacity table's headers, one per ``CapacityPoint.COLUMNS``."""
CAPACITY_NOTE = (
    "{mode} recall. m: mean overlap after recall from each stored pattern / from a cue with"
    " {flip:.0%} flipped;\nexact: the share of those recalls that end at a fixed point equal"
    " to the pattern;\nfixed / 2-cycle / cut off: how the cued recalls ended (at a fixed point,"
    " in a 2-cycle, at the cap of {steps} {unit})."
)
"""What the capacity table's columns mean (``capacity_note`` formats it)."""


def capacity_note(result: CapacityResult) -> str:
    """``CAPACITY_NOTE`` for the settings of ``result``."""
    settings = result.settings
    if settings.rule.continuous:
        mode, unit = "Continuous (the modern update)", "steps"
    elif settings.mode == "async":
        mode, unit = "Asynchronous (random sequential order, T = 0)", "sweeps"
    else:
        mode, unit = "Synchronous (every spin at once, T = 0)", "steps"
    return CAPACITY_NOTE.format(flip=settings.flip, mode=mode, steps=settings.max_steps, unit=unit)


REINFORCE_HEADERS = (
    "scene",
    "lived",
    "turned at",  # the turning point: the first round the new companion won; "(tie)"
    "settled",  # when it came at equal strength (the noisy cue decided)
    "stays",
    "won last",  # who won the last probe
    "E old",
    "E new",
)
"""The reinforce table's headers, one per ``REINFORCE_COLUMNS``."""
REINFORCE_COLUMNS = (
    "scene",
    "reinforcements",
    "turning_point",
    "settled",
    "stays",
    "winner",
    "energy_old",
    "energy_new",
)
"""The ``SceneSummary`` fields the table shows (the leaks and reversals are in ``tie_note``)."""


def cell(value: object, decimals: int = 3) -> str:
    """One value as table text: floats with ``decimals``, None as ``-``, bools as yes/no."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:.{decimals}f}"
    return str(value)


def capacity_table(result: CapacityResult) -> Table:
    """One row per load."""
    rows = [tuple(cell(value) for value in point.values()) for point in result.points]
    return CAPACITY_HEADERS, rows


CHAIN_HEADERS = ("alpha", "P", "lambda", "trials", "first hop", "whole ring")
"""The chain table's headers, one per ``ChainPoint.COLUMNS``."""
CHAIN_NOTE = (
    "first hop: the share of recalls from pattern 0 ({flip:.0%} flipped) that settled in it and"
    " hopped on to 1;\nwhole ring: the share that went 0, 1, 2, 0 in order."
)
"""What the chain table's columns mean (``format`` it with the flip fraction)."""


def chain_table(result: ChainResult) -> Table:
    """One row per load and lambda."""
    rows = [tuple(cell(value, 2) for value in point.values()) for point in result.points]
    return CHAIN_HEADERS, rows


def chain_csv(result: ChainResult) -> str:
    """The sweep's points as CSV, full precision."""
    return _csv(ChainPoint.COLUMNS, [point.values() for point in result.points])


def reinforce_table(result: ReinforceResult) -> Table:
    """One row per scene: how its story ended."""
    rows = []
    for summary in result.summaries:
        texts = [cell(getattr(summary, name), 1) for name in REINFORCE_COLUMNS]
        if summary.turned_at_tie:
            texts[REINFORCE_COLUMNS.index("turning_point")] += " (tie)"
        rows.append(tuple(texts))
    return REINFORCE_HEADERS, rows


def format_table(table: Table) -> str:
    """The table lined up in columns: text to the left, numbers to the right."""
    headers, rows = table
    widths = [max(len(text) for text in column) for column in zip(headers, *rows, strict=True)]
    numeric = [all(_is_number(row[k]) for row in rows) and bool(rows) for k in range(len(headers))]

    def line(texts: Sequence[str]) -> str:
        parts = [
            text.rjust(width) if right else text.ljust(width)
            for text, width, right in zip(texts, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def _is_number(text: str) -> bool:
    if text == "-":
        return True
    try:
        float(text)
    except ValueError:
        return False
    return True


def capacity_csv(result: CapacityResult) -> str:
    """The sweep's points as CSV, full precision."""
    return _csv(CapacityPoint.COLUMNS, [point.values() for point in result.points])


def reinforce_csv(result: ReinforceResult) -> str:
    """Every probe (round and scene) as CSV, full precision."""
    return _csv(Probe.COLUMNS, [probe.values() for probe in result.probes])


def _csv(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; ``ModelError`` on failure.

    A missing folder is refused ("no such folder"), never made: a typo in a path
    typed on the command line must not leave folders behind.
    """
    return write_atomically(
        path, lambda stream: stream.write(text.encode("utf-8")), make_folders=False
    )


def json_text(result: CapacityResult | ReinforceResult | ChainResult) -> str:
    """The result as indented JSON."""
    return json.dumps(result.to_dict(), indent=2) + "\n"

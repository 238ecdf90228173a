"""Heat maps drawn with characters: a value in [0, 1] per (column, row) as a shade.

A ``HeatMap`` draws, like a ``plots.Chart``, into a ``plots.Drawing``: a
title, the column labels, one line per row (its label, then a block of shade
characters per cell: ``·`` below 0.2, then ``░ ▒ ▓ █`` by fifths), and a
legend. Cells are owned by series 0 when their value is at least one half
and by series 1 below, so the Lab colours them with the theme's plot colours
(``$plot-first``, ``$plot-second``) while the shades stay readable without colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from tui_hopfield.experiments.plots import AXIS, NOBODY, Drawing

SHADES = ("\u00b7", "\u2591", "\u2592", "\u2593", "\u2588")
"""The cells' characters from the lowest fifth to the highest."""
MISSING = " "
"""A cell not measured (NaN)."""


def shade(value: float) -> str:
    """The character of a value in [0, 1] (clipped); ``MISSING`` for NaN."""
    if not math.isfinite(value):
        return MISSING
    return SHADES[min(len(SHADES) - 1, max(0, int(value * len(SHADES))))]


@dataclass
class HeatMap:
    """Values in [0, 1] on a grid of labelled columns and rows."""

    title: str
    """The first line."""
    columns: Sequence[str]
    """The columns' labels (left to right)."""
    rows: Sequence[str]
    """The rows' labels (top to bottom)."""
    values: Sequence[Sequence[float]]
    """``values[row][column]``; NaN is a cell not measured."""
    corner: str = ""
    """Above the rows' labels: what they are (``noise``)."""
    what: str = "value"
    """What the shades are, for the legend (``share exact``)."""

    def draw(self, width: int = 72, height: int = 16) -> Drawing:
        """Lay the map out in ``width`` x ``height`` characters (rows that do not fit are cut)."""
        label_width = max([len(self.corner), *(len(r) for r in self.rows)]) + 1
        count = max(1, len(self.columns))
        cell = max(1, min(8, (width - label_width) // count))
        lines: list[tuple[str, list[int]]] = []

        def add(text: str, owners: list[int] | None = None) -> None:
            text = text[:width].ljust(width)
            mine = (owners or [AXIS if c != " " else NOBODY for c in text])[:width]
            lines.append((text, mine + [NOBODY] * (width - len(mine))))

        add(self.title)
        header = self.corner.ljust(label_width)
        for label in self.columns:
            header += label[: cell - 1].rjust(cell - 1) + " " if cell > 1 else label[:1]
        add(header)
        steps = (f"{k / len(SHADES):.1f}".removeprefix("0") or "0" for k in range(len(SHADES)))
        legend = (
            f"{self.what}: " + " ".join(c + v for c, v in zip(SHADES, steps, strict=True)) + "-1"
        )
        room = height - len(lines) - 1
        for number, label in enumerate(self.rows[: max(0, room)]):
            text = label.rjust(label_width - 1) + " "
            owners = [AXIS if c != " " else NOBODY for c in text]
            for value in self.values[number]:
                block = shade(value) * (cell - 1) + " " if cell > 1 else shade(value)
                owner = NOBODY if not math.isfinite(value) else (0 if value >= 0.5 else 1)
                text += block
                owners += [owner] * (len(block.rstrip(" ")) or 0)
                owners += [NOBODY] * (len(block) - len(block.rstrip(" ")))
            add(text, owners)
        if len(lines) < height:
            add(legend)
        return Drawing(tuple(t for t, _ in lines), tuple(tuple(o) for _, o in lines))

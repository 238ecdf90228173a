"""Line charts drawn with characters, for the terminal and the Lab screen.

A ``Chart`` holds a few series of (x, y) points; ``draw`` lays it out in a
box of ``width x height`` characters: a title, a y axis with tick labels, the
plot area (each data point a marker, the segments between points dotted), an x
axis with tick labels and a legend. Every character remembers which series put
it there (``Drawing.owners``), so the Lab screen can colour each series while
the plain text stays readable without colour: the markers tell series apart.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

MARKERS = ("o", "+", "x", "*", "#", "@", "%", "&")
"""The default markers of the series, in order."""
DOT = "\u00b7"
"""The character of the segments between data points."""
RULE = "\u2506"
"""The character of a vertical reference line."""
AXIS = -1
"""Owner of axis, tick and title characters."""
NOBODY = -2
"""Owner of blank cells."""
REFERENCE = -3
"""Owner of the cells of a vertical reference line."""
MIN_WIDTH, MIN_HEIGHT = 20, 6
"""The smallest box a chart is drawn in."""
LEGEND_INDENT = 2
"""Columns before the legend's first entry on each of its lines."""


@dataclass(frozen=True)
class Series:
    """One line of a chart."""

    name: str
    """What the legend calls it."""
    xs: tuple[float, ...]
    """The x values, in drawing order."""
    ys: tuple[float, ...]
    """The y values (NaN leaves a gap)."""
    marker: str = ""
    """The character of its data points; empty: the next of ``MARKERS``."""


@dataclass(frozen=True)
class Drawing:
    """A drawn chart: lines of text and, per character, which series drew it."""

    lines: tuple[str, ...]
    """The rows of characters, all ``width`` long."""
    owners: tuple[tuple[int, ...], ...]
    """Per character: the series index, or ``AXIS``, ``NOBODY``, ``REFERENCE``."""

    def text(self) -> str:
        """The chart as plain text, trailing blanks removed."""
        return "\n".join(line.rstrip() for line in self.lines)


@dataclass
class Chart:
    """A line chart of a few series, drawn with characters."""

    title: str
    """The line above the chart."""
    series: list[Series] = field(default_factory=list)
    """The lines to draw."""
    y_range: tuple[float, float] | None = None
    """Fixed limits of the y axis; None fits the data."""
    x_label: str = ""
    """Written under the x axis, at the right."""
    references: tuple[tuple[float, str], ...] = ()
    """Vertical lines at these x values, each with a legend text."""
    x_log: bool = False
    """A logarithmic x axis (every x must be > 0): ticks at powers of ten."""

    def add(self, name: str, xs: Sequence[float], ys: Sequence[float], marker: str = "") -> None:
        """Add a series; its marker defaults to the next unused one of ``MARKERS``."""
        marker = marker or MARKERS[len(self.series) % len(MARKERS)]
        self.series.append(Series(name, tuple(map(float, xs)), tuple(map(float, ys)), marker))

    def draw(self, width: int = 72, height: int = 16) -> Drawing:
        """Lay the chart out in ``width x height`` characters (at least 20 x 6)."""
        return _Layout(self, max(MIN_WIDTH, width), max(MIN_HEIGHT, height)).drawing()


def beside(left: Drawing, right: Drawing, gap: int = 2) -> Drawing:
    """Two drawings side by side, top-aligned."""
    height = max(len(left.lines), len(right.lines))
    lines, owners = [], []
    for row in range(height):
        parts = [_row(left, row), _row(right, row)]
        lines.append(parts[0][0] + " " * gap + parts[1][0])
        owners.append(parts[0][1] + (NOBODY,) * gap + parts[1][1])
    return Drawing(tuple(lines), tuple(owners))


def _row(drawing: Drawing, row: int) -> tuple[str, tuple[int, ...]]:
    width = len(drawing.lines[0]) if drawing.lines else 0
    if row < len(drawing.lines):
        return drawing.lines[row], drawing.owners[row]
    return " " * width, (NOBODY,) * width


def tick_label(value: float, span: float) -> str:
    """A tick value with as many decimals as the axis' span needs."""
    if span <= 0 or not math.isfinite(span):
        return f"{value:g}"
    decimals = max(0, min(4, 2 - math.floor(math.log10(span))))
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text.strip("-0.") == "" else text


class _Layout:
    """The arithmetic of one drawing."""

    def __init__(self, chart: Chart, width: int, height: int) -> None:
        self.chart = chart
        self.width = width
        self.height = height
        self.log = chart.x_log
        xs = [self.x_of(x) for s in chart.series for x in s.xs]
        self.x0, self.x1 = self._limits(xs, None)
        for x, _ in chart.references:
            self.x0, self.x1 = min(self.x0, self.x_of(x)), max(self.x1, self.x_of(x))
        self.y0, self.y1 = self._limits([y for s in chart.series for y in s.ys], chart.y_range)
        self.legend = self._legend_rows()
        # Title, x axis, x labels and the legend; the legend gives way in small boxes.
        self.legend = self.legend[: max(1, height - 6)]
        self.plot_rows = height - 3 - len(self.legend)
        labels = [tick_label(y, self.y1 - self.y0) for y in self._y_ticks()]
        self.label_width = max(len(label) for label in labels)
        self.left = self.label_width + 2  # label, a blank, the axis
        self.plot_cols = width - self.left
        self.cells = [[" "] * width for _ in range(height)]
        self.owners = [[NOBODY] * width for _ in range(height)]

    @staticmethod
    def _limits(values: list[float], fixed: tuple[float, float] | None) -> tuple[float, float]:
        if fixed is not None:
            return fixed
        finite = [v for v in values if math.isfinite(v)]
        if not finite:
            return 0.0, 1.0
        low, high = min(finite), max(finite)
        if high - low < 1e-12:  # one value: a span around it, never below 0 if it is not
            pad = max(1.0, abs(low)) * 0.05
            if low == 0:
                return 0.0, pad
            if low > 0:
                pad = min(pad, low)  # centred, from 0 at the lowest
            return low - pad, high + pad
        return low, high

    def _y_ticks(self) -> list[float]:
        count = 3 if self.plot_rows < 9 else 5
        return [self.y1 - (self.y1 - self.y0) * k / (count - 1) for k in range(count)]

    def x_of(self, x: float) -> float:
        """Where ``x`` sits on the axis: itself, or its log10 on a log axis."""
        if not self.log:
            return x
        return math.log10(x) if x > 0 else math.nan

    def column(self, x: float) -> int:
        x = self.x_of(x)
        fraction = (x - self.x0) / (self.x1 - self.x0) if self.x1 > self.x0 else 0.5
        return self.left + round(fraction * (self.plot_cols - 1))

    def row(self, y: float) -> int:
        fraction = (self.y1 - y) / (self.y1 - self.y0) if self.y1 > self.y0 else 0.5
        fraction = min(1.0, max(0.0, fraction))
        return 1 + round(fraction * (self.plot_rows - 1))

    def put(self, row: int, col: int, text: str, owner: int) -> None:
        for offset, char in enumerate(text):
            if 0 <= row < self.height and 0 <= col + offset < self.width:
                self.cells[row][col + offset] = char
                self.owners[row][col + offset] = owner

    def drawing(self) -> Drawing:
        self.put(0, 0, self.chart.title[: self.width], AXIS)
        self._axes()
        for x, _ in self.chart.references:
            col = self.column(x)
            for row in range(1, 1 + self.plot_rows):
                self.put(row, col, RULE, REFERENCE)
        for index, series in enumerate(self.chart.series):
            self._segments(index, series)
        # The first series is drawn last, on top: it is usually the one that matters most.
        for index, series in reversed(list(enumerate(self.chart.series))):
            for x, y in zip(series.xs, series.ys, strict=True):
                if math.isfinite(self.x_of(x)) and math.isfinite(y):
                    self.put(self.row(y), self.column(x), series.marker, index)
        self._legend()
        return Drawing(
            tuple("".join(row) for row in self.cells), tuple(tuple(row) for row in self.owners)
        )

    def _axes(self) -> None:
        axis_row = 1 + self.plot_rows
        span = self.y1 - self.y0
        for row in range(1, axis_row):
            self.put(row, self.left - 1, "\u2502", AXIS)
        for y in self._y_ticks():
            label = tick_label(y, span).rjust(self.label_width)
            self.put(self.row(y), 0, label, AXIS)
            self.put(self.row(y), self.left - 1, "\u2524", AXIS)
        self.put(axis_row, self.left - 1, "\u2514" + "\u2500" * self.plot_cols, AXIS)
        x_span = self.x1 - self.x0
        last = -1
        for k in range(3):
            x = self.x0 + x_span * k / 2
            col = self.column(10**x if self.log else x)
            label = f"{10**x:.3g}" if self.log else tick_label(x, x_span)
            start = min(max(col - len(label) // 2, self.left), self.width - len(label))
            if start <= last:
                continue
            self.put(axis_row, col, "\u252c", AXIS)
            self.put(axis_row + 1, start, label, AXIS)
            last = start + len(label)
        if self.chart.x_label and last + 2 + len(self.chart.x_label) <= self.width:
            self.put(axis_row + 1, self.width - len(self.chart.x_label), self.chart.x_label, AXIS)

    def _segments(self, index: int, series: Series) -> None:
        points = [
            (self.column(x), self.row(y))
            for x, y in zip(series.xs, series.ys, strict=True)
            if math.isfinite(self.x_of(x)) and math.isfinite(y)
        ]
        for (c0, r0), (c1, r1) in itertools.pairwise(points):
            steps = max(abs(c1 - c0), abs(r1 - r0))
            for k in range(1, steps):
                col = round(c0 + (c1 - c0) * k / steps)
                row = round(r0 + (r1 - r0) * k / steps)
                if self.owners[row][col] in (NOBODY, REFERENCE):
                    self.put(row, col, DOT, index)

    def _legend_rows(self) -> list[list[tuple[int, str, int]]]:
        """The legend's entries as rows of (column, text, owner), wrapped to the width."""
        parts = [(f"{s.marker} {s.name}", i) for i, s in enumerate(self.chart.series)]
        parts += [(f"{RULE} {text}", REFERENCE) for _, text in self.chart.references]
        rows: list[list[tuple[int, str, int]]] = [[]]
        col = LEGEND_INDENT
        for text, owner in parts:
            if col + len(text) > self.width and rows[-1]:
                rows.append([])
                col = LEGEND_INDENT
            rows[-1].append((col, text[: self.width - col], owner))
            col += len(text) + 3
        return rows

    def _legend(self) -> None:
        first = self.height - len(self.legend)
        for number, row in enumerate(self.legend):
            for col, text, owner in row:
                self.put(first + number, col, text, owner)

"""The phase diagram drawn: a text heat map (terminal, Lab) and a PNG (Pillow).

Both show the measured overlap m over load alpha (across) and temperature T
(up), the retrieval line T_M(alpha) of Amit, Gutfreund & Sompolinsky ending at
alpha_c = 0.138, the spin-glass line T_g = 1 + sqrt(alpha) and, when given, a
"you are here" mark. The text map shades each cell by m (``SHADES``: blank for
m near 0, a full block for m near 1) so it reads without colour; every character
remembers what drew it (``plots.Drawing.owners``) for the Lab's colours.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tui_hopfield.experiments.ags import (
    retrieval_line,
    retrieval_temperature,
    spin_glass_temperature,
    zero_temperature_capacity,
)
from tui_hopfield.experiments.phase import PhasePoint, PhaseResult
from tui_hopfield.experiments.plots import AXIS, NOBODY, REFERENCE, Drawing
from tui_hopfield.model.files import write_atomically

SHADES = " \u2591\u2592\u2593\u2588"
"""The cell characters from m <= 0.2 (blank) to m > 0.8 (a full block)."""
HEAT = 0
"""Owner of the heat map's cells (``Drawing.owners``)."""
HERE = 1
"""Owner of the "you are here" mark."""
SPIN_GLASS = -4
"""Owner of the spin-glass line's characters (the retrieval line's are ``REFERENCE``)."""
RETRIEVAL_MARK, SPIN_GLASS_MARK, HERE_MARK = "M", "g", "@"
"""The characters of the two lines and of "you are here"."""
LEFT = 7
"""Columns of the temperature axis: ``"1.50 ┤"`` and a space."""

Here = tuple[float, float]
"""A load and a temperature: the app's, shown as "you are here"."""


def shade(overlap: float) -> str:
    """The character of a cell with overlap ``overlap``."""
    level = min(len(SHADES) - 1, max(0, math.ceil(overlap * len(SHADES)) - 1))
    return SHADES[level]


def _grid(result: PhaseResult) -> tuple[list[float], list[float], np.ndarray]:
    """The loads, the temperatures and the overlaps (temperatures x loads; NaN: not run)."""
    alphas = sorted({p.alpha for p in result.points})
    temps = sorted({p.temperature for p in result.points})
    values = np.full((len(temps), len(alphas)), np.nan)
    for p in result.points:
        values[temps.index(p.temperature), alphas.index(p.alpha)] = p.overlap
    return alphas, temps, values


def _edges(values: list[float]) -> tuple[float, float]:
    """The range a list of grid values covers, half a step beyond each end."""
    if len(values) == 1:
        return values[0] - 0.05, values[0] + 0.05
    step = (values[-1] - values[0]) / (len(values) - 1)
    return values[0] - step / 2, values[-1] + step / 2


def _cells(values: list[float]) -> list[tuple[float, float]]:
    """Each grid value's cell: from the midpoint with the one below to that with the one above."""
    low, high = _edges(values)
    low = max(low, 0.0)  # loads and temperatures are never below 0
    middles = [(x + y) / 2 for x, y in itertools.pairwise(values)]
    return list(zip([low, *middles], [*middles, high], strict=True))


def _nearest(values: list[float], x: float) -> int:
    return int(np.argmin([abs(v - x) for v in values]))


def phase_map(result: PhaseResult, width: int = 80, height: int = 24, here: Here | None = None):
    """The heat map with the lines, in a box of ``width x height`` characters: a ``Drawing``."""
    settings = result.settings
    title = (
        f"overlap m after Glauber dynamics: Hebb, N = {settings.n},"
        f" {settings.cues * settings.trials} runs a point, {settings.sweeps} sweeps"
    )
    legend = [
        f"{SHADES[-1]}{SHADES[-2]}{SHADES[-3]}{SHADES[-4]} m from 1 to 0"
        f"   {RETRIEVAL_MARK} retrieval line T_M (AGS),"
        f" alpha_c = {zero_temperature_capacity():.3f}",
        f"{SPIN_GLASS_MARK} spin-glass line T_g = 1 + sqrt(alpha)"
        + (f"   {HERE_MARK} you are here" if here else ""),
    ]
    width = max(width, LEFT + 10)
    height = max(height, 8 + len(legend))
    lines = [[" "] * width for _ in range(height)]
    owners = [[NOBODY] * width for _ in range(height)]

    def put(row: int, col: int, text: str, owner: int) -> None:
        for k, char in enumerate(text):
            if 0 <= row < height and 0 <= col + k < width:
                lines[row][col + k] = char
                owners[row][col + k] = owner

    put(0, 0, title[:width], AXIS)
    if not result.points:
        put(2, 0, "nothing measured yet", AXIS)
        return _drawing(lines, owners)
    alphas, temps, values = _grid(result)
    rows = height - 3 - len(legend)  # title, x axis, x labels, legend
    cols = width - LEFT
    grid_alphas = _edges(alphas)
    grid_alphas = (max(grid_alphas[0], 0.0), grid_alphas[1])  # no load below 0
    grid_temps = _edges(temps)
    a_low, a_high = grid_alphas
    t_low, t_high = grid_temps
    if here is not None and here[0] <= 2 * a_high and here[1] <= 2 * t_high:
        # The map reaches out to "you are here" (no cells are drawn where nothing was run).
        a_low, a_high = min(a_low, here[0]), max(a_high, here[0] + (a_high - a_low) / cols)
        t_low, t_high = min(t_low, here[1]), max(t_high, here[1] + (t_high - t_low) / rows)

    def row_of(t: float) -> int:  # row 1 is the hottest
        return 1 + round((t_high - t) / (t_high - t_low) * rows - 0.5)

    def alpha_at(col: int) -> float:
        return a_low + (col + 0.5) / cols * (a_high - a_low)

    for r in range(rows):
        t = t_high - (r + 0.5) / rows * (t_high - t_low)
        if not grid_temps[0] <= t <= grid_temps[1]:
            continue
        k = _nearest(temps, t)
        for c in range(cols):
            alpha = alpha_at(c)
            if not grid_alphas[0] <= alpha <= grid_alphas[1]:
                continue
            m = values[k, _nearest(alphas, alpha)]
            if not math.isnan(m):
                put(1 + r, LEFT + c, shade(m), HEAT)
    # The lines: a mark per column, and the rows between two columns' marks filled.
    for mark, owner, line in (
        (SPIN_GLASS_MARK, SPIN_GLASS, spin_glass_temperature),
        (RETRIEVAL_MARK, REFERENCE, retrieval_temperature),
    ):
        previous = None
        for c in range(cols):
            t = float(line(alpha_at(c)))
            if math.isnan(t):
                previous = None
                continue
            row = row_of(t)
            span = (
                [row]
                if previous is None
                else range(min(row, previous + 1), max(row, previous - 1) + 1)
            )
            for r in span:
                if 1 <= r <= rows:
                    put(r, LEFT + c, mark, owner)
            previous = row
    # The temperature axis.
    for r in range(rows):
        put(1 + r, LEFT - 2, "\u2502", AXIS)
    for t in (temps[0], temps[len(temps) // 2], temps[-1]):
        r = row_of(t)
        if 1 <= r <= rows:
            put(r, 0, f"{t:5.2f}"[:5], AXIS)
            put(r, LEFT - 2, "\u2524", AXIS)
    if rows > 3:
        put(2, 0, "T", AXIS)
    axis = 1 + rows
    put(axis, LEFT - 2, "\u2514" + "\u2500" * (cols + 1), AXIS)
    ticks = []
    for a in (alphas[0], alphas[len(alphas) // 2], alphas[-1]):
        c = round((a - a_low) / (a_high - a_low) * cols - 0.5)
        text = f"{a:g}"
        put(axis, LEFT + c, "\u252c", AXIS)
        put(axis + 1, max(LEFT, min(LEFT + c - len(text) // 2, width - len(text))), text, AXIS)
        ticks.append(LEFT + c)
    name = "alpha = P/N"
    if ticks[2] - ticks[1] > len(name) + 8:  # between the last two ticks' labels
        put(axis + 1, (ticks[1] + ticks[2] - len(name)) // 2, name, AXIS)
    elif ticks[2] + 6 + len(name) <= width:
        put(axis + 1, width - len(name), name, AXIS)
    if here is not None:
        alpha, t = here
        c = round((alpha - a_low) / (a_high - a_low) * cols - 0.5)
        r = row_of(t)
        if 0 <= c < cols and 1 <= r <= rows:
            put(r, LEFT + c, HERE_MARK, HERE)
        else:
            legend[-1] += ": off the map"
    for k, text in enumerate(legend):
        put(axis + 2 + k, 2, text[: width - 2], AXIS)
    return _drawing(lines, owners)


def _drawing(lines: list[list[str]], owners: list[list[int]]) -> Drawing:
    return Drawing(tuple("".join(line) for line in lines), tuple(tuple(o) for o in owners))


def phase_table(result: PhaseResult) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The points as a table: headers and rows of text (``tables.format_table``)."""
    headers = ("alpha", "P", "T", "runs", "m", "retrieved", "AGS phase")
    rows = [
        (
            f"{p.alpha:.3f}",
            str(p.patterns),
            f"{p.temperature:.2f}",
            str(p.runs),
            f"{p.overlap:.3f}",
            f"{p.retrieved:.2f}",
            p.theory,
        )
        for p in result.points
    ]
    return headers, rows


PHASE_NOTE = (
    "m: the mean overlap with the pattern each run started on, over the second half of"
    " its sweeps;\nretrieved: the share of runs that kept m >= 0.5; AGS phase: where"
    " Amit, Gutfreund & Sompolinsky's lines put the point."
)
"""What the table's columns mean."""


def phase_csv(result: PhaseResult) -> str:
    """The sweep's points as CSV, full precision."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PhasePoint.COLUMNS)
    writer.writerows(point.values() for point in result.points)
    return buffer.getvalue()


# -- the PNG ---------------------------------------------------------------------

PNG_SIZE = (720, 540)
"""Width and height of the PNG, in pixels."""
MARGIN = (64, 36, 24, 70)
"""Left, top, right and bottom margins of the PNG's plot area."""
COLD_COLOUR, WARM_COLOUR = (28, 36, 84), (250, 214, 72)
"""The colours of m = 0 and m = 1 (between them, a straight blend)."""


def phase_png(result: PhaseResult, path: str | Path, here: Here | None = None) -> Path:
    """Draw the phase diagram as a PNG at ``path`` (atomically; ``ModelError`` on failure)."""
    image = phase_image(result, here)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    data = buffer.getvalue()
    return write_atomically(path, lambda stream: stream.write(data), make_folders=False)


def phase_image(result: PhaseResult, here: Here | None = None) -> Image.Image:
    """The phase diagram as a Pillow image (``PNG_SIZE``)."""
    width, height = PNG_SIZE
    left, top, right, bottom = MARGIN
    image = Image.new("RGB", PNG_SIZE, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    settings = result.settings
    draw.text(
        (left, 10),
        f"Retrieval overlap m, Hebb, N = {settings.n}, asynchronous Glauber dynamics",
        fill=(0, 0, 0),
        font=font,
    )
    if not result.points:
        return image
    alphas, temps, values = _grid(result)
    a_low, a_high = _edges(alphas)
    a_low = max(a_low, 0.0)  # no load below 0
    t_low, t_high = _edges(temps)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_of(a: float) -> float:
        return left + (a - a_low) / (a_high - a_low) * plot_w

    def y_of(t: float) -> float:
        return top + (t_high - t) / (t_high - t_low) * plot_h

    a_cells, t_cells = _cells(alphas), _cells(temps)
    for i, (t0, t1) in enumerate(t_cells):
        for j, (a0, a1) in enumerate(a_cells):
            m = values[i, j]
            if not math.isnan(m):
                draw.rectangle((x_of(a0), y_of(t1), x_of(a1), y_of(t0)), fill=_blend(m))
    clip = (left, top, left + plot_w, top + plot_h)
    line = [(x_of(a), y_of(t)) for a, t in retrieval_line() if a_low <= a <= a_high]
    if len(line) > 1:
        draw.line(_clipped(line, clip), fill=(255, 255, 255), width=3)
    sample = np.linspace(max(a_low, 0.0), a_high, 60)
    glass = [(x_of(a), y_of(float(spin_glass_temperature(a)))) for a in sample]
    draw.line(_clipped(glass, clip), fill=(230, 80, 60), width=3)
    draw.rectangle(clip, outline=(0, 0, 0))
    for a in (alphas[0], alphas[len(alphas) // 2], alphas[-1]):
        draw.line((x_of(a), top + plot_h, x_of(a), top + plot_h + 4), fill=(0, 0, 0))
        draw.text((x_of(a) - 10, top + plot_h + 6), f"{a:g}", fill=(0, 0, 0), font=font)
    for t in (temps[0], temps[len(temps) // 2], temps[-1]):
        draw.line((left - 4, y_of(t), left, y_of(t)), fill=(0, 0, 0))
        draw.text((left - 40, y_of(t) - 5), f"{t:.2f}", fill=(0, 0, 0), font=font)
    draw.text((left + plot_w - 70, top + plot_h + 20), "alpha = P/N", fill=(0, 0, 0), font=font)
    draw.text((8, top - 16), "T", fill=(0, 0, 0), font=font)
    if here is not None:
        x, y = x_of(here[0]), y_of(here[1])
        if clip[0] <= x <= clip[2] and clip[1] <= y <= clip[3]:
            draw.ellipse((x - 6, y - 6, x + 6, y + 6), outline=(255, 40, 160), width=3)
    legend_y = height - 30
    draw.rectangle((left - 2, legend_y, left + 26, legend_y + 12), fill=COLD_COLOUR)
    draw.line((left, legend_y + 6, left + 24, legend_y + 6), fill=(255, 255, 255), width=3)
    draw.text(
        (left + 34, legend_y),
        f"T_M(alpha), retrieval line (AGS), alpha_c = {zero_temperature_capacity():.3f}",
        fill=(0, 0, 0),
        font=font,
    )
    draw.line((left, legend_y + 22, left + 24, legend_y + 22), fill=(230, 80, 60), width=3)
    draw.text(
        (left + 34, legend_y + 16),
        "T_g = 1 + sqrt(alpha), spin-glass line" + ("   (ring: you are here)" if here else ""),
        fill=(0, 0, 0),
        font=font,
    )
    return image


def _blend(m: float) -> tuple[int, int, int]:
    f = min(max(m, 0.0), 1.0)
    return tuple(round(c + (w - c) * f) for c, w in zip(COLD_COLOUR, WARM_COLOUR, strict=True))


def _clipped(
    points: list[tuple[float, float]], box: tuple[float, float, float, float]
) -> list[tuple[float, float]]:
    """The points of a line inside ``box`` (the lines run off the top of the map)."""
    x0, y0, x1, y1 = box
    return [(min(max(x, x0), x1), min(max(y, y0), y1)) for x, y in points]

"""The experiments' plots as PNG pictures (Pillow): heat maps and line plots, panels side by side.

``heatmap_png`` draws value grids in [0, 1] (each cell coloured from
``LOW`` to ``HIGH``, its value written in it), ``lines_png`` line plots of a
few series on a shared [0, 1] y axis; ``write_png`` saves either atomically.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tui_hopfield.model.files import write_atomically

LOW, HIGH = (24, 32, 64), (250, 214, 64)
"""The colours of 0 and of 1 in a heat map (dark blue to yellow)."""
LINE_COLOURS = ((224, 70, 62), (79, 143, 239), (217, 162, 27), (63, 174, 106), (150, 90, 200))
"""The series' colours, in order (the first three are the app's plot colours)."""
BACKGROUND, INK, GRID = (255, 255, 255), (20, 20, 20), (215, 215, 215)
PANEL = (440, 360)
"""Width and height of one panel in pixels."""
MARGIN = (64, 40, 20, 56)
"""Left, top, right, bottom margins of a panel's plot area."""


@dataclass(frozen=True)
class HeatPanel:
    """One heat map: ``values[row][column]`` in [0, 1] (NaN: not measured)."""

    title: str
    columns: Sequence[str]
    """Labels of the columns, left to right."""
    rows: Sequence[str]
    """Labels of the rows, top to bottom."""
    values: Sequence[Sequence[float]]
    x_label: str = ""
    y_label: str = ""


@dataclass(frozen=True)
class LinePanel:
    """One line plot: ``series`` of (name, xs, ys), y in [0, 1] (the title says what y is)."""

    title: str
    series: Sequence[tuple[str, Sequence[float], Sequence[float]]]
    x_label: str = ""


def _font(size: int = 12) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size)


def _mix(value: float) -> tuple[int, int, int]:
    value = min(1.0, max(0.0, value))
    return tuple(round(lo + (hi - lo) * value) for lo, hi in zip(LOW, HIGH, strict=True))


def _canvas(count: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (PANEL[0] * max(1, count), PANEL[1]), BACKGROUND)
    return image, ImageDraw.Draw(image)


def heatmap_png(panels: Sequence[HeatPanel]) -> Image.Image:
    """The heat maps side by side."""
    image, draw = _canvas(len(panels))
    font, small = _font(13), _font(10)
    left, top, right, bottom = MARGIN
    for number, panel in enumerate(panels):
        x0 = number * PANEL[0] + left
        width, height = PANEL[0] - left - right, PANEL[1] - top - bottom
        draw.text((number * PANEL[0] + 8, 10), panel.title, fill=INK, font=font)
        columns, rows = max(1, len(panel.columns)), max(1, len(panel.rows))
        cell_w, cell_h = width / columns, height / rows
        for r, row in enumerate(panel.values):
            for c, value in enumerate(row):
                box = (
                    x0 + c * cell_w,
                    top + r * cell_h,
                    x0 + (c + 1) * cell_w - 1,
                    top + (r + 1) * cell_h - 1,
                )
                if not math.isfinite(value):
                    draw.rectangle(box, outline=GRID)
                    continue
                draw.rectangle(box, fill=_mix(value))
                if cell_w >= 30 and cell_h >= 12:
                    ink = INK if value > 0.55 else BACKGROUND
                    centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
                    draw.text(centre, f"{value:.2f}", fill=ink, font=small, anchor="mm")
        for c, label in enumerate(panel.columns):
            draw.text(
                (x0 + (c + 0.5) * cell_w, top + height + 4),
                label,
                fill=INK,
                font=small,
                anchor="ma",
            )
        for r, label in enumerate(panel.rows):
            draw.text((x0 - 4, top + (r + 0.5) * cell_h), label, fill=INK, font=small, anchor="rm")
        draw.text((x0 + width / 2, PANEL[1] - 20), panel.x_label, fill=INK, font=font, anchor="ma")
        draw.text((number * PANEL[0] + 4, top - 14), panel.y_label, fill=INK, font=small)
    return image


def lines_png(panels: Sequence[LinePanel]) -> Image.Image:
    """The line plots side by side, each with its legend."""
    image, draw = _canvas(len(panels))
    font, small = _font(13), _font(10)
    left, top, right, bottom = MARGIN
    for number, panel in enumerate(panels):
        x0 = number * PANEL[0] + left
        width, height = PANEL[0] - left - right, PANEL[1] - top - bottom
        draw.text((number * PANEL[0] + 8, 10), panel.title, fill=INK, font=font)
        xs = [x for _, series_x, _ in panel.series for x in series_x]
        lo, hi = (min(xs), max(xs)) if xs else (0.0, 1.0)
        if hi - lo < 1e-12:
            lo, hi = lo - 0.5, hi + 0.5

        def at(
            x: float, y: float, frame: tuple[float, ...] = (x0, width, height, lo, hi)
        ) -> tuple[float, float]:
            left_x, wide, high, low, top_x = frame
            return left_x + (x - low) / (top_x - low) * wide, top + (1.0 - y) * high

        for k in range(6):  # y grid and ticks at 0, 0.2, ... 1
            y = k / 5
            draw.line([at(lo, y), at(hi, y)], fill=GRID)
            draw.text((x0 - 6, at(lo, y)[1]), f"{y:.1f}", fill=INK, font=small, anchor="rm")
        for x in sorted(set(xs)):
            draw.text((at(x, 0)[0], top + height + 4), f"{x:g}", fill=INK, font=small, anchor="ma")
        draw.rectangle((x0, top, x0 + width, top + height), outline=INK)
        for index, (name, series_x, series_y) in enumerate(panel.series):
            colour = LINE_COLOURS[index % len(LINE_COLOURS)]
            points = [at(x, y) for x, y in zip(series_x, series_y, strict=True) if math.isfinite(y)]
            if len(points) > 1:
                draw.line(points, fill=colour, width=2)
            for px, py in points:
                draw.ellipse((px - 3, py - 3, px + 3, py + 3), fill=colour)
            legend_y = top + height - 6 - 14 * (len(panel.series) - index)  # lines fall
            draw.line([(x0 + 8, legend_y + 6), (x0 + 24, legend_y + 6)], fill=colour, width=2)
            draw.text((x0 + 28, legend_y), name, fill=INK, font=small)
        draw.text((x0 + width / 2, PANEL[1] - 20), panel.x_label, fill=INK, font=font, anchor="ma")
    return image


def write_png(path: str | Path, image: Image.Image) -> Path:
    """Save ``image`` as a PNG at ``path`` atomically (no folder is made); ``ModelError``."""
    return write_atomically(path, lambda stream: image.save(stream, "PNG"), make_folders=False)

"""Text to spins: a word or a short sentence written in magnets.

The text is set in Pillow's bundled scalable font, words wrapped onto lines,
at the largest size that fits the grid with a one-magnet margin. Ink is north
(+1) on a south (-1) background, the way a drawing is red on a cleared grid.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tui_hopfield.model.patterns import PictureError

MIN_SIZE = 8
"""The smallest font size, in magnets, that still reads as letters."""
MARGIN = 1
"""Magnets left south around the text on every side."""

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=128)
def _font(size: int) -> Font:
    """Pillow's bundled font at ``size`` pixels (a fixed bitmap font without FreeType)."""
    return ImageFont.load_default(size=size)


def _spacing(size: int) -> int:
    """Blank rows between two lines of text at font ``size``."""
    return size // 8


def _wrap(words: list[str], font: Font, width: int) -> list[str] | None:
    """Words greedily joined into lines no wider than ``width``; None if a word is wider."""
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if not line or font.getlength(word) > width:
            return None
        lines.append(line)
        line = word
    lines.append(line)
    return lines


def _measure() -> ImageDraw.ImageDraw:
    draw = ImageDraw.Draw(Image.new("L", (1, 1)))
    draw.fontmode = "1"
    return draw


def _layout(words: list[str], size: int, rows: int, cols: int) -> tuple[str, tuple] | None:
    """The wrapped text and its ink box at font ``size``, or None if it does not fit."""
    font = _font(size)
    lines = _wrap(words, font, cols - 2 * MARGIN)
    if lines is None:
        return None
    text = "\n".join(lines)
    box = _measure().multiline_textbbox(
        (0, 0), text, font=font, spacing=_spacing(size), align="center"
    )
    left, top, right, bottom = box
    if right - left > cols - 2 * MARGIN or bottom - top > rows - 2 * MARGIN:
        return None
    return text, box


def text_to_spins(text: str, rows: int, cols: int) -> np.ndarray:
    """Write ``text`` on a ``rows x cols`` grid: int8 (rows, cols), ink north (+1).

    Words are wrapped onto centred lines at the largest font size that fits.
    Raises ``PictureError`` for empty text and for text that cannot fit at
    ``MIN_SIZE``, the smallest legible size.
    """
    words = text.split()
    if not words:
        raise PictureError("there is no text to write: type a word or two")
    shown = " ".join(words)
    shown = shown if len(shown) <= 30 else shown[:29] + "\u2026"
    best = _layout(words, MIN_SIZE, rows, cols)
    if best is None:
        raise PictureError(
            f"{shown!r} does not fit legibly on a {rows}x{cols} grid:"
            " use fewer or shorter words, or a larger grid"
        )
    # The fit is monotonic in the size but for rounding: search, then trust the check.
    size, low, high = MIN_SIZE, MIN_SIZE + 1, 2 * rows
    while low <= high:
        middle = (low + high) // 2
        layout = _layout(words, middle, rows, cols)
        if layout is None:
            high = middle - 1
        else:
            size, best, low = middle, layout, middle + 1
    wrapped, (left, top, right, bottom) = best
    image = Image.new("L", (cols, rows), 0)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"
    x = (cols - (right - left)) // 2 - left
    y = (rows - (bottom - top)) // 2 - top
    draw.multiline_text(
        (x, y), wrapped, font=_font(size), fill=255, spacing=_spacing(size), align="center"
    )
    return np.where(np.asarray(image) > 127, 1, -1).astype(np.int8)

"""The spins a stroke of the pointer passes over."""

from __future__ import annotations


def line_between(start: tuple[int, int], end: tuple[int, int]) -> list[tuple[int, int]]:
    """Every (row, col) on the straight line from ``start`` to ``end`` (Bresenham)."""
    (r0, c0), (r1, c1) = start, end
    dr, dc = abs(r1 - r0), abs(c1 - c0)
    sr, sc = (1 if r1 >= r0 else -1), (1 if c1 >= c0 else -1)
    points = []
    err = dc - dr
    r, c = r0, c0
    while True:
        points.append((r, c))
        if (r, c) == (r1, c1):
            return points
        e2 = 2 * err
        if e2 > -dr:
            err -= dr
            c += sc
        if e2 < dc:
            err += dc
            r += sr


def stroke_path(
    start: tuple[int, int], end: tuple[int, int], extra: int, rows: int
) -> list[tuple[int, int]]:
    """The spins from ``start`` to ``end``, each with the ``extra`` rows below it on the grid.

    In the half-block view without sub-cell pointer positions a cell holds two
    spins, one above the other: a stroke paints both (``extra`` = 1).
    """
    path: list[tuple[int, int]] = []
    for row, col in line_between(start, end):
        path.extend((row + k, col) for k in range(extra + 1) if row + k < rows)
    return path

"""Where the main screen puts the grid and the side panel, for any terminal size.

The grid gets the room. ``arrange`` is pure integer arithmetic on the body's
size and the grid's shape (no widget is measured), so a resize costs next to
nothing whatever the grid's size. The side panel sits beside the grid, at a
width between ``SIDE_MIN`` and ``SIDE_MAX``: as narrow as it must be for the
grid's largest zoom, and wider when the grid has room to spare. On a narrow,
tall terminal it moves below the grid when that gives the grid a larger zoom;
hidden (``z``), it leaves the grid the whole body.
"""

from __future__ import annotations

from dataclasses import dataclass

BORDER = 2
"""Cells the board's border takes across and down."""
SCROLLBAR = 1
"""Cells the grid's scroll bar takes (``scrollbar-size`` in app.tcss)."""
SIDE_MIN = 24
"""The narrowest side panel: the controls still read at this width."""
SIDE_WIDTH = 46
"""The side panel's width when the grid is too large to fit anyway."""
SIDE_MAX = 64
"""The widest side panel: past it, room the grid cannot use stays around the grid."""
BELOW_MIN = 14
"""The fewest lines of a side panel below the grid (its controls and a memory beside them)."""
BELOW_MAX = 24
"""The most lines a side panel below the grid takes."""
COMPACT_HEIGHT = 30
"""Side panels shorter than this drop the blank lines between their sections."""
NARROW_SIDE = 44
"""Side panels narrower than this put their buttons in two columns."""


@dataclass(frozen=True)
class Arrangement:
    """Where the side panel goes and how big it is."""

    place: str
    """``beside`` (right of the grid), ``below`` (under it) or ``hidden``."""
    side: int
    """The side panel's width (beside) or height (below); 0 when hidden."""
    zoom: int
    """The zoom the grid will take (``SpinGrid.best_zoom`` of the board's inside)."""


def zoom_for(rows: int, cols: int, width: int, height: int) -> int:
    """The largest zoom at which a rows x cols grid fits in width x height cells, at least 1.

    A spin of zoom z is z cells wide and z half-cells tall (``SpinGrid``).
    """
    if rows <= 0 or cols <= 0:
        return 1
    return max(1, min(width // cols, 2 * height // rows))


def fits(rows: int, cols: int, zoom: int, width: int, height: int) -> bool:
    """Whether the grid at ``zoom`` fits in width x height cells without scrolling."""
    return cols * zoom <= width and -(-rows * zoom // 2) <= height


def arrange(width: int, height: int, rows: int, cols: int, shown: bool = True) -> Arrangement:
    """The arrangement of a body of width x height cells around a rows x cols grid.

    ``shown`` False hides the side panel. Beside is preferred; below is taken
    only when it gives the grid a strictly larger zoom and leaves the panel
    ``BELOW_MIN`` lines.
    """
    if not shown:
        return Arrangement("hidden", 0, zoom_for(rows, cols, width - BORDER, height - BORDER))
    inside_height = height - BORDER
    beside = zoom_for(rows, cols, width - SIDE_MIN - BORDER, inside_height)
    below = 0
    if height - BELOW_MIN - BORDER > 0:
        below = zoom_for(rows, cols, width - BORDER, height - BELOW_MIN - BORDER)
        if not fits(rows, cols, below, width - BORDER, height - BELOW_MIN - BORDER):
            below = 0
    if below > beside:
        board = -(-rows * below // 2) + BORDER
        return Arrangement("below", min(BELOW_MAX, height - board), below)
    if fits(rows, cols, beside, width - SIDE_MIN - BORDER, inside_height):
        need = cols * beside + BORDER
        return Arrangement("beside", min(SIDE_MAX, width - need), beside)
    if fits(rows, cols, beside, width - SIDE_MIN - BORDER, 10**6):
        # Only too tall: the board takes the grid's width and its scroll bar.
        need = cols * beside + BORDER + SCROLLBAR
        if width - need >= SIDE_MIN:
            return Arrangement("beside", min(SIDE_WIDTH, width - need), beside)
    # The grid scrolls whatever the panel does: a third of the width, within bounds.
    side = min(SIDE_WIDTH, max(SIDE_MIN, width // 3))
    return Arrangement("beside", side, zoom_for(rows, cols, width - side - BORDER, inside_height))

"""A compositor that, for a partial update, draws only the widgets under what changed.

Textual's compositor (``textual._compositor.Compositor``, Textual 8.2.8) draws a
partial update by taking the bounding box of every dirty region and asking every
widget inside that box for its lines, then cutting each widget's strips on every
line that holds a change. When the spin grid (left) and the status bar (bottom)
or a side panel (right) change in the same frame, that box is the whole screen:
each of the side panel's few dozen widgets, and the grid on the side panel's lines,
is drawn and cut although nothing of it is written to the terminal (only the
changed spans are).

``LineCompositor`` draws the same update from less: only the widgets whose visible
region overlaps a changed span, and of each only the lines where a changed span
crosses it. What reaches the terminal is the same: the changed spans, each taken
from the front-most widget there, as Textual does (a widget left out has no cell
inside any changed span, so none of its cells would have been written).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import pairwise
from typing import cast

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip


class LineCompositor(Compositor):
    """Textual's compositor, with partial updates drawn only where they changed."""

    def __init__(self) -> None:
        super().__init__()
        self._line_spans: dict[int, list[tuple[int, int]]] | None = None

    def render_partial_update(self) -> ChopsUpdate | None:
        """Render a partial update: the changed spans, from the widgets under them."""
        screen_region = self.size.region
        update_regions = self._dirty_regions.copy()
        self._dirty_regions.clear()
        if not update_regions:
            return None
        crop = Region.from_union(list(update_regions)).intersection(screen_region)
        spans = list(self._regions_to_spans(update_regions))
        line_spans: dict[int, list[tuple[int, int]]] = {}
        for y, x1, x2 in spans:
            line_spans.setdefault(y, []).append((x1, x2))
        self._line_spans = line_spans
        try:
            chops = self._render_chops(crop, line_spans.__contains__)
        finally:
            self._line_spans = None
        chop_ends = [cut_set[1:] for cut_set in self.cuts]
        return ChopsUpdate(chops, spans, chop_ends)

    def _get_renders(self, crop: Region | None = None) -> Iterable[tuple[Region, Region, list]]:
        """The widgets' lines, as Textual's, but in a partial update only of the widgets
        that a changed span crosses."""
        line_spans = self._line_spans
        if line_spans is None:
            yield from super()._get_renders(crop)
            return
        intersection = Region.intersection
        for widget, (region, clip) in self.visible_widgets.items():
            x, y, width, height = intersection(region, clip)
            if not (width and height) or not _crossed(line_spans, x, x + width, y, y + height):
                continue
            yield (
                region,
                clip,
                widget.render_lines(Region(x - region.x, y - region.y, width, height)),
            )

    def _render_chops(
        self, crop: Region, is_rendered_line: Callable[[int], bool]
    ) -> Sequence[Mapping[int, Strip]]:
        """Textual's ``_render_chops``, but in a partial update only the chops (the pieces
        of a line between widgets' edges) that a changed span overlaps are filled, each
        from the front-most widget there; a widget whose such chops on a line are filled
        already (the containers behind the grid) is not cut there."""
        line_spans = self._line_spans
        if line_spans is None:
            return super()._render_chops(crop, is_rendered_line)
        cuts = self.cuts
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
        needed: dict[int, set[int]] = {}
        for y, ranges in line_spans.items():
            line_cuts = cuts[y]
            needed[y] = {
                cut
                for cut, end in pairwise(line_cuts)
                if any(x1 < end and x2 > cut for x1, x2 in ranges)
            }
        intersection = Region.intersection
        for region, clip, strips in self._get_renders(crop):
            render_region = intersection(region, clip)
            render_x = render_region.x
            first_cut, last_cut = render_region.column_span
            for y, strip in zip(render_region.line_range, strips, strict=False):
                wanted = needed.get(y)
                if not wanted:
                    continue
                chops_line = chops[y]
                final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
                get_chops_line = chops_line.get
                if all(get_chops_line(cut) is not None for cut in final_cuts if cut in wanted):
                    continue  # nothing changed here, or the widgets in front hide it
                cut_strips = strip.divide([cut - render_x for cut in final_cuts[1:]])
                for cut, cut_strip in zip(final_cuts, cut_strips, strict=False):
                    if get_chops_line(cut) is None:
                        chops_line[cut] = cut_strip
        # Textual's update writes an empty piece where a chop starts at a span's end: the
        # same here, so what is written is the same, byte for byte.
        for y, ranges in line_spans.items():
            chops_line = chops[y]
            for _, x2 in ranges:
                if x2 in chops_line and chops_line[x2] is None:
                    chops_line[x2] = _EMPTY
        return cast("Sequence[Mapping[int, Strip]]", chops)


_EMPTY = Strip([], 0)
"""An empty piece of a line."""


def _crossed(
    line_spans: dict[int, list[tuple[int, int]]], x1: int, x2: int, y1: int, y2: int
) -> bool:
    """Whether a changed span on a line in [y1, y2) overlaps the columns [x1, x2)."""
    if y2 - y1 < len(line_spans):
        lines = (line_spans.get(y) for y in range(y1, y2))
    else:
        lines = (ranges for y, ranges in line_spans.items() if y1 <= y < y2)
    return any(ranges is not None and any(a < x2 and b > x1 for a, b in ranges) for ranges in lines)

"""The side panel's lower view: memories, overlaps over time, attention, why, the landscape.

``d`` cycles the views (``VIEWS``); the memory list is the first, the others
are drawn here as lines of text by ``SideView``, which the main screen asks to
``show`` the workspace once a frame at most (while recalling) and after each
edit. Only the view on show is computed: the overlaps' samples are taken
during every recall (O(P) a frame) so that the plot is there when asked for.
Names come from users: they are put in ``Content`` as plain text, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
from textual import events
from textual.content import Content
from textual.widgets import Static

from tui_hopfield.model.inside import (
    GLOBAL_ENTROPY,
    HEAVY_WORK,
    MIXTURE_MASS,
    SINGLE_WEIGHT,
    Attention,
    FieldSplit,
    OverlapTrace,
    attention,
    connections,
    field_split,
    query_dots,
    top_indices,
)
from tui_hopfield.model.landscape_view import (
    Plane,
    cell_of,
    closest_pair,
    contour_grid,
    levels,
    next_pair,
    path_points,
    plane,
    reachable,
)
from tui_hopfield.model.rules import Softmax

VIEWS = ("memories", "overlaps", "attention", "why", "landscape")
"""The lower views, in the order ``d`` cycles them."""

TITLES = {
    "memories": "memories          overlap with the grid",
    "overlaps": "overlaps over time  (d: next view)",
    "attention": "attention of the modern rule  (d: next view)",
    "why": "why this magnet  (d: next view)",
    "landscape": "the landscape  (d: next view)",
}
"""The title each view draws as its first line (the memory list has the screen's)."""

LEVELS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"
"""Eighth blocks: an overlap m in [-1, 1] as one of eight heights."""
NAME_WIDTH = 10
"""Cells a memory's name takes at the start of its line."""


def level(m: float) -> str:
    """The block of height (m + 1) / 2 in eighths, for an overlap in [-1, 1]."""
    k = round((min(1.0, max(-1.0, m)) + 1.0) / 2.0 * (len(LEVELS) - 1))
    return LEVELS[k]


def bar(fraction: float, width: int) -> str:
    """A horizontal bar of ``fraction`` (0..1) of ``width`` cells, in eighths."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    text = "\u2588" * full + (" \u258f\u258e\u258d\u258c\u258b\u258a\u2589"[part] if part else "")
    return text.ljust(width)


def name_cell(name: str, width: int = NAME_WIDTH) -> str:
    """A name cut or padded to ``width`` cells."""
    return (name if len(name) <= width else name[: width - 1] + "\u2026").ljust(width)


def overlap_lines(
    trace: OverlapTrace | None,
    unit: str,
    width: int,
    height: int,
    energy_at: Callable[[int], float] | None = None,
) -> list[Content]:
    """The overlaps plot: one line per memory (the largest |m| now first), m against time.

    ``energy_at`` gives the recorded energy at a position: a line of it is drawn above.
    """
    if trace is None:
        return [
            Content("Recall (r) and every memory's overlap m = xi.s / N"),
            Content("is drawn here against the flips (or steps)."),
        ]
    end = trace.positions[-1]
    chart = max(4, width - NAME_WIDTH - 7)
    lines = [
        Content("overlap m: \u2581 -1 \u2588 +1, energy: low to high"),
        Content(f"against {unit}s 0 \u2192 {end}, left to right"),
    ]
    rows = max(1, height - 3)
    last = trace.last
    shown = top_indices(np.abs(last), rows)
    positions, columns = trace.columns(chart)
    if energy_at is not None and rows > 1:
        rows -= 1
        shown = shown[:rows]
        values = np.array([energy_at(int(position)) for position in positions])
        low, high = float(values.min()), float(values.max())
        span = high - low if high > low else 1.0
        line = "".join(level(2 * (e - low) / span - 1) for e in values)
        lines.append(
            Content.assemble(name_cell("energy"), " ", (line, "dim"), f" {values[-1]:.0f}")
        )
    for k, mu in enumerate(shown):
        name = trace.names[mu] if mu < len(trace.names) else f"memory {mu + 1}"
        line = "".join(level(m) for m in columns[:, mu])
        style = "bold" if k == 0 else ""
        lines.append(Content.assemble(name_cell(name), " ", (line, style), f" {last[mu]:+.2f}"))
    hidden = len(last) - len(shown)
    if hidden > 0:
        lines.append(Content(f"{hidden} more, closer to 0, not drawn"))
    return lines


def attention_lines(
    found: Attention | None, names: tuple[str, ...], beta: float, width: int, height: int
) -> list[Content]:
    """The attention bars: the formula, its transformer reading, the regime, the top weights.

    Every line fits 42 cells (the side panel at 80x24).
    """
    if found is None:
        return [
            Content("Attention is the modern rule's (ctrl+l)."),
            Content("x \u2190 \u03be\u1d40 softmax(\u03b2 \u03be x / N + log c) is"),
            Content("one attention head: the grid the query,"),
            Content("the memories its keys and its values."),
        ]
    weights = found.weights
    lines = [
        Content(f"p = softmax(\u03b2 \u03be x / N + log c), \u03b2 = {beta:g}"),
        Content("query = the grid x, keys = values = \u03be"),
        Content(f"x \u2190 \u03be\u1d40 p, an attention head; \u03a3p = {weights.sum():.3f}"),
        Content.assemble(
            "regime: ",
            (found.regime + " ", "bold"),
            f"(max p {weights.max():.2f}, H {found.entropy:.2f})",
        ),
    ]
    if found.regime == "metastable mixture":
        mixed = ", ".join(name_cell(names[mu], 8).rstrip() for mu in found.mixture[:3])
        more = "" if len(found.mixture) <= 3 else f" +{len(found.mixture) - 3}"
        lines.append(Content(f"{MIXTURE_MASS:.0%} of p on {mixed}{more}"))
    legend = Content(
        f"single: max p \u2265 {SINGLE_WEIGHT:g}; global: H \u2265 {GLOBAL_ENTROPY:g} log P"
    )
    rows = max(1, height - len(lines) - (1 if height > len(lines) + 2 else 0))
    chart = max(4, width - NAME_WIDTH - 6)
    for mu in top_indices(weights, rows):
        lines.append(
            Content.assemble(
                name_cell(names[mu]), " ", bar(weights[mu], chart), f" {weights[mu]:.2f}"
            )
        )
    if height > len(lines):
        lines.append(legend)
    return lines


FORMULAS = {
    "hebbian": "h = \u03a3 c_\u03bc \u03be_\u03bc,i m_\u03bc \u2212 (\u03a3c / N) s",
    "pseudo-inverse": "h = \u03a3 \u03be_\u03bc,i (M d)_\u03bc \u2212 W_ii s",
    "dense": "h = s dE / 2: each memory's part of dE",
    "modern": "v = \u03a3 p_\u03bc \u03be_\u03bc,i, the next x_i",
    "dense exp": "v = \u03a3 p_\u03bc \u03be_\u03bc,i, p = softmax(\u03be s + log c)",
}
"""What the why view splits, per rule: the field h, or the softmax rules' vote v."""


def why_lines(
    split: FieldSplit | None,
    names: tuple[str, ...],
    where: tuple[int, int],
    rule: str,
    width: int,
    height: int,
    picture: str,
) -> list[Content]:
    """The field on the cursor's magnet, split into each memory's pull; lines of 42 cells."""
    row, col = where
    if split is None:
        return [Content(f"magnet ({row}, {col}): no memories, no field.")]
    arrow = "north" if split.spin > 0 else "south"
    lines = [Content(f"magnet ({row}, {col}) {arrow}, s = {split.spin:+d}, {rule}")]
    tail: list[Content] = []
    if picture:
        tail = [Content(part) for part in picture.split("\n")]
    if split.kind == "whole":
        lines.append(Content(f"h = (W s)_i = {split.field:+.4f}"))
        lines.append(Content("Storkey's W is learned with cross-talk"))
        lines.append(Content("corrections: no one pull per memory."))
        turn = split.spin * split.field < 0
        lines.append(Content(f"s h {'< 0: flips' if turn else '>= 0: stays'} at T = 0"))
        return lines + tail
    family = "dense exp" if rule == "dense exp" else rule.split(" ")[0]
    lines.append(Content(FORMULAS.get(family, FORMULAS["dense"])))
    pulls = split.pulls
    signal = int(np.argmax(np.abs(pulls)))
    cross = float(pulls.sum() - pulls[signal])
    summary = [
        Content.assemble(
            "signal ",
            (f"{pulls[signal]:+.3f} ", "bold"),
            f"({name_cell(names[signal], 10).rstrip()}), cross-talk {cross:+.3f}",
        )
    ]
    if split.kind == "vote":
        value = split.spin * split.total
        if split.threshold:
            turn = value < split.threshold
            summary.append(
                Content(
                    f"s v = {value:+.3f} {'<' if turn else '>='} tanh \u03b2"
                    f" = {split.threshold:.3f}: {'flips' if turn else 'stays'}"
                )
            )
        else:
            sign = "north" if split.total > 0 else "south" if split.total < 0 else "as it is"
            summary.append(Content(f"v = {split.total:+.4f}: the next step sets {sign}"))
    else:
        self_term = f" (self {split.rest:+.3f})" if split.rest else ""
        turn = split.spin * split.total < 0
        summary.append(
            Content(f"h = {split.total:+.3f}{self_term}: {'flips' if turn else 'stays'} at T=0")
        )
        rule_line = Content("at T = 0 a magnet flips when s h < 0")
    if split.kind != "vote" and height - len(lines) - len(summary) - len(tail) > 2:
        summary.append(rule_line)
    rows = max(1, height - len(lines) - len(summary) - len(tail))
    order = top_indices(np.abs(pulls), rows)
    big = float(np.abs(pulls[order]).max()) if len(order) else 0.0
    chart = max(3, (width - NAME_WIDTH - 9) // 2)
    for mu in order:
        value = float(pulls[mu])
        cells = bar(abs(value) / big if big else 0.0, chart)
        left = cells[::-1] if value < 0 else " " * chart
        right = cells if value >= 0 else " " * chart
        tag = "bold" if mu == signal else ""
        lines.append(
            Content.assemble((name_cell(names[mu]), tag), left, "|", right, f"{value:+.3f}")
        )
    return lines + summary + tail


SHADES = "\u2593\u2592\u2591\u00b7"
"""The contour bands, lowest energy (a valley) first; a blank cell is out of reach."""
AGES = ("$text-disabled", "$text-muted", "$text")
"""The path's colours, oldest third first."""
KIND_NOTES = {
    "storkey": "Storkey: Hebb's E",
    "softmax": "other m: e^0 = 1",
}
"""What the line under the formula says first, by kind (else: the other overlaps are 0)."""


def landscape_lines(
    found: Plane | None,
    bands: np.ndarray | None,
    points: np.ndarray | None,
    names: tuple[str, ...],
    width: int,
) -> list[Content]:
    """The plane (m_a, m_b) shaded by energy bands, the path over it, the dot at its end.

    ``bands`` (rows, cols) are contour bands (0: the lowest); ``points`` (K, 2) the
    path's overlaps, oldest first. The valleys at m_a = +1 and m_b = +1 carry the names.
    """
    if found is None or bands is None:
        return [
            Content("The landscape needs two memories: the"),
            Content("plane of the overlaps with two of them."),
        ]
    rows, cols = bands.shape
    cells = [[(SHADES[band] if band >= 0 else " ", "$text-muted") for band in row] for row in bands]
    name_a = name_cell(names[found.a], 10).rstrip() if found.a < len(names) else "a"
    name_b = name_cell(names[found.b], 10).rstrip() if found.b < len(names) else "b"
    mid = max(0, rows // 2 - 1)  # above the valley's row, where the path comes in
    for k, char in enumerate(name_a[: cols // 2]):
        cells[mid][cols - len(name_a[: cols // 2]) + k] = (char, "bold")
    start = max(0, cols // 2 + 1)
    for k, char in enumerate(name_b[: cols - start]):
        cells[0][start + k] = (char, "bold")
    if points is not None and len(points):
        count = len(points)
        for k, (ma, mb) in enumerate(points[:-1]):
            row, col = cell_of(float(ma), float(mb), cols, rows)
            cells[row][col] = ("\u2022", AGES[min(2, 3 * k // max(1, count - 1))])
        row, col = cell_of(float(points[-1][0]), float(points[-1][1]), cols, rows)
        cells[row][col] = ("\u25cf", "bold $accent")
    note = KIND_NOTES.get(found.kind, "other m = 0") + "; \u2593 low \u00b7 high"
    if len(note) + 17 <= width:
        note += ", blank: no state"
    lines = [Content(found.formula), Content(note)]
    for row in cells:
        lines.append(Content.assemble(*[(char, style) for char, style in row]))
    if points is not None and len(points):
        ma, mb = points[-1]
        lines.append(Content(f"x: m_a {name_a} {ma:+.2f}  y: m_b {name_b} {mb:+.2f}"))
    return lines


class SideView(Static):
    """The lower view of the side panel when it is not the memory list."""

    DEFAULT_CSS = """
    SideView {
        height: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.view = "memories"
        """Which of ``VIEWS`` is on show."""
        self.trace: OverlapTrace | None = None
        """The overlaps of the last recall (or the one running)."""
        self.unit = "flip"
        """What a position of ``trace`` is: ``flip`` or ``step``."""
        self.picture = ""
        """What the connections' picture on the grid shows, or empty when it is off."""
        self.attention: Attention | None = None
        """The attention last drawn (modern rule), for tests and the title."""
        self.split: FieldSplit | None = None
        """The field split last drawn."""
        self.pair: tuple[int, int] | None = None
        """The landscape's two memories (a, b), or None for the two closest at the start."""
        self.plane: Plane | None = None
        """The plane last drawn, for tests and the title."""
        self.points: np.ndarray | None = None
        """The landscape's path last drawn: overlaps (K, 2) with (a, b), oldest first."""
        self._contours: tuple[object, np.ndarray] | None = None
        self._closest: tuple[OverlapTrace, tuple[int, int]] | None = None
        self._recording = None
        self._key: object = None
        self._pending: object = None

    def sample(self, workspace) -> None:
        """During a recall: add the overlaps now to the trace (O(P)); a new recall starts one."""
        network = workspace.network
        if not workspace.recalling or not workspace.recordings or not network.count:
            return
        recording = workspace.recordings[-1]
        if recording is not self._recording:
            self._recording = recording
            self.unit = recording.unit
            landscape = network.landscape
            start = landscape.dots_of(recording.start) / network.n
            self.trace = OverlapTrace(start, network.names)
        trace = self.trace
        if trace is None or len(trace.last) != network.count:
            return
        if not trace.catch_up(recording, network.landscape.columns, network.n):
            trace.add(len(recording), network.overlaps())

    def show(self, workspace, cursor: tuple[int, int]) -> None:
        """Draw the view on show for the workspace now (nothing for the memory list)."""
        self.sample(workspace)
        if self.view == "memories" or not self.display:
            return
        network = workspace.network
        width, height = max(20, self.size.width), max(4, self.size.height or 8) - 1
        if self.view == "overlaps":
            recording = self._recording
            energy_at = None if recording is None else recording.energy_at
            lines = overlap_lines(self.trace, self.unit, width, height, energy_at)
        elif self.view == "attention":
            lines = self._attention_lines(network, width, height)
        elif self.view == "landscape":
            lines = self._landscape_lines(network, width, height)
        else:
            lines = self._why_lines(network, cursor, width, height)
        title = Content.styled(TITLES[self.view], "bold")
        self.update(Content("\n").join([title, *lines]))

    def _attention_lines(self, network, width: int, height: int) -> list[Content]:
        landscape = network.landscape
        if not network.rule.continuous or not isinstance(landscape, Softmax):
            self.attention = None
            return attention_lines(None, (), 0.0, width, height)
        values = network.values
        key = (network.revision, id(values), network.overlaps().tobytes() if values is None else 0)
        lines_of = attention_lines
        if key != self._key or self.attention is None:
            if values is None:  # the spins' overlaps are kept: O(P)
                self.attention, self._key = (
                    attention(landscape, None, network.overlaps() * network.n),
                    key,
                )
            elif network.n * network.count <= HEAVY_WORK:
                self.attention, self._key = attention(landscape, values), key
            elif self._pending != key:  # O(N P) in a thread: numpy lets the screen run
                self._pending = key
                self.run_worker(
                    partial(self._attend, landscape, values.copy(), key),
                    thread=True,
                    exclusive=True,
                    group="attention",
                )
        if self.attention is None or self._key != key:
            if self.attention is None:
                return [Content("attention: computing the weights\u2026")]
            lines = lines_of(self.attention, network.names, network.rule.beta, width, height - 1)
            return [*lines, Content("(the last step's; the new ones are being computed)")]
        return lines_of(self.attention, network.names, network.rule.beta, width, height)

    def pair_of(self, network) -> tuple[int, int] | None:
        """The landscape's pair now: the chosen one, or the closest two at the recall's start."""
        if network.count < 2 or network.landscape is None:
            return None
        if self.pair is not None and max(self.pair) < network.count:
            return self.pair
        trace = self.trace
        if trace is not None and len(trace.last) == network.count:
            if self._closest is None or self._closest[0] is not trace:  # once a recall: O(P)
                self._closest = (trace, closest_pair(trace.samples[0]))
            return self._closest[1]
        return closest_pair(network.overlaps())

    def next_pair(self, network) -> None:
        """Choose the pair with the same first memory and the next second one."""
        pair = self.pair_of(network)
        if pair is not None:
            self.pair = next_pair(pair, network.count)

    def _landscape_lines(self, network, width: int, height: int) -> list[Content]:
        pair = self.pair_of(network)
        if pair is None:
            self.plane = self.points = None
            return landscape_lines(None, None, None, (), width)
        cols, rows = max(8, width), max(3, height - 3)
        key = (id(network.landscape), network.revision, pair, cols, rows)
        if self._contours is None or self._contours[0] != key:  # once per pair and size
            found = plane(network.landscape, *pair)
            inside = reachable(found, cols, rows)
            bands = levels(contour_grid(found, cols, rows), len(SHADES), inside)
            self._contours = (key, bands)
            self.plane = found
        trace = self.trace
        now = network.overlaps()[list(pair)]
        if trace is not None and len(trace.last) == network.count:
            points = path_points(trace, pair)[1]
            if not np.allclose(points[-1], now):
                points = np.vstack([points, now[None, :]])
        else:
            points = now[None, :]
        self.points = points
        return landscape_lines(self.plane, self._contours[1], points, network.names, cols)

    def _attend(self, landscape: Softmax, values: np.ndarray, key: object) -> None:
        found = attention(landscape, values)
        self.app.call_from_thread(self._attended, found, key)

    def on_resize(self, event: events.Resize) -> None:
        """Draw again for the new size: the rows it fits change (say when beta's row shows)."""
        screen = self.screen
        if self.view != "memories" and self.display and hasattr(screen, "_show_view"):
            screen._show_view()

    def _attended(self, found: Attention, key: object) -> None:
        self._pending = None
        self.attention, self._key = found, key
        screen = self.screen
        if hasattr(screen, "_show_view"):
            screen._show_view()

    def _why_lines(
        self, network, cursor: tuple[int, int], width: int, height: int
    ) -> list[Content]:
        landscape = network.landscape
        row, col = cursor
        if landscape is None:
            self.split = None
            return why_lines(None, (), cursor, network.rule.label, width, height, "")
        index = row * network.cols + col
        dots = network.overlaps() * network.n
        if network.rule.continuous and network.values is not None:
            dots = query_dots(landscape, network.values)
        self.split = field_split(landscape, network.state, dots, index)
        return why_lines(
            self.split, network.names, cursor, network.rule.label, width, height, self.picture
        )


def cycle(view: str) -> str:
    """The view after ``view`` in ``VIEWS``."""
    return VIEWS[(VIEWS.index(view) + 1) % len(VIEWS)]


class ViewActions:
    """A mixin for the main screen: cycle the lower view, draw it, the connections' picture."""

    def _show_view(self) -> None:
        """Draw the lower view for the workspace now (called at most once a frame)."""
        view = self.side_view
        if view.picture and (self.recalling or self.grid._values is None):
            view.picture = ""  # a recall or an edit shows the spins again
            self._connecting = None
            if self.recalling:
                self.grid.show_values(self.network.values)
        view.show(self.workspace, getattr(self, "_pointed", None) or self.grid.cursor)

    def action_view(self, name: str = "") -> None:
        """Show the lower view ``name`` (one of ``VIEWS``), or the next one when empty."""
        view = self.side_view
        view.view = name if name else cycle(view.view)
        memories = view.view == "memories"
        if not memories and self.memory_list.has_focus:
            self.grid.focus()  # the list is about to hide: the keys go to the grid
        self.memory_list.display = memories
        # The memory list's title is the screen's (it shortens in a narrow panel); the
        # other views draw their own title as their first line.
        self.query_one("#memories-title").display = memories
        view.display = not memories
        if memories and view.picture:
            self.action_connections()
        self._show_view()

    def action_connections(self) -> None:
        """Show the cursor's magnet's connections W_ij on the grid, or the spins again."""
        view = self.side_view
        self._connecting = None
        if view.picture:
            view.picture = ""
            self.grid.show_values(self.network.values)
            self._show_view()
            return
        if view.view != "why":
            self.action_view("why")
        self._draw_connections()

    def _draw_connections(self) -> None:
        network = self.network
        landscape = network.landscape
        row, col = self.grid.cursor
        index = row * network.cols + col
        if landscape is not None and network.n * network.count > HEAVY_WORK:
            # O(N P) in a thread (numpy lets the screen run); the latest cursor wins.
            if not self.side_view.picture:
                self.notify(f"Drawing the connections of ({row}, {col}) in the background.")
            self._connecting = ((row, col), network.revision)
            self.run_worker(
                partial(self._connect, landscape, index, (row, col), network.revision),
                thread=True,
                exclusive=True,
                group="connections",
            )
            return
        weights = None if landscape is None else connections(landscape, index)
        self._show_connections(weights, (row, col))

    def _connect(self, landscape, index: int, where: tuple[int, int], revision: int) -> None:
        weights = connections(landscape, index)
        self.app.call_from_thread(self._connected, weights, where, revision)

    def _connected(self, weights, where: tuple[int, int], revision: int) -> None:
        if (
            getattr(self, "_connecting", None)
            == (where, revision)
            == (
                self.grid.cursor,
                self.network.revision,
            )
        ):
            self._connecting = None
            self._show_connections(weights, where)

    def _show_connections(self, weights: np.ndarray | None, where: tuple[int, int]) -> None:
        view = self.side_view
        row, col = where
        if weights is None:
            self.notify(
                "Only Hebb, Storkey and the pseudo-inverse have pairwise weights W:"
                " the dense and modern energies are not quadratic.",
                title="No connections to draw",
            )
            return
        top = float(np.abs(weights).max())
        self.grid.show_values(weights / top if top > 0 else weights)
        view.picture = (
            f"grid: W_ij from ({row}, {col}), north colour > 0\n"
            f"max |W| = {top:.4f}; an edit or r ends it"
        )
        view.show(self.workspace, self.grid.cursor)

    def action_landscape_pair(self) -> None:
        """Show the landscape with the next second memory of its pair."""
        view = self.side_view
        view.next_pair(self.network)
        if view.view != "landscape":
            self.action_view("landscape")
        else:
            self._show_view()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Over the grid, the why view follows the mouse (O(P) a move)."""
        view = self.side_view
        if view.view != "why" or event.widget is not self.grid:
            return
        spots = self.grid.spins_at(event.pointer_x, event.pointer_y)
        if spots and spots[0] != getattr(self, "_pointed", None):
            self._pointed = spots[0]
            view.show(self.workspace, spots[0])

    def _cursor_moved(self) -> None:
        self._pointed = None
        if self.side_view.picture:
            self._draw_connections()
        elif self.side_view.view == "why":
            self._show_view()

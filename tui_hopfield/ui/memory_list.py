"""The memories and how much the grid looks like each one."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

FULL, EIGHTHS = "\u2588", " \u258f\u258e\u258d\u258c\u258b\u258a\u2589"


def bar(fraction: float, width: int) -> str:
    """A horizontal bar ``width`` cells long filled to ``fraction`` (0..1), in eighths."""
    eighths = round(min(max(fraction, 0.0), 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    text = FULL * full + (EIGHTHS[part] if part else "")
    return text.ljust(width)


class MemoryList(Widget):
    """One line per memory: its name, a bar of |overlap| with the grid, the overlap.

    A negative overlap (the grid is the memory turned over) draws its bar in
    the ``memory-list--inverse`` colour; the memory the grid is closest to is
    drawn in ``memory-list--best``.
    """

    COMPONENT_CLASSES = {
        "memory-list--name",
        "memory-list--bar",
        "memory-list--inverse",
        "memory-list--best",
        "memory-list--empty",
    }
    """Name, bar, bar of a negative overlap, the closest memory, the empty hint."""

    DEFAULT_CSS = """
    MemoryList {
        height: auto;
    }
    """

    rows: reactive[tuple[tuple[str, float], ...]] = reactive(())
    """(name, overlap) of every memory, in the order they were stored."""

    def watch_rows(
        self, old: tuple[tuple[str, float], ...], new: tuple[tuple[str, float], ...]
    ) -> None:
        # A new height only when the number of memories changes, not on every
        # frame of a recall (the overlaps change, the layout does not).
        if len(old) != len(new) or not old or not new:
            self.refresh(layout=True)

    def render(self) -> Text:
        if not self.rows:
            return Text(
                "no memories yet: press a picture, or draw and press i",
                style=self.get_component_rich_style("memory-list--empty"),
            )
        name_width = min(12, max(len(name) for name, _ in self.rows))
        bar_width = max(4, self.size.width - name_width - 8)
        best = max(range(len(self.rows)), key=lambda k: abs(self.rows[k][1]))
        text = Text(no_wrap=True, overflow="crop")
        for k, (name, overlap) in enumerate(self.rows):
            if k:
                text.append("\n")
            name_style = self.get_component_rich_style(
                "memory-list--best" if k == best else "memory-list--name"
            )
            bar_style = self.get_component_rich_style(
                "memory-list--inverse" if overlap < 0 else "memory-list--bar"
            )
            text.append(f"{name[:name_width]:<{name_width}} ", name_style)
            text.append(bar(abs(overlap), bar_width), bar_style)
            text.append(f" {overlap:+.2f}", name_style)
        return text

"""How the Lab shows a result: its charts (``ChartView``) and its tables (``fill_table``).

A chart is drawn to fit its widget, each series in its colour; a table's cells
are plain text, never markup, as scene names come from the user's files.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget
from textual.widgets import DataTable

from tui_hopfield.experiments.plots import AXIS, NOBODY, REFERENCE, Chart
from tui_hopfield.experiments.tables import Table

SERIES_CLASSES = ("chart-view--first", "chart-view--second", "chart-view--third")
"""Component classes of the series' colours, in order (more series reuse them)."""


class ChartView(Widget):
    """A ``Chart`` drawn to fit the widget, each series in its colour."""

    COMPONENT_CLASSES = {
        *SERIES_CLASSES,
        "chart-view--axis",
        "chart-view--reference",
    }

    DEFAULT_CSS = """
    ChartView {
        width: 1fr;
        height: 1fr;
        min-height: 8;
    }
    ChartView > .chart-view--first { color: $plot-first; text-style: bold; }
    ChartView > .chart-view--second { color: $plot-second; text-style: bold; }
    ChartView > .chart-view--third { color: $plot-third; }
    ChartView > .chart-view--axis { color: $text-muted; }
    ChartView > .chart-view--reference { color: $plot-reference; }
    """

    def __init__(self, empty: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.chart: Chart | None = None
        """What is drawn; None shows ``empty``."""
        self.empty = empty
        """The text shown before there is a chart."""

    def show(self, chart: Chart | None) -> None:
        """Draw ``chart`` (None: the empty text)."""
        self.chart = chart
        self.refresh()

    def text(self) -> str:
        """The chart as plain text at the widget's size (for tests and copying)."""
        if self.chart is None:
            return self.empty
        return self.chart.draw(self.size.width, self.size.height).text()

    def render(self) -> Text:
        if self.chart is None:
            return Text(self.empty, style=self.get_component_rich_style("chart-view--axis"))
        drawing = self.chart.draw(self.size.width, self.size.height)
        styles = {
            AXIS: self.get_component_rich_style("chart-view--axis"),
            REFERENCE: self.get_component_rich_style("chart-view--reference"),
        }
        text = Text(no_wrap=True, overflow="crop")
        for number, (line, owners) in enumerate(zip(drawing.lines, drawing.owners, strict=True)):
            if number:
                text.append("\n")
            for char, owner in zip(line, owners, strict=True):
                if owner == NOBODY:
                    text.append(char)
                    continue
                if owner not in styles:
                    name = SERIES_CLASSES[owner % len(SERIES_CLASSES)]
                    styles[owner] = self.get_component_rich_style(name)
                text.append(char, styles[owner])
        return text


def fill_table(table: DataTable, content: Table) -> None:
    """Show ``content`` (headers and rows) in ``table``, in place of what it showed."""
    headers, rows = content
    table.clear(columns=True)
    table.add_columns(*headers)
    # Scene names come from file names: cells are plain text, never markup.
    table.add_rows([[plain_cell(cell) for cell in row] for row in rows])


def plain_cell(cell: object) -> object:
    """A table cell as DataTable shows a string, but never read as markup."""
    return Text(cell, no_wrap=True, end="") if isinstance(cell, str) else cell


def finished(complete: bool, seconds: float) -> str:
    """A run's status once it ended: done, or stopped, after ``seconds``."""
    return f"done in {seconds:.1f} s" if complete else f"stopped after {seconds:.1f} s"

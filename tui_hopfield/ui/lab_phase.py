"""The Lab's phase diagram tab: its settings, its heat map in the theme's colours, "you are here".

``PhaseView`` draws ``phase_plots.phase_map`` to fit the widget: the cells in
the first plot colour (their shades say the overlap without colour), the
retrieval line in the reference colour, the spin-glass line in the third and
"you are here" in the second. ``Here`` is the app's load and temperature,
handed to the lab when the main screen opens it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.dom import DOMNode
from textual.widget import Widget

from tui_hopfield.experiments.phase import MAX_ALPHA, MAX_T, PhaseSettings, parse_grid
from tui_hopfield.experiments.phase_plots import HEAT, HERE, SPIN_GLASS, phase_map
from tui_hopfield.experiments.plots import AXIS, REFERENCE
from tui_hopfield.ui.lab_settings import parse_number, read_seed, value


@dataclass(frozen=True)
class Here:
    """The app's load and temperature when it opened the lab: "you are here"."""

    alpha: float
    """The load P / N (counted by strength, as the status bar's "over capacity" is)."""
    temperature: float
    """The temperature on the diagram's scale: the app's over the strongest memory's
    strength (a memory of strength c feels fields c times as strong: ``of``)."""
    rule: str = "hebbian"
    """The app's rule's label: the diagram is Hebb's, and says so for another rule."""
    strongest: float = 1.0
    """The strongest memory's strength, which the app's temperature was divided by."""

    @classmethod
    def of(cls, load: float, temperature: float, rule: str, strongest: float) -> Here:
        """The point of an app at ``temperature`` whose strongest memory has ``strongest``."""
        strongest = strongest if strongest > 0 else 1.0
        return cls(load, temperature / strongest, rule, strongest)

    def describe(self) -> str:
        """Where this point lies by AGS's lines, and for which rule."""
        from tui_hopfield.experiments.phase import describe_here

        text = f"you are here: {describe_here(self.alpha, self.temperature)}"
        if self.strongest != 1.0:
            text += (
                f"; T is the app's {self.temperature * self.strongest:.2f} over the"
                f" strongest memory's strength {self.strongest:g}"
            )
        if self.rule not in ("hebbian", "dense n=2"):
            text += f"; the app's rule is {self.rule}, the diagram is Hebb's"
        return text


def phase_settings(screen: DOMNode) -> PhaseSettings:
    """The phase sweep's settings, read from its form."""
    return PhaseSettings(
        n=parse_number(value(screen, "phase-n"), int, "N"),
        alphas=parse_grid(value(screen, "phase-alphas"), "loads", 1e-9, MAX_ALPHA),
        temperatures=parse_grid(value(screen, "phase-temperatures"), "temperatures", 0.0, MAX_T),
        cues=parse_number(value(screen, "phase-cues"), int, "cues"),
        sweeps=parse_number(value(screen, "phase-sweeps"), int, "sweeps"),
        seed=read_seed(screen, "phase"),
    )


class PhaseView(Widget):
    """The phase diagram drawn to fit the widget, in the theme's plot colours."""

    COMPONENT_CLASSES = {
        "phase-view--heat",
        "phase-view--here",
        "phase-view--retrieval",
        "phase-view--glass",
        "phase-view--axis",
    }

    DEFAULT_CSS = """
    PhaseView {
        width: 1fr;
        height: 2fr;
        min-height: 12;
    }
    PhaseView > .phase-view--heat { color: $plot-first; }
    PhaseView > .phase-view--here { color: $plot-second; text-style: bold reverse; }
    PhaseView > .phase-view--retrieval { color: $plot-reference; text-style: bold; }
    PhaseView > .phase-view--glass { color: $plot-third; text-style: bold; }
    PhaseView > .phase-view--axis { color: $text-muted; }
    """

    def __init__(self, empty: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.result = None
        """The sweep drawn (a ``PhaseResult``); None shows ``empty``."""
        self.here: Here | None = None
        """The app's point, marked when it lies on the map."""
        self.empty = empty
        """The text shown before there is a result."""

    def show(self, result, here: Here | None = None) -> None:
        """Draw ``result`` (None: the empty text) with ``here`` marked."""
        self.result = result
        self.here = here
        self.refresh()

    def text(self) -> str:
        """The map as plain text at the widget's size (for tests and copying)."""
        if self.result is None:
            return self.empty
        return self._drawing().text()

    def _drawing(self):
        here = None if self.here is None else (self.here.alpha, self.here.temperature)
        return phase_map(self.result, self.size.width, self.size.height, here)

    def render(self) -> Text:
        axis = self.get_component_rich_style("phase-view--axis")
        if self.result is None:
            return Text(self.empty, style=axis)
        styles = {
            HEAT: self.get_component_rich_style("phase-view--heat"),
            HERE: self.get_component_rich_style("phase-view--here"),
            REFERENCE: self.get_component_rich_style("phase-view--retrieval"),
            SPIN_GLASS: self.get_component_rich_style("phase-view--glass"),
            AXIS: axis,
        }
        drawing = self._drawing()
        text = Text(no_wrap=True, overflow="crop")
        for number, (line, owners) in enumerate(zip(drawing.lines, drawing.owners, strict=True)):
            if number:
                text.append("\n")
            for char, owner in zip(line, owners, strict=True):
                style = styles.get(owner)
                if style is None:
                    text.append(char)
                else:
                    text.append(char, style)
        return text

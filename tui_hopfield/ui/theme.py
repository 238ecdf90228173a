"""The colours of the magnets and of the plots, as Textual theme variables.

Every stylesheet names them (``$magnet-north``, ``$plot-first``...) instead of
writing the colour, and the widgets that need a colour's value in Python (the
grid, the thumbnails, the charts) read it from their component styles, which
come from these variables. A theme may override any of them in its
``variables``. An app that shows these widgets must define the variables:
derive it from ``PaletteApp``.
"""

from __future__ import annotations

from textual.app import App, ReturnType

PALETTE: dict[str, str] = {
    "magnet-north": "#d7261e",
    "magnet-south": "#2d6bd9",
    "magnet-cursor-north": "#ffb000",
    "magnet-cursor-south": "#62e0ff",
    "plot-first": "#e0463e",
    "plot-second": "#4f8fef",
    "plot-third": "#d9a21b",
    "plot-reference": "#3fae6a",
}
"""Theme variable name -> its default colour: north red, south blue, cursors, plot series."""


class PaletteApp(App[ReturnType]):
    """An app whose stylesheets may use the variables of ``PALETTE``."""

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Textual's defaults and the palette (a theme's own ``variables`` still win)."""
        return {**super().get_theme_variable_defaults(), **PALETTE}

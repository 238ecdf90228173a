"""The colours of the magnets and of the plots, as Textual theme variables.

Every stylesheet names them (``$magnet-north``, ``$plot-first``...) instead of
writing the colour, and the widgets that need a colour's value in Python (the
grid, the thumbnails, the charts) read it from their component styles, which
come from these variables. A theme may override any of them in its
``variables``. An app that shows these widgets must define the variables:
derive it from ``PaletteApp``.

The magnets' four colours (north, south, and the cursor over each) come in
``PALETTES``, chosen by name with ``PaletteApp.apply_palette``; everything that
draws north and south (the grid and its shades between them, the thumbnails,
the memory panel, the slider, the energy trace, the exported PNG) follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App, ReturnType
from textual.color import Color
from textual.css.stylesheet import Stylesheet


@dataclass(frozen=True)
class MagnetPalette:
    """The colours of the magnets: north, south and the cursor over each, as hex."""

    name: str
    """The palette's name: what the config file and ``apply_palette`` take."""
    title: str
    """How the command palette shows it."""
    help: str
    """The command palette's line about it."""
    north: str
    """North (+1)."""
    south: str
    """South (-1)."""
    cursor_north: str
    """The keyboard cursor over a north magnet."""
    cursor_south: str
    """The keyboard cursor over a south magnet."""

    @property
    def variables(self) -> dict[str, str]:
        """The theme variables this palette sets."""
        return {
            "magnet-north": self.north,
            "magnet-south": self.south,
            "magnet-cursor-north": self.cursor_north,
            "magnet-cursor-south": self.cursor_south,
            "magnet-pinned-north": pinned_tone(self.north),
            "magnet-pinned-south": pinned_tone(self.south),
        }


def pinned_tone(colour: str) -> str:
    """The darker tone a pinned magnet of ``colour`` (hex) is drawn in."""
    return Color.parse(colour).darken(PINNED_DARKEN).hex


PINNED_DARKEN = 0.3
"""How much darker (Textual's ``Color.darken``, in Lab lightness) a pinned magnet is."""


DEFAULT_PALETTE = "red-blue"
"""The palette at start, unless the config file names another."""

PALETTES: dict[str, MagnetPalette] = {
    palette.name: palette
    for palette in (
        MagnetPalette(
            "red-blue",
            "Red and blue",
            "North red, south blue (the default)",
            north="#d7261e",
            south="#2d6bd9",
            cursor_north="#ffb000",
            cursor_south="#62e0ff",
        ),
        # Okabe & Ito, "Color Universal Design" (2008): their orange and blue, which
        # stay apart under protanopia, deuteranopia and tritanopia (checked in
        # tests/test_palettes.py with the simulation of Machado, Oliveira & Fernandes
        # 2009); the cursors are paler tints of the same two hues.
        MagnetPalette(
            "okabe-ito",
            "Orange and blue (colour-blind safe)",
            "Okabe-Ito orange north, blue south: apart for every kind of colour blindness",
            north="#e69f00",
            south="#0072b2",
            cursor_north="#fff5b0",
            cursor_south="#9fdcff",
        ),
        MagnetPalette(
            "high-contrast",
            "Yellow and blue (high contrast)",
            "Bright yellow north, pure blue south: 8:1 luminance contrast",
            north="#ffff00",
            south="#0000ff",
            cursor_north="#ff00ff",
            cursor_south="#00ffff",
        ),
    )
}
"""Every magnet palette, by name (the default first)."""

PALETTE: dict[str, str] = {
    **PALETTES[DEFAULT_PALETTE].variables,
    "plot-first": "#e0463e",
    "plot-second": "#4f8fef",
    "plot-third": "#d9a21b",
    "plot-reference": "#3fae6a",
}
"""Theme variable name -> its default colour: north red, south blue, cursors, plot series."""


class UnknownPalette(ValueError):
    """A palette name that is not in ``PALETTES``; the message lists those that are."""


def palette_named(name: str) -> MagnetPalette:
    """The palette called ``name``; raise ``UnknownPalette`` naming the choices."""
    try:
        return PALETTES[name]
    except KeyError:
        names = ", ".join(PALETTES)
        raise UnknownPalette(f"no magnet palette {name!r}: choose one of {names}") from None


class PaletteApp(App[ReturnType]):
    """An app whose stylesheets may use the variables of ``PALETTE``, with the
    magnets' colours from the palette ``magnet_palette`` names."""

    magnet_palette: str = DEFAULT_PALETTE
    """The name of the magnet palette in use (remembered for the session)."""

    _palette_switch: int = 0
    """How many switches were asked for: only the latest one's stylesheet is used."""

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Textual's defaults, the palette and the magnet palette in use (a theme's
        own ``variables`` still win)."""
        magnets = palette_named(self.magnet_palette).variables
        return {**super().get_theme_variable_defaults(), **PALETTE, **magnets}

    def apply_palette(self, name: str) -> None:
        """Use the magnet palette ``name`` (a key of ``PALETTES``) from now on.

        Before the app runs this only sets it (its first styles use it). While it
        runs, only colours change, so this is cheaper than a new theme: a copy
        of the stylesheet is parsed with the new variables in a thread (the
        parse takes tens of milliseconds at best); then, on the event loop, it
        replaces the app's stylesheet and the screens' widgets are restyled,
        with no new layout (as Textual does when a CSS file changes); each widget whose
        colours changed repaints itself, and the grid rebuilds only the lines
        on screen. The latest switch wins. Raises ``UnknownPalette`` for a name
        not in ``PALETTES``, changing nothing.
        """
        palette_named(name)
        self.magnet_palette = name
        self._palette_switch += 1
        variables = self.get_css_variables()
        if not self.is_running:
            self.stylesheet.set_variables(variables)
            return
        stylesheet = self.stylesheet.copy()
        switch = self._palette_switch

        def parse() -> None:
            stylesheet.set_variables(variables)
            stylesheet.parse()
            self.call_from_thread(self._use_stylesheet, stylesheet, variables, switch)

        self.run_worker(parse, thread=True, group="magnet-palette", exit_on_error=False)

    def _use_stylesheet(
        self, stylesheet: Stylesheet, variables: dict[str, str], switch: int
    ) -> None:
        """Put the stylesheet parsed with ``variables`` for switch number ``switch`` in
        use and restyle the screens, unless a later switch was asked for meanwhile."""
        if switch != self._palette_switch:
            return
        current = self.get_css_variables()
        if current != variables or stylesheet.source.keys() != self.stylesheet.source.keys():
            # A theme changed, or a screen brought its CSS, while the copy was parsed.
            self.stylesheet.set_variables(current)
            self.stylesheet.reparse()
        else:
            self.stylesheet = stylesheet
        for screen in self.screen_stack:
            self.stylesheet.update(screen, animate=False)

"""Imprint a word or a short sentence: the text, a live preview, a name."""

from __future__ import annotations

import numpy as np
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label

from tui_hopfield.model.names import clean_name
from tui_hopfield.model.patterns import PictureError
from tui_hopfield.model.text import text_to_spins
from tui_hopfield.ui.picture_prompt import ImprintDialog

NAME_LENGTH = 24
"""The longest name taken from the text itself."""


def name_for(text: str) -> str:
    """The memory's name a text suggests: its words, cleaned, cut to ``NAME_LENGTH``."""
    return clean_name(" ".join(text.split()), NAME_LENGTH)


class TextPrompt(ImprintDialog):
    """Type a word or a short sentence; dismiss with ``(spins, name)``, or None.

    The preview follows every key; text that cannot fit legibly says so and
    imprints nothing.
    """

    AUTO_FOCUS = "#text"
    HELP_TITLE = "imprinting words"

    @property
    def help_text(self) -> str:
        return (
            "text: a word or a short sentence. Its words are wrapped onto lines at the largest"
            " size that fits the grid; ink is north, the paper south. Text that cannot fit"
            " legibly says so and imprints nothing.\n"
            f"{self.NAME_HELP}"
        )

    def __init__(self, rows: int, cols: int, text: str = "") -> None:
        super().__init__(rows, cols, "Imprint some words")
        self.text = text
        """The text the input starts with."""

    def compose_source(self) -> ComposeResult:
        with Horizontal(classes="source"):
            yield Label("text")
            yield Input(self.text, id="text", compact=True, placeholder="a word or two")

    def compose_choices(self) -> ComposeResult:
        yield Label(
            "Words are wrapped onto lines at the largest size that fits;"
            " ink is north, the paper south.",
            classes="caption",
            id="text-note",
        )

    def on_mount(self) -> None:
        self._changed()

    @on(Input.Changed, "#text")
    def text_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed()

    def _changed(self) -> None:
        text = self.query_one("#text", Input).value
        if not text.strip():
            self.show_spins(None)
            self.say("type a word or a short sentence")
            return
        try:
            spins = text_to_spins(text, self.rows, self.cols)
        except PictureError as problem:
            self.show_spins(None)
            self.say(str(problem), error=True)
            return
        self.show_spins(spins, name_for(text))
        ink = int((spins > 0).sum())
        self.say(f"{ink} magnets of ink ({ink / spins.size:.0%})")

    def current(self) -> np.ndarray | None:
        if self.spins is None:
            self._changed()
            if self.spins is None and not self.query_one("#message", Label).has_class("-error"):
                self.say("type a word or a short sentence first", error=True)
        return self.spins

"""The first start's short "what am I looking at" screen.

Shown once, at the first start (the config remembers it was seen, ``intro = false``),
and again whenever asked: the command palette's "What am I looking at" (``app.intro``).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from tui_hopfield.ui.prompts import Dialog

INTRO = """\
[b]What am I looking at[/b]

A [b]Hopfield network[/b]: every square is a magnet (a [i]spin[/i]) pointing \
north or south (red or blue, unless other colours are chosen), each pulling on all the others.

 [b]1[/b]  shows a picture and stores it as a memory
 [b]b[/b]  breaks it (scrambles half of the spins)
 [b]r[/b]  recalls: the magnets flip until the grid settles, usually on that picture

[b]?[/b] every key · [b]ctrl+p[/b] every action by name (this screen too) · [b]ctrl+q[/b] quit
"""
"""The intro's text (our own markup): short, plain, and true of the app as it starts."""


class IntroScreen(Dialog[None]):
    """What the screen shows and the three keys to try first; closed by any of its keys."""

    AUTO_FOCUS = "#intro-close"
    BINDINGS = [Binding("escape,enter,q", "close_intro", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="intro", classes="prompt"):
            with VerticalScroll(id="intro-text"):
                yield Static(Content.from_markup(INTRO.strip()))
            yield Button("Got it (enter)", id="intro-close", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.close(None)

    def action_close_intro(self) -> None:
        """Close the intro."""
        self.close(None)

"""Imprint a picture file: a path with completion, a threshold, a live preview, a name.

``ImprintDialog`` holds what the picture and the text prompts share: the
preview, the name (which follows the source until the user types one), the
message line and the Imprint and Cancel buttons.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, RadioButton, RadioSet

from tui_hopfield.model.paths import expand
from tui_hopfield.model.patterns import (
    THRESHOLDS,
    PictureError,
    format_names,
    image_suffixes,
    load_picture,
    picture_name,
)
from tui_hopfield.ui.path_text import PathText
from tui_hopfield.ui.plain import plain
from tui_hopfield.ui.prompts import Dialog, PathInput
from tui_hopfield.ui.thumbnail import Thumbnail

SIDE_WIDTH = 36
"""Cells beside the preview: the choices, the name, the message and the buttons."""
CHROME = (6, 8)
"""Cells (wide, tall) the dialog takes around the preview: border, padding, lines."""


class ImprintDialog(Dialog[tuple[np.ndarray, str] | None]):
    """A dialog that previews spins and dismisses with ``(spins, name)``, or None.

    Subclasses compose the source of the spins; this class gives them the
    preview, the name input, the message line and the buttons, and sizes the
    preview to the screen (each spin its own half cell when there is room).
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    NAME_HELP = (
        "name: the memory's name; it follows the source until you type one of your own.\n"
        "enter or Imprint: imprint it as a new memory; escape changes nothing."
    )
    """The help's lines on the name and the buttons, shared by the picture and the text."""

    DEFAULT_CSS = """
    ImprintDialog {
        align: center middle;
    }
    ImprintDialog > #imprint-dialog {
        width: 80;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        border: round $primary;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    ImprintDialog .source {
        width: 1fr;
        height: 1;
        margin-bottom: 1;
    }
    ImprintDialog .source Label {
        width: auto;
        color: $text-muted;
        margin-right: 1;
    }
    ImprintDialog .source Input {
        width: 1fr;
        background: $boost;
    }
    ImprintDialog Input:focus {
        background: $primary 30%;
    }
    ImprintDialog #imprint-body {
        width: 100%;
        height: auto;
    }
    ImprintDialog #preview {
        margin-right: 2;
    }
    ImprintDialog #imprint-side {
        width: 36;
        height: auto;
    }
    ImprintDialog .caption {
        width: 1fr;
        color: $text-muted;
    }
    ImprintDialog RadioSet, ImprintDialog RadioSet:focus {
        layout: horizontal;
        width: 1fr;
        border: none;
        padding: 0;
        background: transparent;
    }
    ImprintDialog RadioSet RadioButton {
        width: auto;
        margin-right: 1;
    }
    ImprintDialog #method-note, ImprintDialog #text-note {
        margin-bottom: 1;
    }
    ImprintDialog #name {
        width: 1fr;
        background: $boost;
    }
    ImprintDialog #name:focus {
        background: $primary 30%;
    }
    ImprintDialog #message {
        width: 1fr;
        height: auto;
        margin-top: 1;
        color: $text-muted;
    }
    ImprintDialog #message.-error {
        color: $error;
        text-style: bold;
    }
    ImprintDialog #imprint-buttons {
        height: 1;
        margin-top: 1;
    }
    ImprintDialog #imprint-buttons Button {
        margin-right: 2;
    }
    ImprintDialog .imprint-hint {
        color: $text-muted;
        margin-top: 1;
    }
    """

    def __init__(self, rows: int, cols: int, title: str) -> None:
        super().__init__()
        self.rows = rows
        """Rows of the grid the spins are for."""
        self.cols = cols
        """Columns of the grid the spins are for."""
        self.title_text = title
        """The dialog's title."""
        self.spins: np.ndarray | None = None
        """The spins on preview, int8 (rows, cols), or None while there are none."""
        self.preview = Thumbnail(id="preview", width=cols, height=-(-rows // 2), shape=(rows, cols))
        """The spins exactly as they will be imprinted."""
        self._auto_name = ""

    def compose_source(self) -> ComposeResult:
        """The widgets above the preview that choose the spins."""
        yield from ()

    def compose_choices(self) -> ComposeResult:
        """Widgets beside the preview, above the name."""
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(id="imprint-dialog") as dialog:
            dialog.border_title = plain(self.title_text, newlines=False)
            yield from self.compose_source()
            with Horizontal(id="imprint-body"):
                yield self.preview
                with Vertical(id="imprint-side"):
                    yield from self.compose_choices()
                    yield Label("name", classes="caption")
                    yield Input(id="name", compact=True, placeholder="the memory's name")
                    yield Label("", id="message")
                    with Horizontal(id="imprint-buttons"):
                        yield Button("Imprint", id="imprint", variant="primary", compact=True)
                        yield Button("Cancel", id="cancel", compact=True)
            yield Label(self.hint, classes="imprint-hint")

    @property
    def hint(self) -> str:
        """The line of keys at the bottom."""
        return "enter: imprint \u00b7 escape: cancel \u00b7 f1: help"

    def on_resize(self, event: events.Resize) -> None:
        """Give the preview all the room the screen has, up to a cell per spin."""
        width = max(8, min(self.cols, event.size.width - SIDE_WIDTH - CHROME[0]))
        height = max(4, min(-(-self.rows // 2), event.size.height - CHROME[1]))
        self.preview.box = (width, height)
        room = self.preview.picture_size.width + SIDE_WIDTH + CHROME[0]
        self.query_one("#imprint-dialog").styles.width = max(60, room)

    def show_spins(self, spins: np.ndarray | None, name: str = "") -> None:
        """Preview ``spins`` (None: nothing) and let the name follow ``name``."""
        self.spins = spins
        self.preview.values = spins
        name_input = self.query_one("#name", Input)
        if name_input.value.strip() in ("", self._auto_name):
            name_input.value = name
        self._auto_name = name

    @property
    def _gone(self) -> bool:
        """Whether the prompt was closed (its widgets gone) since a read began."""
        return not self.is_attached or not self.query("#message")

    def say(self, message: str, *, error: bool = False) -> None:
        """Show a message under the name; an error in the error colour."""
        label = self.query_one("#message", Label)
        label.update(PathText(message))  # paths and file errors: plain, wrapped at separators
        label.set_class(error, "-error")

    def current(self) -> np.ndarray | None:
        """The spins to imprint for what is typed now, or None (after saying why)."""
        return self.spins

    def action_imprint(self) -> None:
        """Dismiss with the spins and the name, if there are spins."""
        spins = self.current()
        if spins is None:
            return
        name = self.query_one("#name", Input).value.strip() or self._auto_name
        if not name:
            self.say("the memory needs a name: type one", error=True)
            self.query_one("#name", Input).focus()
            return
        self.close((spins, name))

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_imprint()

    @on(Button.Pressed, "#imprint")
    def imprint_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_imprint()

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_cancel(self) -> None:
        """Close without imprinting."""
        self.close(None)


class PicturePrompt(ImprintDialog):
    """Choose a picture file and how to threshold it; dismiss with ``(spins, name)``.

    The preview shows the spins exactly as they will be imprinted. A file that
    cannot be read shows why and imprints nothing.
    """

    AUTO_FOCUS = "#path"
    HELP_TITLE = "imprinting a picture"

    @property
    def help_text(self) -> str:
        methods = "\n".join(f"  {name}: {text}" for name, text in THRESHOLDS)
        return (
            f"file: a picture ({format_names()}). The path is selected at first, so typing"
            " replaces it; right arrow, at the end, completes it.\n"
            f"gray to magnets: how gray levels become north or south:\n{methods}\n"
            "The preview shows the spins exactly as they will be imprinted.\n"
            f"{self.NAME_HELP}"
        )

    def __init__(self, rows: int, cols: int, folder: str | Path, *, method: str = "fixed") -> None:
        super().__init__(rows, cols, "Imprint a picture")
        self.folder = folder
        """The folder the path starts in."""
        self.method = method
        """The threshold method chosen (a name in ``THRESHOLDS``)."""
        self._loaded: tuple[Path, str, np.ndarray] | None = None

    @property
    def hint(self) -> str:
        return "enter: imprint \u00b7 right: complete \u00b7 escape: cancel \u00b7 f1: help"

    def compose_source(self) -> ComposeResult:
        start = str(self.folder)
        with Horizontal(classes="source"):
            yield Label("file")
            yield PathInput(
                start if start.endswith(("/", "\\")) else f"{start}/",
                id="path",
                suffixes=image_suffixes(),
                compact=True,
            )

    def compose_choices(self) -> ComposeResult:
        yield Label("gray to magnets", classes="caption")
        with RadioSet(id="method"):
            for name, _ in THRESHOLDS:
                yield RadioButton(name, value=name == self.method, id=f"method-{name}")
        yield Label(self._description(), id="method-note", classes="caption")

    def _description(self) -> str:
        return dict(THRESHOLDS).get(self.method, "")

    def on_mount(self) -> None:
        self._changed()

    @on(Input.Changed, "#path")
    def path_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed()

    @on(RadioSet.Changed, "#method")
    def method_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.method = (event.pressed.id or "method-fixed").removeprefix("method-")
        self.query_one("#method-note", Label).update(self._description())
        self._changed()

    def _typed(self) -> Path | None:
        """The path typed, or None when it is not yet a file to try (empty, a folder)."""
        text = self.query_one("#path", Input).value.strip()
        if not text:
            return None
        path = expand(text)
        if text.endswith(("/", "\\")) or path.is_dir():
            return None
        return path

    def _changed(self) -> None:
        """The path or the method changed: load the preview again."""
        path = self._typed()
        if path is None:
            self._loaded = None
            self.show_spins(None)
            self.say(f"type the path of a picture: {format_names()} (right arrow completes)")
            return
        self.say("reading\u2026")
        self._load(path, self.method)

    @work(exclusive=True, group="picture-preview")
    async def _load(self, path: Path, method: str) -> None:
        """Read the picture in a thread and preview it (a newer request cancels this one)."""
        try:
            spins = await asyncio.to_thread(load_picture, path, self.rows, self.cols, method=method)
        except PictureError as problem:
            if self._gone:
                return
            self._loaded = None
            self.show_spins(None)
            self.say(str(problem), error=True)
            return
        if self._gone:
            return  # the prompt was closed while the file was read: nothing to show it in
        self._loaded = (path, method, spins)
        self.show_spins(spins, picture_name(path))
        north = int((spins > 0).sum())
        self.say(f"{north / spins.size:.0%} of the magnets north")

    def current(self) -> np.ndarray | None:
        path = self._typed()
        if path is None:
            text = self.query_one("#path", Input).value.strip()
            if text and expand(text).is_dir():
                self.say(
                    f"{expand(text)} is a folder: type the path of a picture in it", error=True
                )
            else:
                self.say("type the path of a picture first", error=True)
            return None
        if self._loaded is not None and self._loaded[:2] == (path, self.method):
            return self._loaded[2]
        try:
            spins = load_picture(path, self.rows, self.cols, method=self.method)
        except PictureError as problem:
            self.say(str(problem), error=True)
            return None
        self._loaded = (path, self.method, spins)
        self.show_spins(spins, picture_name(path))
        return spins

"""Modal prompts: a file path with completion, and the question before quitting.

Titles, notes and questions may hold names and paths from files or the user:
their labels show them as ``plain`` content, never markup nor controls.

Every dialog is a ``Dialog``: ``f1`` in it shows its ``HELP`` (``DialogHelp``).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.events import Focus
from textual.geometry import Region
from textual.screen import ModalScreen, ScreenResultType
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label
from textual.widgets.input import Selection

from tui_hopfield.model.names import visible
from tui_hopfield.model.paths import expand
from tui_hopfield.ui.number_input import NumberInput
from tui_hopfield.ui.path_text import PathText
from tui_hopfield.ui.plain import plain


class PathSuggester(Suggester):
    """Completes a path with the first file or folder in its folder that starts with it.

    Press the right arrow (or End) in the input to take the suggestion.
    """

    def __init__(self, suffixes: tuple[str, ...] = ()) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = suffixes
        """File endings to offer (folders are always offered); empty for any file."""

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed = expand(value)
        folder, stem = (typed, "") if value.endswith(("/", "\\")) else (typed.parent, typed.name)
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            return None
        for entry in entries:
            if not entry.name.startswith(stem) or (entry.name.startswith(".") and not stem):
                continue
            if visible(entry.name) != entry.name:
                continue  # a name with controls would be drawn raw in the input: never offered
            is_dir = entry.is_dir()
            if not is_dir and self.suffixes and entry.suffix.lower() not in self.suffixes:
                continue
            completed = value[: len(value) - len(stem)] + entry.name + ("/" if is_dir else "")
            if completed != value:
                return completed
        return None


class PathInput(Input):
    """A path input that offers its completion at once and selects what it was given.

    Textual's ``Input`` asks its suggester only when the value changes, and
    forgets the suggestion on focus: a prefilled folder completed only after a
    character was typed. This one asks again on focus, so the right arrow
    completes the prefilled folder at once. The text it was given is selected
    when it is first focused, so typing replaces it (the right arrow, at the
    end, still completes), and the view shows the end of the path, where the
    proposed file name is. Focus coming back (after f1's help) selects nothing:
    what the user typed stays as it was.
    """

    def __init__(self, value: str, *, suffixes: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(value, suggester=PathSuggester(suffixes), select_on_focus=False, **kwargs)
        self._prefilled = True

    def on_focus(self, event: Focus) -> None:
        """Ask for the completion of the text as it is; at first, show its end, selected."""
        if self.suggester is not None and self.value:
            self.run_worker(self.suggester._get_suggestion(self, self.value))
        if self._prefilled:
            self._prefilled = False
            self.call_after_refresh(self._show_end)

    def _show_end(self) -> None:
        if self.has_focus:
            # Not select_all(): it drops the completion just asked for.
            self.selection = Selection(0, len(self.value))  # the cursor at its end
            # Textual scrolls to the cursor only when the selection changes: show the name.
            cursor = Region(self._cursor_offset, 0, width=1, height=1)
            self.scroll_to_region(cursor, force=True, animate=False)


class DialogHelp(ModalScreen[None]):
    """A dialog's short help, shown over it; f1, escape, enter or q goes back."""

    BINDINGS = [Binding("escape,f1,enter,q", "back", "Back", show=False)]

    DEFAULT_CSS = """
    DialogHelp {
        align: center middle;
    }
    DialogHelp > #dialog-help {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    DialogHelp #help-text {
        width: 100%;
    }
    DialogHelp .prompt-hint {
        width: 100%;
        color: $text-muted;
        margin-top: 1;
    }
    """

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        """What the help is about (the dialog's name)."""
        self.text = text
        """The help itself, a few lines."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog-help") as box:
            box.border_title = plain(f"help: {self.title_text}", newlines=False)
            yield Label(plain(self.text), id="help-text")
            yield Label("f1 or escape: back to the dialog", classes="prompt-hint")

    def action_back(self) -> None:
        """Close the help, back to its dialog."""
        if self.is_active:
            self.dismiss(None)


class Dialog(ModalScreen[ScreenResultType]):
    """A modal screen that closes once, however many keys arrive at once.

    ``f1`` shows the dialog's ``HELP`` (what its fields mean), over it.
    """

    HELP_TITLE: ClassVar[str] = "this dialog"
    """What the help is about, in its border."""
    HELP: ClassVar[str] = ""
    """A few lines on what the dialog's fields and keys do (empty: no help)."""

    BINDINGS = [Binding("f1", "dialog_help", "Help", show=False)]

    @property
    def help_text(self) -> str:
        """The help ``f1`` shows: ``HELP``, unless a dialog says more."""
        return self.HELP

    def action_dialog_help(self) -> None:
        """Show this dialog's help over it."""
        if self.is_active and self.help_text:
            self.app.push_screen(DialogHelp(self.HELP_TITLE, self.help_text))

    def close(self, result: ScreenResultType) -> None:
        """Dismiss with ``result``, unless this dialog is gone or covered.

        A covered dialog (the command palette opened over it) can still get a
        late ``Button.Pressed``; dismissing it then called its callback and
        popped the palette instead (``InvalidStateError``), so it waits.
        """
        if self.is_active:
            self.dismiss(result)


class PathPrompt(Dialog[Path | None]):
    """Ask for a file path; dismiss with the path, or ``None`` when cancelled."""

    HELP_TITLE = "a path"
    HELP = (
        "The path is selected when the prompt opens: typing replaces it; left, home or end"
        " keeps it, to edit.\n"
        "Right arrow, at the end, takes the grey completion: the first name in the folder"
        " that starts with what is typed (folders end in /; names starting with a dot once"
        " you type the dot). Opening and saving sessions offers only .hopfield files and"
        " folders.\n"
        "~ is your home folder; a path not starting with / is taken from the folder"
        " tui-hopfield was started in.\n"
        "Saving adds .hopfield to a name with no ending. Writing over an existing file asks"
        " first, unless it is the session's own file.\n"
        "enter: ok \u00b7 escape: cancel"
    )

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, default: str | Path, *, suffixes: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.title_text = title
        """The question at the top of the prompt."""
        self.default = default
        """The path the input starts with."""
        self.suffixes = suffixes
        """File endings offered by completion."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="prompt"):
            yield Label(plain(self.title_text), classes="prompt-title")
            yield PathInput(str(self.default), id="path", suffixes=self.suffixes)
            yield Label(
                "typing replaces the path \u00b7 right arrow: complete \u00b7 enter: ok"
                " \u00b7 escape: cancel \u00b7 f1: help",
                classes="prompt-hint",
            )

    @on(Input.Submitted, "#path")
    def submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.notify("Type a file name first.", severity="warning")
            return
        self.close(expand(text))

    def action_cancel(self) -> None:
        """Close without a path."""
        self.close(None)


class UnsavedPrompt(Dialog[str]):
    """Asked before quitting, or opening another session, with memories never saved.

    Dismisses with ``"save"``, ``"go"`` (quit or open anyway) or ``"cancel"``;
    the keys s, g and escape answer too, and a line under the buttons says so.
    Save has the focus: an enter loses nothing.
    """

    AUTO_FOCUS = "#save"
    HELP_TITLE = "unsaved changes"
    HELP = (
        "The memories or the settings changed since the session was last saved or opened:"
        " those changes are in no file yet.\n"
        "s or Save\u2026: ask where to save, save, then go on.\n"
        "g or the red button: go on without saving; the note above the buttons says what"
        " becomes of the changes.\n"
        "escape or Cancel: stay here, nothing lost. Save has the focus, so enter saves."
    )
    BINDINGS = [
        Binding("escape", "choose('cancel')", "Cancel"),
        Binding("s", "choose('save')", "Save"),
        Binding("g,q", "choose('go')", "Go on"),
    ]

    def __init__(self, memories: int, note: str, go: str, title: str | None = None) -> None:
        super().__init__()
        self.memories = memories
        """How many memories there are."""
        plural = "memory" if memories == 1 else "memories"
        self.title_text = title or f"Changes to {memories} {plural} have not been saved."
        """What has not been saved (by default: changes to the memories)."""
        self.note = note
        """What happens to them if the user goes on."""
        self.go = go
        """The label of the button that goes on: "Quit", "Open anyway"."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="prompt"):
            yield Label(plain(self.title_text), classes="prompt-title")
            yield Label(PathText(self.note), classes="prompt-hint")
            with Grid(id="choices"):
                yield Button("Save\u2026", id="save", variant="primary")
                yield Button(self.go, id="go", variant="error")
                yield Button("Cancel", id="cancel")
            yield Label(plain(self.keys), id="keys", classes="prompt-hint")

    @property
    def keys(self) -> str:
        """The line of keys under the buttons: which key gives which answer."""
        return f"s: save first \u00b7 g: {self.go.lower()} \u00b7 escape: stay \u00b7 f1: help"

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.close(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        """Answer with ``choice``."""
        self.close(choice)


class NumberPrompt(Dialog[float | None]):
    """Ask for one number between ``low`` and ``high``; dismiss with it, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, hint: str, default: float, low: float, high: float) -> None:
        super().__init__()
        self.title_text = title
        """The question at the top of the prompt."""
        self.hint = hint
        """What the number does."""
        self.default = default
        """The number the input starts with."""
        self.low = low
        """The smallest number accepted."""
        self.high = high
        """The largest number accepted."""

    HELP_TITLE = "a number"

    @property
    def help_text(self) -> str:
        return (
            f"{self.hint}\n"
            f"Type a number from {self.low:g} to {self.high:g}: enter takes it, escape"
            " changes nothing."
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="prompt"):
            yield Label(plain(self.title_text), classes="prompt-title")
            yield NumberInput(f"{self.default:g}", id="number")
            yield Label(plain(self.hint), classes="prompt-hint")
            yield Label("", id="error", classes="prompt-error")

    @on(Input.Submitted, "#number")
    def submitted(self, event: Input.Submitted) -> None:
        try:
            value = float(event.value)
        except ValueError:
            value = float("nan")
        if not self.low <= value <= self.high:
            self.query_one("#error", Label).update(
                f"Give a number from {self.low:g} to {self.high:g}."
            )
            return
        self.close(value)

    def action_cancel(self) -> None:
        """Close without a number."""
        self.close(None)


class ConfirmPrompt(Dialog[bool]):
    """A yes-or-no question before something that cannot be undone.

    ``y`` or the first button says yes; ``n`` or ``escape`` says no. Cancel has
    the focus, so an ``enter`` meant for what came before (a palette's choice
    pressed twice) changes nothing.
    """

    AUTO_FOCUS = "#no"
    HELP_TITLE = "a question"
    HELP = (
        "y or the red button does what the question says.\n"
        "n, escape, or enter (Cancel has the focus) changes nothing."
    )
    BINDINGS = [
        Binding("escape,n", "answer(False)", "No"),
        Binding("y", "answer(True)", "Yes"),
    ]

    def __init__(self, question: str, note: str, yes: str) -> None:
        super().__init__()
        self.question = question
        """The question at the top."""
        self.note = note
        """What saying yes does."""
        self.yes = yes
        """The label of the button that says yes."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="prompt"):
            yield Label(plain(self.question), classes="prompt-title")
            yield Label(PathText(self.note), classes="prompt-hint")
            with Grid(id="choices", classes="two"):
                yield Button(f"{self.yes} (y)", id="yes", variant="error")
                yield Button("Cancel (n)", id="no")
            yield Label("enter: cancel \u00b7 f1: help", classes="prompt-hint")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.close(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Answer the question."""
        self.close(yes)

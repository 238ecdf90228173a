"""The question at start when a crash left a session behind: reopen, discard or later."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Button, Label

from tui_hopfield.model.store import Session
from tui_hopfield.ui.path_text import PathText
from tui_hopfield.ui.prompts import Dialog

CHOICES = ("reopen", "discard", "later")
"""The answers, also the buttons' ids."""


def describe(path: Path, session: Session | None, problem: str | None, older: int) -> str:
    """What the crash left: when, how many memories, where; or why it cannot be read."""
    try:
        when = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    except OSError:
        when = "an earlier run"
    if session is not None:
        count = len(session.names)
        memories = "1 memory" if count == 1 else f"{count} memories"
        text = (
            f"tui-hopfield stopped on an error ({when}) and saved its session, "
            f"{memories} on a {session.rows}x{session.cols} grid, to {path}."
        )
    else:
        text = f"A session saved by a crash ({when}), {path}, cannot be opened: {problem}"
    if older:
        text += f" {older} older one{'s' if older > 1 else ''} wait{'' if older > 1 else 's'}"
        text += " in the same folder."
    return text


class RecoveryPrompt(Dialog[str]):
    """Offered at start for a session a crash saved.

    Dismisses with ``"reopen"``, ``"discard"`` or ``"later"`` (also the keys r,
    d and l; escape is later). Without a readable session there is no reopen,
    and Later has the focus, not Discard: an enter never deletes the file.
    """

    AUTO_FOCUS = "#reopen, #later"
    HELP_TITLE = "a crash's session"
    HELP = (
        "tui-hopfield stopped on an error and first saved its session to a recovery file.\n"
        "r or Reopen: show that session here. It counts as never saved, so quitting asks;"
        " once you quit, the recovery file is removed.\n"
        "d or Discard: delete the recovery file.\n"
        "l, escape or Later: keep the file; the next start offers it again."
    )

    DEFAULT_CSS = """
    RecoveryPrompt {
        align: center middle;
    }
    """

    BINDINGS = [
        Binding("escape,l", "choose('later')", "Later"),
        Binding("r", "choose('reopen')", "Reopen"),
        Binding("d", "choose('discard')", "Discard"),
    ]

    def __init__(self, text: str, can_reopen: bool) -> None:
        super().__init__()
        self.text = text
        """What the crash left (it names a path: shown as plain text, never markup)."""
        self.can_reopen = can_reopen
        """Whether the session could be read."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="prompt"):
            yield Label("Recovered after a crash", classes="prompt-title")
            yield Label(PathText(self.text), classes="prompt-hint")
            with Grid(id="choices"):
                yield Button("Reopen", id="reopen", variant="primary", disabled=not self.can_reopen)
                yield Button("Discard", id="discard", variant="error")
                yield Button("Later", id="later")
            yield Label(
                "r: reopen \u00b7 d: discard \u00b7 l or escape: later \u00b7 f1: help",
                classes="prompt-hint",
            )

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.close(event.button.id or "later")

    def action_choose(self, choice: str) -> None:
        """Answer with ``choice`` (reopen only when the session could be read)."""
        if choice == "reopen" and not self.can_reopen:
            return
        self.close(choice)

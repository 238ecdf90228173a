"""The main screen's message line: notifications in a place of their own, never over data.

Textual shows notifications as toasts over the bottom right corner of the
screen, which on the main screen is the status bar and the memory panel. The
main screen has no toasts (``MagnetsScreen._extend_compose``); the app hands
its notifications (the same ``App._notifications`` a toast rack gets) to this
line, docked above the status bar. It shows the newest message, and beside it
the newest error still alive, so an error is not hidden by a note that came
after it; each goes when its time is up. With no message, the line says in a
muted style what the focused widget's keys do (``hint``): a focused slider
that Home or Page Up moves is never a surprise.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.notifications import Notification
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

MARKS = {"information": "", "warning": "\u26a0 ", "error": "\u2716 "}
"""What starts a message of each severity, so that it shows without colour too."""


class MessageLine(Widget):
    """The newest notification (and the newest error still alive), or the focus's hint.

    Messages are drawn as plain text, never markup, styled by severity
    (``message-line--information``, ``--warning``, ``--error``); titles in
    ``message-line--title``; the hint in ``message-line--hint``.
    """

    COMPONENT_CLASSES = {
        "message-line--information",
        "message-line--warning",
        "message-line--error",
        "message-line--title",
        "message-line--hint",
    }
    """The message of each severity, a message's title, and the focus's hint."""

    DEFAULT_CSS = """
    MessageLine {
        height: auto;
        min-height: 1;
        max-height: 4;
        padding: 0 1;
        background: $surface;
    }
    MessageLine > .message-line--information {
        color: $text;
    }
    MessageLine > .message-line--warning {
        color: $text-warning;
        text-style: bold;
    }
    MessageLine > .message-line--error {
        color: $text-error;
        text-style: bold;
    }
    MessageLine > .message-line--title {
        text-style: bold;
    }
    MessageLine > .message-line--hint {
        color: $text-muted;
        text-style: italic;
    }
    """

    hint: reactive[str] = reactive("")
    """What the focused widget's keys do, shown while there is no message."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.shown: list[Notification] = []
        """The notifications on show, oldest first."""
        self._expiry: Timer | None = None
        self._source: Iterable[Notification] = ()

    def show(self, notifications: Iterable[Notification]) -> None:
        """Show the newest of ``notifications`` (and the newest error before it) still alive.

        The line looks at ``notifications`` again when the first shown expires.
        """
        self._source = notifications
        alive = [note for note in notifications if not note.has_expired]
        shown = alive[-1:]
        errors = [note for note in alive[:-1] if note.severity == "error"]
        if errors and shown[0].severity != "error":
            shown.insert(0, errors[-1])
        if self._expiry is not None:
            self._expiry.stop()
            self._expiry = None
        if shown:
            delay = max(0.05, min(note.time_left for note in shown))
            self._expiry = self.set_timer(delay, self._expired)
        if [note.identity for note in shown] != [note.identity for note in self.shown]:
            self.shown = shown
            self.refresh(layout=True)

    def _expired(self) -> None:
        self._expiry = None
        self.show(self._source)

    @property
    def text(self) -> str:
        """What the line says, as plain text."""
        return self.render().plain

    def watch_hint(self) -> None:
        if not self.shown:
            self.refresh()

    def render(self) -> Text:
        text = Text()
        if not self.shown:
            text.append(self.hint, self.get_component_rich_style("message-line--hint"))
            if self.size.width:  # a hint is one line at most, however narrow
                text.truncate(self.size.width, overflow="ellipsis")
            return text
        for number, note in enumerate(self.shown):
            if number:
                text.append("\n")
            style = self.get_component_rich_style(f"message-line--{note.severity}")
            text.append(MARKS.get(note.severity, ""), style)
            if note.title:
                title = self.get_component_rich_style("message-line--title")
                text.append(f"{note.title}: ", style + title)
            text.append(note.message, style)
        return text

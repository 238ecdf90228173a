"""The main screen's message line: notifications in a place of their own, never over data.

Textual shows notifications as toasts over the bottom right corner of the
screen, which on the main screen is the status bar and the memory panel. The
main screen has no toasts (``MagnetsScreen._extend_compose``); the app hands
its notifications (the same ``App._notifications`` a toast rack gets) to this
line, under the status bar. It shows the newest message, and beside it the
newest error still alive, so an error is not hidden by a note that came after
it; each goes when its time is up. A message longer than the line takes the
footer's line below it too (key hints, not data) and hides the footer meanwhile:
the grid above keeps its place, so a message never lays the grid out again,
which costs tens of milliseconds beside a 256x256 grid. With no message, the
line says in a muted style what the focused widget's keys do (``hint``): a
focused slider that Home or Page Up moves is never a surprise.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.notifications import Notification
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer

from tui_hopfield.ui.fit_text import fit_phrases

MAX_LINES = 2
"""The most lines the messages take (their own and the footer's); a longer one ends in
an ellipsis."""
MARKS = {"information": "", "warning": "\u26a0 ", "error": "\u2716 "}
"""What starts a message of each severity, so that it shows without colour too."""


BREAKS = frozenset(" /\\")
"""Characters a message's line may break after: spaces and path separators."""


def line_spans(text: str, width: int) -> list[tuple[int, int]]:
    """Where each line of ``text`` wrapped to ``width`` cells starts and ends (end excluded).

    Lines break after a space or a path separator, so that a long path wraps
    between its folders rather than in the middle of a name; a word longer than
    the line is cut where the line ends. Newlines in ``text`` end lines too.
    """
    width = max(1, width)
    spans: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        start, end = 0, len(paragraph)
        while end - start > width:
            cut = start + width
            breaks = [k + 1 for k in range(start, cut) if paragraph[k] in BREAKS]
            cut = breaks[-1] if breaks else cut
            spans.append((offset + start, offset + len(paragraph[:cut].rstrip(" "))))
            start = cut
            while start < end and paragraph[start] == " ":
                start += 1
        spans.append((offset + start, offset + end))
        offset += len(paragraph) + 1
    return spans


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
        height: 1;
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
            self._fit_height()
            self.refresh()

    def on_resize(self) -> None:
        self._fit_height()

    def _fit_height(self, width: int | None = None) -> None:
        """One line, or two while the messages need them at ``width`` (default: the
        line's own): the second is the footer's, hidden meanwhile. Set only on a change."""
        width = width or self.size.width
        if not width:
            return
        lines = len(self._lines(width)) if self.shown else 1
        lines = max(1, min(MAX_LINES, lines))
        if self.styles.height is None or self.styles.height.value != lines:
            self.styles.height = lines
            for footer in self.screen.query(Footer):
                footer.display = lines == 1

    @property
    def lines(self) -> int:
        """The lines the line takes now."""
        height = self.styles.height
        return 1 if height is None else int(height.value)

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

    def _lines(self, width: int) -> list[Text]:
        """The messages in lines of ``width`` cells, ``MAX_LINES`` at most: a longer one
        keeps its start and its end, with an ellipsis between."""
        text = self._messages()
        lines = [text[start:end] for start, end in line_spans(text.plain, width)]
        if len(lines) > MAX_LINES:
            start = line_spans(text.plain, width)[MAX_LINES - 1][0]
            rest = text[start:].split("\n")[-1]  # the newest message's end
            tail = rest[max(0, len(rest) - (width - 1)) :]
            lines = [*lines[: MAX_LINES - 1], Text("\u2026", tail.style).append_text(tail)]
        return lines

    def render(self) -> Text:
        if self.shown:
            width = self.size.width or 80
            return Text("\n").join(self._lines(width))
        return self._messages()

    def _messages(self) -> Text:
        """Every message on show, each on its own line(s); the hint when there are none."""
        text = Text()
        if not self.shown:
            hint = fit_phrases(self.hint, self.size.width - 1)  # its last phrases go first
            text.append(hint, self.get_component_rich_style("message-line--hint"))
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

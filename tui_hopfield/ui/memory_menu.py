"""The menu of one memory: reinforce, forget, rename, show it on the grid, or link it."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select

from tui_hopfield.model.links import MAX_LINK
from tui_hopfield.model.names import clean_name, visible
from tui_hopfield.ui.memory_lines import overlap_text
from tui_hopfield.ui.plain import plain
from tui_hopfield.ui.prompts import Dialog
from tui_hopfield.ui.thumbnail import Thumbnail

if TYPE_CHECKING:
    from tui_hopfield.ui.memory_rows import MemoryRow

ACTIONS = (
    ("reinforce", "Reinforce", "times over: its valley deepens"),
    ("forget", "Forget", "remove it (asks first); the others stay"),
    ("rename", "Rename", "give it a new name"),
    ("show", "Show", "put its picture on the grid"),
    ("link", "Link to\u2026", "0 unlinks"),
)
"""Each action of the menu: its value, its button and its one-line explanation."""


@dataclass(frozen=True)
class MenuChoice:
    """What the user chose in a memory's menu."""

    action: str
    """``"reinforce"``, ``"forget"``, ``"rename"`` or ``"show"``."""
    times: float = 1.0
    """How many times over to reinforce."""
    name: str = ""
    """The new name, for ``rename``."""
    target: str = ""
    """The memory to link to, for ``link``."""
    strength: float = 0.0
    """The link's strength, for ``link`` (0 removes it)."""


def parse_times(text: str) -> float:
    """A repeat count typed by the user: a positive whole or decimal number.

    Raises ``ValueError`` with a message to show otherwise.
    """
    if not text.strip():
        raise ValueError("type how many times over: a count like 1, 3 or 0.5")
    try:
        times = float(text.strip())
    except ValueError:
        raise ValueError(f"{text.strip()} is not a number: type a count like 1, 3 or 0.5") from None
    if not math.isfinite(times) or times <= 0:
        raise ValueError("the count must be more than 0, like 1, 3 or 0.5")
    return times


def parse_link_strength(text: str) -> float:
    """A link's strength typed by the user: 0 (remove the link) to ``MAX_LINK``.

    Raises ``ValueError`` with a message to show otherwise.
    """
    text = text.strip()
    try:
        strength = float(text)
    except ValueError:
        raise ValueError(
            f"{text or 'nothing'} is not a strength: type one like 1 or 0.5 (0 removes the link)"
        ) from None
    if not math.isfinite(strength) or not 0 <= strength <= MAX_LINK:
        raise ValueError(f"a link's strength is from 0 (none) to {MAX_LINK:g}")
    return strength


class MemoryMenu(Dialog[MenuChoice | None]):
    """What to do with one memory; dismisses with a ``MenuChoice``, or None (escape).

    ``taken`` are the other memories' names, which a rename may not use.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("r", "reinforce", "Reinforce", show=False),
        Binding("f", "choose('forget')", "Forget", show=False),
        Binding("n", "focus_name", "Rename", show=False),
        Binding("s", "choose('show')", "Show", show=False),
        Binding("l", "focus_link", "Link to", show=False),
        Binding("down", "app.focus_next", "Next", show=False),
        Binding("up", "app.focus_previous", "Previous", show=False),
    ]

    AUTO_FOCUS = "#reinforce"
    HELP_TITLE = "a memory"
    HELP = (
        "strength: the memory's weight in the landscape: 1 when imprinted; reinforcing and"
        " learning from use add to it, decay multiplies it.\n"
        "valley: the energy of its own picture; the lower, the deeper.\n"
        "overlap with the grid: m = xi . s / N, from -1 (the grid is its inverse) to +1"
        " (the grid is the memory).\n"
        "r or Reinforce: imprint it again, the count typed times over (0.5 works too): its"
        " valley deepens.\n"
        "f or Forget: remove it, after asking; the other memories stay.\n"
        "n or Rename: type a new name, not another memory's, then enter.\n"
        "s or Show: put its picture on the grid.\n"
        "l or Link to\u2026: choose another memory and a strength, then enter: recall that"
        " settles here moves on to it when the links' lambda (the learning settings) is"
        " large enough. The same target again sets the strength; 0 removes the link."
    )

    DEFAULT_CSS = """
    MemoryMenu {
        align: center middle;
    }
    MemoryMenu > #menu {
        width: 66;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        overflow-y: auto;
        border: round $primary;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    MemoryMenu #menu-head {
        height: auto;
        margin-bottom: 1;
    }
    MemoryMenu #menu-summary {
        padding-left: 2;
        color: $text-muted;
    }
    MemoryMenu .menu-item {
        height: 1;
    }
    MemoryMenu .menu-item Button {
        width: 13;
        margin-right: 1;
    }
    MemoryMenu .menu-item Input {
        width: 8;
        margin-right: 1;
        background: $boost;
    }
    MemoryMenu .menu-item Input:focus {
        background: $primary 30%;
    }
    MemoryMenu .menu-item #name {
        width: 18;
    }
    MemoryMenu .menu-item #target {
        width: 20;
        margin-right: 1;
    }
    MemoryMenu .menu-explanation {
        width: 1fr;
        color: $text-muted;
    }
    MemoryMenu #menu-error {
        width: 100%;
        color: $error;
        text-style: bold;
    }
    MemoryMenu .menu-hint {
        width: 100%;
        color: $text-muted;
    }
    """

    def __init__(
        self,
        row: MemoryRow,
        *,
        taken: Collection[str] = (),
        targets: Sequence[str] = (),
        links: Mapping[str, float] | None = None,
    ) -> None:
        super().__init__()
        self.row = row
        """The memory the menu is for."""
        self.taken = frozenset(taken)
        """Names a rename may not use (the other memories')."""
        self.targets = list(targets)
        """The memories it may link to, in order."""
        self.links = dict(links or {})
        """Its links now: target name to strength."""

    def compose(self) -> ComposeResult:
        row = self.row
        explanation = {action: text for action, _, text in ACTIONS}
        label = {action: text for action, text, _ in ACTIONS}
        with Vertical(id="menu") as menu:
            menu.border_title = plain(row.name, newlines=False)  # a name is never markup
            with Horizontal(id="menu-head"):
                yield Thumbnail(row.pattern, width=10, height=5)
                yield Label(
                    f"strength {row.strength:.3g}\nvalley {row.valley:.1f}\n"
                    f"overlap with the grid {overlap_text(row.overlap).strip()}",
                    id="menu-summary",
                )
            with Horizontal(classes="menu-item"):
                yield Button(label["reinforce"], id="reinforce", compact=True, variant="primary")
                yield Input("1", id="times", compact=True, restrict=r"[0-9.]*")
                yield Label(explanation["reinforce"], classes="menu-explanation")
            with Horizontal(classes="menu-item"):
                yield Button(label["forget"], id="forget", compact=True, variant="error")
                yield Label(explanation["forget"], classes="menu-explanation")
            with Horizontal(classes="menu-item"):
                yield Button(label["rename"], id="rename", compact=True)
                yield Input(row.name, id="name", compact=True, select_on_focus=True)
                yield Label(explanation["rename"], classes="menu-explanation")
            with Horizontal(classes="menu-item"):
                yield Button(label["show"], id="show", compact=True)
                yield Label(explanation["show"], classes="menu-explanation")
            if self.targets:
                first = self.targets[0]
                with Horizontal(classes="menu-item"):
                    yield Button(label["link"], id="link", compact=True)
                    yield Select(
                        [(visible(name), k) for k, name in enumerate(self.targets)],
                        value=0,
                        allow_blank=False,
                        compact=True,
                        id="target",
                    )
                    yield Input(
                        f"{self.links.get(first, 1.0):g}",
                        id="strength",
                        compact=True,
                        restrict=r"[0-9.]*",
                        select_on_focus=True,
                    )
                    yield Label(explanation["link"], classes="menu-explanation")
            yield Label("", id="menu-error")
            yield Label(
                "r f n s l or enter \u00b7 up/down: move \u00b7 escape: close \u00b7 f1: help",
                classes="menu-hint",
            )

    def _error(self, message: str) -> None:
        self.query_one("#menu-error", Label).update(plain(message))

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "reinforce":
            self.action_reinforce()
        elif event.button.id == "rename":
            self.rename()
        elif event.button.id in ("forget", "show"):
            self.action_choose(event.button.id)
        elif event.button.id == "link":
            self.link()

    @on(Select.Changed, "#target")
    def target_changed(self, event: Select.Changed) -> None:
        """Show the chosen target's link strength (1 for a new link)."""
        event.stop()
        target = self.targets[int(event.value)]
        self.query_one("#strength", Input).value = f"{self.links.get(target, 1.0):g}"

    @on(Input.Submitted, "#strength")
    def strength_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.link()

    def link(self) -> None:
        """Link the memory to the target chosen, with the strength typed."""
        strength_input = self.query_one("#strength", Input)
        try:
            strength = parse_link_strength(strength_input.value)
        except ValueError as problem:
            self._error(str(problem))
            strength_input.focus()
            return
        target = self.targets[int(self.query_one("#target", Select).value)]
        if strength == 0 and target not in self.links:
            self._error(f"there is no link to {target} to remove: type a strength above 0")
            strength_input.focus()
            return
        self.close(MenuChoice("link", target=target, strength=strength))

    def action_focus_link(self) -> None:
        """Put the cursor on the target to link to."""
        if self.targets:
            self.query_one("#target", Select).focus()

    @on(Input.Submitted, "#times")
    def times_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_reinforce()

    @on(Input.Submitted, "#name")
    def name_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.rename()

    def action_reinforce(self) -> None:
        """Reinforce the memory by the count typed."""
        try:
            times = parse_times(self.query_one("#times", Input).value)
        except ValueError as problem:
            self._error(str(problem))
            self.query_one("#times", Input).focus()
            return
        self.close(MenuChoice("reinforce", times=times))

    def rename(self) -> None:
        """Rename the memory to the name typed, if it is a name it may take."""
        name = clean_name(self.query_one("#name", Input).value)
        if not name:
            self._error("a memory needs a name: type one")
        elif name in self.taken:
            self._error(f"another memory is already called {name!r}")
        else:
            self.close(MenuChoice("rename", name=name))
            return
        self.query_one("#name", Input).focus()

    def action_focus_name(self) -> None:
        """Put the cursor in the name to type a new one."""
        self.query_one("#name", Input).focus()

    def action_choose(self, action: str) -> None:
        """Answer with an action that needs nothing typed: forget or show."""
        self.close(MenuChoice(action))

    def action_cancel(self) -> None:
        """Close without doing anything."""
        self.close(None)

"""The one table of actions: every key, what it runs, and where it is documented.

Each action is declared once, here: a stable id (``magnets.recall``), its default
keys, the Textual action string it runs, a short description (the footer's and the
keys panel's label), whether the footer shows it, its command palette title and help,
and the screen (or widget) that binds it. From this table come

- the ``BINDINGS`` of the app and of each screen (``bindings_for``), every binding
  with the action's id, so a keymap (``App.set_keymap({"magnets.recall": "enter"})``)
  can move a key by id;
- the key table of the help screen and of the README (``key_table``); a test checks
  that the README's table is this one, row for row;
- the command palette's commands (``palette_commands``), with titles and help as plain
  strings (``commands.PlainCommands`` shows them as ``Content``, never as markup).

A few keys are bound where they act, outside this module's reach: the grid's cursor
and brush keys (``SpinGrid.BINDINGS``), the memory panel's (``MemoryList.BINDINGS``)
and Textual's own ``tab`` and command palette key. They are declared here too, for the
help and the palette, and a test checks that those classes bind them as declared.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from textual.actions import parse
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.keys import _character_to_key

from tui_hopfield.model import Network, Picture
from tui_hopfield.model.patterns import format_names

SCREENS = ("app", "magnets", "lab", "help")
"""Where the bindings are made from this table: the app and the screens whose
``BINDINGS`` are ``bindings_for(screen)``."""
ELSEWHERE = ("grid", "memories", "textual")
"""Where keys are bound by hand: ``SpinGrid``, ``MemoryList`` and Textual itself."""


@dataclass(frozen=True)
class Action:
    """One action: its keys, what it runs, and where it appears."""

    id: str
    """Stable id, ``<screen>.<name>``: what a keymap names to move the keys."""
    keys: str
    """The default keys, Textual names separated by commas (``plus,equals_sign``);
    empty for an action only the palette runs."""
    action: str
    """The Textual action string the keys run (``break('scramble')``)."""
    description: str
    """Short label: the footer's and the keys panel's."""
    screen: str
    """Who binds it: one of ``SCREENS`` or ``ELSEWHERE``."""
    footer: bool = False
    """Whether the footer shows it."""
    priority: bool = False
    """Whether the binding is a priority binding (checked before the focused widget)."""
    palette: str = ""
    """The command palette's title; empty when the palette does not offer it."""
    help: str = ""
    """The palette's help line: what it does, in a sentence (the key is added)."""
    key_hint: str = ""
    """The keys the palette's help names, when not the first of ``keys``."""

    @property
    def key_names(self) -> list[str]:
        """The default keys, one name each."""
        return [key.strip() for key in self.keys.split(",") if key.strip()]

    @property
    def key_labels(self) -> list[str]:
        """The default keys as a person types them: ``?``, ``[``, ``ctrl+s``, ``space``."""
        return [key_label(key) for key in self.key_names]

    @property
    def palette_help(self) -> str:
        """The palette's help line with the key in parentheses: ``... (r)``."""
        hint = self.key_hint or (self.key_labels[0] if self.keys else "")
        return f"{self.help} ({hint})" if hint else self.help

    def binding(self) -> Binding:
        """The Textual binding, with this action's id."""
        return Binding(
            self.keys,
            self.action,
            self.description,
            show=self.footer,
            priority=self.priority,
            id=self.id,
        )


_CHARACTERS = {_character_to_key(character): character for character in string.punctuation}
"""Textual's names of the punctuation keys (``minus``, ``question_mark``) to the characters,
by the conversion ``Binding.make_bindings`` itself uses (private in textual 8.2.8)."""


def key_label(key: str) -> str:
    """How a Textual key name is written for people: ``question_mark`` is ``?``;
    letters, digits and named keys (``ctrl+s``, ``space``, ``escape``) stay as they are."""
    return _CHARACTERS.get(key, key)


def _picture(k: int) -> Action:
    """The action of built-in picture ``k`` (0-based), on key ``k + 1`` (``0`` for 10)."""
    return Action(
        f"magnets.picture-{k + 1}",
        str((k + 1) % 10),
        f"picture({k})",
        f"Picture {k + 1}",
        "magnets",
    )


def _flip(percent: int) -> Action:
    """A palette-only break that flips ``percent`` % of the spins."""
    return Action(
        f"magnets.flip-{percent}",
        "",
        f"break('flip', {percent / 100})",
        f"Flip {percent}%",
        "magnets",
        palette=f"Break: flip {percent}%",
        help=f"Flip {percent}% of the spins at random",
    )


ACTIONS: tuple[Action, ...] = (
    # The main screen, in the order of its bindings (the footer keeps it).
    Action(
        "magnets.imprint",
        "i",
        "imprint_drawing",
        "Imprint",
        "magnets",
        footer=True,
        palette="Imprint my drawing",
        help="Store the grid as a new memory",
    ),
    Action(
        "magnets.break",
        "b",
        "break('scramble')",
        "Break",
        "magnets",
        footer=True,
        palette="Break: scramble half",
        help="A random half of the spins get random values",
    ),
    Action(
        "magnets.recall",
        "r",
        "recall",
        "Recall/stop",
        "magnets",
        footer=True,
        palette="Recall / stop",
        help="Let the magnets flip until they settle",
    ),
    Action(
        "magnets.clear",
        "c",
        "clear",
        "Clear",
        "magnets",
        footer=True,
        palette="Clear the grid",
        help="Every spin south",
    ),
    Action(
        "magnets.random",
        "x",
        "randomize",
        "Random",
        "magnets",
        palette="Random grid",
        help="Every spin random",
    ),
    Action(
        "magnets.flip",
        "f",
        "break('flip')",
        "Flip 20%",
        "magnets",
        palette="Break: flip 20%",
        help="Flip 20% of the spins at random",
    ),
    Action(
        "magnets.wipe",
        "w",
        "break('wipe')",
        "Wipe half",
        "magnets",
        palette="Break: wipe bottom half",
        help="Set the bottom half to south",
    ),
    Action(
        "magnets.invert",
        "v",
        "break('invert')",
        "Invert",
        "magnets",
        palette="Break: invert",
        help="Turn every spin over",
    ),
    Action(
        "magnets.faster",
        "plus,equals_sign",
        "speed(1)",
        "Faster",
        "magnets",
        palette="Recall faster",
        help="More flips per second",
    ),
    Action(
        "magnets.slower",
        "minus",
        "speed(-1)",
        "Slower",
        "magnets",
        palette="Recall slower",
        help="Fewer flips per second",
    ),
    Action(
        "magnets.hotter",
        "right_square_bracket",
        "temperature(0.05)",
        "Hotter",
        "magnets",
        palette="Temperature up by 0.05",
        help="Glauber dynamics flip more spins against their field",
    ),
    Action(
        "magnets.colder",
        "left_square_bracket",
        "temperature(-0.05)",
        "Colder",
        "magnets",
        palette="Temperature down by 0.05",
        help="Fewer flips against the field; at T = 0 none",
    ),
    Action(
        "magnets.freeze",
        "t",
        "freeze",
        "T = 0",
        "magnets",
        palette="Temperature to zero",
        help="Pure descent: energy never rises",
    ),
    Action(
        "magnets.forget-all",
        "F",
        "forget_all",
        "Forget all",
        "magnets",
        palette="Forget all memories",
        help="Remove every memory",
    ),
    Action(
        "magnets.save",
        "ctrl+s",
        "save",
        "Save",
        "magnets",
        palette="Save session",
        help="Save memories, grid and settings",
    ),
    Action(
        "magnets.open",
        "ctrl+o",
        "open",
        "Open",
        "magnets",
        palette="Open session",
        help="Open a saved session",
    ),
    Action(
        "magnets.export",
        "e",
        "export",
        "Export PNG",
        "magnets",
        palette="Export grid as PNG",
        help="One pixel a spin",
    ),
    Action(
        "magnets.glyphs",
        "g",
        "glyphs",
        "Glyphs",
        "magnets",
        palette="Glyphs on/off",
        help="North \u2588, south blank: for no colour",
    ),
    Action(
        "magnets.mode",
        "m",
        "mode",
        "Async/sync",
        "magnets",
        palette="Update mode: async / sync",
        help="One spin at a time, or the whole grid at once",
    ),
    Action(
        "magnets.learning",
        "R",
        "learning",
        "Rule",
        "magnets",
        footer=True,
        palette="Learning rule and settings",
        help="Hebb, Storkey, pseudo-inverse, dense, modern; mode, decay, use",
    ),
    Action(
        "magnets.overload",
        "O",
        "overload",
        "Overload",
        "magnets",
        palette="Overload with random memories",
        help="Imprint random patterns up to a load, past ~0.138 N",
    ),
    Action(
        "magnets.picture-file",
        "p",
        "open_picture",
        "Image file",
        "magnets",
        palette="Imprint an image file",
        help=f"Any {format_names()} file: preview, threshold, name",
    ),
    Action(
        "magnets.words",
        "T",
        "type_text",
        "Words",
        "magnets",
        palette="Imprint words",
        help="A word or short sentence drawn with a font",
    ),
    Action(
        "magnets.lab",
        "L",
        "lab",
        "Lab",
        "magnets",
        palette="Lab: experiments",
        help="Capacity sweep and the letting-go study, with plots",
    ),
    Action(
        "magnets.cancel",
        "escape",
        "cancel_job",
        "Cancel the work",
        "magnets",
        palette="Cancel the work running",
        help="Stop a save, open or re-learning: everything stays as it was",
    ),
    *(_picture(k) for k in range(10)),
    # Palette only.
    *(_flip(percent) for percent in (10, 30, 40)),
    Action(
        "magnets.memories",
        "",
        "focus('#memories')",
        "Memories panel",
        "magnets",
        palette="Memories panel",
        help="Pick a memory: reinforce, forget, rename, show",
        key_hint="tab, enter",
    ),
    # The app.
    Action(
        "app.help",
        "question_mark",
        "help",
        "Help",
        "app",
        footer=True,
        palette="Help",
        help="Every key and mouse action",
    ),
    Action("app.quit", "ctrl+q", "quit", "Quit", "app", footer=True, priority=True),
    # The help screen and the lab.
    Action("help.close", "escape,q,question_mark", "dismiss", "Close", "help", footer=True),
    Action("lab.back", "escape", "back", "Back", "lab", footer=True),
    Action("lab.run", "ctrl+r", "run", "Run", "lab", footer=True),
    Action("lab.stop", "ctrl+x", "stop", "Stop", "lab", footer=True),
    # Bound by hand elsewhere (declared for the help; a test checks they agree).
    Action("grid.up", "up,k", "move(0, -1)", "Up", "grid"),
    Action("grid.down", "down,j", "move(0, 1)", "Down", "grid"),
    Action("grid.left", "left,h", "move(-1, 0)", "Left", "grid"),
    Action("grid.right", "right,l", "move(1, 0)", "Right", "grid"),
    Action("grid.toggle", "space", "toggle", "Toggle spin", "grid"),
    Action("grid.brush-north", "n", "brush(1)", "Brush north", "grid"),
    Action("grid.brush-south", "s", "brush(-1)", "Brush south", "grid"),
    Action("memories.previous", "up,k", "move(-1)", "Previous memory", "memories"),
    Action("memories.next", "down,j", "move(1)", "Next memory", "memories"),
    Action("memories.page-up", "pageup", "page(-1)", "A page of memories up", "memories"),
    Action("memories.page-down", "pagedown", "page(1)", "A page of memories down", "memories"),
    Action("memories.first", "home", "jump(0)", "First memory", "memories"),
    Action("memories.last", "end", "jump(-1)", "Last memory", "memories"),
    Action("memories.menu", "enter", "open_menu", "Memory menu", "memories"),
    Action("textual.focus-next", "tab", "app.focus_next", "Focus Next", "textual"),
    Action("textual.palette", "ctrl+p", "command_palette", "Command palette", "textual"),
)
"""Every action, once."""

BY_ID: dict[str, Action] = {action.id: action for action in ACTIONS}
"""The actions by id."""

PICTURE_COMMAND = ("Imprint picture: {name}", "Show {name} and imprint it")
"""The palette's title and help for each built-in picture."""
EXPORT_COMMAND = ("Export memory: {name}", "Save {name} as a PNG")
"""The palette's title and help for each memory."""


def bindings_for(screen: str) -> list[Binding]:
    """The ``BINDINGS`` of ``screen`` (``app``, ``magnets``...): every action it binds."""
    if screen not in SCREENS + ELSEWHERE:
        raise ValueError(f"no screen {screen!r} in the table of actions")
    return [action.binding() for action in ACTIONS if action.screen == screen and action.keys]


@dataclass(frozen=True)
class KeyRow:
    """One row of the key table: the keys of some actions and what they do."""

    ids: tuple[str, ...]
    """The actions the row documents, in the order its key cell names them."""
    text: str
    """What they do (markdown), in a line: the help screen's text."""
    details: str = ""
    """More, for the README only (markdown, read after ``text``): the help screen's
    table stays narrow enough for an 80-column terminal."""
    keys: str = ""
    """The key cell (markdown), when not generated from the actions' keys."""

    @property
    def key_cell(self) -> str:
        """``\\`f\\` / \\`w\\` / \\`v\\```: each action's keys, ``or`` between aliases."""
        if self.keys:
            return self.keys
        return " / ".join(
            " or ".join(f"`{label}`" for label in BY_ID[id_].key_labels) for id_ in self.ids
        )


KEY_ROWS: tuple[KeyRow, ...] = (
    KeyRow(
        tuple(f"magnets.picture-{k}" for k in range(1, 11)),
        "show built-in picture 1 to 10 and imprint it",
        " (the buttons cover all of them)",
        keys="`1` ... `9`, `0`",
    ),
    KeyRow(("magnets.imprint",), "imprint my drawing (whatever is on the grid)"),
    KeyRow(("magnets.break",), "break: scramble a random half of the spins (about a quarter flip)"),
    KeyRow(
        ("magnets.flip", "magnets.wipe", "magnets.invert"),
        "break: flip 20 % of the spins / wipe the bottom half / invert",
    ),
    KeyRow(("magnets.recall",), "recall, or stop the recall that is running"),
    KeyRow(("magnets.clear", "magnets.random"), "clear the grid (all south) / random spins"),
    KeyRow(
        ("grid.up", "grid.down", "grid.left", "grid.right"),
        "move the cursor on the grid",
        keys="arrows or `h` `j` `k` `l`",
    ),
    KeyRow(("grid.toggle",), "turn over the spin under the cursor"),
    KeyRow(
        ("grid.brush-north", "grid.brush-south"),
        "brush north / south: the cursor paints as it moves (same key lifts it)",
    ),
    KeyRow(
        ("magnets.colder", "magnets.hotter", "magnets.freeze"),
        "temperature down / up by 0.05 / back to 0",
    ),
    KeyRow(
        ("magnets.slower", "magnets.faster"),
        "recall slower / faster (1 to 1000 flips per second, then instant)",
    ),
    KeyRow(("magnets.forget-all",), "forget every memory"),
    KeyRow(
        ("magnets.learning",),
        "learning: rule and its degree or beta, update mode, decay, learning from use",
    ),
    KeyRow(
        ("magnets.mode",),
        "update mode: async (one spin at a time) / sync (the whole grid at once)",
    ),
    KeyRow(
        ("magnets.overload",),
        "overload: imprint random patterns up to a load you choose (0.3 N first)",
        "; they are drawn and learned in the background, up to 2 GiB of patterns"
        " (a load of 0.25 at 256x256)",
    ),
    KeyRow(
        ("magnets.picture-file", "magnets.words"),
        "imprint an image file (with a preview) / a word or sentence",
        ": the image with path completion, a threshold (fixed, median, dither) and a name;"
        " the words drawn into the grid with a font",
    ),
    KeyRow(("magnets.lab",), 'the lab: capacity and "letting go" experiments with plots'),
    KeyRow(
        ("magnets.save", "magnets.open"),
        "save the session / open a session (right arrow completes a path)",
        "; both run in the background, like a new rule (`R`): the status bar says how far they are",
    ),
    KeyRow(
        ("magnets.cancel",),
        "cancel the saving, opening or re-learning that is running: nothing changes",
    ),
    KeyRow(
        ("magnets.export",), "export the grid as a PNG (the command palette exports any memory)"
    ),
    KeyRow(
        ("magnets.glyphs",),
        "glyphs instead of colours: north a full block, south blank",
        " (on by itself when `NO_COLOR` is set)",
    ),
    KeyRow(
        ("textual.focus-next",),
        "move the focus: grid, sliders, memories (up/down, then `enter`: its menu)",
        "; the menu reinforces, forgets, renames or shows that memory",
    ),
    KeyRow(
        ("textual.palette",),
        "command palette: every action by name, the other break fractions too",
        " (flips of 10, 20, 30, 40 %); the pictures are their buttons",
    ),
    KeyRow(("app.help",), "the help: every key and mouse action; `escape` closes it"),
    KeyRow(("app.quit",), "quit"),
)
"""The key table of the help screen and the README, in their order."""

KEY_TABLE_HEADER = ("key", "what it does")
"""The key table's column titles."""


def key_table(*, details: bool = False) -> str:
    """The key table in markdown: the help screen's, or with ``details`` the README's."""
    lines = [f"| {' | '.join(KEY_TABLE_HEADER)} |", "| --- | --- |"]
    lines += [
        f"| {row.key_cell} | {row.text}{row.details if details else ''} |" for row in KEY_ROWS
    ]
    return "\n".join(lines)


def palette_actions(screen: str) -> list[Action]:
    """The actions of ``screen`` that the command palette offers, in the table's order."""
    return [action for action in ACTIONS if action.screen == screen and action.palette]


def runner(target: object, action: Action) -> Callable[[], object]:
    """A callback that runs ``action`` on ``target`` as its method (``action_<name>``).

    The palette calls the method directly, as it always has: no ``check_action``
    (``escape``'s "only while a job runs" is a key's rule, not the palette's).
    """
    _, name, arguments = parse(action.action)
    method = getattr(target, f"action_{name}")
    return lambda: method(*arguments)


class MainScreen(Protocol):
    """What the palette needs of the main screen (``MagnetsScreen``, which imports this)."""

    @property
    def pictures(self) -> Sequence[Picture]:
        """The built-in pictures."""
        ...

    @property
    def network(self) -> Network:
        """The memories."""
        ...

    def action_picture(self, k: int) -> None:
        """Show and imprint built-in picture ``k``."""

    def action_export(self, index: int = -1) -> None:
        """Export the grid, or memory ``index``, as a PNG."""


def palette_commands(app: App[object], screen: MainScreen) -> Iterator[SystemCommand]:
    """The palette's commands on the main screen ``screen``, from the table: its actions,
    the app's, and one per built-in picture and one per memory."""
    for target, name in ((screen, "magnets"), (app, "app")):
        for action in palette_actions(name):
            yield SystemCommand(action.palette, action.palette_help, runner(target, action))
    pictures = [picture.name for picture in screen.pictures]
    yield from _per_item(PICTURE_COMMAND, pictures, screen.action_picture)
    yield from _per_item(EXPORT_COMMAND, screen.network.names, screen.action_export)


def _per_item(
    template: tuple[str, str], names: Iterable[str], run: Callable[[int], object]
) -> Iterator[SystemCommand]:
    """One command per name: ``run(k)`` for the ``k``-th (names go in as they are:
    ``PlainCommands`` never reads a title or help as markup)."""
    title, help_text = template
    for k, name in enumerate(names):
        yield SystemCommand(
            title.format(name=name), help_text.format(name=name), lambda k=k: run(k)
        )

"""The one table of actions: every key, what it runs, and where it is documented.

Each action is declared once, here: a stable id (``magnets.recall``), its default
keys, the Textual action string it runs, a short description (the footer's and the
keys panel's label), whether the footer shows it, its command palette title and help,
and the screen (or widget) that binds it. From this table come

- the ``BINDINGS`` of the app and of each screen (``bindings_for``), every binding
  with the action's id, so a keymap (``App.set_keymap({"magnets.recall": "enter"})``)
  can move a key by id;
- the key table of the help screen and of the README (``key_table.key_table``, from
  rows of these actions); a test checks that the README's table is this one, row for row;
- the command palette's commands (``palette_commands.palette_commands``), with titles
  and help as plain strings (``commands.PlainCommands`` shows them as ``Content``, never
  as markup).

A few keys are bound where they act, outside this module's reach: the grid's cursor
and brush keys (``SpinGrid.BINDINGS``), the memory panel's (``MemoryList.BINDINGS``)
and Textual's own ``tab`` and command palette key. They are declared here too, for the
help and the palette, and a test checks that those classes bind them as declared.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from textual.binding import Binding
from textual.keys import _character_to_key

from tui_hopfield.model.patterns import format_names

SCREENS = ("app", "magnets", "lab", "help", "boltzmann")
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
    def bound_keys(self) -> list[str]:
        """The keys bound: the default keys and, after them, the capital of each
        single lowercase letter (``R`` for ``r``), so Caps Lock changes nothing."""
        names = self.key_names
        return names + [caps for caps in caps_lock_aliases(names) if caps not in names]

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
            ",".join(self.bound_keys),
            self.action,
            self.description,
            show=self.footer,
            priority=self.priority,
            id=self.id,
        )


_CHARACTERS = {_character_to_key(character): character for character in string.punctuation}
"""Textual's names of the punctuation keys (``minus``, ``question_mark``) to the characters,
by the conversion ``Binding.make_bindings`` itself uses (private in textual 8.2.8)."""


def caps_lock_aliases(keys: list[str]) -> list[str]:
    """The capitals of the single lowercase letters among ``keys``: what they send with
    Caps Lock on (``l`` -> ``L``). Destructive or screen-changing actions are never on a
    capital, so Caps Lock only ever repeats what the lowercase key does."""
    return [key.upper() for key in keys if len(key) == 1 and key.islower()]


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
        "ctrl+f",
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
        help="As seen: in the magnets' colours, scaled up, into the current folder",
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
        "ctrl+l",
        "learning",
        "Rule",
        "magnets",
        footer=True,
        palette="Learning rule and settings",
        help="Hebb, Storkey, pseudo-inverse, dense, modern; mode, decay, use",
    ),
    Action(
        "magnets.overload",
        "o",
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
        "ctrl+t",
        "type_text",
        "Words",
        "magnets",
        palette="Imprint words",
        help="A word or short sentence drawn with a font",
    ),
    Action(
        "magnets.lab",
        "ctrl+e",
        "lab",
        "Lab",
        "magnets",
        palette="Lab: experiments",
        help="Capacity, letting go, basin maps, the rule race and the phase diagram, with plots",
    ),
    Action(
        "magnets.boltzmann",
        "ctrl+k",
        "boltzmann",
        "Boltzmann",
        "magnets",
        palette="Boltzmann machine",
        help="Train a restricted Boltzmann machine on the memories; recall and dream with it",
    ),
    Action(
        "magnets.sidebar",
        "z",
        "sidebar",
        "Side panel",
        "magnets",
        palette="Side panel: hide / show",
        help="Give the grid the whole screen, or bring the panel back",
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
    Action(
        "magnets.undo",
        "u,ctrl+z",
        "undo",
        "Undo",
        "magnets",
        palette="Undo",
        help="Take back the last edit: drawing, break, imprint, forget, learning",
    ),
    Action(
        "magnets.redo",
        "ctrl+y",
        "redo",
        "Redo",
        "magnets",
        palette="Redo",
        help="Make the last edit undone again",
    ),
    Action(
        "magnets.unpin-all",
        "ctrl+u",
        "unpin_all",
        "Unpin all",
        "magnets",
        palette="Unpin every magnet",
        help="Let recall change every magnet again (a pins one under the cursor)",
    ),
    Action(
        "magnets.replay-back",
        "comma",
        "replay(-1)",
        "Flip back",
        "magnets",
        palette="Replay: one flip back",
        help="Step the last recall back one flip (one step in sync mode)",
    ),
    Action(
        "magnets.replay-on",
        "full_stop",
        "replay(1)",
        "Flip on",
        "magnets",
        palette="Replay: one flip on",
        help="Step the last recall on one flip (one step in sync mode)",
    ),
    Action(
        "magnets.replay-sweep-back",
        "less_than_sign",
        "replay_sweep(-1)",
        "Sweep back",
        "magnets",
        palette="Replay: one sweep back",
        help="Jump back to the end of the previous sweep of the last recall",
    ),
    Action(
        "magnets.replay-sweep-on",
        "greater_than_sign",
        "replay_sweep(1)",
        "Sweep on",
        "magnets",
        palette="Replay: one sweep on",
        help="Jump on to the end of the next sweep of the last recall",
    ),
    Action(
        "magnets.replay-play",
        "semicolon",
        "replay_play",
        "Play/pause",
        "magnets",
        palette="Replay: play / pause",
        help="Play the last recall on from here at the recall speed (again from the start)",
    ),
    Action(
        "magnets.export-recall",
        "ctrl+g",
        "export_recall",
        "Export GIF",
        "magnets",
        palette="Export the last recall as a GIF",
        help="An animated GIF of the last recall, in the current folder",
    ),
    Action(
        "magnets.export-cast",
        "ctrl+x",
        "export_cast",
        "Export cast",
        "magnets",
        palette="Export the last recall as an asciicast",
        help="Replay it on screen into recall.cast (asciinema) in the current folder",
    ),
    Action(
        "magnets.replay-pick",
        "apostrophe",
        "replay_pick",
        "Older recall",
        "magnets",
        palette="Replay: pick an older recall",
        help="The next older of the last 5 recalls (cycling) for the replay keys and exports",
    ),
    Action(
        "magnets.view",
        "d",
        "view",
        "Next view",
        "magnets",
        palette="Lower view: next",
        help="Memories, overlaps over time, attention, why this magnet, the landscape",
    ),
    Action(
        "magnets.race",
        "ctrl+r",
        "race",
        "Race",
        "magnets",
        palette="Recall race: rules side by side",
        help="The grid recalled by two to four rules or update modes side by side, one seed",
    ),
    *(_picture(k) for k in range(10)),
    # Palette only.
    Action(
        "magnets.view-memories",
        "",
        "view('memories')",
        "View: memories",
        "magnets",
        palette="View: memories",
        help="Every memory and its overlap with the grid",
        key_hint="d",
    ),
    Action(
        "magnets.view-overlaps",
        "",
        "view('overlaps')",
        "View: overlaps over time",
        "magnets",
        palette="View: overlaps over time",
        help="Each memory's overlap against the flips of the recall",
        key_hint="d",
    ),
    Action(
        "magnets.view-attention",
        "",
        "view('attention')",
        "View: attention",
        "magnets",
        palette="View: attention (modern rule)",
        help="The modern update's softmax weights over the memories, and the regime",
        key_hint="d",
    ),
    Action(
        "magnets.view-why",
        "",
        "view('why')",
        "View: why this magnet",
        "magnets",
        palette="View: why this magnet",
        help="The field at the cursor split into each memory's pull",
        key_hint="d",
    ),
    Action(
        "magnets.view-landscape",
        "",
        "view('landscape')",
        "View: the landscape",
        "magnets",
        palette="View: the landscape (the path over the energy)",
        help="The state's path in the plane of two overlaps, over the rule's energy there",
        key_hint="d",
    ),
    Action(
        "magnets.landscape-pair",
        "",
        "landscape_pair",
        "Landscape: next pair",
        "magnets",
        palette="Landscape: next second memory of the pair",
        help="Keep the first memory, draw the plane with the next other one",
    ),
    Action(
        "magnets.connections",
        "",
        "connections",
        "Connections on the grid",
        "magnets",
        palette="Connections W of the cursor's magnet: on / off",
        help="Row i of W drawn on the grid (Hebb, Storkey, pseudo-inverse)",
    ),
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
    Action(
        "app.intro",
        "",
        "intro",
        "What am I looking at",
        "app",
        palette="What am I looking at",
        help="The first start's introduction to the screen, again",
    ),
    Action(
        "app.tour",
        "ctrl+n",
        "tour",
        "Tour",
        "app",
        palette="Tour: start / leave",
        help="Guided steps from Hebb to Hinton; each moves on once the app sees it done",
    ),
    Action("app.quit", "ctrl+q", "quit", "Quit", "app", footer=True, priority=True),
    Action(
        "app.magnet-colours",
        "",
        "magnet_colours",
        "Magnet colours",
        "app",
        palette="Magnet colours",
        help="Choose the magnets' palette: red and blue, colour-blind safe, high contrast",
    ),
    Action(
        "app.screenshot",
        "ctrl+d",
        "screenshot",
        "Screenshot",
        "app",
        palette="Screenshot of the screen as SVG",
        help="The screen as it is, screenshot.svg in the current folder",
    ),
    # The help screen and the lab.
    Action("help.close", "escape,q,question_mark", "dismiss", "Close", "help", footer=True),
    Action("lab.back", "escape", "back", "Back", "lab", footer=True),
    Action("lab.run", "ctrl+r", "run", "Run", "lab", footer=True, priority=True),
    Action("lab.stop", "ctrl+x", "stop", "Stop", "lab", footer=True, priority=True),
    Action(
        "lab.next-tab", "ctrl+pagedown,f6", "tab(1)", "Next tab", "lab", footer=True, priority=True
    ),
    Action("lab.previous-tab", "ctrl+pageup,f5", "tab(-1)", "Previous tab", "lab", priority=True),
    Action("boltzmann.back", "escape", "back", "Back", "boltzmann", footer=True),
    Action("boltzmann.train", "ctrl+r", "train", "Train", "boltzmann", footer=True, priority=True),
    Action("boltzmann.stop", "ctrl+x", "stop", "Stop", "boltzmann", footer=True, priority=True),
    Action("boltzmann.recall", "r", "recall", "Recall", "boltzmann", footer=True),
    Action("boltzmann.dream", "d", "dream", "Dream", "boltzmann", footer=True),
    Action("boltzmann.clamp", "c", "clamp", "Clamp", "boltzmann", footer=True),
    Action("boltzmann.colder", "left_square_bracket", "temperature(-1)", "Colder", "boltzmann"),
    Action("boltzmann.hotter", "right_square_bracket", "temperature(1)", "Hotter", "boltzmann"),
    # Bound by hand elsewhere (declared for the help; a test checks they agree).
    Action("grid.up", "up,k", "move(0, -1)", "Up", "grid"),
    Action("grid.down", "down,j", "move(0, 1)", "Down", "grid"),
    Action("grid.left", "left,h", "move(-1, 0)", "Left", "grid"),
    Action("grid.right", "right,l", "move(1, 0)", "Right", "grid"),
    Action("grid.toggle", "space", "toggle", "Toggle spin", "grid"),
    Action("grid.brush-north", "n", "brush(1)", "Brush north", "grid"),
    Action("grid.brush-south", "s", "brush(-1)", "Brush south", "grid"),
    Action("grid.pin", "a", "pin_brush", "Pin brush", "grid"),
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


def bindings_for(screen: str) -> list[Binding]:
    """The ``BINDINGS`` of ``screen`` (``app``, ``magnets``...): every action it binds."""
    if screen not in SCREENS + ELSEWHERE:
        raise ValueError(f"no screen {screen!r} in the table of actions")
    return [action.binding() for action in ACTIONS if action.screen == screen and action.keys]

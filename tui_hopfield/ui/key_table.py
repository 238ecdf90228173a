"""The key table of the help screen and the README: rows of the table of actions.

Each row names the actions it documents by id (``actions.BY_ID``); its key cell is
written from their keys, so a key changed in the table changes here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui_hopfield.ui.actions import BY_ID


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
        "show built-in picture 1 to 10 and imprint it (if it is not a memory already)",
        "; the buttons cover all of them",
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
        ("magnets.undo", "magnets.redo"),
        "undo / redo the last edit: drawing, break, imprint, forget, learning",
        "; a recall's change is undone as one step, and a heavy re-learning runs in the background",
    ),
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
        ("grid.pin", "magnets.unpin-all"),
        "pin the magnet under the cursor, or unpin a pinned one, and each one the cursor"
        " passes (same key lifts it) / unpin all",
        ": recall never changes a pinned magnet, so it completes the picture around them;"
        " ctrl+drag pins an area, ctrl+right-drag unpins it",
    ),
    KeyRow(
        ("magnets.sidebar",),
        "hide / show the side panel: the grid takes the room",
        "; the panel narrows on small terminals and moves below the grid on narrow, tall ones",
    ),
    KeyRow(
        ("magnets.view",),
        "the lower view: memories / overlaps over time / attention / why this magnet / landscape",
        "; the palette names each view, and draws the cursor's connections W on the grid",
    ),
    KeyRow(
        ("magnets.race",),
        "recall race: the grid recalled side by side by two to four rules or update modes",
        " picked in a dialog, one seed, at the recall speed; each ends with its state",
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
    KeyRow(
        ("magnets.lab",),
        'the lab: capacity, "letting go", basin maps, the rule race and the phase diagram,'
        " with plots",
    ),
    KeyRow(
        ("magnets.boltzmann",),
        "the Boltzmann machine: train it on the memories, recall and dream with it",
        " (its own keys are in its footer and under *The Boltzmann machine* below)",
    ),
    KeyRow(
        ("app.tour",),
        "the guided tour: eleven short lessons, each checked by the app before it moves on;"
        " again to leave it, and again to come back to the same step",
        " (`tui-hopfield --tour` starts with it; *The tour* below)",
    ),
    KeyRow(
        ("magnets.save", "magnets.open"),
        "save the session / open a session (right arrow completes a path)",
        "; both run in the background, like a new rule (`ctrl+l`):"
        " the status bar says how far they are",
    ),
    KeyRow(
        ("magnets.cancel",),
        "cancel the saving, opening or re-learning that is running: nothing changes",
    ),
    KeyRow(
        ("magnets.export",),
        "export the grid as a PNG as seen, in its colours (the command palette exports any memory)",
        ": each magnet a square, the picture at least 512 px, into the current folder"
        " (the pictures folder when that is read-only); the message gives the path",
    ),
    KeyRow(
        (
            "magnets.replay-back",
            "magnets.replay-on",
            "magnets.replay-sweep-back",
            "magnets.replay-sweep-on",
        ),
        "replay the last recall: a flip back / on, a sweep back / on",
        "; the grid, energy and overlaps are the recorded ones there, and an edit or a recall"
        " from a past point starts a new branch (the recorded recall stays as it was)",
    ),
    KeyRow(
        ("magnets.replay-play",),
        "replay: play the last recall on from here at the recall speed, or pause",
        " (at its end: again from the start)",
    ),
    KeyRow(
        ("magnets.export-recall",),
        "export the last recall as an animated GIF (`recall.gif` in the current folder)",
    ),
    KeyRow(
        ("magnets.export-cast",),
        "export the last recall as an asciicast: replayed on screen into `recall.cast`",
        " (the screen itself, sampled to 60 frames, at the recall speed; asciinema plays it)",
    ),
    KeyRow(
        ("magnets.replay-pick",),
        "pick an older recall of the last 5 (again: the next older, cycling)",
        "; the replay keys and the exports then act on it, until the next recall",
    ),
    KeyRow(
        ("app.screenshot",),
        "a screenshot of the screen as SVG (`screenshot.svg` in the current folder)",
        "; on every screen, and in the command palette as Textual's own Screenshot too",
    ),
    KeyRow(
        ("magnets.glyphs",),
        "glyphs instead of colours: north a full block, south blank",
        " (on by itself when `NO_COLOR` is set)",
    ),
    KeyRow(
        ("textual.focus-next",),
        "move the focus: the grid, the temperature slider, the memory panel"
        " (up/down picks a memory, `enter` opens its menu)",
        "; the menu reinforces, forgets, renames or shows that memory",
    ),
    KeyRow(
        ("textual.palette",),
        "command palette: every action by name, the other break fractions too",
        " (flips of 10, 20, 30, 40 %); the pictures are their buttons;"
        " *Magnet colours* picks the magnets' palette",
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

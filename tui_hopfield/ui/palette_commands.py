"""The command palette's commands on the main screen, from the table of actions.

Titles and help are plain strings; ``commands.PlainCommands`` shows them as
``Content``, never as markup, so a memory's name goes in as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol

from textual.actions import parse
from textual.app import SystemCommand

from tui_hopfield.model import Network, Picture
from tui_hopfield.ui.actions import ACTIONS, Action
from tui_hopfield.ui.theme import PALETTES, PaletteApp

PICTURE_COMMAND = ("Imprint picture: {name}", "Show {name} and imprint it")
"""The palette's title and help for each built-in picture."""
EXPORT_COMMAND = ("Export memory: {name}", "Save {name} as a PNG")
"""The palette's title and help for each memory."""
COLOURS_COMMAND = ("Magnet colours: {title}", "{help}")
"""The palette's title and help for each magnet palette (``theme.PALETTES``)."""
IN_USE = " (in use)"
"""Added to the help of the magnet palette in use, in the list of them."""
RECALL_COMMAND = (
    "Replay {name}",
    "Pick it for the replay keys and the exports (' picks the next older)",
)
"""The palette's title and help for each recall kept (``Replay recall 2 of 5 (...): ...``)."""


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

    def action_replay_pick_at(self, index: int) -> None:
        """Pick kept recall ``index`` for the replay keys and the exports."""

    def recall_names(self) -> list[str]:
        """A name for each recall kept, the oldest first."""
        ...


def colour_commands(app: PaletteApp[object], *, mark: bool = False) -> list[SystemCommand]:
    """One command per magnet palette (``theme.PALETTES``, in order): it applies it.

    With ``mark`` the help of the palette in use says so.
    """
    title, help_text = COLOURS_COMMAND
    return [
        SystemCommand(
            title.format(title=palette.title),
            help_text.format(help=palette.help)
            + (IN_USE if mark and name == app.magnet_palette else ""),
            lambda name=name: app.apply_palette(name),
        )
        for name, palette in PALETTES.items()
    ]


def palette_commands(app: PaletteApp[object], screen: MainScreen) -> Iterator[SystemCommand]:
    """The palette's commands on the main screen ``screen``, from the table: its actions,
    the app's, one per built-in picture, one per memory, one per recall kept and one per
    magnet palette."""
    for target, name in ((screen, "magnets"), (app, "app")):
        for action in palette_actions(name):
            yield SystemCommand(action.palette, action.palette_help, runner(target, action))
    pictures = [picture.name for picture in screen.pictures]
    yield from _per_item(PICTURE_COMMAND, pictures, screen.action_picture)
    yield from _per_item(EXPORT_COMMAND, screen.network.names, screen.action_export)
    yield from colour_commands(app)
    yield from _per_item(RECALL_COMMAND, screen.recall_names(), screen.action_replay_pick_at)


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

"""The screen as it is: an SVG screenshot, and one frame of ANSI text for an asciicast.

Both come from Textual's own render of the current screen: ``App.export_screenshot``
for the SVG, and for the text the compositor's full update (what Textual writes to a
terminal to draw the whole screen: a cursor move to each line, then its styled
characters), the same render ``export_screenshot`` makes, rendered in true colour.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from rich.console import Console
from textual._compositor import LayoutUpdate
from textual.app import App

from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.files import write_atomically

CLEAR = "\x1b[H\x1b[2J"
"""Before each frame: the cursor home, the screen cleared."""
SCREENSHOT_STEM = "screenshot"
"""The screenshot is ``screenshot.svg`` in the current folder, or ``screenshot-2.svg``..."""


class ScreenExportError(ModelError):
    """The screen could not be written: no current folder, a folder not writable..."""


def free_name(folder: Path, stem: str, suffix: str) -> Path:
    """``stem + suffix`` in ``folder``, or ``stem-2``, ``stem-3``... the first name not taken."""
    path = folder / f"{stem}{suffix}"
    number = 2
    while path.exists() or path.is_symlink():
        path = folder / f"{stem}-{number}{suffix}"
        number += 1
    return path


def current_folder() -> Path:
    """The current folder; a message when it is gone (removed while the app ran)."""
    try:
        return Path.cwd()
    except OSError as problem:
        raise ScreenExportError(
            f"the current folder is gone ({problem.strerror or problem}): nothing written"
        ) from None


def screen_update(app: App) -> LayoutUpdate:
    """The compositor's full update of the current screen: its lines as strips (immutable,
    so ``update_text`` may turn them into text in another thread)."""
    # As App.export_screenshot renders it (textual 8.2.8), segments of one style joined.
    return app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True
    )


def update_text(update: LayoutUpdate, width: int, height: int) -> str:
    """``CLEAR``, then each line of ``update`` at its place, styled in true colour."""
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
        safe_box=False,
    )
    return CLEAR + update.render_segments(console)


def screen_text(app: App) -> str:
    """The current screen as ANSI text: ``CLEAR``, then each line at its place, styled."""
    return update_text(screen_update(app), *app.size)


def save_screenshot(app: App, folder: Path | None = None) -> Path:
    """Write an SVG screenshot of the current screen in ``folder`` (the current one)
    as ``screenshot.svg`` (or the first free ``screenshot-N.svg``), atomically."""
    svg = app.export_screenshot()
    folder = current_folder() if folder is None else folder
    path = free_name(folder, SCREENSHOT_STEM, ".svg")

    def write(stream: BinaryIO) -> None:
        stream.write(svg.encode("utf-8"))

    return write_atomically(path, write, ScreenExportError, make_folders=False)

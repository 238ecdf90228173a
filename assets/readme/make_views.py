"""Make the README's pictures of the lower views and the race: the app itself, at 80x24.

Run from the checkout: ``.venv/bin/python assets/readme/make_views.py``. Each picture is
the app driven headless (``run_test``) by the keys a user would press, seeded, and saved
with ``App.save_screenshot`` as an SVG next to this file.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from tui_hopfield.model.changes import SPEEDS  # noqa: E402
from tui_hopfield.model.rules import Rule  # noqa: E402
from tui_hopfield.ui.app import HopfieldApp  # noqa: E402
from tui_hopfield.ui.race_screen import RaceScreen  # noqa: E402

SIZE = (80, 24)


async def until(pilot, condition, tries: int = 3000) -> None:
    """Pause until ``condition()`` holds (bounded), then let a few frames land."""
    for _ in range(tries):
        if condition():
            break
        await pilot.pause(0.01)
    if not condition():
        raise RuntimeError("the app did not get there")
    for _ in range(10):
        await pilot.pause()


async def recall(pilot) -> None:
    """Recall at instant speed until it ends."""
    screen = pilot.app.magnets
    screen.speed_index = SPEEDS.index(0)
    await pilot.press("r")
    await until(pilot, lambda: not screen.recalling)


async def overlaps(pilot) -> None:
    await pilot.press("1", "2", "3", "1", "b", "d")
    await recall(pilot)


async def attention(pilot) -> None:
    screen = pilot.app.magnets
    await pilot.press("1", "2", "3", "4", "5", "1", "b", "d", "d")
    screen._set_rule(Rule("modern", beta=5.0), quiet=True)
    await until(pilot, lambda: screen.network.rule.name == "modern")
    await until(pilot, lambda: screen.side_view.attention is not None)


async def why(pilot) -> None:
    screen = pilot.app.magnets
    await pilot.press("1", "2", "3", "1", "b", "d", "d", "d")
    screen.grid.focus()
    await pilot.press("right", "right", "down", "down", "down")
    await until(pilot, lambda: screen.side_view.split is not None)


async def overloaded(pilot) -> None:
    """The smiley, overloaded at the offered load, 20 % flipped (the README's case)."""
    await pilot.press("1", "o")
    await pilot.pause()
    await pilot.press("enter")
    await until(pilot, lambda: pilot.app.network.count > 300 and not pilot.app.workers)
    await pilot.press("f")


async def landscape(pilot) -> None:
    await pilot.press("1", "2", "3", "1", "b", "d", "d", "d", "d")
    await recall(pilot)


async def race(pilot) -> None:
    await overloaded(pilot)
    await pilot.press("ctrl+r")
    await pilot.pause()
    await pilot.press("enter")

    def done() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, RaceScreen) and screen.race is not None and screen.race.done

    await until(pilot, done)


SHOTS = {
    "view-overlaps.svg": overlaps,
    "view-attention.svg": attention,
    "view-why.svg": why,
    "view-landscape.svg": landscape,
    "race.svg": race,
}


async def shoot(name: str, drive) -> None:
    """Drive a fresh app to the picture and save the screen as ``name``."""
    app = HopfieldApp(seed=1, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        app.magnets.speed_index = SPEEDS.index(0)
        await drive(pilot)
        app.clear_notifications()
        await pilot.pause()
        app.save_screenshot(filename=name, path=str(HERE))
    print(HERE / name)


def main() -> None:
    """Make every picture, or those named on the command line."""
    for name in sys.argv[1:] or SHOTS:
        asyncio.run(shoot(name, SHOTS[name]))


if __name__ == "__main__":
    main()

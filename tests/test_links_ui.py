"""Pilot tests of links: the menu's "link to…", the panel's line, the learning dialog, the chain."""

from __future__ import annotations

from textual.widgets import Input, Select

from tests.conftest import finish_recall, set_instant
from tests.test_dialogs import open_menu_of_first_memory, shows, until
from tui_hopfield.ui.learning_prompt import LearningPrompt
from tui_hopfield.ui.magnets_screen import MagnetsScreen
from tui_hopfield.ui.memory_list import MemoryList
from tui_hopfield.ui.memory_menu import MemoryMenu
from tui_hopfield.ui.status_bar import StatusBar


def status_text(pilot) -> str:
    return str(pilot.app.magnets.query_one(StatusBar).render())


def panel_text(pilot) -> str:
    panel = pilot.app.magnets.query_one(MemoryList)
    return "\n".join(
        "".join(segment.text for segment in panel.render_line(y)) for y in range(panel.size.height)
    )


async def link_from_menu(pilot, source: int, target: str, strength: str) -> None:
    """Open memory ``source``'s menu, choose ``target`` and type ``strength``, then enter."""
    app = pilot.app
    app.magnets.query_one(MemoryList).highlight(source)
    menu = await open_menu_of_first_memory(pilot)
    await pilot.press("l")
    select = menu.query_one("#target", Select)
    assert menu.focused is select
    select.value = menu.targets.index(target)
    await pilot.pause()
    strength_input = menu.query_one("#strength", Input)
    strength_input.focus()
    strength_input.value = strength
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, MagnetsScreen), "the main screen")


async def test_a_chain_made_in_the_menu_is_recalled_and_named(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2", "3")
        await link_from_menu(pilot, 0, "heart", "1")
        await link_from_menu(pilot, 1, "star", "1")
        links = app.network.links
        assert links.items() == [("smile", "heart", 1.0), ("heart", "star", 1.0)]
        await until(pilot, lambda: "\u2192 heart 1" in panel_text(pilot), "the link in the panel")
        assert "\u2192 star 1" in panel_text(pilot)
        # The learning dialog sets lambda, the hops and the factor.
        await pilot.app.magnets.run_action("learning")
        await until(pilot, lambda: shows(app, LearningPrompt), "the learning dialog")
        prompt = app.screen
        for key, value in (("link-lambda", "2"), ("hops", "3"), ("hop-factor", "0.9")):
            prompt.query_one(f"#{key}", Input).value = value
        prompt.apply()
        await until(pilot, lambda: links.strength == 2.0, "lambda applied")
        assert links.settings() == (2.0, 3, 0.9, 0.0)
        screen = app.magnets
        screen._apply(screen.workspace.show(0))
        await pilot.press("b")  # break the smiley
        set_instant(screen)
        screen.action_recall()
        await finish_recall(pilot)
        assert screen.state.startswith("smile \u2192 heart \u2192 star \u00b7 recalled star")
        assert "smile \u2192 heart \u2192 star" in status_text(pilot)
        assign = app.network.patterns[2]
        assert (app.network.state == assign).all()


async def test_a_link_is_removed_with_strength_zero_and_a_bad_one_is_refused(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2")
        await link_from_menu(pilot, 0, "heart", "0.5")
        assert app.network.links.items() == [("smile", "heart", 0.5)]
        menu = await open_menu_of_first_memory(pilot)
        strength = menu.query_one("#strength", Input)
        assert strength.value == "0.5"  # the link's strength, to edit
        strength.focus()
        strength.value = "1000"
        await pilot.press("enter")
        assert isinstance(app.screen, MemoryMenu)
        assert "strength is from 0" in str(menu.query_one("#menu-error").render())
        strength.value = "0"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MagnetsScreen), "the main screen")
        assert len(app.network.links) == 0
        await until(pilot, lambda: "\u2192 heart" not in panel_text(pilot), "the line gone")


async def link_with_keys(pilot, source: int, down: int) -> None:
    """The README's keys: enter on memory ``source``, l, pick a target ``down`` rows
    below the first, tab to the strength (1), enter."""
    app = pilot.app
    app.magnets.query_one(MemoryList).highlight(source)
    await open_menu_of_first_memory(pilot)
    await pilot.press("l")
    if down:
        await pilot.press("enter", *["down"] * down, "enter")
    await pilot.press("tab", "enter")
    await until(pilot, lambda: isinstance(app.screen, MagnetsScreen), "the main screen")


async def test_the_readme_sequence_demo(app):
    """Imprint three pictures, link them in a ring, break the first, recall: each in turn."""
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2", "3")
        await link_with_keys(pilot, 0, 0)  # smile -> heart (the first offered)
        await link_with_keys(pilot, 1, 1)  # heart -> star (the second: smile, star)
        await link_with_keys(pilot, 2, 0)  # star -> smile
        ring = [("smile", "heart", 1.0), ("heart", "star", 1.0), ("star", "smile", 1.0)]
        assert app.network.links.items() == ring
        await pilot.press("ctrl+l")
        await until(pilot, lambda: shows(app, LearningPrompt), "the learning dialog")
        lam = app.screen.query_one("#link-lambda", Input)
        lam.focus()
        lam.value = "3"
        await pilot.press("enter")
        await until(pilot, lambda: app.network.links.strength == 3.0, "lambda 3")
        await pilot.press("1", "f")  # the smiley on the grid again, broken
        screen = app.magnets
        assert screen.state.startswith("broken")
        seen = []
        await pilot.press("r")
        while screen.recalling and len(seen) < 10_000:
            if not seen or seen[-1] != screen.state:
                seen.append(screen.state)
            await pilot.pause()
        await finish_recall(pilot)
        final = "smile \u2192 heart \u2192 star \u2192 smile \u00b7 recalled smile"
        assert screen.state == final
        assert final in status_text(pilot)
        chains = [state for state in seen if state.startswith("recalling smile")]
        assert chains == sorted(chains, key=len) and chains  # the chain grew as it went

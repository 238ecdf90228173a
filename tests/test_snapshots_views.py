"""Snapshots of the lower views at 80x24: overlaps, attention and why (look before accepting)."""

from __future__ import annotations

from tests.conftest import finish_recall, set_instant
from tui_hopfield.model.rules import Rule
from tui_hopfield.ui.app import HopfieldApp


async def wait_until(pilot, condition, tries: int = 500) -> None:
    """Pause until ``condition()`` holds, a bounded number of times."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    assert condition()


async def overlaps_after_recall(pilot) -> None:
    screen = pilot.app.screen
    await pilot.press("1", "2", "3", "1", "b", "d")
    set_instant(screen)
    await pilot.press("r")
    await finish_recall(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


async def attention_modern(pilot) -> None:
    screen = pilot.app.screen
    await pilot.press("1", "2", "3", "4", "5", "1", "b", "d", "d")
    screen._set_rule(Rule("modern", beta=10.0), quiet=True)
    await wait_until(pilot, lambda: screen.network.rule.name == "modern")
    await wait_until(pilot, lambda: screen.side_view.attention is not None)
    pilot.app.clear_notifications()
    await pilot.pause()


async def why_on_a_magnet(pilot) -> None:
    screen = pilot.app.screen
    await pilot.press("1", "2", "3", "1", "b", "d", "d", "d")
    screen.grid.focus()
    await pilot.press("right", "right", "down", "down", "down")
    await wait_until(pilot, lambda: screen.side_view.split is not None)
    pilot.app.clear_notifications()
    await pilot.pause()


def test_overlaps_over_time_after_a_recall(snap_compare):
    assert snap_compare(
        HopfieldApp(seed=1, autosave=False),
        terminal_size=(80, 24),
        run_before=overlaps_after_recall,
    )


def test_attention_of_the_modern_rule_at_beta_10(snap_compare):
    assert snap_compare(
        HopfieldApp(seed=1, autosave=False), terminal_size=(80, 24), run_before=attention_modern
    )


def test_why_this_magnet_on_a_broken_picture(snap_compare):
    assert snap_compare(
        HopfieldApp(seed=1, autosave=False), terminal_size=(80, 24), run_before=why_on_a_magnet
    )

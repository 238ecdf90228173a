"""Snapshots of the recall race: Hebb against dense n=3 past capacity (look before accepting)."""

from __future__ import annotations

import pytest

from tests.conftest import set_instant
from tests.test_race_ui import overloaded_smile, race_to_the_end
from tui_hopfield.ui.app import HopfieldApp


async def raced(pilot) -> None:
    set_instant(pilot.app.screen)
    await overloaded_smile(pilot, pilot.app)
    pilot.app.clear_notifications()
    await race_to_the_end(pilot, pilot.app)
    pilot.app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_the_race_at_its_end(snap_compare, size):
    assert snap_compare(HopfieldApp(seed=1, autosave=False), terminal_size=size, run_before=raced)

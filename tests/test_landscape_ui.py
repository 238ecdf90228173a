"""The landscape view on screen: the dot rolls into the recalled memory's valley."""

from __future__ import annotations

import numpy as np

from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.magnets_screen import SPEEDS
from tui_hopfield.ui.side_views import TITLES


def shown(screen) -> str:
    """The text the lower view shows under its title."""
    return str(screen.side_view.render()).split("\n", 1)[1]


async def wait_for(pilot, condition, tries: int = 500) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    assert condition()


async def test_the_landscape_dot_ends_in_the_smiles_valley_along_the_recorded_overlaps():
    app = HopfieldApp(16, 16, seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2", "3", "1", "b")
        await screen.run_action("view('landscape')")
        await pilot.pause()
        view = screen.side_view
        assert str(view.render()).splitlines()[0] == TITLES["landscape"]
        network = screen.network
        smile = network.names[0]
        screen.workspace.set_speed(SPEEDS.index(30))
        drawn: list[np.ndarray] = []
        update = view.update
        view.update = lambda content: (drawn.append(view.points.copy()), update(content))
        await pilot.press("r")
        await wait_for(pilot, lambda: not screen.recalling, tries=3000)
        await pilot.pause()
        assert len({len(points) for points in drawn}) > 2  # the path grew as it ran
        assert view.plane.a == 0  # the smile, closest at the start
        points = view.points
        assert points[-1][0] > 0.99  # the dot is in the smile's valley, m_a ~ 1
        recording = screen.workspace.recordings[-1]
        xi = network.patterns.reshape(network.count, -1).astype(np.float64)
        pair = [view.plane.a, view.plane.b]
        for position, point in zip(view.trace.positions, points, strict=False):
            expected = xi[pair] @ recording.grid_at(int(position)) / network.n
            assert np.allclose(point, expected)
        text = shown(screen)
        assert "E = -N/2 (c_a m_a\u00b2 + c_b m_b\u00b2)" in text
        assert f"m_a {smile[:10]} +1.00" in text
        assert "\u25cf" in text
        lines = text.splitlines()
        assert all(len(line) <= view.size.width for line in lines)
        before = view.plane.b
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Landscape: next second")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: view.plane.b != before)
        assert view.plane.a == 0 and view.plane.b not in (0, before)


async def landscape_after_recall(pilot) -> None:
    screen = pilot.app.magnets
    await pilot.press("1", "2", "3", "1", "b")
    await screen.run_action("view('landscape')")
    screen.workspace.set_speed(SPEEDS.index(30))
    await pilot.press("r")
    await wait_for(pilot, lambda: not screen.recalling, tries=3000)
    pilot.app.clear_notifications()
    await pilot.pause()


def test_the_landscape_snapshot(snap_compare):
    assert snap_compare(
        HopfieldApp(16, 16, seed=2), terminal_size=(80, 24), run_before=landscape_after_recall
    )

"""The landscape view on screen: the dot rolls into the recalled memory's valley."""

from __future__ import annotations

import numpy as np

from tui_hopfield.model.rules import Rule
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


async def test_the_landscape_says_what_it_draws_for_each_rule_within_the_panel():
    app = HopfieldApp(16, 16, seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.magnets
        await screen.run_action("view('landscape')")
        await pilot.pause()
        assert shown(screen).startswith("The landscape needs two memories")
        await pilot.press("1", "2", "3")
        expected = {
            "pseudo-inverse": "E = -(d M d - tr W) / 2, d = N (m_a, m_b)",
            "storkey": "E = -N/2 (c_a m_a\u00b2 + c_b m_b\u00b2) + \u03a3c/2",
            "dense": "E = -(N/3) (c_a m_a^3 + c_b m_b^3)",
            "dense exp": "E = -log \u03a3 c e^(N m)",
            "modern": "E = N/2 - (N/\u03b2) log \u03a3 c e^(\u03b2 m), \u03b2 = 8",
        }
        rules = {
            "pseudo-inverse": Rule("pseudo-inverse"),
            "storkey": Rule("storkey"),
            "dense": Rule("dense", degree=3),
            "dense exp": Rule("dense", degree=None),
            "modern": Rule("modern", beta=8.0),
        }
        for label, rule in rules.items():
            screen._set_rule(rule, quiet=True)
            await wait_for(pilot, lambda r=rule: screen.network.rule == r and screen._job is None)
            screen._show_view()
            await pilot.pause()
            lines = shown(screen).splitlines()
            assert lines[0] == expected[label], label
            assert all(len(line) <= screen.side_view.size.width for line in lines), label
        assert lines[1].startswith("other m: e^0 = 1")
        screen._set_rule(Rule("storkey"), quiet=True)
        await wait_for(pilot, lambda: screen.network.rule.name == "storkey" and screen._job is None)
        screen._show_view()
        assert shown(screen).splitlines()[1].startswith("Storkey: Hebb's E")

"""The side panel's lower views on screen: d cycles them, each is live during recall."""

from __future__ import annotations

import numpy as np

from tui_hopfield.model.rules import Rule
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.magnets_screen import SPEEDS
from tui_hopfield.ui.side_views import TITLES, VIEWS


def shown(screen) -> str:
    """The text the lower view shows under its title."""
    return str(screen.side_view.render()).split("\n", 1)[1]


async def wait_for(pilot, condition, tries: int = 500) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    assert condition()


async def test_d_cycles_the_views_and_each_has_its_palette_command():
    app = HopfieldApp(16, 16, seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.magnets
        title = screen.query_one("#memories-title")
        for view in (*VIEWS[1:], VIEWS[0]):
            await pilot.press("d")
            await pilot.pause()
            assert screen.side_view.view == view
            assert title.display == (view == "memories")
            if view != "memories":
                assert str(screen.side_view.render()).splitlines()[0] == TITLES[view]
            assert screen.memory_list.display == (view == "memories")
            assert screen.side_view.display == (view != "memories")
        screen.memory_list.focus()
        await pilot.press("d")
        assert screen.grid.has_focus  # not a hidden list
        await pilot.press("d", "d", "d")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"View: why this magnet")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.side_view.view == "why")


async def test_the_overlaps_view_is_live_during_recall_and_plots_the_recorded_overlaps():
    app = HopfieldApp(16, 16, seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2", "3", "1", "b", "d")
        screen.workspace.set_speed(SPEEDS.index(30))
        drawn: list[str] = []
        update = screen.side_view.update
        screen.side_view.update = lambda content: (drawn.append(str(content)), update(content))
        await pilot.press("r")
        await wait_for(pilot, lambda: not screen.recalling, tries=3000)
        ends = {line for text in drawn for line in text.splitlines() if line.startswith("against")}
        assert len(ends) > 2  # drawn again and again as the recall ran
        recording = screen.workspace.recordings[-1]
        trace = screen.side_view.trace
        network = screen.network
        xi = network.patterns.reshape(network.count, -1).astype(np.float64)
        positions, values = trace.columns(30)
        assert positions[-1] == len(recording)
        for position, row in zip(positions, values, strict=True):
            assert np.allclose(row, xi @ recording.grid_at(int(position)) / network.n)
        text = shown(screen).splitlines()
        first = text[3]  # under the two header lines and the energy line
        recalled = network.names[int(np.argmax(network.overlaps()))]
        assert first.startswith(recalled[:9]) and first.endswith("+1.00")
        assert f"flips 0 \u2192 {len(recording)}" in shown(screen)


async def test_the_attention_view_shows_the_modern_updates_weights_and_the_regime():
    app = HopfieldApp(16, 16, seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2", "3", "1", "b")
        await pilot.press("d", "d")
        await pilot.pause()
        assert "Attention is the modern rule's" in shown(screen)
        screen._set_rule(Rule("modern", beta=200.0), quiet=True)
        await wait_for(pilot, lambda: screen.network.rule.name == "modern")
        screen.workspace.set_speed(SPEEDS.index(1))
        await pilot.press("r")
        await wait_for(pilot, lambda: not screen.recalling)
        await pilot.pause()
        found = screen.side_view.attention
        network = screen.network
        query = network.state if network.values is None else network.values
        landscape = network.landscape
        update = landscape.retrieve(np.asarray(query, dtype=np.float32)[None, :])[0]
        xi = network.patterns.reshape(network.count, -1).astype(np.float64)
        assert found.weights.sum() == np.float64(1.0) or abs(found.weights.sum() - 1) < 1e-12
        assert np.allclose(found.weights @ xi, update, atol=1e-5)
        assert found.regime == "single memory"
        assert "regime: single memory" in shown(screen)
        assert "query = the grid x, keys = values = \u03be" in shown(screen)


async def test_the_why_view_splits_the_cursors_field_and_draws_its_connections():
    app = HopfieldApp(8, 8, seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2", "b")
        await pilot.press("d", "d", "d")
        await pilot.pause()
        network = screen.network
        xi = network.patterns.reshape(network.count, -1).astype(np.float64)
        w = (xi.T * network.strengths) @ xi / network.n
        np.fill_diagonal(w, 0.0)
        screen.grid.focus()
        await pilot.press("right", "down")
        await pilot.pause()
        row, col = screen.grid.cursor
        index = row * network.cols + col
        split = screen.side_view.split
        assert abs(split.total - w[index] @ network.state) < 1e-9
        assert f"magnet ({row}, {col})" in shown(screen)
        await screen.run_action("connections")
        await pilot.pause()
        picture = screen.grid.values.reshape(-1)
        assert np.allclose(picture * np.abs(w[index]).max(), w[index])
        await pilot.press("left")  # the picture follows the cursor
        await pilot.pause()
        assert np.allclose(
            screen.grid.values.reshape(-1) * np.abs(w[index - 1]).max(), w[index - 1]
        )
        await screen.run_action("connections")
        assert screen.grid.values is None


async def test_past_heavy_work_the_picture_and_the_attention_come_from_a_thread(monkeypatch):
    monkeypatch.setattr("tui_hopfield.ui.side_views.HEAVY_WORK", 0)
    app = HopfieldApp(8, 8, seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2", "b")
        network = screen.network
        xi = network.patterns.reshape(network.count, -1).astype(np.float64)
        w = (xi.T * network.strengths) @ xi / network.n
        np.fill_diagonal(w, 0.0)
        row, col = screen.grid.cursor
        index = row * network.cols + col
        await screen.run_action("connections")
        await wait_for(pilot, lambda: screen.grid.values is not None)
        assert np.allclose(screen.grid.values.reshape(-1) * np.abs(w[index]).max(), w[index])
        await screen.run_action("connections")
        screen._set_rule(Rule("modern", beta=40.0), quiet=True)
        await wait_for(pilot, lambda: screen.network.rule.name == "modern" and screen._job is None)
        await screen.run_action("view('attention')")
        values = np.linspace(-1, 1, network.n).astype(np.float32)
        screen.network.set_values(values)
        screen._show_view()
        expected = screen.network.landscape.retrieve(values[None, :])[0]
        await wait_for(
            pilot,
            lambda: (
                screen.side_view._key is not None
                and screen.side_view._key[1] == id(screen.network.values)
            ),
        )
        assert np.allclose(screen.side_view.attention.weights @ xi, expected, atol=1e-5)
        assert "regime:" in shown(screen)


async def test_the_why_view_follows_the_mouse_over_the_grid_and_the_cursor_again():
    app = HopfieldApp(8, 8, seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2", "b")
        await screen.run_action("view('why')")
        await pilot.pause()
        grid = screen.grid
        spot = grid.spins_at(3, 1)[0]
        await pilot.hover(grid, offset=(3, 1))
        await pilot.pause()
        assert shown(screen).startswith(f"magnet ({spot[0]}, {spot[1]})")
        network = screen.network
        index = spot[0] * network.cols + spot[1]
        assert abs(screen.side_view.split.field - network.field(index)) < 1e-12
        grid.focus()
        await pilot.press("right")
        await pilot.pause()
        row, col = grid.cursor
        assert shown(screen).startswith(f"magnet ({row}, {col})")


async def test_a_view_is_drawn_again_when_its_height_changes():
    """The modern rule's beta row takes a row from the view: it must fit its new height."""
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2", "3", "4", "5", "1", "b", "d", "d")
        screen._set_rule(Rule("modern", beta=10.0), quiet=True)
        await wait_for(pilot, lambda: screen.network.rule.name == "modern")
        view = screen.side_view
        await wait_for(pilot, lambda: view.attention is not None)
        for _ in range(20):
            await pilot.pause()
        assert len(str(view.render()).splitlines()) == view.size.height
        assert str(view.render()).splitlines()[-1].startswith("single: max p")

"""Pilot tests of the Lab screen: run both experiments, stop one, bad settings, leave."""

from __future__ import annotations

import asyncio

from textual.widgets import Button, DataTable, Input, Label, ProgressBar, Select, TabbedContent

from tui_hopfield.ui.lab_screen import ChartView, LabScreen
from tui_hopfield.ui.magnets_screen import MagnetsScreen


async def open_lab(pilot, **settings) -> LabScreen:
    screen = LabScreen(seed=1, **settings)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def wait_for(pilot, condition, timeout: float = 20.0) -> None:
    # Not pilot.pause(): it waits for an idle process, which a running worker never is.
    waited = 0.0
    while not condition() and waited < timeout:
        await asyncio.sleep(0.02)
        waited += 0.02
    assert condition(), "timed out"
    await pilot.pause()


def status(screen: LabScreen, experiment: str) -> str:
    return str(screen.query_one(f"#{experiment}-status", Label).render())


async def test_a_sweep_runs_in_the_background_and_shows_its_table_and_plot(app):
    async with app.run_test(size=(100, 36)) as pilot:
        screen = await open_lab(pilot, n=100, trials=1)
        screen.query_one("#capacity-alphas", Input).value = "0.05,0.3"
        await pilot.click("#capacity-run")
        await wait_for(pilot, lambda: screen.capacity_result is not None)
        result = screen.capacity_result
        assert result.complete and [p.patterns for p in result.points] == [5, 30]
        assert result.settings.seed == 1 and result.settings.n == 100
        assert screen.query_one("#capacity-table", DataTable).row_count == 2
        chart = screen.query_one("#capacity-chart", ChartView).text()
        assert "overlap after recall: hebbian, N = 100" in chart and "from the pattern" in chart
        assert status(screen, "capacity").startswith("done in")
        bar = screen.query_one("#capacity-progress", ProgressBar)
        assert bar.total == 2 and bar.progress == 2
        assert not screen.query_one("#capacity-run").disabled


async def test_the_study_shows_a_table_and_the_plots_of_the_scene_chosen(app):
    async with app.run_test(size=(100, 36)) as pilot:
        screen = await open_lab(pilot, rounds=3)
        screen.query_one(TabbedContent).active = "reinforce"
        await pilot.pause()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.reinforce_result is not None)
        assert len(screen.reinforce_result.chosen) == 3
        assert screen.query_one("#reinforce-table", DataTable).row_count == 5
        similarity = screen.query_one("#reinforce-similarity", ChartView)
        assert similarity.text().startswith("park: similarity")
        assert screen.query_one("#reinforce-energy", ChartView).text().startswith("park: energy")
        screen.query_one("#reinforce-scene", Select).value = "night"
        await pilot.pause()
        assert similarity.text().startswith("night: similarity")


async def test_stop_ends_a_long_sweep_and_keeps_what_it_measured(app):
    async with app.run_test(size=(100, 36)) as pilot:
        screen = await open_lab(pilot, n=300, trials=200)
        screen.query_one("#capacity-run", Button).press()
        bar = screen.query_one("#capacity-progress", ProgressBar)
        await wait_for(pilot, lambda: (bar.progress or 0) >= 1)
        assert screen.running("capacity")
        assert not screen.query_one("#capacity-stop", Button).disabled
        screen.query_one("#capacity-stop", Button).press()
        await wait_for(pilot, lambda: screen.capacity_result is not None)
        result = screen.capacity_result
        assert not result.complete and result.points
        assert all(p.trials < 200 for p in result.points)
        assert status(screen, "capacity").startswith("stopped after")
        assert not screen.running("capacity")
        assert not screen.query_one("#capacity-run", Button).disabled


async def test_bad_settings_say_why_and_start_nothing(app):
    async with app.run_test(size=(100, 36)) as pilot:
        screen = await open_lab(pilot)
        screen.query_one("#capacity-n", Input).value = "lots"
        await pilot.click("#capacity-run")
        assert "N must be a number" in status(screen, "capacity")
        assert not screen.running("capacity") and not screen.workers
        screen.query_one("#capacity-n", Input).value = "8"
        await pilot.press("ctrl+r")  # a second click this soon would be ignored
        assert "the size N is from 16" in status(screen, "capacity")
        screen.query_one(TabbedContent).active = "reinforce"
        screen.query_one("#reinforce-scenes", Input).value = "/no/such/folder"
        await pilot.pause()
        await pilot.press("ctrl+r")
        assert "no such folder" in status(screen, "reinforce")


async def test_choosing_a_rule_opens_its_setting(app):
    async with app.run_test(size=(100, 36)) as pilot:
        screen = await open_lab(pilot)
        degree = screen.query_one("#capacity-degree", Input)
        beta = screen.query_one("#capacity-beta", Input)
        assert degree.disabled and beta.disabled
        screen.query_one("#capacity-rule", Select).value = "dense"
        await pilot.pause()
        assert not degree.disabled and beta.disabled
        screen.query_one("#capacity-rule", Select).value = "modern"
        await pilot.pause()
        assert degree.disabled and not beta.disabled


async def test_escape_stops_the_run_and_goes_back(app):
    async with app.run_test(size=(100, 36)) as pilot:
        screen = await open_lab(pilot, n=300, trials=200)
        screen.start("capacity")
        assert screen.running("capacity")
        screen.query_one("#capacity-n", Input).focus()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MagnetsScreen)
        await wait_for(pilot, lambda: not screen.running("capacity"))

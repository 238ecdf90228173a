"""Pilot tests of the Lab screen: run both experiments, stop one, bad settings, leave."""

from __future__ import annotations

import asyncio

from textual.geometry import Region
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Label,
    ProgressBar,
    Select,
    TabbedContent,
    TabPane,
)
from textual.widgets.input import Selection

from tests.conftest import open_the_lab
from tui_hopfield.ui.lab_screen import LAB, ChartView, LabScreen
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


async def test_the_sweep_recalls_asynchronously_by_default_and_synchronously_when_asked(app):
    async with app.run_test(size=(100, 36)) as pilot:
        screen = await open_lab(pilot, n=64, trials=1)
        screen.query_one("#capacity-alphas", Input).value = "0.3"
        assert screen.query_one("#capacity-mode", Select).value == "async"
        await pilot.click("#capacity-run")
        await wait_for(pilot, lambda: screen.capacity_result is not None)
        assert screen.capacity_result.settings.mode == "async"
        (point,) = screen.capacity_result.points
        assert point.cycled_cued == 0.0
        screen.capacity_result = None
        screen.query_one("#capacity-mode", Select).value = "sync"
        await pilot.click("#capacity-run")
        await wait_for(pilot, lambda: screen.capacity_result is not None)
        assert screen.capacity_result.settings.mode == "sync"
        table = screen.query_one("#capacity-table", DataTable)
        labels = [str(column.label) for column in table.columns.values()]
        assert labels[-3:] == ["fixed", "2-cycle", "cut off"]
        (point,) = screen.capacity_result.points
        assert abs(point.fixed_cued + point.cycled_cued + point.cut_cued - 1.0) < 1e-12


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


async def test_choosing_a_rule_shows_only_its_setting(app):
    async with app.run_test(size=(100, 36)) as pilot:
        screen = await open_lab(pilot)

        def shown() -> set[str]:
            pane = screen.query_one("#capacity", TabPane)
            settings = pane.query(".rule-setting")
            return {widget.id or str(widget.render()) for widget in settings if widget.display}

        assert shown() == set()  # Hebb takes neither a degree nor a beta
        for rule, setting in (("dense", "degree"), ("modern", "beta"), ("storkey", None)):
            screen.query_one("#capacity-rule", Select).value = rule
            await pilot.pause()
            expected = set() if setting is None else {setting, f"capacity-{setting}"}
            assert shown() == expected, rule
        degree = screen.query_one("#reinforce-degree", Input)
        assert not degree.display  # the other form keeps its own rule
        screen.query_one("#capacity-rule", Select).value = "dense"
        await pilot.pause()
        assert screen.query_one("#capacity-degree", Input).display and not degree.display


async def test_ctrl_x_stops_a_run_from_a_field_and_cuts_when_nothing_runs(app):
    async with app.run_test(size=(100, 36)) as pilot:
        screen = await open_lab(pilot, n=300, trials=200)
        field = screen.query_one("#capacity-n", Input)
        field.focus()
        await pilot.press("ctrl+r")  # run, from inside the field
        assert screen.running("capacity")
        await pilot.press("ctrl+x")  # stop, from inside the field
        await wait_for(pilot, lambda: screen.capacity_result is not None)
        assert not screen.capacity_result.complete
        assert status(screen, "capacity").startswith("stopped after")
        assert field.value == "300" and app.focused is field
        field.selection = Selection(0, 1)  # "3" selected: ctrl+x cuts it, nothing runs
        await pilot.press("ctrl+x")
        assert field.value == "00" and not screen.running("capacity")


async def test_leaving_the_lab_keeps_the_run_and_coming_back_shows_it(app):
    async with app.run_test(size=(100, 36)) as pilot:
        magnets = app.screen
        assert isinstance(magnets, MagnetsScreen)
        screen = await open_the_lab(pilot)
        assert isinstance(screen, LabScreen)
        seed = screen.query_one("#capacity-seed", Input).value
        screen.query_one("#capacity-n", Input).value = "200"
        screen.query_one("#capacity-trials", Input).value = "20"
        screen.start("capacity")
        worker = screen._runs["capacity"][0]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is magnets
        magnets.action_lab()
        await pilot.pause()
        assert app.screen is screen  # the same lab, the same run, the same seed
        assert screen._runs["capacity"][0] is worker
        assert screen.query_one("#capacity-seed", Input).value == seed
        await wait_for(pilot, lambda: screen.capacity_result is not None, timeout=120)
        result = screen.capacity_result
        assert result.complete and result.settings.seed == int(seed)  # never stopped
        assert screen.query_one("#capacity-table", DataTable).row_count == len(result.points)
        assert "overlap after recall" in screen.query_one("#capacity-chart", ChartView).text()
        bar = screen.query_one("#capacity-progress", ProgressBar)
        assert bar.progress == bar.total == 15 * 20
        await pilot.press("escape")
        await pilot.pause()
        magnets.action_lab()
        await pilot.pause()
        assert app.screen is screen and screen.capacity_result is result


async def test_a_long_alphas_error_is_wrapped_not_cut_at_80x24(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lab(pilot)
        typed = "0.1:0.9:0.0001"
        screen.query_one("#capacity-alphas", Input).value = typed
        screen.start("capacity")
        await pilot.pause()
        label = screen.query_one("#capacity-status", Label)
        message = str(label.render())
        assert message.startswith(f"'{typed}' is not START:STOP:STEP") and len(message) > 70
        lines = [strip.text.strip() for strip in label.render_lines(Region(0, 0, *label.size))]
        assert " ".join(line for line in lines if line) == message
        assert label.parent.region.contains_region(label.region)  # nothing clipped
        assert label.region.bottom <= screen.size.height - 1  # above the footer


async def test_the_studys_table_fits_80_columns(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lab(pilot, rounds=3)
        screen.query_one(TabbedContent).active = "reinforce"
        await pilot.pause()
        screen.start("reinforce")
        await wait_for(pilot, lambda: screen.reinforce_result is not None)
        table = screen.query_one("#reinforce-table", DataTable)
        assert [str(column.label) for column in table.columns.values()][-1] == "E new"
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert table.max_scroll_x == 0  # every column, "E new" too, in full


async def test_ctrl_pagedown_and_f5_move_between_the_tabs_even_from_a_field(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lab(pilot)
        tabs = screen.query_one(TabbedContent)
        panes = [pane.id for pane in screen.query(TabPane)]
        assert tabs.active == panes[0] == "capacity" and len(panes) >= 4
        field = screen.query_one("#capacity-n", Input)
        field.focus()
        await pilot.pause()
        before = field.value
        for key, want in (("ctrl+pagedown", panes[1]), ("f6", panes[2]), ("f5", panes[1])):
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == want, key
        assert field.value == before  # the keys typed nothing into the field
        await pilot.press("ctrl+pageup", "ctrl+pageup")  # round the first to the last
        await pilot.pause()
        assert tabs.active == panes[-1]
        assert screen.experiment == panes[-1]


async def test_the_first_opening_of_the_lab_says_so_before_it_builds(app):
    async with app.run_test(size=(80, 24)) as pilot:
        magnets = app.screen
        assert isinstance(magnets, MagnetsScreen)

        notices: list[tuple[str, bool]] = []  # each message, and whether the lab was built
        notify = magnets.notify

        def recorded(message, **options):
            notices.append((message, app.is_screen_installed(LAB)))
            return notify(message, **options)

        def said() -> int:
            return sum("Opening the lab" in message for message, _ in notices)

        magnets.notify = recorded
        magnets.action_lab()  # the message now, the lab's widgets after the next frame
        assert app.screen is magnets and not app.is_screen_installed(LAB)
        assert notices == [("Opening the lab\u2026", False)]
        for _ in range(1200):
            await pilot.pause(0.05)
            if isinstance(app.screen, LabScreen):
                break
        assert isinstance(app.screen, LabScreen) and said() == 1
        await pilot.press("escape")
        await pilot.pause()
        magnets.action_lab()  # made once: opened at once, nothing said
        assert isinstance(app.screen, LabScreen) and said() == 1

"""Pilot tests of the Boltzmann machine's screen: training (progress, stop), recall, dream."""

from __future__ import annotations

import numpy as np
from textual.widgets import Input, ProgressBar

from tui_hopfield.ui.boltzmann_screen import BoltzmannScreen, ChartView
from tui_hopfield.ui.thumbnail import Thumbnail


async def open_machine(pilot, pictures: str = "1234") -> BoltzmannScreen:
    await pilot.press(*pictures)
    await pilot.press("ctrl+k")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, BoltzmannScreen)
    return screen


async def train(pilot, screen: BoltzmannScreen, epochs: int) -> None:
    screen.query_one("#bm-epochs", Input).value = str(epochs)
    await pilot.press("ctrl+r")
    await screen._training[0].wait()
    for _ in range(50):
        done = screen.machine is not None and len(screen.machine.history) == epochs
        if done and not screen.training:
            break
        await pilot.pause()
    assert screen.machine is not None and len(screen.machine.history) == epochs
    await pilot.pause()


async def wait_sampling(pilot, screen: BoltzmannScreen) -> None:
    for _ in range(2000):
        if not screen.sampling:
            return
        await pilot.pause(0.01)
    raise AssertionError("the sampling did not end")


async def test_training_learns_the_memories_and_shows_its_progress_and_fields(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_machine(pilot)
        assert screen.machine is None
        await train(pilot, screen, 300)
        machine = app.screen_stack[0].workspace.boltzmann
        assert machine is not None and machine is screen.machine
        assert len(machine.history) == 300 and machine.hidden == 64
        assert machine.history[-1].error < machine.history[0].error / 4
        assert screen.query_one("#bm-progress", ProgressBar).progress == 300
        assert screen.query_one("#bm-error", ChartView).chart is not None
        assert screen.query_one("#bm-free-energy", ChartView).chart is not None
        fields = list(screen.query("#bm-fields Thumbnail").results(Thumbnail))
        assert len(fields) == 64
        assert np.allclose(fields[0].values.reshape(-1) * np.abs(machine.weights[0]).max(),
                           machine.weights[0])  # fmt: skip
        assert "trained 300 epochs" in str(screen.query_one("#bm-status").render())


async def test_stop_keeps_the_epochs_done(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_machine(pilot)
        screen.query_one("#bm-epochs", Input).value = "100000"
        await pilot.press("ctrl+r")
        bar = screen.query_one("#bm-progress", ProgressBar)
        for _ in range(2000):
            if bar.progress:
                break
            await pilot.pause(0.01)
        assert bar.progress and bar.total == 100000
        await pilot.press("ctrl+x")
        await screen._training[0].wait()
        for _ in range(50):
            if not screen.training:
                break
            await pilot.pause()
        await pilot.pause()
        machine = screen.machine
        assert machine is not None and 0 < len(machine.history) < 100000
        assert "stopped after" in str(screen.query_one("#bm-status").render())


async def test_recall_mends_the_wiped_picture_and_names_it(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_machine(pilot)
        await train(pilot, screen, 300)
        await pilot.press("escape")
        main = app.screen
        await pilot.press("w")  # the last picture shown, house, wiped
        picture = main.workspace.network.patterns[3]
        assert (main.workspace.network.state != picture).sum() > 50
        await pilot.press("ctrl+k")
        await pilot.pause()
        screen = app.screen
        screen.frame_seconds = 0.001
        await pilot.press(*"[" * 5)
        assert screen.temperature == 0.1
        await pilot.press("r")
        await wait_sampling(pilot, screen)
        assert screen.verdict == f"recalled {main.workspace.network.names[3]}"
        assert (screen.last == picture).mean() > 0.98
        assert "recall ended: recalled" in str(screen.query_one("#bm-status").render())


async def test_dreams_at_high_temperature_are_noise(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_machine(pilot)
        await train(pilot, screen, 300)
        screen.frame_seconds, screen.dream_steps = 0.001, 20
        await pilot.press(*"]" * 6)
        assert screen.temperature == 20.0
        seen = []
        show = screen._show_sample
        screen._show_sample = lambda spins: (seen.append(spins), show(spins))
        await pilot.press("d")
        await wait_sampling(pilot, screen)
        assert len(seen) == 20
        patterns = app.screen_stack[0].workspace.network.patterns
        assert max(float((patterns == s).mean(axis=1).max()) for s in seen) < 0.65


async def test_recall_and_dream_wait_for_a_machine_and_clamp_switches(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_machine(pilot, "")
        await pilot.press("r")
        assert not screen.sampling
        assert "Train the machine first" in str(screen.query_one("#bm-status").render())
        await pilot.press("ctrl+r")
        assert not screen.training
        assert "Imprint some pictures first" in str(screen.query_one("#bm-status").render())
        await pilot.press("c")
        assert screen.clamp == "nothing"


async def test_leaving_stops_the_training_and_keeps_the_epochs_done(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_machine(pilot)
        screen.query_one("#bm-epochs", Input).value = "100000"
        await pilot.press("ctrl+r")
        worker = screen._training[0]
        bar = screen.query_one("#bm-progress", ProgressBar)
        for _ in range(2000):
            if bar.progress:
                break
            await pilot.pause(0.01)
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0]
        workspace = app.screen.workspace
        for _ in range(3000):  # the worker is cancelled with its screen: wait for what it left
            if workspace.boltzmann is not None:
                break
            await pilot.pause(0.01)
        assert workspace.boltzmann is not None and worker.is_cancelled
        assert 0 < len(workspace.boltzmann.history) < 100000


async def test_the_trained_machine_is_saved_with_the_session_and_opened_again(app, tmp_path):
    from tests.conftest import wait_for_jobs

    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_machine(pilot)
        await train(pilot, screen, 50)
        machine = screen.machine
        await pilot.press("escape")
        main = app.screen
        main.save_to(tmp_path / "s.hopfield")
        await wait_for_jobs(pilot)
        main.workspace.boltzmann = None
        main.open_from(tmp_path / "s.hopfield")
        await wait_for_jobs(pilot)
        opened = main.workspace.boltzmann
        assert opened is not None and opened is not machine
        assert np.array_equal(opened.weights, machine.weights)
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert app.screen.machine is opened
        assert len(list(app.screen.query("#bm-fields Thumbnail"))) == 64

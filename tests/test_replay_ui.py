"""Replay on screen: step along the last recall, branch from a past point, export a GIF."""

from __future__ import annotations

import numpy as np
from PIL import Image

from tui_hopfield.model.recording import decode
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.magnets_screen import SPEEDS
from tui_hopfield.ui.spin_grid import SpinGrid


async def recall_to_the_end(pilot) -> None:
    screen = pilot.app.magnets
    screen.workspace.set_speed(SPEEDS.index(0))  # instant
    await pilot.press("r")
    for _ in range(500):
        if not screen.recalling and screen.workspace.recordings:
            break
        await pilot.pause(0.01)
    assert not screen.recalling


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_keys_step_the_grid_along_the_recall_and_an_edit_branches():
    app = HopfieldApp(16, 16, seed=2)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.magnets
        await pilot.press("1", "b")
        await recall_to_the_end(pilot)
        workspace = screen.workspace
        recording = workspace.recordings[-1]
        end = len(recording)
        final = workspace.network.state.copy()
        await pilot.press("comma", "comma", "comma")
        assert workspace.replay.position == end - 3
        assert np.array_equal(workspace.network.state, recording.grid_at(end - 3))
        await pilot.pause()
        assert abs(screen.snapshot.energy - recording.energy_at(end - 3)) < 1e-9
        assert screen.snapshot.state.startswith(f"replay {end - 3}/{end}")
        await pilot.press("less_than_sign", "less_than_sign", "less_than_sign", "less_than_sign")
        assert workspace.replay.position == 0
        assert np.array_equal(workspace.network.state, recording.start)
        await pilot.press("full_stop", "full_stop")
        assert workspace.replay.position == 2
        assert np.array_equal(workspace.network.state, recording.grid_at(2))
        await pilot.press("greater_than_sign")
        assert workspace.replay.position == min(mark for mark in recording.marks() if mark > 2)
        await pilot.press("less_than_sign", "full_stop")
        assert workspace.replay.position == 1
        screen.grid.focus()
        await pilot.press("space")  # an edit from a past point
        await pilot.pause()
        assert any(message.startswith("New branch from flip") for message in messages(app))
        assert workspace.replay is None
        assert np.array_equal(recording.grid_at(end), final)  # the recall stays recorded


async def test_ctrl_g_exports_the_last_recall_as_a_gif_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = HopfieldApp(16, 16, seed=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert any("recall first" in message for message in messages(app))
        await pilot.press("1", "b")
        await recall_to_the_end(pilot)
        recording = app.magnets.workspace.recordings[-1]
        await pilot.press("ctrl+g")
        for _ in range(500):
            if any(message.startswith("Exported") for message in messages(app)):
                break
            await pilot.pause(0.01)
        path = tmp_path / "recall.gif"
        assert any(str(path) in message for message in messages(app))
        with Image.open(path) as image:
            assert image.n_frames == min(120, len(recording) + 1)


async def test_a_step_repaints_only_the_spin_it_turns_on_a_large_grid(monkeypatch):
    app = HopfieldApp(128, 128, seed=5)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        await pilot.press("1", "b")
        await recall_to_the_end(pilot)
        recording = screen.workspace.recordings[-1]
        painted: list[list[int]] = []
        whole: list[int] = []
        real_spins, real_all = SpinGrid.refresh_spins, SpinGrid.refresh_all
        monkeypatch.setattr(
            SpinGrid,
            "refresh_spins",
            lambda grid, spins: painted.append(list(spins)) or real_spins(grid, spins),
        )
        monkeypatch.setattr(SpinGrid, "refresh_all", lambda grid: whole.append(1) or real_all(grid))
        await pilot.press("comma")
        turned = decode(recording.changes(len(recording)))[0].tolist()
        assert painted == [turned] and not whole


async def test_semicolon_plays_the_recall_again_from_the_start_and_pauses():
    app = HopfieldApp(16, 16, seed=4)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.magnets
        await pilot.press("1", "b")
        await recall_to_the_end(pilot)
        workspace = screen.workspace
        recording = workspace.recordings[-1]
        final = workspace.network.state.copy()
        workspace.set_speed(SPEEDS.index(1))  # one flip a second: it is still playing below
        await pilot.press("semicolon")  # at the end: again from the start
        assert screen.replaying and workspace.replay.position == 0
        assert np.array_equal(workspace.network.state, recording.start)
        await pilot.press("semicolon")  # pause
        for _ in range(100):
            if not screen.replaying:
                break
            await pilot.pause(0.01)
        assert not screen.replaying
        paused = workspace.replay.position
        workspace.set_speed(SPEEDS.index(1000))
        await pilot.press("semicolon")
        for _ in range(500):
            if not screen.replaying:
                break
            await pilot.pause(0.02)
        assert workspace.replay.position == len(recording) > paused
        assert np.array_equal(workspace.network.state, final)
        assert screen.snapshot.state.startswith(f"replay {len(recording)}/{len(recording)}")


async def test_a_recall_from_a_past_point_says_it_starts_a_new_branch():
    app = HopfieldApp(16, 16, seed=6)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1", "b")
        await recall_to_the_end(pilot)
        first = app.magnets.workspace.recordings[-1]
        await pilot.press("less_than_sign")
        await recall_to_the_end(pilot)
        assert any(message.startswith("New branch from flip") for message in messages(app))
        recordings = app.magnets.workspace.recordings
        assert len(recordings) == 2 and recordings[0] is first


async def test_apostrophe_picks_an_older_recall_for_the_replay_keys_and_the_exports(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    app = HopfieldApp(16, 16, seed=7)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.magnets
        workspace = screen.workspace
        await pilot.press("1", "b")
        await recall_to_the_end(pilot)
        await pilot.press("b")
        await recall_to_the_end(pilot)
        await pilot.press("f")
        await recall_to_the_end(pilot)
        first, second, third = workspace.recordings
        await pilot.press("apostrophe")
        await pilot.pause()
        assert messages(app)[-1].startswith("Picked recall 2 of 3 (1 older than the newest)")
        assert workspace.replayed is second and workspace.replay.recording is second
        assert np.array_equal(workspace.network.state, second.grid_at(len(second)))
        await pilot.press("comma")  # the replay keys step the recall picked
        assert workspace.replay.position == len(second) - 1
        assert np.array_equal(workspace.network.state, second.grid_at(len(second) - 1))
        await pilot.pause()
        assert abs(screen.snapshot.energy - second.energy_at(len(second) - 1)) < 1e-9
        await pilot.press("ctrl+g")  # and the exports write it
        for _ in range(500):
            if any(message.startswith("Exported") for message in messages(app)):
                break
            await pilot.pause(0.01)
        with Image.open(tmp_path / "recall.gif") as image:
            assert image.n_frames == min(120, len(second) + 1)
        await pilot.press("apostrophe")
        assert workspace.replayed is first
        await pilot.press("apostrophe")  # cycling: back to the newest
        assert workspace.replayed is third and workspace.picked is None
        assert np.array_equal(workspace.network.state, third.grid_at(len(third)))
        await pilot.press("apostrophe", "b")
        await recall_to_the_end(pilot)  # a new recall is the one replayed
        assert workspace.replayed is workspace.recordings[-1] and workspace.picked is None
        await pilot.press("2")  # new memories: the older recalls export, not replay
        grid = workspace.network.state.copy()
        await pilot.press("apostrophe")
        await pilot.pause()
        assert "it exports, not replays" in messages(app)[-1]
        assert np.array_equal(workspace.network.state, grid)


async def test_the_palette_offers_each_recall_kept_and_picks_it():
    app = HopfieldApp(16, 16, seed=8)
    async with app.run_test(size=(100, 30)) as pilot:
        workspace = app.magnets.workspace
        await pilot.press("1", "b")
        await recall_to_the_end(pilot)
        await pilot.press("b")
        await recall_to_the_end(pilot)
        first, second = workspace.recordings
        commands = {
            command.title: command
            for command in app.get_system_commands(app.magnets)
            if command.title.startswith("Replay recall")
        }
        assert sorted(commands) == [
            f"Replay recall 1 of 2 (1 older than the newest): {len(first)} flips, {first.state}",
            f"Replay recall 2 of 2 (the newest): {len(second)} flips, {second.state}",
        ]
        (oldest,) = [command for title, command in commands.items() if "1 of 2" in title]
        oldest.callback()
        await pilot.pause()
        assert workspace.replayed is first and workspace.replay.recording is first
        assert np.array_equal(workspace.network.state, first.grid_at(len(first)))
        assert messages(app)[-1].startswith("Picked recall 1 of 2")

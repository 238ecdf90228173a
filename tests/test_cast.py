"""asciicast v2: the real screen during a replay, from the app (key a) and the CLI."""

from __future__ import annotations

import json
import re

import pytest

from tui_hopfield.model.asciicast import (
    HOLD_SECONDS,
    frame_times,
    read_cast,
    write_cast,
)
from tui_hopfield.model.asciicast import (
    MAX_FRAMES as CAST_FRAMES,
)
from tui_hopfield.model.replay_export import ExportError, sampled_positions
from tui_hopfield.ui import replay_actions
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.magnets_screen import SPEEDS
from tui_hopfield.ui.screen_export import screen_update

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def plain(text: str) -> str:
    """A frame's text without its escape sequences."""
    return ANSI.sub("", text)


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def wait_for(pilot, condition, count: int = 2000) -> None:
    for _ in range(count):
        if condition():
            return
        await pilot.pause()
    assert condition(), messages(pilot.app)


async def recall(pilot) -> None:
    screen = pilot.app.magnets
    screen.workspace.set_speed(SPEEDS.index(0))  # instant
    await pilot.press("r")
    await wait_for(pilot, lambda: not screen.recalling and screen.workspace.recordings)


def check_frames(path, recording, width, height, speed, max_frames=CAST_FRAMES) -> list[str]:
    """The cast at ``path`` is asciicast v2 of the replay of ``recording``: a frame per
    sampled position, at the speed's times, each showing the energy recorded there."""
    head, events = read_cast(path)
    assert head["version"] == 2 and (head["width"], head["height"]) == (width, height)
    assert isinstance(head["timestamp"], int) and head["title"].startswith("tui-hopfield")
    positions = sampled_positions(len(recording), max_frames)
    assert len(events) == len(positions)
    times = [seconds for seconds, _, _ in events]
    assert times == sorted(times) and times[0] == 0
    assert times == pytest.approx(frame_times(positions, speed), abs=1e-6)
    for (_, code, text), position in zip(events, positions, strict=True):
        assert code == "o" and text.startswith("\x1b[H\x1b[2J")
        shown = plain(text)
        energy = f"{recording.energy_at(position):.1f}"
        # A narrow status bar says E for energy (ui/status_bar.py's short wording).
        assert f"energy {energy}" in shown or f"E {energy}" in shown
        assert f"replay {position}/{len(recording)}" in shown
    return [text for _, _, text in events]


async def test_ctrl_x_replays_the_recall_on_screen_into_an_asciicast(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = HopfieldApp(16, 16, seed=4)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: messages(app))
        assert any("recall first" in message for message in messages(app))
        await pilot.press("1", "b")
        await recall(pilot)
        recording = app.magnets.workspace.recordings[-1]
        assert len(recording) > 20
        app.magnets.workspace.set_speed(SPEEDS.index(30))
        await pilot.press("ctrl+x")
        await wait_for(
            pilot, lambda: any("asciicast" in m or "recall.cast" in m for m in messages(app))
        )
        path = tmp_path / "recall.cast"
        assert any(str(path) in message for message in messages(app))
        frames = check_frames(path, recording, 100, 30, 30)
        assert frames[0] != frames[-1]  # the grid and the energy move
        # the replay ended where the recall did
        assert app.magnets.workspace.replay.position == len(recording)


async def test_an_edit_during_the_cast_stops_it_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = HopfieldApp(16, 16, seed=4)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1", "b")
        await recall(pilot)
        taken = []

        def edit_at_the_third_frame(app_):
            taken.append(1)
            if len(taken) == 3:
                app.magnets.action_clear()  # as a key pressed while the cast is made
            return screen_update(app_)

        monkeypatch.setattr(replay_actions, "screen_update", edit_at_the_third_frame)
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: any("no asciicast" in m for m in messages(app)))
        assert len(taken) == 3
        assert not (tmp_path / "recall.cast").exists()


def test_frame_times_follow_the_speed_and_hold_the_end():
    assert frame_times([0, 10, 20, 100], 10) == [0, 1, 2, 10]
    assert frame_times([0, 10, 20], 100) == [0, 0.1, 0.1 + HOLD_SECONDS]
    assert frame_times([0, 5, 9], 0, fps=10) == [0, 0.1, 0.1 + HOLD_SECONDS]


def test_a_cast_is_written_atomically_and_read_back(tmp_path):
    path = write_cast(tmp_path / "x.cast", 80, 24, [(0, "\x1b[H\x1b[2Ja"), (0.5, "b")], "t")
    head, events = read_cast(path)
    assert head["version"] == 2 and head["title"] == "t"
    assert events == [(0.0, "o", "\x1b[H\x1b[2Ja"), (0.5, "o", "b")]
    assert json.loads(path.read_text().splitlines()[1]) == [0, "o", "\x1b[H\x1b[2Ja"]
    with pytest.raises(ExportError, match="never go back"):
        write_cast(tmp_path / "y.cast", 80, 24, [(1, "a"), (0.5, "b")])
    with pytest.raises(ExportError, match=r"ends in \.cast"):
        write_cast(tmp_path / "y.txt", 80, 24, [])
    with pytest.raises(ExportError, match="no such folder"):
        write_cast(tmp_path / "no" / "y.cast", 80, 24, [])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.cast"]
    (tmp_path / "bad.cast").write_text(
        '{"version": 2, "width": 80, "height": 24}\n[1, "o", "a"]\n[0.5, "o", "b"]\n'
    )
    with pytest.raises(ExportError, match="back in time"):
        read_cast(tmp_path / "bad.cast")


def test_the_cli_replays_a_session_headless_into_an_asciicast(tmp_path, capsys, monkeypatch):
    from tui_hopfield import cli
    from tui_hopfield.model import Network
    from tui_hopfield.model.patterns import library
    from tui_hopfield.model.recording import Recording
    from tui_hopfield.model.store import Session, save
    from tui_hopfield.ui import headless_cast

    network = Network(16, 16)
    for picture in library(16, 16)[:2]:
        network.imprint(picture.spins, picture.name)
    network.set_state(network.patterns[0])
    session = save(Session.of(network, mode="async"), tmp_path / "faces.hopfield")
    made: list[Recording] = []
    real = headless_cast.write_cast_headless

    def keep(network, recording, path, **options):
        made.append(recording)
        return real(network, recording, path, **options)

    monkeypatch.setattr(headless_cast, "write_cast_headless", keep)
    cast = tmp_path / "out.cast"
    argv = ["replay", str(session), "--break", "scramble", "--seed", "3"]
    status = cli.main([*argv, "--cast", str(cast), "--cast-size", "90x28", "--speed", "10"])
    assert status == 0, capsys.readouterr()
    assert f"wrote {cast}" in capsys.readouterr().out
    (recording,) = made
    frames = check_frames(cast, recording, 90, 28, 10)
    assert "recalled" in plain(frames[-1])


def test_the_cli_refuses_a_bad_cast_name_before_recalling(tmp_path, capsys):
    from tui_hopfield import cli

    session = tmp_path / "none.hopfield"
    assert cli.main(["replay", str(session), "--cast", str(tmp_path / "x.txt")]) == 1
    assert "ends in .cast" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["replay", str(session), "--cast", "x.cast", "--cast-size", "40x20"])
    assert "at least 60 columns" in capsys.readouterr().err
